/**
 * The Jenkins Notification plugin signs nothing and sends no custom headers: it POSTs to the URL it
 * is given (https://plugins.jenkins.io/notification/). deckhand therefore checks a shared secret,
 * `JENKINS_WEBHOOK_TOKEN`, passed as `?token=` in that URL or, for senders that can set headers
 * (e.g. an `httpRequest` step), as `X-Deckhand-Token`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** What {@link verifyJenkinsToken} compares. */
export interface JenkinsVerifyInput {
  /** The configured secret; nothing verifies without it. */
  expected: string | undefined;
  /** `X-Deckhand-Token`. */
  header: string | undefined;
  /** `?token=`. */
  query: string | undefined;
}

/** The verdict; `reason` is for logs only (the HTTP answer is a bare 401). */
export type JenkinsVerifyResult = { ok: true } | { ok: false; reason: string };

/** Compares digests, so neither the value nor its length leaks through timing. */
function same(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** Accepts a request whose token (the header when sent, else the query) equals the configured secret. */
export function verifyJenkinsToken(input: JenkinsVerifyInput): JenkinsVerifyResult {
  const { expected, header, query } = input;
  if (!expected) return { ok: false, reason: 'no JENKINS_WEBHOOK_TOKEN configured' };
  const given = header ?? query;
  if (!given) return { ok: false, reason: 'no token (X-Deckhand-Token header or ?token=)' };
  return same(given, expected) ? { ok: true } : { ok: false, reason: 'token mismatch' };
}
