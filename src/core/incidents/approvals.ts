/** Approvals asked for during an incident reach whoever is on call, in the incident's own place. */
import type { GateRequest } from '../store.ts';
import type { Incident } from './types.ts';

export interface ApprovalRouting {
  /** The incidents open now. */
  open(): Promise<Incident[]>;
  /** The person on call in the configured schedule now, if any. */
  onCallNow(): string | undefined;
  say(
    incident: Incident,
    message: { status: 'warning'; header: string; text: string },
    tag: string,
  ): Promise<void>;
  mention(personId: string): string;
}

/**
 * Tells each open incident whose environments include the request's that an approval waits, naming
 * whoever is on call and how to answer; keyed per request, so a replay tells it once. Returns how
 * many incidents were told.
 */
export async function approvalDuringIncident(o: ApprovalRouting, r: GateRequest): Promise<number> {
  const environment = r.environment;
  if (!environment) return 0;
  const open = (await o.open()).filter((i) => i.environments.includes(environment));
  const person = o.onCallNow();
  const who = person
    ? `${o.mention(person)}, on call`
    : 'Whoever is on call (nobody is in the configured schedule now)';
  const what = r.subject ?? `run \`/${r.family} ${r.command}\` on \`${environment}\``;
  for (const incident of open) {
    const text = `${o.mention(r.requester)} asks to ${what} while this incident is open. ${who}: \`/ci approve ${r.code}\`, or \`/ci reject ${r.code} <why>\`; the card is in the approvals channel.`;
    await o.say(
      incident,
      { status: 'warning', header: 'Approval needed during this incident', text },
      `approval:${r.id}`,
    );
  }
  return open.length;
}
