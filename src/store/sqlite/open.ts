/** Opens the SQLite file deckhand keeps everything in, with its pragmas and a statement cache. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { type Db, migrate } from '../db.ts';
import type { Database } from '../schema.ts';

/** Opens (creating if needed) the SQLite file in WAL mode and migrates it. */
export async function openSqlite(file: string): Promise<Db> {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  await migrate(db);
  return db;
}

/** Statements that are not worth keeping: transactions, pragmas and schema changes. */
const oneOff = /^\s*(begin|commit|rollback|savepoint|release|pragma|create|alter|drop)\b/i;

/**
 * Kysely prepares every query afresh; better-sqlite3 statements can be reused. Keeping the
 * prepared statement per SQL text saves the parse on every repeated query (the queries deckhand
 * makes are few and fixed). SQLite re-prepares a kept statement itself after a schema change.
 */
function withStatementCache(sqlite: SQLite.Database, limit = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  return new Proxy(sqlite, {
    get(target, property) {
      if (property === 'prepare') {
        return (source: string) => {
          const kept = cache.get(source);
          if (kept) return kept;
          const statement = prepare(source);
          if (!oneOff.test(source) && cache.size < limit) cache.set(source, statement);
          return statement;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
