/** Opens the database and brings its schema up to date. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type Migration, type MigrationProvider, Migrator, SqliteDialect } from 'kysely';
import * as initial from './migrations/0001-initial.ts';
import * as locks from './migrations/0002-locks.ts';
import * as gates from './migrations/0003-gates.ts';
import * as inbound from './migrations/0004-inbound-updates.ts';
import * as sources from './migrations/0005-journal-sources.ts';
import type { Database } from './schema.ts';

/** Migrations in order; add new ones at the end, never edit a released one. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-locks': locks,
  '0003-gates': gates,
  '0004-inbound-updates': inbound,
  '0005-journal-sources': sources,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export type Db = Kysely<Database>;

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

export async function migrate(db: Db): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${(error as Error).message ?? String(error)}`);
  }
}

/** Whether the database answers a trivial query. */
export async function ping(db: Db): Promise<boolean> {
  try {
    await db.selectFrom('runs').select('id').limit(1).execute();
    return true;
  } catch {
    return false;
  }
}
