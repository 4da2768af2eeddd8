/** Security alerts from CI systems (vulnerable dependencies, code scanning), as messages. */
import type { Message } from '../messages.ts';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** An alert, normalised at the CI adapter's edge. */
export interface SecurityAlert {
  provider: string;
  /** e.g. `dependabot`, `code-scanning` */
  source: string;
  /** `owner/repo` or project path. */
  repository: string;
  severity: Severity;
  /** What is wrong, e.g. "lodash: Prototype pollution". */
  title: string;
  /** The package or rule concerned. */
  subject?: string;
  url?: string;
  /** e.g. `created`, `reopened`, `fixed`, `dismissed`. */
  action: string;
}

/** Only these severities reach chat. */
export const notifiedSeverities: ReadonlySet<Severity> = new Set(['high', 'critical']);

export function securityMessage(alert: SecurityAlert): Message {
  const closed = ['fixed', 'dismissed', 'auto_dismissed', 'closed_by_user', 'resolved'].includes(
    alert.action,
  );
  const message: Message = {
    header: `Security alert (${alert.severity}): ${alert.title}`,
    status: closed ? 'succeeded' : alert.severity === 'critical' ? 'error' : 'warning',
    fields: [
      { label: 'Repository', value: alert.repository },
      { label: 'Severity', value: alert.severity },
      ...(alert.subject
        ? [{ label: alert.source === 'dependabot' ? 'Package' : 'Rule', value: alert.subject }]
        : []),
      { label: 'State', value: alert.action },
    ],
    context: [`${alert.source} on ${alert.provider}`],
  };
  if (alert.url) message.link = { label: 'Alert', url: alert.url };
  return message;
}
