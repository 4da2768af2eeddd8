/**
 * CircleCI webhook signatures: `circleci-signature` holds comma-separated versioned signatures
 * (`v1=<hex>,v2=…`); `v1` is HMAC-SHA256 of the raw body keyed with the webhook's secret token.
 * Only `v1` is checked, as CircleCI advises, so a forged newer version cannot downgrade the check.
 * https://circleci.com/docs/webhooks/#validate-webhooks
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The verdict; `reason` is for logs only (the HTTP answer is a bare 401). */
export type CircleciVerifyResult = { ok: true } | { ok: false; reason: string };

/** The `v1` signature CircleCI sends for this body. */
export function signCircleciBody(secret: string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** The `v1` value of a `circleci-signature` header, if it has one. */
export function v1Signature(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const [version, value] = part.trim().split('=', 2);
    if (version === 'v1' && value) return value.trim();
  }
  return undefined;
}

/** Checks the raw body against the header, comparing in constant time. */
export function verifyCircleciSignature(
  secret: string | undefined,
  rawBody: string | Buffer,
  header: string | undefined,
): CircleciVerifyResult {
  if (!secret) return { ok: false, reason: 'no webhook secret configured (CIRCLECI_WEBHOOK_SECRET)' };
  if (!header) return { ok: false, reason: 'missing circleci-signature header' };
  const given = v1Signature(header);
  if (!given) return { ok: false, reason: 'no v1 signature in circleci-signature' };
  if (!/^[0-9a-f]{64}$/i.test(given))
    return { ok: false, reason: 'v1 signature is not a SHA-256 hex digest' };
  const expected = Buffer.from(signCircleciBody(secret, rawBody), 'hex');
  if (!timingSafeEqual(Buffer.from(given, 'hex'), expected))
    return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
