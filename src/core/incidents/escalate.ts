/** `/incident escalate` and the Escalate button: the next level of the escalation policy, paged now. */
import { UserError } from '../errors.ts';
import type { IncidentService } from './service.ts';
import type { Incident } from './types.ts';

/** Pages the next level now and moves the escalation there; refused without a policy or once resolved. */
export async function escalateNow(s: IncidentService, incident: Incident, by: string): Promise<string> {
  if (incident.status === 'resolved') throw new UserError(`Incident #${incident.id} is resolved already.`);
  const { escalation } = s.o.config;
  const policy = escalation ? s.o.oncall?.policy(escalation) : undefined;
  if (!policy)
    throw new UserError(
      'There is no escalation policy to page: set `incidents.escalation` to a policy under `oncall` in the config.',
    );
  const from = incident.escalation;
  const level = Math.min(from.level + 1, policy.levels.length - 1);
  // The level waits its delay before the next; an acknowledged incident is paged no further.
  const wait = policy.levels[level]?.afterMs;
  const now = s.o.clock.now();
  const nextAt =
    incident.status === 'open' && wait !== undefined ? new Date(now.getTime() + wait) : undefined;
  // A page asked for by hand is its own post, even at a level paged before.
  const paged = await s.page(incident, level, from.round, by, `page:${from.round}.${level}:${now.getTime()}`);
  incident.escalation = { level, round: from.round, nextAt };
  await s.save(incident);
  await s.event(incident, 'escalated', by, paged);
  await s.refresh(incident);
  return paged;
}
