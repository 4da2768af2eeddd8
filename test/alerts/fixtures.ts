/**
 * Alertmanager webhook payloads (version 4), shaped as its docs and source define them:
 * https://prometheus.io/docs/alerting/latest/configuration/#webhook_config and
 * prometheus/alertmanager notify/webhook/webhook.go (`Message`) with template/template.go
 * (`Data`, `Alert`). Go's zero time "0001-01-01T00:00:00Z" is endsAt while an alert fires.
 */
export function alertmanagerPayload(
  o: { status?: 'firing' | 'resolved'; groupKey?: string; startsAt?: string; environment?: string } = {},
) {
  const status = o.status ?? 'firing';
  const labels = {
    alertname: 'HighErrorRate',
    environment: o.environment ?? 'production',
    service: 'checkout',
    severity: 'critical',
  };
  const startsAt = o.startsAt ?? '2026-03-01T09:58:00Z';
  return {
    version: '4',
    groupKey: o.groupKey ?? '{}/{severity="critical"}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
    status,
    receiver: 'deckhand',
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: labels,
    commonAnnotations: { summary: 'Checkout error rate above 5%', description: '5xx ratio 0.12 for 5m' },
    externalURL: 'http://alertmanager.example.org:9093',
    alerts: [
      {
        status,
        labels,
        annotations: { summary: 'Checkout error rate above 5%' },
        startsAt,
        endsAt: status === 'resolved' ? '2026-03-01T10:20:00Z' : '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example.org:9090/graph?g0.expr=rate',
        fingerprint: '1a30ba71cca2921f',
      },
    ],
  };
}
