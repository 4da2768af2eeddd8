/**
 * deckhand's own alert webhook schema (docs/incidents.md), for senders without an Alertmanager
 * format: Grafana, Datadog and others map their template variables onto it.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AlertGroup } from '../../core/incidents/types.ts';
import { alertGroupFields } from './labels.ts';

const link = z.strictObject({ label: z.string().min(1).max(100), url: z.url({ protocol: /^https?$/ }) });

/** Words senders use for the two states (Datadog: Triggered, Re-Triggered, Warn, Recovered; Grafana: alerting, ok). */
const statusWords: Record<string, 'firing' | 'resolved'> = {
  firing: 'firing',
  triggered: 'firing',
  're-triggered': 'firing',
  alerting: 'firing',
  alert: 'firing',
  warn: 'firing',
  resolved: 'resolved',
  recovered: 'resolved',
  ok: 'resolved',
};

/** The generic alert, as docs/incidents.md documents it. */
export const genericAlert = z.strictObject({
  /** The dedup key: every notification with this id belongs to one incident while it is open. */
  id: z.string().min(1).max(200),
  title: z.string().min(1).max(300),
  /** `firing` or `resolved`; senders' own words for them are read too (Datadog's $ALERT_TRANSITION, Grafana's state). */
  status: z.string().transform((value, ctx) => {
    const status = statusWords[value.trim().toLowerCase()];
    if (status) return status;
    ctx.addIssue({ code: 'custom', message: `"${value}" is neither firing nor resolved` });
    return z.NEVER;
  }),
  /** `critical`, `warning`, `P1`, `sev2`, or 1 (worst) to 5. */
  severity: z.union([z.string().max(20), z.number().int().min(1).max(5)]).optional(),
  environment: z.string().min(1).max(100).optional(),
  service: z.string().min(1).max(100).optional(),
  description: z.string().max(4000).optional(),
  labels: z.record(z.string(), z.string().max(500)).default({}),
  /** When this occurrence started: a new value after a resolution is a new incident. */
  startedAt: z.string().max(64).optional(),
  links: z.array(link).max(10).default([]),
});

/** A validated generic alert. */
export type GenericAlert = z.output<typeof genericAlert>;

/** The intake key (one per alert id) and the dedupe id (with `startedAt` only). */
export function genericIds(a: GenericAlert): { key: string; once?: string } {
  const hash = (text: string) => createHash('sha256').update(text).digest('hex');
  return {
    key: `alerts:${hash(a.id).slice(0, 32)}`,
    // Without startedAt a re-fire could not be told from a repeat: the service's state decides.
    once: a.startedAt ? hash([a.id, a.status, a.startedAt].join('\n')) : undefined,
  };
}

/** What deckhand keeps of a generic alert. */
export function genericToGroup(a: GenericAlert): AlertGroup {
  const labels = {
    ...a.labels,
    ...(a.environment ? { environment: a.environment } : {}),
    ...(a.service ? { service: a.service } : {}),
    ...(a.severity !== undefined ? { severity: String(a.severity) } : {}),
  };
  return {
    source: 'alerts',
    groupKey: `alerts:${a.id}`,
    status: a.status,
    title: a.title,
    ...alertGroupFields(labels),
    alerts: [
      {
        fingerprint: a.id,
        status: a.status,
        startsAt: a.startedAt ?? '',
        summary: a.description ?? a.title,
        url: a.links[0]?.url,
      },
    ],
    links: a.links,
  };
}
