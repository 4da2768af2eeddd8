/**
 * Slack request signing: a pure check in the manner of bolt-js `verify-request.ts`.
 * https://api.slack.com/authentication/verifying-requests-from-slack
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Requests whose timestamp is further than this from now are replays (either direction). */
export const slackReplayWindowSeconds = 300;

/** What `verifySlackRequest` needs: the raw body exactly as received and the two headers. */
export interface SlackVerifyInput {
  signingSecret: string;
  /** The body bytes as received; parsing first changes them and breaks the signature. */
  rawBody: string | Buffer;
  /** `X-Slack-Signature`, e.g. `v0=3f…`. */
  signature: string | undefined;
  /** `X-Slack-Request-Timestamp`, epoch seconds. */
  timestamp: string | undefined;
  /** Now in epoch milliseconds; defaults to `Date.now()`. */
  nowMs?: number;
}

/** The verdict; `reason` is for logs only (the HTTP answer is a bare 401). */
export type SlackVerifyResult = { ok: true } | { ok: false; reason: string };

/** The `X-Slack-Signature` value Slack would send for this body and timestamp. */
export function signSlackRequest(
  signingSecret: string,
  timestamp: string | number,
  rawBody: string | Buffer,
): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/** Checks a request's signature and replay window, in constant time for the comparison. */
export function verifySlackRequest(input: SlackVerifyInput): SlackVerifyResult {
  const { signingSecret, rawBody, signature, timestamp } = input;
  if (!signingSecret) return { ok: false, reason: 'no signing secret configured' };
  if (!signature) return { ok: false, reason: 'missing X-Slack-Signature header' };
  if (!timestamp) return { ok: false, reason: 'missing X-Slack-Request-Timestamp header' };
  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: 'timestamp is not an integer' };

  const nowSeconds = (input.nowMs ?? Date.now()) / 1000;
  if (Math.abs(nowSeconds - Number(timestamp)) > slackReplayWindowSeconds) {
    return { ok: false, reason: 'stale timestamp' };
  }
  if (!signature.startsWith('v0=')) return { ok: false, reason: 'unsupported signature version' };

  const expected = Buffer.from(signSlackRequest(signingSecret, timestamp, rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual throws on unequal lengths, so check that first (length is not secret).
  if (given.length !== expected.length) return { ok: false, reason: 'signature length mismatch' };
  if (!timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
