/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), as Trivy, Grype,
 * Semgrep, CodeQL and OWASP Dependency-Check write it, read into findings: each result with its
 * run's tool, its rule (by `ruleIndex`, `rule.index`/`toolComponent` or `ruleId`), a severity, the
 * file and line or the package, and the fix version when the scanner names one.
 */
import type { Finding, Severity } from '../../core/security/findings.ts';
import { severityOfScore } from '../../core/security/findings.ts';
import { packageFacts, purlFacts } from './scanner-text.ts';

/** Most findings one document may hold (more is refused, not cut: a partial scan would mislead). */
export const maxFindings = 10_000;

/** A document that is not SARIF 2.1.0; its message says why. */
export class SarifError extends Error {
  override name = 'SarifError';
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const firstLine = (s: string | undefined) => s?.split('\n')[0]?.trim() || undefined;

/**
 * SARIF `level` without a `security-severity`: `error` high, `warning` medium, `note` and `none`
 * low — the reverse of Trivy's own mapping (CRITICAL/HIGH → error, MEDIUM → warning, LOW → note;
 * pkg/report/sarif.go `toSarifErrorLevel`). A result without a level is a `warning` (SARIF §3.27.10).
 */
const levelSeverity: Record<string, Severity> = {
  error: 'high',
  warning: 'medium',
  note: 'low',
  none: 'low',
};

function scoreOf(...bags: unknown[]): number | undefined {
  for (const bag of bags) {
    const raw = obj(bag)['security-severity'];
    const score =
      typeof raw === 'number' ? raw : typeof raw === 'string' ? Number.parseFloat(raw) : Number.NaN;
    if (Number.isFinite(score) && score >= 0 && score <= 10) return score;
  }
  return undefined;
}

/** The rule a result refers to, wherever the run keeps it. */
function ruleOf(run: Obj, result: Obj): Obj {
  const tool = obj(run.tool);
  const ref = obj(result.rule);
  const component = obj(ref.toolComponent);
  const extension =
    typeof component.index === 'number' ? obj(list(tool.extensions)[component.index]) : undefined;
  const rules = list(obj(extension ?? tool.driver).rules);
  const index = typeof result.ruleIndex === 'number' ? result.ruleIndex : ref.index;
  if (typeof index === 'number' && rules[index]) return obj(rules[index]);
  const id = str(result.ruleId) ?? str(ref.id);
  return obj(rules.find((r) => obj(r).id === id));
}

/** The scanner's stable id: `fingerprints` first, else `partialFingerprints`, as sorted `k=v` pairs. */
function fingerprintOf(result: Obj): string | undefined {
  for (const key of ['fingerprints', 'partialFingerprints']) {
    const pairs = Object.entries(obj(result[key]))
      .filter(([, v]) => typeof v === 'string')
      .sort(([a], [b]) => a.localeCompare(b));
    if (pairs.length > 0) return pairs.map(([k, v]) => `${k}=${v}`).join(',');
  }
  return undefined;
}

/** Findings in a SARIF document (already parsed JSON); throws SarifError when it is not SARIF 2.1.0. */
export function parseSarif(doc: unknown): Finding[] {
  const root = obj(doc);
  if (root.version !== '2.1.0')
    throw new SarifError('The body is not SARIF 2.1.0 (its "version" must be "2.1.0").');
  if (!Array.isArray(root.runs)) throw new SarifError('The SARIF log has no "runs" array.');
  const findings: Finding[] = [];
  for (const rawRun of root.runs) {
    const run = obj(rawRun);
    const tool = str(obj(obj(run.tool).driver).name) ?? 'SARIF';
    for (const rawResult of list(run.results)) {
      const result = obj(rawResult);
      // Not a problem (SARIF §3.27.9 `kind`), fixed since the baseline, or suppressed as accepted.
      if (['pass', 'notApplicable', 'informational'].includes(String(result.kind))) continue;
      if (result.baselineState === 'absent') continue;
      if (list(result.suppressions).some((s) => (obj(s).status ?? 'accepted') === 'accepted')) continue;
      if (findings.length >= maxFindings)
        throw new SarifError(`The SARIF log has more than ${maxFindings} results; split the upload.`);
      findings.push(finding(tool, run, result));
    }
  }
  return findings;
}

/** A location's file: its `uri`, or the run's artifact its `index` points to (SARIF §3.4.5, as CodeQL writes). */
function fileOf(run: Obj, location: Obj): string | undefined {
  const uri = str(location.uri);
  if (uri || typeof location.index !== 'number') return uri;
  return str(obj(obj(list(run.artifacts)[location.index]).location).uri);
}

function finding(tool: string, run: Obj, result: Obj): Finding {
  const rule = ruleOf(run, result);
  const message = str(obj(result.message).text);
  const id = str(result.ruleId) ?? str(obj(result.rule).id) ?? str(rule.id) ?? 'unknown-rule';
  const score = scoreOf(result.properties, rule.properties);
  const level = str(result.level) ?? str(obj(rule.defaultConfiguration).level) ?? 'warning';
  const severity = score === undefined ? (levelSeverity[level] ?? 'medium') : severityOfScore(score);
  // The result's text first: Trivy shares one rule across packages and names the package per result.
  const location = obj(list(result.locations)[0]);
  const facts =
    packageFacts(message) ??
    packageFacts(str(obj(rule.help).text)) ??
    purlFacts(str(obj(list(location.logicalLocations)[0]).fullyQualifiedName)) ??
    purlFacts(str(list(obj(rule.properties).purls)[0]));
  const shortDescription = str(obj(rule.shortDescription).text);
  const title = facts
    ? (shortDescription ?? firstLine(message))
    : (firstLine(message) ?? shortDescription ?? str(rule.name));
  const out: Finding = { tool, rule: id.slice(0, 300), severity, title: (title ?? id).slice(0, 300) };
  if (facts?.package) out.package = facts.package;
  if (facts?.version) out.version = facts.version;
  if (facts?.fixedIn) out.fixedIn = facts.fixedIn;
  const physical = obj(location.physicalLocation);
  const uri = fileOf(run, obj(physical.artifactLocation));
  const line = obj(physical.region).startLine;
  if (uri) out.file = uri.slice(0, 500);
  if (typeof line === 'number' && Number.isInteger(line) && line > 0) out.line = line;
  const url = str(rule.helpUri);
  if (url && /^https?:\/\//.test(url)) out.url = url.slice(0, 500);
  const fingerprint = fingerprintOf(result);
  if (fingerprint) out.fingerprint = fingerprint.slice(0, 500);
  return out;
}
