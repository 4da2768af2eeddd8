import type { Kysely } from 'kysely';

// How a platform reaches each conversation, as it last said: Teams answers a conversation through
// the Bot Connector service URL of its region, which its activities carry.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('conversation_refs')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('conversation', 'text', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_refs_pk', ['platform', 'conversation'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('conversation_refs').execute();
}
