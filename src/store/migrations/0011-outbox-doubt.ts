import type { Kysely } from 'kysely';

// A message the outbox may have sent without recording it (its holder died, or a post failed in a
// way that does not say it was refused) is in doubt from when it was first claimed: it is looked
// up on the platform before it is posted again. `origin` is the intake record a reply answers,
// `origin_final` 1 when it is that command's whole answer (nothing updates it later).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('outbox')
    .addColumn('in_doubt', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('outbox').addColumn('claimed_at', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('origin', 'text').execute();
  await db.schema
    .alterTable('outbox')
    .addColumn('origin_final', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('origin_final').execute();
  await db.schema.alterTable('outbox').dropColumn('origin').execute();
  await db.schema.alterTable('outbox').dropColumn('claimed_at').execute();
  await db.schema.alterTable('outbox').dropColumn('in_doubt').execute();
}
