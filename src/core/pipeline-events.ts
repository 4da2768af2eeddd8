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
