/** `Authorization: Bearer <token>` compared in constant time with the configured token. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Headers, Verdict } from '../../ci/webhook-route.ts';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Checks the request's bearer token against `token` (hashed first, so lengths never leak). */
export function checkBearer(header: Headers, token: string): Verdict {
  const value = header('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(value.trim());
  if (!match) return { ok: false, reason: 'no bearer token' };
  return timingSafeEqual(digest(match[1] as string), digest(token))
    ? { ok: true }
    : { ok: false, reason: 'wrong bearer token' };
}
