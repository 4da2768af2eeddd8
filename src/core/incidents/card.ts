/** An incident's status card: what is happening, who holds it, recent deploys, and its buttons. */
import type { Button, Message, Status } from '../messages.ts';
import type { DeploymentRecord } from '../store.ts';
import { severityLabel } from './severity.ts';
import type { Incident } from './types.ts';

/** The outbox key an incident's card is posted and updated under. */
export const cardKey = (id: number) => `incident:${id}`;

/** A deploy shortly before the alert, and what rolling back its environment would restore. */
export interface RecentDeploys {
  environment: string;
  deploys: DeploymentRecord[];
  /** The last version that ran before those deploys. */
  lastGood?: string;
}

const statusOf: Record<Incident['status'], Status> = {
  open: 'failed',
  acknowledged: 'warning',
  resolved: 'succeeded',
};

const hhmm = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Button ids: `incident-ack:12`; a rollback's id also names the environment (`12~production`). */
export const incidentVerbs = {
  ack: 'incident-ack',
  escalate: 'incident-escalate',
  resolve: 'incident-resolve',
  rollback: 'incident-rollback',
} as const;

/** The card: fields, alerts, recent deploys, and the buttons its state allows. */
export function incidentCard(
  incident: Incident,
  recent: RecentDeploys[],
  mention: (personId: string) => string,
): Message {
  const who = (id: string | undefined) => (id === undefined ? '—' : mention(id));
  const fields = [
    { label: 'Status', value: incident.status },
    { label: 'Severity', value: severityLabel(incident.severity) },
  ];
  if (incident.environments.length)
    fields.push({ label: 'Environments', value: incident.environments.join(', ') });
  if (incident.service) fields.push({ label: 'Service', value: incident.service });
  if (incident.alertStatus)
    fields.push({ label: 'Alert', value: `${incident.alertStatus} (${incident.alerts.length} alerts)` });
  for (const [role, person] of Object.entries(incident.roles))
    fields.push({ label: role[0]?.toUpperCase() + role.slice(1), value: who(person) });

  const lines = incident.alerts.slice(0, 5).map((a) => `${a.status === 'firing' ? '🔥' : '✅'} ${a.summary}`);
  if (incident.alerts.length > 5) lines.push(`…and ${incident.alerts.length - 5} more`);
  const open = incident.status !== 'resolved';
  const buttons: Button[] = [];
  if (incident.status === 'open')
    buttons.push({ id: `${incidentVerbs.ack}:${incident.id}`, label: 'Acknowledge', style: 'primary' });
  if (open)
    buttons.push(
      { id: `${incidentVerbs.escalate}:${incident.id}`, label: 'Escalate' },
      { id: `${incidentVerbs.resolve}:${incident.id}`, label: 'Resolve', style: 'primary' },
    );
  for (const r of recent) {
    lines.push(`Deploys to \`${r.environment}\` shortly before the alert:`);
    for (const d of r.deploys)
      lines.push(`• \`${d.version}\` by ${who(d.requestedBy)} at ${hhmm(d.createdAt)} (run #${d.runId})`);
    if (open && r.lastGood)
      buttons.push({
        id: `${incidentVerbs.rollback}:${incident.id}~${r.environment}`,
        label: `Roll back ${r.environment} to ${r.lastGood}`,
        style: 'danger',
      });
  }
  const context = [`Opened by ${who(incident.createdBy)} at ${hhmm(incident.createdAt)}`];
  if (incident.ackedAt) context.push(`Acknowledged by ${who(incident.ackedBy)} at ${hhmm(incident.ackedAt)}`);
  if (incident.resolvedAt)
    context.push(`Resolved by ${who(incident.resolvedBy)} at ${hhmm(incident.resolvedAt)}`);
  const message: Message = {
    header: `Incident #${incident.id} · ${severityLabel(incident.severity)} · ${incident.title}`,
    status: statusOf[incident.status],
    text: lines.join('\n') || undefined,
    fields,
    context,
  };
  if (buttons.length) message.buttons = buttons;
  const link = incident.links[0];
  if (link) message.link = link;
  return message;
}
