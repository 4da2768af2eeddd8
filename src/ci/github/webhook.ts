/**
 * `POST /webhooks/github` through the shared intake path: the signature is checked on the raw
 * body before anything is parsed, each `X-GitHub-Delivery` is recorded once, and GitHub gets its
 * answer once the delivery is on disk (it waits 10 s,
 * https://docs.github.com/en/webhooks/using-webhooks/best-practices-for-using-webhooks).
 * GitHub does not redeliver by itself; a redelivery someone asks for of a delivery already taken
 * is answered 200, so it shows as delivered
 * (https://docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries).
 */
import { jsonBody, WebhookBodyError, type WebhookSpec } from '../webhook-route.ts';
import { type GithubEvents, githubSource } from './events.ts';
import type { GithubVerifyResult } from './verify.ts';

/** The route GitHub is pointed at. */
export const githubWebhookPath = '/webhooks/github';

/** What the route needs: a verifier and the event router. */
export interface GithubWebhookOptions {
  verify: (rawBody: string, signature: string | undefined) => Promise<GithubVerifyResult>;
  events: Pick<GithubEvents, 'route'>;
  /** Largest accepted body (GitHub sends up to 25 MB; run and job events are far smaller). */
  bodyLimit?: number;
}

export function githubWebhook(o: GithubWebhookOptions): WebhookSpec {
  return {
    source: githubSource,
    path: githubWebhookPath,
    bodyLimit: o.bodyLimit ?? 1024 * 1024,
    notJson: 'Set the webhook content type to application/json.',
    verify: (raw, header) => o.verify(raw.toString('utf8'), header('x-hub-signature-256')),
    parse(raw, header) {
      const event = header('x-github-event');
      const delivery = header('x-github-delivery');
      if (!event || !delivery)
        return { kind: 'invalid', reason: 'X-GitHub-Event and X-GitHub-Delivery headers are required.' };
      const payload = jsonBody(raw);
      if (!payload || typeof payload !== 'object' || Array.isArray(payload))
        throw new WebhookBodyError('The body is not a JSON object.');
      if (event === 'ping') return { kind: 'ignore', reason: 'ping' };
      const routed = o.events.route(event, payload);
      if (routed.outcome === 'invalid') return { kind: 'invalid', reason: routed.reason };
      if (routed.outcome === 'ignored') return { kind: 'ignore', reason: routed.reason };
      return { kind: 'record', key: routed.key, data: routed.entry, delivery: delivery.slice(0, 200) };
    },
    answers: {
      recorded: { status: 202, body: { ok: true } },
      duplicate: (id) => ({
        status: 200,
        body: { ok: true, duplicate: `Delivery ${id.slice(0, 64)} was already received.` },
      }),
      ignored: (reason) => ({ status: 200, body: { ok: true, ignored: reason } }),
    },
  };
}
