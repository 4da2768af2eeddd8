/**
 * `POST /webhooks/alertmanager`: Alertmanager's webhook receiver. Its bearer token is the one
 * `http_config.authorization.credentials` sends (`Authorization: Bearer …`,
 * https://prometheus.io/docs/alerting/latest/configuration/#http_config), checked against
 * ALERTMANAGER_WEBHOOK_TOKEN. Every peer of an HA cluster sends the same notification: the
 * group key, the alerts' fingerprints and start times and the status make one delivery id, so
 * a repeat is answered 200 and changes nothing. Alertmanager retries on 5xx only, so a recorded
 * notification is answered 200.
 */
import { jsonBody, WebhookBodyError, type WebhookSpec } from '../../ci/webhook-route.ts';
import { checkBearer } from '../generic/bearer.ts';
import { alertmanagerPayload, notificationIds, toAlertGroup } from './payload.ts';

/** The intake source its notifications are recorded under. */
export const alertmanagerSource = 'alertmanager';
/** The route a receiver's `url` points at. */
export const alertmanagerPath = '/webhooks/alertmanager';

/** The route's spec for the shared webhook intake path, checking `token`. */
export function alertmanagerWebhook(o: { token: string; bodyLimit?: number }): WebhookSpec {
  return {
    source: alertmanagerSource,
    path: alertmanagerPath,
    bodyLimit: o.bodyLimit ?? 1024 * 1024,
    notJson: 'Alertmanager sends application/json; check the receiver URL.',
    verify: (_raw, header) => checkBearer(header, o.token),
    parse(raw) {
      const parsed = alertmanagerPayload.safeParse(jsonBody(raw));
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        throw new WebhookBodyError(
          `Not an Alertmanager version 4 notification: ${first?.path.join('.') || 'body'}: ${first?.message}.`,
        );
      }
      const { key, once } = notificationIds(parsed.data);
      return { kind: 'record', key, data: toAlertGroup(parsed.data), delivery: once };
    },
    answers: {
      recorded: { status: 200, body: { ok: true } },
      duplicate: () => ({ status: 200, body: { ok: true, duplicate: true } }),
      ignored: (reason) => ({ status: 200, body: { ok: true, ignored: reason } }),
    },
  };
}
