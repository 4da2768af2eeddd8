/** One message for a scan's new findings: the worst first, bounded, "and N more". */
import type { Message } from '../messages.ts';
import { bySeverity, type Finding, type Scan } from './findings.ts';

const short = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** `critical CVE-2019-1549 in libssl1.1 1.1.1c-r0, fixed in 1.1.1d-r0: title (Trivy)`. */
export function findingLine(f: Finding): string {
  const where = f.package
    ? ` in ${f.package}${f.version ? ` ${f.version}` : ''}`
    : f.file
      ? ` at ${f.file}${f.line ? `:${f.line}` : ''}`
      : '';
  const fix = f.fixedIn ? `, fixed in ${f.fixedIn}` : f.package ? ', no fix yet' : '';
  const title = f.title && f.title !== f.rule ? `: ${short(f.title, 140)}` : '';
  return `${f.severity} ${f.rule}${where}${fix}${title} (${f.tool})`;
}

/** The message for `findings` (the new ones of `scan`), listing at most `maxListed`. */
export function findingsMessage(scan: Scan, findings: Finding[], maxListed: number): Message {
  const sorted = [...findings].sort(bySeverity);
  const counts = new Map<string, number>();
  for (const f of sorted) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  const summary = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  const lines = sorted.slice(0, maxListed).map((f) => `• ${findingLine(f)}`);
  if (sorted.length > maxListed) lines.push(`…and ${sorted.length - maxListed} more`);
  const tools = [...new Set(sorted.map((f) => f.tool))].join(', ');
  const message: Message = {
    header: `Security findings in ${scan.repository}: ${sorted.length} new (${summary})`,
    status: counts.has('critical') ? 'error' : 'warning',
    text: lines.join('\n'),
    fields: [
      { label: 'Repository', value: scan.repository },
      { label: 'From', value: scan.origin },
      { label: 'Scanner', value: tools },
    ],
  };
  if (scan.url) message.link = { label: 'Source', url: scan.url };
  return message;
}
