/** Incidents and their timeline events in SQL (portable Kysely only). */
import type { Selectable } from 'kysely';
import type { Incident, IncidentEvent, IncidentEventKind, IncidentStore } from '../core/incidents/types.ts';
import type { Db } from './db.ts';
import type { IncidentsTable } from './schema.ts';

const iso = (d: Date | undefined) => d?.toISOString() ?? null;
const date = (s: string | null) => (s === null ? undefined : new Date(s));
const opt = <T>(v: T | null) => v ?? undefined;

const toIncident = (r: Selectable<IncidentsTable>): Incident => ({
  id: r.id,
  title: r.title,
  severity: r.severity,
  status: r.status as Incident['status'],
  groupKey: opt(r.group_key),
  source: r.source,
  alertStatus: opt(r.alert_status) as Incident['alertStatus'],
  alerts: JSON.parse(r.alerts),
  links: JSON.parse(r.links),
  environments: JSON.parse(r.environments),
  service: opt(r.service),
  roles: JSON.parse(r.roles),
  places: JSON.parse(r.places),
  createdAt: new Date(r.created_at),
  createdBy: r.created_by,
  ackedAt: date(r.acked_at),
  ackedBy: opt(r.acked_by),
  resolvedAt: date(r.resolved_at),
  resolvedBy: opt(r.resolved_by),
  escalation: { level: r.escalation_level, round: r.escalation_round, nextAt: date(r.next_page_at) },
});

const toRow = (i: Omit<Incident, 'id'>) => ({
  title: i.title,
  severity: i.severity,
  status: i.status,
  group_key: i.groupKey ?? null,
  source: i.source,
  alert_status: i.alertStatus ?? null,
  alerts: JSON.stringify(i.alerts),
  links: JSON.stringify(i.links),
  environments: JSON.stringify(i.environments),
  service: i.service ?? null,
  roles: JSON.stringify(i.roles),
  places: JSON.stringify(i.places),
  created_at: i.createdAt.toISOString(),
  created_by: i.createdBy,
  acked_at: iso(i.ackedAt),
  acked_by: i.ackedBy ?? null,
  resolved_at: iso(i.resolvedAt),
  resolved_by: i.resolvedBy ?? null,
  escalation_level: i.escalation.level,
  escalation_round: i.escalation.round,
  next_page_at: iso(i.escalation.nextAt),
});

/** The IncidentStore over any Kysely dialect. */
export function createIncidentStore(db: Db): IncidentStore {
  const select = () => db.selectFrom('incidents').selectAll();
  return {
    async create(incident) {
      const row = await db
        .insertInto('incidents')
        .values(toRow(incident))
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ...incident, id: Number(row.id) };
    },
    async get(id) {
      const row = await select().where('id', '=', id).executeTakeFirst();
      return row ? toIncident(row) : undefined;
    },
    async byGroup(groupKey) {
      const rows = await select().where('group_key', '=', groupKey).orderBy('id', 'desc').limit(20).execute();
      const row = rows.find((r) => r.status !== 'resolved') ?? rows[0];
      return row ? toIncident(row) : undefined;
    },
    async open() {
      const rows = await select().where('status', '!=', 'resolved').orderBy('id').execute();
      return rows.map(toIncident);
    },
    async byRoom(platform, room) {
      // Few incidents are open at once: read them and match the place.
      const rows = await select().orderBy('id', 'desc').limit(200).execute();
      const row = rows.find((r) =>
        (JSON.parse(r.places) as Incident['places']).some((p) => p.platform === platform && p.room === room),
      );
      return row ? toIncident(row) : undefined;
    },
    async save(incident) {
      await db.updateTable('incidents').set(toRow(incident)).where('id', '=', incident.id).execute();
    },
    async advanceEscalation(id, from, to) {
      let query = db
        .updateTable('incidents')
        .set({ escalation_level: to.level, escalation_round: to.round, next_page_at: iso(to.nextAt) })
        .where('id', '=', id)
        .where('escalation_level', '=', from.level)
        .where('escalation_round', '=', from.round);
      query = from.nextAt
        ? query.where('next_page_at', '=', from.nextAt.toISOString())
        : query.where('next_page_at', 'is', null);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async duePages(now) {
      const rows = await select()
        .where('status', '=', 'open')
        .where('next_page_at', 'is not', null)
        .where('next_page_at', '<=', now.toISOString())
        .orderBy('next_page_at')
        .execute();
      return rows.map(toIncident);
    },
    async addEvent(e) {
      await db
        .insertInto('incident_events')
        .values({
          incident_id: e.incidentId,
          at: e.at.toISOString(),
          kind: e.kind,
          by: e.by,
          text: e.text,
        })
        .execute();
    },
    async events(incidentId) {
      const rows = await db
        .selectFrom('incident_events')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .orderBy('id')
        .execute();
      return rows.map(
        (r): IncidentEvent => ({
          id: r.id,
          incidentId: r.incident_id,
          at: new Date(r.at),
          kind: r.kind as IncidentEventKind,
          by: r.by,
          text: r.text,
        }),
      );
    },
    async recent(limit) {
      const rows = await select().orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toIncident);
    },
  };
}
