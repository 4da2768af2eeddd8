/**
 * GitHub Actions states in deckhand's terms: run and job status/conclusion → RunStatus, jobs → steps,
 * and the sentence that names the failed job and step
 * (https://docs.github.com/en/rest/actions/workflow-runs, https://docs.github.com/en/rest/actions/workflow-jobs).
 */
import type { RunStatus, StepInfo } from '../../core/pipeline-events.ts';

/** The fields of a workflow job (REST answer or `workflow_job` payload) deckhand reads. */
export interface JobLike {
  id: number;
  name: string;
  status: string;
  conclusion?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
  html_url?: string | null;
  steps?: { name: string; status: string; conclusion?: string | null; number: number }[];
}

const failedConclusions = new Set(['failure', 'timed_out', 'startup_failure', 'action_required']);
const cancelledConclusions = new Set(['cancelled', 'skipped', 'stale']);

/** A finished run's or job's conclusion as a final status (`neutral` counts as success). */
export function conclusionStatus(conclusion: string | null | undefined): RunStatus {
  if (conclusion === 'success' || conclusion === 'neutral') return 'succeeded';
  if (conclusion && cancelledConclusions.has(conclusion)) return 'cancelled';
  return 'failed';
}

/** `status` (queued, in_progress, completed…) plus `conclusion` as one deckhand status. */
export function runStatus(status: string | null | undefined, conclusion?: string | null): RunStatus {
  if (status === 'completed') return conclusionStatus(conclusion);
  if (status === 'in_progress') return 'running';
  return 'queued';
}

const elapsed = (from?: string | null, to?: string | null): number | undefined => {
  const ms = Date.parse(to ?? '') - Date.parse(from ?? '');
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
};

/** The step (by number order) that failed or timed out in a job. */
export function failedStep(job: JobLike): string | undefined {
  const steps = [...(job.steps ?? [])].sort((a, b) => a.number - b.number);
  return (
    steps.find((s) => s.conclusion === 'failure' || s.conclusion === 'timed_out') ??
    (job.conclusion === 'timed_out' ? steps.find((s) => s.conclusion === 'cancelled') : undefined)
  )?.name;
}

/** A job as one deckhand step; a failed job says at which of its steps it failed. */
export function jobStep(job: JobLike, index: number): StepInfo {
  const status = runStatus(job.status, job.conclusion);
  const step: StepInfo = { index, name: job.name, status };
  const took = elapsed(job.started_at, job.completed_at);
  if (took !== undefined) step.durationMs = took;
  const at = status === 'failed' ? failedStep(job) : undefined;
  if (at) step.logTail = `Failed at step '${at}'.`;
  return step;
}

/** The job a failure is about: the first failed one. */
export function failedJob(jobs: JobLike[]): JobLike | undefined {
  return jobs.find((j) => j.status === 'completed' && failedConclusions.has(j.conclusion ?? ''));
}

/** One sentence on why a run did not succeed, naming the failed job and step when there is one. */
export function failureReason(jobs: JobLike[], conclusion: string | null | undefined): string {
  const job = failedJob(jobs);
  if (job) {
    const verb = job.conclusion === 'timed_out' ? 'timed out' : 'failed';
    const step = failedStep(job);
    return step ? `Job '${job.name}' ${verb} at step '${step}'.` : `Job '${job.name}' ${verb}.`;
  }
  switch (conclusion) {
    case 'startup_failure':
      return 'The workflow could not start (startup failure): check the workflow file on GitHub.';
    case 'action_required':
      return 'The workflow is waiting for someone to approve it on GitHub.';
    case 'timed_out':
      return 'The workflow timed out.';
    case 'cancelled':
      return 'Cancelled on GitHub.';
    case 'skipped':
      return 'GitHub skipped the workflow.';
    case 'stale':
      return 'GitHub marked the run stale.';
    default:
      return 'The workflow failed on GitHub.';
  }
}
