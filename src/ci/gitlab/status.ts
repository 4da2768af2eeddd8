/**
 * GitLab's pipeline, job and deployment statuses in deckhand's terms.
 * Pipeline and job statuses: https://docs.gitlab.com/api/pipelines/ (`status` filter);
 * deployment statuses: https://docs.gitlab.com/user/project/integrations/webhook_events/#deployment-events
 */
import type { RunStatus } from '../../core/pipeline-events.ts';

/** A pipeline's or a job's status; `canceling` is still in progress. Unknown statuses count as queued. */
export function gitlabStatus(status: string): RunStatus {
  switch (status) {
    case 'running':
    case 'canceling':
      return 'running';
    case 'success':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'canceled':
    case 'skipped':
      return 'cancelled';
    default:
      // created, waiting_for_resource, preparing, pending, scheduled, manual, and anything newer.
      return 'queued';
  }
}

/** A deployment's status: the same words as a job's (`created` and `blocked` wait). */
export const deploymentStatus = gitlabStatus;

/** Job statuses that mean the job has not run (and may never): a manual job waits for its play. */
export const notRun: ReadonlySet<string> = new Set(['created', 'manual', 'scheduled', 'skipped']);

/** `script_failure` → `script failure`; `unknown_failure` says nothing, so it is left out. */
export function failureWords(reason: string | null | undefined): string | undefined {
  if (!reason || reason === 'unknown_failure') return undefined;
  return reason.replace(/_/g, ' ');
}

/** "Job 'rspec' failed at stage 'test': script failure." */
export function jobFailure(job: { name: string; stage: string; failureReason?: string }): string {
  const why = failureWords(job.failureReason);
  return `Job '${job.name}' failed at stage '${job.stage}'${why ? `: ${why}` : ''}.`;
}

/**
 * A run that exists to play one manual job (a deploy) follows that job, not the pipeline: a
 * pipeline whose other jobs passed while the job still waits for its play is still running for
 * deckhand, and the job's own result is the run's result.
 */
export function followJob(pipeline: RunStatus, job: { status: string } | undefined): RunStatus {
  if (!job) return pipeline;
  if (!notRun.has(job.status)) {
    const own = gitlabStatus(job.status);
    // Played and waiting for a runner: the run is under way.
    return own === 'queued' ? 'running' : own;
  }
  if (pipeline === 'failed' || pipeline === 'cancelled') return pipeline;
  if (job.status === 'skipped' && pipeline === 'succeeded') return 'cancelled';
  return pipeline === 'queued' ? 'queued' : 'running';
}
