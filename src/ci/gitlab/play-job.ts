/**
 * Plays a deploy's manual job once GitLab lets it run. A manual job in a later stage stays
 * `created` until the stages before it pass, and only a `manual` job can be played
 * (https://docs.gitlab.com/api/jobs/#run-a-job), so the pipeline's jobs are polled until then.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { formatDuration } from '../../core/format.ts';
import type { GitlabClient } from './client.ts';
import { statusOf } from './errors.ts';

export interface PlayJobOptions {
  client: Pick<GitlabClient, 'pipelineJobs' | 'playJob'>;
  project: string;
  pipelineId: number;
  job: string;
  /** Give up after this long (the pipeline's timeout). */
  deadlineMs: number;
  /** First wait between polls; doubles up to `maxIntervalMs`. */
  intervalMs: number;
  maxIntervalMs: number;
  signal: AbortSignal;
}

/** `played`: deckhand started it; `moved`: it ran or ended without deckhand; `failed`: say why. */
export type PlayOutcome =
  | { outcome: 'played' }
  | { outcome: 'moved'; status: string }
  | { outcome: 'stopped' }
  | { outcome: 'failed'; reason: string };

/** Statuses of a job that may still become `manual`. */
const waiting = new Set(['created', 'waiting_for_resource', 'preparing', 'scheduled']);
const ended = new Set(['success', 'failed', 'canceled', 'skipped', 'manual']);

/** Polls the pipeline's jobs until `job` is manual, then plays it. Never throws. */
export async function playWhenReady(o: PlayJobOptions): Promise<PlayOutcome> {
  const deadline = Date.now() + o.deadlineMs;
  let wait = o.intervalMs;
  let lastError: string | undefined;
  let missing = false;
  const noSuchJob = () => ({
    outcome: 'failed' as const,
    reason: `GitLab pipeline ${o.pipelineId} has no job '${o.job}': check the pipeline's gitlab.job and that job's rules in .gitlab-ci.yml.`,
  });
  while (!o.signal.aborted) {
    try {
      const jobs = await o.client.pipelineJobs(o.project, o.pipelineId);
      const job = jobs.filter((j) => j.name === o.job).sort((a, b) => b.id - a.id)[0];
      if (job?.status === 'manual') {
        await o.client.playJob(o.project, job.id, job.name);
        return { outcome: 'played' };
      }
      if (job && !waiting.has(job.status)) return { outcome: 'moved', status: job.status };
      missing = !job && jobs.length > 0;
      // Every other job has ended and the job never appeared: its rules left it out.
      if (missing && jobs.every((j) => ended.has(j.status))) return noSuchJob();
      lastError = undefined;
    } catch (error) {
      const status = statusOf(error);
      // Refusals will not change by waiting; a network hiccup might.
      if (status !== undefined && status < 500 && status !== 429) {
        return { outcome: 'failed', reason: (error as Error).message };
      }
      lastError = (error as Error).message;
    }
    if (Date.now() >= deadline) {
      if (missing) return noSuchJob();
      return {
        outcome: 'failed',
        reason:
          lastError ??
          `Job '${o.job}' of GitLab pipeline ${o.pipelineId} could not be played within ${formatDuration(o.deadlineMs)}: check that it is \`when: manual\` and that the stages before it pass.`,
      };
    }
    try {
      await sleep(Math.min(wait, Math.max(0, deadline - Date.now())), undefined, { signal: o.signal });
    } catch {
      break; // aborted
    }
    wait = Math.min(wait * 2, o.maxIntervalMs);
  }
  return { outcome: 'stopped' };
}
