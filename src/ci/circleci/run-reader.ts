/**
 * A CircleCI pipeline as one deckhand run update, read from the API (webhooks only say that one job
 * or one workflow completed; the API lists every job, so each update carries all steps in the same
 * order). A webhook's own news is applied over the API's answer, which may lag behind it.
 */
import { type CommitInfo, type ExternalRunUpdate, finalStatuses } from '../../core/pipeline-events.ts';
import type { Clock } from '../../core/ports.ts';
import type { Pipeline } from './api-types.ts';
import type { CircleciClient } from './client.ts';
import { jobFailure } from './job-failure.ts';
import type { CircleciEvent } from './parse.ts';
import { pipelineUrl } from './slug.ts';
import { jobReason, jobStatus, type PipelineSummary, summarize, type WorkflowView } from './status.ts';

/** A CircleCI pipeline and the deckhand pipeline it belongs to. */
export interface PipelineRef {
  /** CircleCI's pipeline id: the run's external id. */
  id: string;
  slug: string;
  /** The deckhand pipeline. */
  pipeline: string;
}

export interface RunReaderOptions {
  client: CircleciClient;
  clock: Clock;
}

export class RunReader {
  constructor(private readonly o: RunReaderOptions) {}

  /** Every workflow of the pipeline with its jobs. */
  async views(pipelineId: string): Promise<WorkflowView[]> {
    const workflows = await this.o.client.pipelineWorkflows(pipelineId);
    return Promise.all(
      workflows.map(async (workflow) => ({ workflow, jobs: await this.o.client.workflowJobs(workflow.id) })),
    );
  }

  /** The run as a webhook reports it, completed by the API. */
  async fromEvent(ref: PipelineRef, event: CircleciEvent): Promise<ExternalRunUpdate> {
    const summary = summarize(applyEvent(await this.views(ref.id), event));
    const update = this.base(ref, event.pipeline.number, event.ref ?? '', summary, event.at);
    if (event.commit) update.commit = event.commit;
    return this.explainFailure(ref, update, summary);
  }

  /** The run as the API alone reports it (polling), including pipelines CircleCI refused to start. */
  async fromApi(ref: PipelineRef): Promise<ExternalRunUpdate> {
    const pipeline = await this.o.client.pipeline(ref.id);
    const errored =
      pipeline.state === 'errored'
        ? (pipeline.errors ?? [])
            .map((e) => e.message)
            .filter(Boolean)
            .join('; ') || 'the config has errors.'
        : undefined;
    const views = errored === undefined ? await this.views(ref.id) : [];
    const summary = summarize(views, errored === undefined ? undefined : withStop(errored));
    const update = this.base(ref, pipeline.number, pipeline.vcs?.tag || pipeline.vcs?.branch || '', summary);
    // The v2 pipeline carries no commit author: a commit without one only goes into the first,
    // unfinished updates, so it never replaces the author a webhook brought.
    const commit = commitOf(pipeline);
    if (commit && !finalStatuses.has(update.status)) update.commit = commit;
    return this.explainFailure(ref, update, summary);
  }

  private base(
    ref: PipelineRef,
    number: number,
    gitRef: string,
    summary: PipelineSummary,
    at = this.o.clock.now(),
  ): ExternalRunUpdate {
    const update: ExternalRunUpdate = {
      provider: 'circleci',
      externalId: ref.id,
      pipeline: ref.pipeline,
      ref: gitRef,
      url: pipelineUrl(this.o.client.apiUrl, ref.slug, number),
      status: summary.status,
      steps: summary.steps,
      at,
    };
    if (summary.reason) update.reason = summary.reason;
    if (summary.durationMs !== undefined) update.durationMs = summary.durationMs;
    return update;
  }

  /** Names the failed step (API v1.1) and, when the webhook had none, the commit's author. */
  private async explainFailure(
    ref: PipelineRef,
    update: ExternalRunUpdate,
    summary: PipelineSummary,
  ): Promise<ExternalRunUpdate> {
    const job = summary.failed?.job;
    if (update.status !== 'failed' || job?.job_number === undefined) return update;
    const failure = await jobFailure(this.o.client, ref.slug, job.job_number);
    update.reason = jobReason(job, failure?.step);
    if (failure?.commit && !update.commit?.authorEmail) update.commit = failure.commit;
    return update;
  }
}

/** The webhook's workflow and job states, which may be fresher than the API's. */
export function applyEvent(views: WorkflowView[], event: CircleciEvent): WorkflowView[] {
  let view = views.find((v) => v.workflow.id === event.workflow.id);
  if (!view) {
    view = { workflow: { id: event.workflow.id, name: event.workflow.name, status: 'running' }, jobs: [] };
    views.push(view);
  }
  if (event.workflow.status) view.workflow = { ...view.workflow, status: event.workflow.status };
  const job = event.job;
  if (job) {
    const known = view.jobs.find((j) => j.name === job.name);
    if (known) known.status = job.status;
    else view.jobs.push({ id: '', name: job.name, status: job.status, job_number: job.number });
  }
  return views;
}

function commitOf(pipeline: Pipeline): CommitInfo | undefined {
  const sha = pipeline.vcs?.revision;
  if (!sha) return undefined;
  return { sha, message: pipeline.vcs?.commit?.subject ?? '' };
}

function withStop(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * The run as the webhook alone tells it, for when the API cannot be read: a completed job is one
 * step of a running pipeline; a completed workflow ends the run (other workflows unseen).
 */
export function eventOnlyUpdate(ref: PipelineRef, event: CircleciEvent, apiUrl: string): ExternalRunUpdate {
  const update: ExternalRunUpdate = {
    provider: 'circleci',
    externalId: ref.id,
    pipeline: ref.pipeline,
    ref: event.ref ?? '',
    url: pipelineUrl(apiUrl, ref.slug, event.pipeline.number),
    status: 'running',
    at: event.at,
  };
  if (event.commit) update.commit = event.commit;
  if (event.type === 'job-completed' && event.job) {
    update.step = { index: 0, name: event.job.name, status: jobStatus(event.job.status) };
    if (event.job.durationMs !== undefined) update.step.durationMs = event.job.durationMs;
    return update;
  }
  const summary = summarize([
    { workflow: { ...event.workflow, status: event.workflow.status ?? 'error' }, jobs: [] },
  ]);
  update.status = summary.status;
  if (summary.reason) update.reason = summary.reason;
  return update;
}
