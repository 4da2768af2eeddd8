/**
 * Alertmanager's webhook payload, version 4, as its docs and source define it:
 * https://prometheus.io/docs/alerting/latest/configuration/#webhook_config and the Go structs
 * `Message` in prometheus/alertmanager notify/webhook/webhook.go (version, groupKey,
 * truncatedAlerts around template.Data) and `Data`/`Alert` in template/template.go.
 * Unknown fields are allowed (later versions may add some); the ones read here are required.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AlertGroup } from '../../core/incidents/types.ts';
import { alertGroupFields } from '../generic/labels.ts';

const kv = z.record(z.string(), z.string());
const status = z.enum(['firing', 'resolved']);

/** template.Alert. */
const alert = z.object({
  status,
  labels: kv,
  annotations: kv,
  startsAt: z.string(),
  /** "0001-01-01T00:00:00Z" (Go's zero time) while it fires with no end known. */
  endsAt: z.string(),
  generatorURL: z.string(),
  fingerprint: z.string().min(1),
});

/** webhook.Message: template.Data plus version, groupKey and truncatedAlerts. */
export const alertmanagerPayload = z.object({
  version: z.literal('4'),
  groupKey: z.string().min(1),
  truncatedAlerts: z.number().int().min(0).default(0),
  status,
  receiver: z.string(),
  groupLabels: kv,
  commonLabels: kv,
  commonAnnotations: kv,
  externalURL: z.string(),
  alerts: z.array(alert).min(1),
});

/** A validated notification. */
export type AlertmanagerPayload = z.output<typeof alertmanagerPayload>;

/** The intake key and the dedupe id of a notification: HA peers send the same one each. */
export function notificationIds(p: AlertmanagerPayload): { key: string; once: string } {
  const hash = (text: string) => createHash('sha256').update(text).digest('hex');
  // startsAt tells a re-fire (a new incident) from a repeat of one still firing.
  const alerts = p.alerts.map((a) => `${a.fingerprint}@${a.startsAt}:${a.status}`).sort();
  return {
    key: `alertmanager:${hash(p.groupKey).slice(0, 32)}`,
    once: hash([p.groupKey, p.status, ...alerts].join('\n')),
  };
}

/** What deckhand keeps of a notification. */
export function toAlertGroup(p: AlertmanagerPayload): AlertGroup {
  const labels = { ...p.groupLabels, ...p.commonLabels };
  const title =
    p.commonAnnotations.summary ??
    labels.alertname ??
    p.alerts[0]?.annotations.summary ??
    p.alerts[0]?.labels.alertname ??
    'Alert';
  const links = [{ label: 'Alertmanager', url: p.externalURL }].filter((l) => /^https?:\/\//.test(l.url));
  return {
    source: 'alertmanager',
    groupKey: `alertmanager:${p.groupKey}`,
    status: p.status,
    title,
    ...alertGroupFields(
      labels,
      p.alerts.map((a) => a.labels),
    ),
    alerts: p.alerts.map((a) => ({
      fingerprint: a.fingerprint,
      status: a.status,
      startsAt: a.startsAt,
      summary: a.annotations.summary ?? a.annotations.description ?? a.labels.alertname ?? a.fingerprint,
      url: /^https?:\/\//.test(a.generatorURL) ? a.generatorURL : undefined,
    })),
    links,
  };
}
