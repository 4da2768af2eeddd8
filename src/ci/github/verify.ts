/**
 * Webhook signatures: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`, checked
 * with `@octokit/webhooks` (a constant-time compare) on the body exactly as received
 * (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries).
 */
import { Webhooks } from '@octokit/webhooks';

/** The verdict; `reason` is for logs only (the HTTP answer is a bare 401). */
export type GithubVerifyResult = { ok: true } | { ok: false; reason: string };

/** A verifier bound to one secret (building it once keeps the per-request work to the HMAC). */
export function githubVerifier(secret: string | undefined) {
  const webhooks = secret ? new Webhooks({ secret }) : undefined;
  return async (rawBody: string, signature: string | undefined): Promise<GithubVerifyResult> => {
    if (!webhooks) return { ok: false, reason: 'no webhook secret configured (GITHUB_WEBHOOK_SECRET)' };
    if (!signature) return { ok: false, reason: 'missing X-Hub-Signature-256 header' };
    if (!signature.startsWith('sha256=')) return { ok: false, reason: 'unsupported signature algorithm' };
    if (!rawBody) return { ok: false, reason: 'empty body' };
    try {
      return (await webhooks.verify(rawBody, signature))
        ? { ok: true }
        : { ok: false, reason: 'signature mismatch' };
    } catch (error) {
      return { ok: false, reason: `signature check failed: ${(error as Error).message}` };
    }
  };
}

/** The `X-Hub-Signature-256` value GitHub would send for this body (tests and tools). */
export async function signGithubPayload(secret: string, rawBody: string): Promise<string> {
  return new Webhooks({ secret }).sign(rawBody);
}
