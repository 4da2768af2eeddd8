/**
 * Which deckhand pipeline a GitLab event belongs to, and the ExternalRunUpdate it makes.
 * GitLab has one `.gitlab-ci.yml` per project, so several deckhand pipelines may share a project:
 * a pipeline deckhand started is known by its id; one started on GitLab (a push, a schedule, a
 * click) goes to the pipeline whose manual `job` ran in it, else to the build pipeline.
 */
import type { LoadedConfig } from '../../config/load.ts';
import {
  type ExternalRunUpdate,
  finalStatuses,
  type RunKind,
  type RunStatus,
} from '../../core/pipeline-events.ts';
import type { GitlabJob } from './client.ts';
import { gitlabPipelineOf, gitlabRepoOf } from './config.ts';
import type { GitlabEvent, GitlabProject } from './parse.ts';
import { deploymentStatus, followJob, gitlabStatus, jobFailure, notRun } from './status.ts';

/** What deckhand knows about a pipeline it created itself. */
export interface Triggered {
  pipeline: string;
  kind?: RunKind;
}

type PipelineEvent = Extract<GitlabEvent, { type: 'pipeline' }>;
type JobEvent = Extract<GitlabEvent, { type: 'job' }>;
type DeploymentEvent = Extract<GitlabEvent, { type: 'deployment' }>;

/** The manual job a deckhand pipeline plays, if any. */
export const followedJob = (config: LoadedConfig, pipeline: string | undefined) =>
  pipeline ? gitlabPipelineOf(config.pipelines[pipeline])?.job : undefined;

/** Deckhand pipelines on GitLab whose repository is this project (by path, or by numeric id). */
export function pipelinesFor(config: LoadedConfig, project: GitlabProject): string[] {
  const path = project.path?.toLowerCase();
  return Object.entries(config.pipelines)
    .filter(([, p]) => {
      if (p.provider !== 'gitlab') return false;
      const coordinate = gitlabRepoOf(config.repositories[p.repository]);
      return (
        coordinate !== undefined && (coordinate.toLowerCase() === path || coordinate === String(project.id))
      );
    })
    .map(([name]) => name);
}

/**
 * The deckhand pipeline that created a GitLab pipeline, told by the variables it was created with
 * (a Pipeline Hook lists them): the one pipeline whose `variables` name them all. This survives a
 * restart, when the ids deckhand remembers are gone.
 */
export function createdWith(config: LoadedConfig, names: string[], variables: string[]): string | undefined {
  if (variables.length === 0) return undefined;
  const matches = names.filter((n) => {
    const mapped = Object.keys(gitlabPipelineOf(config.pipelines[n])?.variables ?? {});
    return variables.every((v) => mapped.includes(v));
  });
  return matches.length === 1 ? matches[0] : undefined;
}

/** For a pipeline started on GitLab: the one whose job ran (`ran`), else the build pipeline, else the first. */
export function choosePipeline(
  config: LoadedConfig,
  names: string[],
  ran: ReadonlySet<string>,
): string | undefined {
  const played = names.find((n) => {
    const job = followedJob(config, n);
    return job !== undefined && ran.has(job);
  });
  if (played) return played;
  const plain = names.filter((n) => followedJob(config, n) === undefined);
  const build = config.commands.build?.pipeline;
  return build && plain.includes(build) ? build : plain[0];
}

const pipelineUrl = (project: GitlabProject, id: number) =>
  project.webUrl ? `${project.webUrl.replace(/\/$/, '')}/-/pipelines/${id}` : undefined;

/** Before a run ends, job and deployment events may move it along but only pipeline events end it. */
const notFinal = (status: RunStatus): RunStatus => (finalStatuses.has(status) ? 'running' : status);

/** A Pipeline Hook: every job as a step; a failure names the failed job and its stage. */
export function pipelineUpdate(
  config: LoadedConfig,
  event: PipelineEvent,
  target: { pipeline?: string; kind?: RunKind },
  at: Date,
): ExternalRunUpdate {
  const jobName = followedJob(config, target.pipeline);
  const followed = jobName ? event.builds.find((b) => b.name === jobName) : undefined;
  const status = jobName ? followJob(gitlabStatus(event.status), followed) : gitlabStatus(event.status);
  let reason: string | undefined;
  if (status === 'failed') {
    const failed =
      (followed?.status === 'failed' ? followed : undefined) ??
      event.builds.find((b) => b.status === 'failed' && !b.allowFailure) ??
      event.builds.find((b) => b.status === 'failed');
    reason = failed ? jobFailure(failed) : `GitLab pipeline ${event.pipelineId} failed.`;
  } else if (status === 'cancelled') {
    reason =
      followed?.status === 'skipped'
        ? `Job '${followed.name}' was skipped.`
        : `GitLab pipeline ${event.pipelineId} was cancelled.`;
  }
  return {
    provider: 'gitlab',
    externalId: String(event.pipelineId),
    pipeline: target.pipeline,
    kind: target.kind,
    ref: event.ref,
    environment: followed?.environment ?? event.builds.find((b) => b.environment)?.environment,
    url: event.url ?? pipelineUrl(event.project, event.pipelineId),
    status,
    reason,
    commit: event.commit,
    steps: event.builds.map((b, index) => ({
      index,
      name: b.name,
      status: gitlabStatus(b.status),
      durationMs: b.durationMs,
    })),
    actor: event.actor,
    durationMs: finalStatuses.has(status) ? event.durationMs : undefined,
    at,
  };
}

/** A Job Hook: one job as a step; it ends the run only when it is the job the run follows. */
export function jobUpdate(
  config: LoadedConfig,
  event: JobEvent,
  target: { pipeline?: string; kind?: RunKind },
  at: Date,
): ExternalRunUpdate {
  const { build } = event;
  const jobName = followedJob(config, target.pipeline);
  const pipeline = event.pipelineStatus ? gitlabStatus(event.pipelineStatus) : 'running';
  let status: RunStatus;
  if (jobName !== undefined && build.name === jobName) status = followJob(pipeline, build);
  else {
    status = notFinal(pipeline);
    if (status === 'queued' && gitlabStatus(build.status) !== 'queued') status = 'running';
  }
  return {
    provider: 'gitlab',
    externalId: String(event.pipelineId),
    pipeline: target.pipeline,
    kind: target.kind,
    ref: event.ref,
    environment: build.environment,
    url: pipelineUrl(event.project, event.pipelineId),
    status,
    reason:
      status === 'failed'
        ? jobFailure(build)
        : status === 'cancelled'
          ? `Job '${build.name}' was cancelled.`
          : undefined,
    commit: event.commit,
    step: { index: 0, name: build.name, status: gitlabStatus(build.status), durationMs: build.durationMs },
    actor: event.actor,
    durationMs: finalStatuses.has(status) ? build.durationMs : undefined,
    at,
  };
}

/** A Deployment Hook, with the job that ran it (looked up by `deployable_id`). */
export function deploymentUpdate(
  config: LoadedConfig,
  event: DeploymentEvent,
  job: GitlabJob,
  target: { pipeline?: string; kind?: RunKind },
  at: Date,
): ExternalRunUpdate | undefined {
  const pipelineId = job.pipeline?.id;
  if (pipelineId === undefined) return undefined;
  const own = deploymentStatus(event.status);
  const follows = followedJob(config, target.pipeline) === job.name;
  const status = follows ? own : notFinal(own);
  const commit = job.commit?.id
    ? {
        sha: job.commit.id,
        message: job.commit.message ?? '',
        author: job.commit.author_name,
        authorEmail: job.commit.author_email,
      }
    : undefined;
  return {
    provider: 'gitlab',
    externalId: String(pipelineId),
    pipeline: target.pipeline,
    kind: target.kind,
    ref: job.ref ?? job.pipeline?.ref ?? '',
    environment: event.environment,
    url: job.pipeline?.web_url ?? pipelineUrl(event.project, pipelineId),
    status,
    reason:
      status === 'failed'
        ? jobFailure({ name: job.name, stage: job.stage, failureReason: job.failure_reason ?? undefined })
        : status === 'cancelled'
          ? `The deployment to ${event.environment} was cancelled.`
          : undefined,
    commit,
    step: { index: 0, name: job.name, status: own },
    actor: event.actor,
    at,
  };
}

/** Job names that ran (or are running) in an event, for choosing a pipeline started on GitLab. */
export function ranJobs(event: PipelineEvent | JobEvent): Set<string> {
  const builds = event.type === 'pipeline' ? event.builds : [event.build];
  return new Set(builds.filter((b) => !notRun.has(b.status)).map((b) => b.name));
}
