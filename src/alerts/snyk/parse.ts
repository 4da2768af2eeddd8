/**
 * Snyk's `project_snapshot/v0` event: `newIssues` become findings (severity, package and version,
 * `fixInfo.nearestFixedInVersion` or `fixedIn`, the issue's URL); `ping/v0` is answered and nothing
 * else. Payload: https://docs.snyk.io/snyk-api/using-specific-snyk-apis/webhooks-apis/webhooks
 */
import type { Finding, Scan } from '../../core/security/findings.ts';
import { severityOfWord } from '../../core/security/findings.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown, max = 300): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : undefined;

/** What a delivery is: a scan to record, a ping, or something deckhand does not read. */
export type SnykEvent =
  | { kind: 'scan'; scan: Scan }
  | { kind: 'ping' }
  | { kind: 'other'; event: string }
  | { kind: 'invalid'; reason: string };

/** Reads a verified delivery; `event` is the `X-Snyk-Event` header (`project_snapshot/v0`). */
export function parseSnyk(event: string | undefined, body: unknown): SnykEvent {
  const name = (event ?? '').trim();
  if (name.startsWith('ping/')) return { kind: 'ping' };
  if (name !== 'project_snapshot/v0') return { kind: 'other', event: name || '(no X-Snyk-Event)' };
  const payload = obj(body);
  const project = obj(payload.project);
  const repository = str(project.name, 200);
  if (!repository) return { kind: 'invalid', reason: 'A project_snapshot needs project.name.' };
  if (!Array.isArray(payload.newIssues))
    return { kind: 'invalid', reason: 'A project_snapshot needs a newIssues array.' };
  const findings = payload.newIssues.flatMap((raw): Finding[] => {
    const issue = obj(raw);
    const data = obj(issue.issueData);
    const severity = severityOfWord(data.severity);
    const rule = str(data.id) ?? str(issue.id);
    if (!severity || !rule) return [];
    const f: Finding = { tool: 'Snyk', rule, severity, title: str(data.title) ?? rule };
    const pkg = str(issue.pkgName, 200);
    const versions = Array.isArray(issue.pkgVersions)
      ? issue.pkgVersions.filter((v) => typeof v === 'string')
      : [];
    const fixedIn = Array.isArray(issue.fixedIn)
      ? issue.fixedIn.find((v) => typeof v === 'string')
      : undefined;
    const fix =
      str(obj(issue.fixInfo).nearestFixedInVersion) ?? str(data.nearestFixedInVersion) ?? str(fixedIn);
    const url = str(data.url, 500);
    if (pkg) f.package = pkg;
    if (versions.length > 0) f.version = versions.join(', ').slice(0, 200);
    if (fix) f.fixedIn = fix;
    if (url && /^https?:\/\//.test(url)) f.url = url;
    return [f];
  });
  const scan: Scan = { repository, origin: `Snyk project ${repository}`, findings };
  const browse = str(project.browseUrl, 500);
  if (browse && /^https?:\/\//.test(browse)) scan.url = browse;
  return { kind: 'scan', scan };
}
