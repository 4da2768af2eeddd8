/**
 * The Notification plugin's JSON (https://plugins.jenkins.io/notification/): Gson with
 * lower_case_with_underscores names, `{name, url, build: {full_url, number, phase, status, url,
 * scm: {commit, branch}, parameters, log, test_summary}}`. `url` fields are relative to the Jenkins
 * root (`job/folder/job/app/`); `name` is the job's short name only.
 */
import type { ExternalRunUpdate, RunStatus, TestSummary } from '../../core/pipeline-events.ts';
import { logReason, runStatus, splitTestName } from './parse.ts';
import { buildId, fullNameFromUrl } from './paths.ts';
import { mappedValue, type PipelineMatch, plainBranch } from './pipelines.ts';

/** A payload that is not a Notification plugin build event (answered 400). */
export class NotificationError extends Error {
  override name = 'NotificationError';
}

/** When the plugin sends: QUEUED and STARTED as a build starts, COMPLETED and FINALIZED as it ends. */
export type NotificationPhase = 'QUEUED' | 'STARTED' | 'COMPLETED' | 'FINALIZED';
const phases = new Set<string>(['QUEUED', 'STARTED', 'COMPLETED', 'FINALIZED']);

/** One build event, validated. */
export interface JenkinsNotification {
  /** Job full name, e.g. `folder/app` or `folder/multi/feature%2Fx`. */
  job: string;
  number: number;
  phase: NotificationPhase;
  /** `SUCCESS`, `FAILURE`… once the build has a result. */
  status?: string;
  /** Absolute build URL (set when Jenkins knows its root URL). */
  fullUrl?: string;
  commit?: string;
  branch?: string;
  parameters: Record<string, string>;
  /** The last log lines, when the job's endpoint is set to send some. */
  log?: string;
  tests?: { total: number; failed: number; skipped: number; failedTests: string[] };
  durationMs?: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** Validates a parsed body; throws {@link NotificationError} naming what is missing. */
export function parseNotification(body: unknown): JenkinsNotification {
  const root = obj(body);
  const build = obj(root?.build);
  if (!root || !build)
    throw new NotificationError('Expected {name, url, build: {…}} from the Notification plugin.');
  const number = num(build.number);
  if (number === undefined || !Number.isInteger(number) || number <= 0)
    throw new NotificationError('build.number must be a positive integer.');
  const phase = str(build.phase);
  if (!phase || !phases.has(phase))
    throw new NotificationError('build.phase must be QUEUED, STARTED, COMPLETED or FINALIZED.');
  const job =
    fullNameFromUrl(str(root.url) ?? '') ??
    fullNameFromUrl(str(build.url) ?? '') ??
    fullNameFromUrl(str(build.full_url) ?? '') ??
    str(root.name);
  if (!job) throw new NotificationError('The job is missing: expected url (job/…/) or name.');
  const scm = obj(build.scm) ?? {};
  const parameters: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(build.parameters) ?? {}))
    if (typeof v === 'string') parameters[k] = v;
  const summary = obj(build.test_summary);
  const tests = summary
    ? {
        total: num(summary.total) ?? 0,
        failed: num(summary.failed) ?? 0,
        skipped: num(summary.skipped) ?? 0,
        failedTests: Array.isArray(summary.failed_tests)
          ? summary.failed_tests.filter((t): t is string => typeof t === 'string')
          : [],
      }
    : undefined;
  return {
    job,
    number,
    phase: phase as NotificationPhase,
    status: str(build.status),
    fullUrl: str(build.full_url),
    commit: str(scm.commit),
    branch: str(scm.branch),
    parameters,
    log: typeof build.log === 'string' ? build.log : undefined,
    tests,
    durationMs: (num(build.duration) ?? 0) > 0 ? num(build.duration) : undefined,
  };
}

/** The run status a notification reports; a final phase without a result is not final yet. */
export function notificationStatus(n: JenkinsNotification): RunStatus {
  if (n.phase === 'QUEUED') return 'queued';
  if (n.phase === 'STARTED' || !n.status) return 'running';
  return runStatus(n.status, false);
}

/** An update from the payload alone (when the API cannot be read, or for QUEUED/STARTED). */
export function notificationUpdate(
  n: JenkinsNotification,
  match: PipelineMatch,
  at: Date,
  ref?: string,
): ExternalRunUpdate {
  const status = notificationStatus(n);
  const update: ExternalRunUpdate = {
    provider: 'jenkins',
    externalId: buildId(n.job, n.number),
    pipeline: match.pipeline.name,
    ref:
      ref ??
      match.branch ??
      mappedValue(match.pipeline, n.parameters, ['branch', 'ref', 'version']) ??
      plainBranch(n.branch) ??
      match.pipeline.defaultBranch,
    environment: mappedValue(match.pipeline, n.parameters, ['environment']),
    url: n.fullUrl,
    status,
    commit: n.commit ? { sha: n.commit, message: '' } : undefined,
    at,
  };
  if (status === 'failed') {
    update.reason = logReason(n.job, n.number, n.log ?? '', n.status === 'UNSTABLE');
    update.tests = notificationTests(n);
    update.durationMs = n.durationMs;
  } else if (status === 'succeeded' || status === 'cancelled') {
    update.tests = notificationTests(n);
    update.durationMs = n.durationMs;
    if (status === 'cancelled')
      update.reason = `Jenkins build ${n.job} #${n.number} ${n.status === 'ABORTED' ? 'was aborted' : `ended ${n.status}`}.`;
  }
  return update;
}

function notificationTests(n: JenkinsNotification): TestSummary | undefined {
  if (!n.tests) return undefined;
  const { total, failed, skipped, failedTests } = n.tests;
  return { total, failed, skipped, failures: failedTests.slice(0, 50).map(splitTestName) };
}
