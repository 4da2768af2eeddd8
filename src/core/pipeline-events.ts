/** Pipeline events: what every CI provider reports, normalised at its edge. */

export type RunKind = 'build' | 'test' | 'deploy' | 'rollback';
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export const finalStatuses: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled']);

/** A commit as providers report it. */
export interface CommitInfo {
  sha: string;
  message: string;
  author?: string;
  authorEmail?: string;
}

/** A failed test case, from JUnit XML or the provider's test report. */
export interface FailedTest {
  suite: string;
  name: string;
  message?: string;
}

export interface TestSummary {
  total: number;
  failed: number;
  skipped: number;
  failures: FailedTest[];
}

/** One step (job) of a run. */
export interface StepInfo {
  index: number;
  name: string;
  status: RunStatus;
  exitCode?: number | null;
  durationMs?: number;
  /** Last lines of the step's log, already bounded in size. */
  logTail?: string;
}

export type PipelineEvent =
  | { type: 'run.started'; runId: number; at: Date; commit?: CommitInfo; steps: string[] }
  | { type: 'step.started'; runId: number; at: Date; step: StepInfo }
  | { type: 'step.finished'; runId: number; at: Date; step: StepInfo }
  | {
      type: 'run.finished';
      runId: number;
      at: Date;
      status: 'succeeded' | 'failed' | 'cancelled';
      /** One sentence on why, when it failed or was cancelled. */
      reason?: string;
      commit?: CommitInfo;
      tests?: TestSummary;
      durationMs: number;
    };

/**
 * A run as a CI system's webhook (or a poll) reports it. The core matches it to a run it started
 * (by external id) or records a new one (a run started on the CI side, e.g. by a push).
 */
export interface ExternalRunUpdate {
  provider: string;
  externalId: string;
  /** The deckhand pipeline, when the adapter can tell (workflow file, job name…). */
  pipeline?: string;
  kind?: RunKind;
  ref: string;
  environment?: string;
  url?: string;
  status: RunStatus;
  /** Why, for a failure: names the failed job and step. */
  reason?: string;
  commit?: CommitInfo;
  /** Every job, as steps, when the payload lists them. */
  steps?: StepInfo[];
  /** One job whose state changed (matched to a step by name). */
  step?: StepInfo;
  /** Who started it on the CI side. */
  actor?: { login?: string; email?: string };
  tests?: TestSummary;
  durationMs?: number;
  at: Date;
}

/** Where CI adapters deliver external updates. */
export type ExternalRunSink = (update: ExternalRunUpdate) => Promise<void>;
