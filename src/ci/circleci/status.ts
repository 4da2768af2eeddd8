/**
 * CircleCI states in deckhand's terms. A pipeline holds workflows, a workflow holds jobs; deckhand
 * shows one run per pipeline with every job as a step.
 * https://circleci.com/docs/api/v2/#operation/listWorkflowJobs
 */
import type { RunStatus, StepInfo } from '../../core/pipeline-events.ts';
import type { Workflow, WorkflowJob } from './api-types.ts';

/** A job's status: approval jobs waiting (`on_hold`) and blocked jobs are queued. */
export function jobStatus(status: string): RunStatus {
  switch (status) {
    case 'success':
      return 'succeeded';
    case 'running':
      return 'running';
    case 'failed':
    case 'error':
    case 'infrastructure_fail':
    case 'timedout':
    case 'terminated-unknown':
    case 'unauthorized':
      return 'failed';
    case 'canceled':
    case 'not_run':
    case 'retried':
      return 'cancelled';
    default:
      return 'queued'; // queued, not_running, blocked, on_hold
  }
}

/** A workflow's status; `failing` and `on_hold` are still running. */
export function workflowStatus(status: string): RunStatus {
  switch (status) {
    case 'success':
      return 'succeeded';
    case 'failed':
    case 'error':
    case 'unauthorized':
      return 'failed';
    case 'canceled':
    case 'not_run':
      return 'cancelled';
    default:
      return 'running'; // running, failing, on_hold
  }
}

/** One workflow as the API reports it. */
export interface WorkflowView {
  workflow: Workflow;
  jobs: WorkflowJob[];
}

/** What deckhand makes of a pipeline's workflows. */
export interface PipelineSummary {
  status: RunStatus;
  /** Every job, in workflow order, as a step. */
  steps: StepInfo[];
  /** The first failed job, for the reason and the log tail. */
  failed?: { job: WorkflowJob; workflow: Workflow };
  /** One sentence when it failed or was cancelled, without the failed step (see `failure.ts`). */
  reason?: string;
  durationMs?: number;
}

/**
 * The workflows that count: a rerun adds a new workflow of the same name to the pipeline and the
 * one it replaces stays listed (failed), so only the newest of each name is kept. Oldest first in.
 */
export function current<T extends { workflow: Pick<Workflow, 'name'> }>(workflows: T[]): T[] {
  const newest = new Map<string, T>();
  for (const w of workflows) newest.set(w.workflow.name, w);
  return workflows.filter((w) => newest.get(w.workflow.name) === w);
}

/** Sums up workflows (oldest first); `errored` is the message of a pipeline CircleCI could not start. */
export function summarize(all: WorkflowView[], errored?: string): PipelineSummary {
  const views = current(all);
  if (errored !== undefined) {
    return { status: 'failed', steps: [], reason: `CircleCI could not start the pipeline: ${errored}` };
  }
  const steps = toSteps(views);
  // A workflow CircleCI did not run says nothing about the others.
  const counted = views.filter((v) => v.workflow.status !== 'not_run');
  const statuses = counted.map((v) => workflowStatus(v.workflow.status));
  let status: RunStatus;
  if (views.length === 0) status = 'queued';
  else if (counted.length === 0) status = 'cancelled';
  else if (statuses.some((s) => s === 'running' || s === 'queued')) status = 'running';
  else if (statuses.includes('failed')) status = 'failed';
  else if (statuses.includes('cancelled')) status = 'cancelled';
  else status = 'succeeded';

  let failed: PipelineSummary['failed'];
  for (const v of views) {
    const job = v.jobs.find((j) => jobStatus(j.status) === 'failed');
    if (job) {
      failed = { job, workflow: v.workflow };
      break;
    }
  }
  const summary: PipelineSummary = { status, steps, failed };
  if (status === 'failed') summary.reason = failed ? jobReason(failed.job) : workflowReason(views);
  if (status === 'cancelled') {
    const name = counted.find((v) => v.workflow.status === 'canceled')?.workflow.name;
    summary.reason = name ? `Workflow '${name}' was cancelled on CircleCI.` : 'CircleCI did not run it.';
  }
  if (status === 'succeeded' || status === 'failed' || status === 'cancelled') {
    summary.durationMs = span(
      views.map((v) => v.workflow.created_at),
      views.map((v) => v.workflow.stopped_at),
    );
  }
  return summary;
}

/** Why a job failed, in one sentence (the failed step is added when API v1.1 names it). */
export function jobReason(job: WorkflowJob, step?: string): string {
  const at = step ? ` at step '${step}'` : '';
  switch (job.status) {
    case 'timedout':
      return `Job '${job.name}' timed out${at}.`;
    case 'infrastructure_fail':
      return `Job '${job.name}' failed${at}: CircleCI had an infrastructure problem, run it again.`;
    case 'unauthorized':
      return `Job '${job.name}' was not authorized to run: check its context's security groups.`;
    default:
      return `Job '${job.name}' failed${at}.`;
  }
}

function workflowReason(views: WorkflowView[]): string {
  const v = views.find((w) => workflowStatus(w.workflow.status) === 'failed');
  const name = v?.workflow.name ?? 'unknown';
  if (v?.workflow.status === 'unauthorized')
    return `Workflow '${name}' was not authorized to run: check its contexts' security groups.`;
  if (v?.workflow.status === 'error') return `Workflow '${name}' failed with an error on CircleCI.`;
  return `Workflow '${name}' failed.`;
}

/** Jobs as steps; a job name seen in an earlier workflow gets the workflow's name added. */
function toSteps(views: WorkflowView[]): StepInfo[] {
  const steps: StepInfo[] = [];
  const seen = new Set<string>();
  for (const { workflow, jobs } of views) {
    for (const job of jobs) {
      const name = seen.has(job.name) ? `${job.name} (${workflow.name})` : job.name;
      seen.add(job.name);
      const step: StepInfo = { index: steps.length, name, status: jobStatus(job.status) };
      const took = span([job.started_at], [job.stopped_at]);
      if (took !== undefined) step.durationMs = took;
      steps.push(step);
    }
  }
  return steps;
}

/** Milliseconds from the earliest start to the latest stop, when both are known. */
function span(
  starts: (string | null | undefined)[],
  stops: (string | null | undefined)[],
): number | undefined {
  const times = (list: (string | null | undefined)[]) =>
    list.map((t) => (t ? Date.parse(t) : Number.NaN)).filter((n) => Number.isFinite(n));
  const from = times(starts);
  const to = times(stops);
  if (from.length === 0 || to.length === 0) return undefined;
  return Math.max(0, Math.max(...to) - Math.min(...from));
}
