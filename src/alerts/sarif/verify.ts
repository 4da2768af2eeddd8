/** The SARIF upload's bearer token (`Authorization: Bearer <SARIF_WEBHOOK_TOKEN>`), compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Whether the request carries the token; `reason` is for the log only. */
export type TokenVerdict = { ok: true } | { ok: false; reason: string };

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Both sides are hashed first, so the compare takes the same time whatever the lengths and
 * `timingSafeEqual` never sees unequal lengths.
 */
export function verifyBearer(expected: string | undefined, authorization: string | undefined): TokenVerdict {
  if (!expected) return { ok: false, reason: 'SARIF_WEBHOOK_TOKEN is not set' };
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  if (!match?.[1]) return { ok: false, reason: 'no bearer token' };
  if (!timingSafeEqual(digest(expected), digest(match[1]))) return { ok: false, reason: 'token mismatch' };
  return { ok: true };
}
