/**
 * An incident's timeline as a Markdown post-incident summary: its own events (alerts, acks, pages,
 * notes, roles) and, from the audit log, every deploy, rollback, lock and runbook run in its
 * environments while it was open.
 */
import type { AuditEntry, AuditLogReader } from '../types/audit-log.ts';
import { severityLabel } from './severity.ts';
import type { Incident, IncidentEvent } from './types.ts';

/** Commands that change or guard an environment, and every runbook (`/ops`). */
const changing = new Set(['deploy', 'rollback', 'promote', 'lock', 'unlock', 'cancel', 'retry']);

interface Line {
  at: Date;
  who: string;
  text: string;
}

/** The audit entries that belong on the timeline: commands about its environments, and runbooks. */
export function auditLines(entries: AuditEntry[], incident: Pick<Incident, 'environments'>): Line[] {
  const lines: Line[] = [];
  for (const e of entries) {
    const c = e.command as { family?: string; command?: string; args?: Record<string, unknown> } | undefined;
    if (!c?.command || !e.decision.startsWith('allowed')) continue;
    const env = typeof c.args?.environment === 'string' ? c.args.environment : undefined;
    const runbook = c.family === 'ops';
    const here = env !== undefined && incident.environments.includes(env);
    if (!runbook && !(here && changing.has(c.command))) continue;
    const said = e.outcome ? ` → ${e.outcome.split('\n')[0]?.slice(0, 160)}` : '';
    lines.push({
      at: e.at,
      who: e.actor ?? e.platformUser ?? 'someone',
      text: `\`${e.text ?? `/${c.family ?? 'ci'} ${c.command}`}\`${said}`,
    });
  }
  return lines;
}

const time = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/** The Markdown summary. */
export async function timelineMarkdown(
  incident: Incident,
  events: IncidentEvent[],
  audit: Pick<AuditLogReader, 'between'>,
  now: Date,
  mention: (id: string) => string,
): Promise<string> {
  const until = incident.resolvedAt ?? now;
  const entries = audit.between ? await audit.between(incident.createdAt, until, 2000) : [];
  const lines: Line[] = [
    ...events.map((e) => ({ at: e.at, who: e.by, text: `${e.kind}: ${e.text}` })),
    ...auditLines(entries, incident),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const took = Math.round((until.getTime() - incident.createdAt.getTime()) / 60_000);
  const roles = Object.entries(incident.roles).map(([role, id]) => `${role}: ${mention(id)}`);
  return [
    `# Incident #${incident.id}: ${incident.title}`,
    '',
    `- Severity: ${severityLabel(incident.severity)}`,
    `- Status: ${incident.status}${incident.resolvedAt ? ` (after ${took} min)` : ''}`,
    `- Opened: ${time(incident.createdAt)} UTC by ${mention(incident.createdBy)}`,
    ...(incident.ackedAt
      ? [`- Acknowledged: ${time(incident.ackedAt)} UTC by ${mention(incident.ackedBy ?? '')}`]
      : []),
    ...(incident.resolvedAt
      ? [`- Resolved: ${time(incident.resolvedAt)} UTC by ${mention(incident.resolvedBy ?? '')}`]
      : []),
    ...(incident.environments.length ? [`- Environments: ${incident.environments.join(', ')}`] : []),
    ...(incident.service ? [`- Service: ${incident.service}`] : []),
    ...(roles.length ? [`- Roles: ${roles.join(', ')}`] : []),
    '',
    '## Timeline (UTC)',
    '',
    ...lines.map((l) => `- ${time(l.at)} · ${mention(l.who)} · ${l.text}`),
    '',
  ].join('\n');
}
