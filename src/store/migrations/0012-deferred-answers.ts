import type { Kysely } from 'kysely';

// Answers a chat platform owes in place across a restart (Discord's deferred interactions), by the
// intake record they answer; `sealed` is the platform's handle, encrypted by the platform.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('deferred_answers')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deferred_answers_pk', ['platform', 'origin'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('deferred_answers').execute();
}
