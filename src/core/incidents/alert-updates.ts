/**
 * What an alert notification does to incidents: the first firing one of a group opens one, later
 * ones add alerts to it (a repeat changes nothing visible), a resolved one resolves it or says it
 * was already resolved by hand.
 */
import type { Message } from '../messages.ts';
import type { Clock } from '../ports.ts';
import type { AlertGroup, Incident, IncidentEventKind, IncidentStore } from './types.ts';

/** The parts of the incident service an alert uses. */
export interface AlertTarget {
  o: { store: IncidentStore; clock: Clock; directory: { mention(id: string): string } };
  open(o: AlertGroup & { by: string }): Promise<Incident>;
  settle(incident: Incident): Promise<Incident>;
  save(incident: Incident): Promise<void>;
  event(incident: Incident, kind: IncidentEventKind, by: string, text: string): Promise<void>;
  say(incident: Incident, message: Message, tag: string): Promise<void>;
  refresh(incident: Incident): Promise<void>;
}

/** Applies one alert notification to the incidents (idempotent). */
export async function applyAlert(s: AlertTarget, group: AlertGroup): Promise<void> {
  const known = await s.o.store.byGroup(group.groupKey);
  if (group.status === 'firing') {
    const seen = (i: Incident) =>
      group.alerts.every((a) =>
        i.alerts.some((k) => k.fingerprint === a.fingerprint && k.startsAt === a.startsAt),
      );
    // A group firing again after its incident was resolved (new alerts or a new start) is a new incident.
    if (!known || (known.status === 'resolved' && !seen(known))) {
      await s.open({ ...group, by: group.source });
      return;
    }
    // Opened before a crash, before its places were made: finish that first.
    if (!known.places.length) await s.settle(known);
    await mergeAlerts(s, known, group);
    return;
  }
  if (known) await alertResolved(s, known, group);
}

async function mergeAlerts(s: AlertTarget, incident: Incident, group: AlertGroup): Promise<void> {
  let changed = false;
  for (const a of group.alerts) {
    const k = incident.alerts.find((x) => x.fingerprint === a.fingerprint);
    if (!k) incident.alerts.push(a);
    else if (k.status !== a.status || k.startsAt !== a.startsAt) Object.assign(k, a);
    else continue;
    changed = true;
  }
  if (incident.alertStatus !== 'firing' && incident.status !== 'resolved') {
    incident.alertStatus = 'firing';
    changed = true;
  }
  if (!changed) return;
  await s.save(incident);
  await s.event(incident, 'alert', group.source, `${group.alerts.length} alert(s) firing`);
  await s.refresh(incident);
}

async function alertResolved(s: AlertTarget, incident: Incident, group: AlertGroup): Promise<void> {
  for (const a of group.alerts) {
    const k = incident.alerts.find((x) => x.fingerprint === a.fingerprint);
    if (k) k.status = 'resolved';
  }
  if (incident.alertStatus === 'resolved') return;
  incident.alertStatus = 'resolved';
  if (incident.status === 'resolved') {
    await s.save(incident);
    const by = incident.resolvedBy ? s.o.directory.mention(incident.resolvedBy) : 'someone';
    const text = `The alert resolved too; the incident was already resolved by hand by ${by}.`;
    await s.event(incident, 'alert', group.source, text);
    await s.say(incident, { status: 'info', text }, 'alert-resolved');
  } else {
    incident.status = 'resolved';
    incident.resolvedAt = s.o.clock.now();
    incident.resolvedBy = group.source;
    incident.escalation = { ...incident.escalation, nextAt: undefined };
    await s.save(incident);
    const text = `The alert resolved (${group.source}); the incident is resolved.`;
    await s.event(incident, 'resolved', group.source, text);
    await s.say(incident, { status: 'succeeded', text }, 'alert-resolved');
  }
  await s.refresh(incident);
}
