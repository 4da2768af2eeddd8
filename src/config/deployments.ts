/** `deployments:`: the order environments are deployed in, and who hears of deploys made outside deckhand. */
import { z } from 'zod';

const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'use letters, digits, ".", "_" and "-" only (e.g. "staging")');

export const deploymentsSchema = z
  .strictObject({
    /**
     * Environment → the environment a version must have succeeded in first (`production: staging`):
     * a deploy or promote of a version that never succeeded there is refused, unless break-glass.
     */
    after: z.record(name, name).default({}),
    /** Roles that may approve a deploy out of that order (`--break-glass`); none means nobody can. */
    breakGlass: z.strictObject({ roles: z.array(name).default([]) }).prefault({}),
    /** A channel (under `channels`) told when a CI system deploys without deckhand. */
    outsideChannel: name.optional(),
  })
  .prefault({});

export type DeploymentsConfig = z.output<typeof deploymentsSchema>;

type Check = (at: (string | number)[], name: string) => void;
type Issue = (path: (string | number)[], message: string) => void;

/** Environments, roles and the channel `deployments:` names exist; the order has no loop. */
export function checkDeployments(
  d: DeploymentsConfig,
  issue: Issue,
  known: { environment: Check; role: Check; channel: Check },
): void {
  for (const [to, from] of Object.entries(d.after)) {
    known.environment(['deployments', 'after', to], to);
    known.environment(['deployments', 'after', to], from);
    if (to === from) issue(['deployments', 'after', to], `"${to}" cannot come after itself`);
  }
  // A loop (a after b, b after a) would let no version in without break-glass.
  for (const start of Object.keys(d.after)) {
    const path = [start];
    for (let at = d.after[start]; at !== undefined && at !== start; at = d.after[at]) {
      if (path.includes(at)) break;
      path.push(at);
      if (d.after[at] === start) {
        issue(['deployments', 'after', start], `the order loops: ${[...path, start].join(' after ')}`);
        break;
      }
    }
  }
  d.breakGlass.roles.forEach((r, i) => {
    known.role(['deployments', 'breakGlass', 'roles', i], r);
  });
  if (d.outsideChannel) known.channel(['deployments', 'outsideChannel'], d.outsideChannel);
}
