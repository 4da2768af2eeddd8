/**
 * Security alerts from GitHub: `dependabot_alert` (advisory severity) and `code_scanning_alert`
 * (the rule's `security_severity_level`), https://docs.github.com/en/webhooks/webhook-events-and-payloads.
 */
import type { Message } from '../../core/messages.ts';
import {
  notifiedSeverities,
  type SecurityAlert,
  type Severity,
  securityMessage,
} from '../../core/notify/security.ts';

const severities = new Set<Severity>(['low', 'medium', 'high', 'critical']);
/** A rule without a security severity (a quality rule) by its plain severity. */
const ruleSeverity: Record<string, Severity> = { error: 'medium', warning: 'low', note: 'low', none: 'low' };

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' ? (v as Record<string, unknown>) : {};

/** An alert from a `dependabot_alert` or `code_scanning_alert` payload; undefined for anything else. */
export function securityAlert(payload: unknown): SecurityAlert | undefined {
  const body = record(payload);
  const alert = record(body.alert);
  const repository = text(record(body.repository).full_name);
  const action = text(body.action);
  if (!repository || !action || !body.alert) return undefined;
  const advisory = record(alert.security_advisory);
  if (body.alert && alert.security_advisory) {
    const severity = (
      text(advisory.severity) ?? text(record(alert.security_vulnerability).severity)
    )?.toLowerCase();
    const pkg = text(record(record(alert.dependency).package).name);
    if (!severity || !severities.has(severity as Severity)) return undefined;
    const summary = text(advisory.summary) ?? text(advisory.ghsa_id) ?? 'vulnerable dependency';
    return {
      provider: 'github',
      source: 'dependabot',
      repository,
      severity: severity as Severity,
      title: pkg ? `${pkg}: ${summary}` : summary,
      subject: pkg,
      url: text(alert.html_url),
      action,
    };
  }
  const rule = record(alert.rule);
  if (!alert.rule) return undefined;
  const level = text(rule.security_severity_level)?.toLowerCase();
  const severity =
    level && severities.has(level as Severity)
      ? (level as Severity)
      : ruleSeverity[text(rule.severity) ?? 'none'];
  return {
    provider: 'github',
    source: 'code-scanning',
    repository,
    severity: severity ?? 'low',
    title: text(rule.description) ?? text(rule.name) ?? text(rule.id) ?? 'code scanning alert',
    subject: text(rule.id),
    url: text(alert.html_url),
    action,
  };
}

/** The chat message for a high or critical alert; undefined for lower severities and other payloads. */
export function securityAlertMessage(payload: unknown): Message | undefined {
  const alert = securityAlert(payload);
  return alert && notifiedSeverities.has(alert.severity) ? securityMessage(alert) : undefined;
}
