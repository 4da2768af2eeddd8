/**
 * GitLab webhook authentication: GitLab sends the webhook's secret token as-is in `X-Gitlab-Token`
 * (no signature over the body), so the check is a constant-time comparison of the two strings.
 * https://docs.gitlab.com/user/project/integrations/webhooks/#create-a-webhook
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The verdict; `reason` is for logs only (the HTTP answer is a bare 401). */
export type GitlabVerifyResult = { ok: true } | { ok: false; reason: string };

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Compares `X-Gitlab-Token` with the configured token. Both are hashed first so the comparison
 * takes the same time whatever the lengths, and `timingSafeEqual` never sees unequal lengths.
 */
export function verifyGitlabToken(
  expected: string | undefined,
  given: string | undefined,
): GitlabVerifyResult {
  if (!expected) return { ok: false, reason: 'no webhook token configured (GITLAB_WEBHOOK_TOKEN)' };
  if (given === undefined || given === '') return { ok: false, reason: 'missing X-Gitlab-Token header' };
  if (!timingSafeEqual(digest(expected), digest(given))) return { ok: false, reason: 'token mismatch' };
  return { ok: true };
}

/**
 * The key a delivery is deduplicated on: `Idempotency-Key` stays the same across GitLab's retries
 * (GitLab 17.4+); older versions only send `X-Gitlab-Event-UUID`.
 * https://docs.gitlab.com/user/project/integrations/webhooks/#delivery-headers
 */
export function deliveryKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const first = (name: string) => {
    const value = headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    return text?.trim() ? text.trim().slice(0, 200) : undefined;
  };
  return first('idempotency-key') ?? first('x-gitlab-event-uuid');
}
