/**
 * Snyk's signature: `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the
 * webhook's secret>` (https://docs.snyk.io/snyk-api/using-specific-snyk-apis/webhooks-apis/validation-and-versioning-of-payloads),
 * compared in constant time on the bytes as received.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SnykVerdict = { ok: true } | { ok: false; reason: string };

/** The header value Snyk sends for this body (tests, tools replaying deliveries). */
export function signSnykPayload(secret: string, raw: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

/** Whether `signature` is this body's under `secret`. */
export function verifySnyk(
  secret: string | undefined,
  raw: Buffer,
  signature: string | undefined,
): SnykVerdict {
  if (!secret) return { ok: false, reason: 'SNYK_WEBHOOK_SECRET is not set' };
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature?.trim() ?? '');
  if (!match?.[1]) return { ok: false, reason: 'missing or malformed X-Hub-Signature' };
  const expected = createHmac('sha256', secret).update(raw).digest();
  if (!timingSafeEqual(Buffer.from(match[1], 'hex'), expected))
    return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
