/**
 * `POST /webhooks/alerts`: the generic alert webhook (schema in docs/incidents.md), authenticated
 * with `Authorization: Bearer <ALERTS_WEBHOOK_TOKEN>`.
 */
import { jsonBody, WebhookBodyError, type WebhookSpec } from '../../ci/webhook-route.ts';
import { checkBearer } from './bearer.ts';
import { genericAlert, genericIds, genericToGroup } from './payload.ts';

/** The intake source generic alerts are recorded under. */
export const genericAlertSource = 'alerts';
/** The route senders post to. */
export const genericAlertPath = '/webhooks/alerts';

/** The route's spec for the shared webhook intake path, checking `token`. */
export function genericAlertWebhook(o: { token: string; bodyLimit?: number }): WebhookSpec {
  return {
    source: genericAlertSource,
    path: genericAlertPath,
    bodyLimit: o.bodyLimit ?? 64 * 1024,
    notJson: 'Send the alert as application/json.',
    verify: (_raw, header) => checkBearer(header, o.token),
    parse(raw) {
      const parsed = genericAlert.safeParse(jsonBody(raw));
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        throw new WebhookBodyError(
          `Not an alert deckhand reads: ${first?.path.join('.') || 'body'}: ${first?.message}. See docs/incidents.md.`,
        );
      }
      const { key, once } = genericIds(parsed.data);
      return { kind: 'record', key, data: genericToGroup(parsed.data), delivery: once };
    },
    answers: {
      recorded: { status: 202, body: { ok: true } },
      duplicate: () => ({ status: 200, body: { ok: true, duplicate: true } }),
      ignored: (reason) => ({ status: 200, body: { ok: true, ignored: reason } }),
    },
  };
}
