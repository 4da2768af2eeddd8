/** The database as the SQL stores see it, and its schema brought up to date. */
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { Migrator } from 'kysely';
import * as initial from './migrations/0001-initial.ts';
import * as locks from './migrations/0002-locks.ts';
import * as gates from './migrations/0003-gates.ts';
import * as inbound from './migrations/0004-inbound-updates.ts';
import * as sources from './migrations/0005-journal-sources.ts';
import * as families from './migrations/0006-command-families.ts';
import * as intake from './migrations/0007-intake.ts';
import * as auditMac from './migrations/0008-audit-mac.ts';
import * as auditOrigin from './migrations/0009-audit-origin.ts';
import * as conversationRefs from './migrations/0010-conversation-refs.ts';
import * as outboxDoubt from './migrations/0011-outbox-doubt.ts';
import * as deferredAnswers from './migrations/0012-deferred-answers.ts';
import * as runbooks from './migrations/0013-runbooks.ts';
import * as incidents from './migrations/0014-incidents.ts';
import type { Database } from './schema.ts';

/** Migrations in order; add new ones at the end, never edit a landed one (test/store/migrations.test.ts). */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-locks': locks,
  '0003-gates': gates,
  '0004-inbound-updates': inbound,
  '0005-journal-sources': sources,
  '0006-command-families': families,
  '0007-intake': intake,
  '0008-audit-mac': auditMac,
  '0009-audit-origin': auditOrigin,
  '0010-conversation-refs': conversationRefs,
  '0011-outbox-doubt': outboxDoubt,
  '0012-deferred-answers': deferredAnswers,
  '0013-runbooks': runbooks,
  '0014-incidents': incidents,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export type Db = Kysely<Database>;

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
