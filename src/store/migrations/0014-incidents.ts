import type { Kysely } from 'kysely';

// Incidents opened from alert groups or declared in chat, and their timeline events. Lists
// (alerts, environments, roles, places) are JSON text; times are ISO-8601 UTC text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('incidents')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('severity', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('alert_status', 'text')
    .addColumn('alerts', 'text', (c) => c.notNull())
    .addColumn('links', 'text', (c) => c.notNull())
    .addColumn('environments', 'text', (c) => c.notNull())
    .addColumn('service', 'text')
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('places', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('acked_at', 'text')
    .addColumn('acked_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('escalation_level', 'integer', (c) => c.notNull())
    .addColumn('escalation_round', 'integer', (c) => c.notNull())
    .addColumn('next_page_at', 'text')
    .execute();
  await db.schema.createIndex('incidents_group').on('incidents').columns(['group_key', 'id']).execute();
  await db.schema
    .createIndex('incidents_status')
    .on('incidents')
    .columns(['status', 'next_page_at'])
    .execute();
  await db.schema
    .createTable('incident_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('incident_id', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('by', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_events_incident')
    .on('incident_events')
    .columns(['incident_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('incident_events').execute();
  await db.schema.dropTable('incidents').execute();
}
