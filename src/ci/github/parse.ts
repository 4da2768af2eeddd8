/**
 * Webhook payloads → what deckhand needs from them (https://docs.github.com/en/webhooks/webhook-events-and-payloads):
 * `workflow_run` and `workflow_job` report runs and jobs, `deployment_status` a deploy's state.
 * The pipeline is resolved afterwards (it may need the API); everything here is pure.
 */
import type { ExternalRunUpdate, RunStatus } from '../../core/pipeline-events.ts';
import { type JobLike, jobStep, runStatus } from './status.ts';

/** A run-related event, before its pipeline is known. */
export interface RunEvent {
  kind: 'run';
  /** `owner/repo`. */
  repo: string;
  /** The workflow run id. */
  runId: string;
  /** What the payload says about the workflow; `path` alone is decisive. */
  workflow: { path?: string; id?: number };
  update: Omit<ExternalRunUpdate, 'pipeline'>;
  /** Set when the run (or its deployment) ended badly or finished: fetch its jobs for steps and reason. */
  details?: { conclusion: string | null; fallback?: string };
}

/** A run event, or why a delivery is ignored or refused. */
export type ParsedEvent =
  | RunEvent
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const id = (v: unknown): string | undefined =>
  typeof v === 'number' || typeof v === 'bigint'
    ? String(v)
    : /^\d+$/.test(str(v) ?? '')
      ? (v as string)
      : undefined;

const elapsed = (from: unknown, to: unknown): number | undefined => {
  const ms = Date.parse(str(to) ?? '') - Date.parse(str(from) ?? '');
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
};

/** Turns one verified delivery into a RunEvent, or says why it is ignored or malformed. */
export function parseGithubEvent(event: string, payload: unknown, at: Date): ParsedEvent {
  const body = obj(payload);
  const repo = str(obj(body.repository).full_name);
  switch (event) {
    case 'workflow_run':
      return repo ? workflowRun(repo, body, at) : invalid('a workflow_run event needs repository.full_name');
    case 'workflow_job':
      return repo ? workflowJob(repo, body, at) : invalid('a workflow_job event needs repository.full_name');
    case 'deployment_status':
      return repo
        ? deploymentStatus(repo, body, at)
        : invalid('a deployment_status event needs repository.full_name');
    case 'check_run':
    case 'check_suite':
      // Actions runs arrive as workflow_run/workflow_job; other apps' checks are not pipelines.
      return { kind: 'ignored', reason: `${event} events are covered by workflow_run` };
    default:
      return { kind: 'ignored', reason: `${event} events are not used` };
  }
}

const invalid = (reason: string): ParsedEvent => ({ kind: 'invalid', reason });

function workflowRun(repo: string, body: Obj, at: Date): ParsedEvent {
  const run = obj(body.workflow_run);
  const runId = id(run.id);
  if (!runId) return invalid('a workflow_run event needs workflow_run.id');
  const status = runStatus(str(run.status), str(run.conclusion) ?? null);
  const commit = obj(run.head_commit);
  const author = obj(commit.author);
  const sha = str(run.head_sha) ?? str(commit.id);
  const update: RunEvent['update'] = {
    provider: 'github',
    externalId: runId,
    ref: str(run.head_branch) ?? sha ?? '',
    url: str(run.html_url),
    status,
    actor: { login: str(obj(run.triggering_actor).login) ?? str(obj(run.actor).login) },
    at,
  };
  if (sha) {
    update.commit = {
      sha,
      message: str(commit.message) ?? str(run.display_title) ?? '',
      author: str(author.name),
      authorEmail: str(author.email),
    };
  }
  if (status !== 'queued' && status !== 'running') {
    update.durationMs = elapsed(run.run_started_at ?? run.created_at, run.updated_at);
  }
  const event: RunEvent = {
    kind: 'run',
    repo,
    runId,
    workflow: { path: str(run.path), id: num(run.workflow_id) },
    update,
  };
  if (str(run.status) === 'completed') event.details = { conclusion: str(run.conclusion) ?? null };
  return event;
}

function workflowJob(repo: string, body: Obj, at: Date): ParsedEvent {
  const job = obj(body.workflow_job);
  const runId = id(job.run_id);
  if (!runId || !str(job.name) || !id(job.id))
    return invalid('a workflow_job event needs workflow_job.id, run_id and name');
  const steps = Array.isArray(job.steps) ? job.steps : [];
  const step = jobStep({ ...(job as unknown as JobLike), steps: steps as JobLike['steps'] }, 0);
  // A job that started means its run has started.
  const status: RunStatus = step.status === 'queued' ? 'queued' : 'running';
  return {
    kind: 'run',
    repo,
    runId,
    workflow: {},
    update: {
      provider: 'github',
      externalId: runId,
      ref: str(job.head_branch) ?? str(job.head_sha) ?? '',
      status,
      step,
      at,
    },
  };
}

const deploymentStates: Record<string, RunStatus> = {
  queued: 'queued',
  pending: 'queued',
  in_progress: 'running',
  // The workflow goes on after its deploy job; its own completion decides the run.
  success: 'running',
  failure: 'failed',
  error: 'failed',
};

function deploymentStatus(repo: string, body: Obj, at: Date): ParsedEvent {
  const state = str(obj(body.deployment_status).state);
  const deployment = obj(body.deployment);
  const run = obj(body.workflow_run);
  const runId = id(run.id);
  if (!state) return invalid('a deployment_status event needs deployment_status.state');
  if (obj(deployment.payload).deckhand_run_id !== undefined)
    return { kind: 'ignored', reason: 'a status deckhand set itself' };
  if (!runId) return { kind: 'ignored', reason: 'a deployment not made by a workflow run' };
  const status = deploymentStates[state];
  if (!status) return { kind: 'ignored', reason: `deployment state ${state}` };
  const environment = str(obj(body.deployment_status).environment) ?? str(deployment.environment);
  const event: RunEvent = {
    kind: 'run',
    repo,
    runId,
    workflow: { path: str(run.path), id: num(run.workflow_id) },
    update: {
      provider: 'github',
      externalId: runId,
      kind: 'deploy',
      environment,
      ref: str(run.head_branch) ?? str(deployment.ref) ?? '',
      url: str(run.html_url),
      status,
      at,
    },
  };
  if (status === 'failed') {
    event.details = {
      conclusion: 'failure',
      fallback: `The deployment to '${environment ?? 'its environment'}' failed.`,
    };
  }
  return event;
}
