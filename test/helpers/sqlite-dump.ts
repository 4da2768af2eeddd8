/** Reads every row of every table of a SQLite file, for tests that scan what deckhand keeps. */
import Database from 'better-sqlite3';

/** Each table's rows, as JSON text (read-only; safe while deckhand has the file open). */
export function dumpTables(file: string): Record<string, string> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      .all() as { name: string }[];
    return Object.fromEntries(
      tables.map(({ name }) => [name, JSON.stringify(db.prepare(`select * from "${name}"`).all())]),
    );
  } finally {
    db.close();
  }
}
