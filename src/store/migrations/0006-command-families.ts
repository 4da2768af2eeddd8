import type { Kysely } from 'kysely';

// Held requests name their command family (rows from before families were /ci's), and keep what
// their cards call the command, as the command described it when it was held.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('gate_requests')
    .addColumn('family', 'text', (c) => c.notNull().defaultTo('ci'))
    .execute();
  await db.schema.alterTable('gate_requests').addColumn('subject', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('gate_requests').dropColumn('subject').execute();
  await db.schema.alterTable('gate_requests').dropColumn('family').execute();
}
