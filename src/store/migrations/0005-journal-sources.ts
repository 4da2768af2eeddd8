import type { Kysely } from 'kysely';

// The journal holds what webhooks took in, not only built CI updates: whose handler takes each
// row (`source`), and which rows must be handled in order (`key`, e.g. one CI run).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('inbound_updates')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('update'))
    .execute();
  await db.schema
    .alterTable('inbound_updates')
    .addColumn('key', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inbound_updates').dropColumn('key').execute();
  await db.schema.alterTable('inbound_updates').dropColumn('source').execute();
}
