import type { Kysely } from 'kysely';

// One intake for everything deckhand acknowledges: the CI update journal becomes `intake`, its rows
// claimed with leases. The runs and held requests a command causes carry its intake record's id
// (`origin`), so a replay after a crash finds what was already done. The outbox claims what it
// sends with leases too, and the web chat keeps each post's key.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inbound_updates').renameTo('intake').execute();
  await db.schema.alterTable('intake').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('intake').addColumn('lease_until', 'text').execute();
  await db.schema.createIndex('intake_key').on('intake').columns(['key', 'id']).execute();
  for (const table of ['runs', 'gate_requests']) {
    await db.schema.alterTable(table).addColumn('origin', 'text').execute();
    await db.schema.createIndex(`${table}_origin`).unique().on(table).column('origin').execute();
  }
  await db.schema.alterTable('outbox').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('lease_until', 'text').execute();
  await db.schema.createIndex('outbox_key').on('outbox').columns(['platform', 'channel', 'key']).execute();
  await db.schema.alterTable('webchat_messages').addColumn('client_key', 'text').execute();
  await db.schema
    .createIndex('webchat_client_key')
    .unique()
    .on('webchat_messages')
    .column('client_key')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('webchat_client_key').execute();
  await db.schema.alterTable('webchat_messages').dropColumn('client_key').execute();
  await db.schema.dropIndex('outbox_key').execute();
  await db.schema.alterTable('outbox').dropColumn('lease_until').execute();
  await db.schema.alterTable('outbox').dropColumn('lease_owner').execute();
  for (const table of ['runs', 'gate_requests']) {
    await db.schema.dropIndex(`${table}_origin`).execute();
    await db.schema.alterTable(table).dropColumn('origin').execute();
  }
  await db.schema.dropIndex('intake_key').execute();
  await db.schema.alterTable('intake').dropColumn('lease_until').execute();
  await db.schema.alterTable('intake').dropColumn('lease_owner').execute();
  await db.schema.alterTable('intake').renameTo('inbound_updates').execute();
}
