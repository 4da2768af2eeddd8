/** Security findings from any scanner (SARIF, Snyk, …), normalised at the edge, and how they are told apart. */
import { createHash } from 'node:crypto';
import type { Severity } from '../notify/security.ts';

export type { Severity } from '../notify/security.ts';

/** The intake source every scan is recorded under (webhooks and CI runs alike). */
export const securityScanSource = 'security-scan';

/** One problem a scanner reports. */
export interface Finding {
  /** The scanner, e.g. `Trivy`, `grype`, `Snyk`. */
  tool: string;
  /** The rule or advisory, e.g. `CVE-2019-1549`, `javascript.express.security.audit.xss`. */
  rule: string;
  severity: Severity;
  /** One line saying what is wrong. */
  title: string;
  /** The vulnerable package, when the finding is about one. */
  package?: string;
  /** The installed version of that package. */
  version?: string;
  /** The first version that fixes it, when the scanner names one. */
  fixedIn?: string;
  /** The file concerned, relative to the repository where the scanner says so. */
  file?: string;
  line?: number;
  /** The advisory or rule documentation. */
  url?: string;
  /** The scanner's own stable id for the finding (SARIF `partialFingerprints`), when it gives one. */
  fingerprint?: string;
}

/** One scan's findings and where they come from. */
export interface Scan {
  /** `owner/repo`, a project path or a Snyk project name. */
  repository: string;
  /** What produced it, for the message: `run #12 (build)`, `Snyk project snyk/goof`, `upload ci-981`. */
  origin: string;
  /** A link to the run or the project, when known. */
  url?: string;
  findings: Finding[];
}

const rank: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };
/** Every severity, lowest first. */
export const severities: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** Whether `severity` is `min` or worse. */
export const atLeast = (severity: Severity, min: Severity): boolean => rank[severity] >= rank[min];

/** Worst first. */
export const bySeverity = (a: Finding, b: Finding): number => rank[b.severity] - rank[a.severity];

/**
 * A CVSS score as GitHub code scanning reads SARIF's `security-severity`: over 9.0 critical, 7.0 to
 * 8.9 high, 4.0 to 6.9 medium, 3.9 or less low
 * (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#reportingdescriptor-object).
 */
export function severityOfScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

/** A severity word in any case (`HIGH`, `Critical`); undefined for anything else. */
export function severityOfWord(word: unknown): Severity | undefined {
  const w = typeof word === 'string' ? word.trim().toLowerCase() : '';
  return (severities as readonly string[]).includes(w) ? (w as Severity) : undefined;
}

/**
 * The same finding in every run and delivery: tool, repository, rule, and the scanner's fingerprint
 * with the file when it gives one (as GitHub matches code scanning results; Dependency-Check's
 * fingerprint is the vulnerability's alone, its file the dependency), else the package and version,
 * else the file and line.
 */
export function fingerprintOf(repository: string, f: Finding): string {
  const where = f.fingerprint
    ? ['fp', f.fingerprint, f.file ?? '']
    : f.package
      ? ['pkg', f.package, f.version ?? '']
      : ['file', f.file ?? '', String(f.line ?? '')];
  const parts = [f.tool.toLowerCase(), repository, f.rule, ...where];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

const text = (v: unknown, max: number): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : undefined;

/** A recorded scan read back (the intake keeps plain JSON); undefined when it is not one. */
export function readScan(data: unknown): Scan | undefined {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const repository = text(d.repository, 200);
  const origin = text(d.origin, 200);
  if (!repository || !origin || !Array.isArray(d.findings)) return undefined;
  const findings = d.findings.flatMap((raw): Finding[] => {
    const f = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const severity = severityOfWord(f.severity);
    const tool = text(f.tool, 100);
    const rule = text(f.rule, 300);
    if (!severity || !tool || !rule) return [];
    const out: Finding = { tool, rule, severity, title: text(f.title, 300) ?? rule };
    for (const key of ['package', 'version', 'fixedIn', 'file', 'url', 'fingerprint'] as const) {
      const value = text(f[key], 500);
      if (value) out[key] = value;
    }
    if (typeof f.line === 'number' && Number.isInteger(f.line)) out.line = f.line;
    return [out];
  });
  const scan: Scan = { repository, origin, findings };
  const url = text(d.url, 500);
  if (url) scan.url = url;
  return scan;
}
