/** Deploy locks: who holds an environment, and the sentence that says so. */
import { UserError } from './errors.ts';
import type { Decision } from './policy.ts';
import type { Lock, LockStore } from './store.ts';

/** "`production` is locked by @Alice until 14:00 UTC: release freeze." */
export function lockSentence(lock: Lock, mention: (id: string) => string): string {
  const until = lock.expiresAt
    ? ` until ${lock.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`
    : '';
  return `\`${lock.environment}\` is locked by ${mention(lock.owner)}${until}${lock.reason ? `: ${lock.reason}` : ''}.`;
}

/** Throws unless `personId` may deploy to `environment` as far as locks go. */
export async function ensureUnlocked(
  locks: LockStore,
  environment: string,
  personId: string,
  now: Date,
  mention: (id: string) => string,
): Promise<void> {
  const lock = await locks.get(environment, now);
  if (lock && lock.owner !== personId) {
    throw new UserError(
      `${lockSentence(lock, mention)} Only ${mention(lock.owner)} can change it until it is unlocked (deploys, rollbacks and the like).`,
    );
  }
}

/**
 * The policy's verdict, unless a lock held by someone else refuses a command that changes
 * `environment` (the one its declaration names; undefined for commands that change none).
 */
export async function lockDecision(
  o: { locks: LockStore; now: Date; mention: (id: string) => string },
  verdict: Decision,
  environment: string | undefined,
  personId: string,
): Promise<Decision> {
  if (!verdict.allowed || !environment) return verdict;
  const lock = await o.locks.get(environment, o.now);
  if (!lock || lock.owner === personId) return verdict;
  return {
    allowed: false,
    rule: `lock:${lock.owner}`,
    reason: `${lockSentence(lock, o.mention)} Only ${o.mention(lock.owner)} can change it until it is unlocked (deploys, rollbacks and the like).`,
  };
}
