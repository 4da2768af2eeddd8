/**
 * GitLab webhook payloads (`Pipeline Hook`, `Job Hook`, `Deployment Hook`) turned into small typed
 * events; nothing else from the payload travels further.
 * https://docs.gitlab.com/user/project/integrations/webhook_events/
 */
import type { CommitInfo } from '../../core/pipeline-events.ts';

/** The project a payload is about. */
export interface GitlabProject {
  id?: number;
  /** `group/app`. */
  path?: string;
  webUrl?: string;
}

/** One job of a pipeline. */
export interface GitlabBuild {
  id: number;
  name: string;
  stage: string;
  status: string;
  allowFailure: boolean;
  failureReason?: string;
  durationMs?: number;
  /** The environment the job deploys to, if any. */
  environment?: string;
}

export interface GitlabActor {
  login?: string;
  email?: string;
}

export type GitlabEvent =
  | {
      type: 'pipeline';
      project: GitlabProject;
      pipelineId: number;
      ref: string;
      status: string;
      url?: string;
      /** Jobs, latest attempt of each, in stage order. */
      builds: GitlabBuild[];
      commit?: CommitInfo;
      actor?: GitlabActor;
      durationMs?: number;
      /** Names of the variables the pipeline was created with (`object_attributes.variables`). */
      variables: string[];
    }
  | {
      type: 'job';
      project: GitlabProject;
      pipelineId: number;
      ref: string;
      /** The pipeline's status at the time (`commit.status` in a Job Hook). */
      pipelineStatus?: string;
      build: GitlabBuild;
      commit?: CommitInfo;
      actor?: GitlabActor;
    }
  | {
      type: 'deployment';
      project: GitlabProject;
      status: string;
      environment: string;
      /** The job that ran the deployment (absent for API deployments). */
      jobId?: number;
      actor?: GitlabActor;
    };

/** The payload is not what GitLab documents for its event (answered with 400). */
export class GitlabPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitlabPayloadError';
  }
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const int = (v: unknown): number | undefined => (Number.isSafeInteger(v) ? (v as number) : undefined);
const ms = (seconds: unknown): number | undefined =>
  typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0
    ? Math.round(seconds * 1000)
    : undefined;
/** GitLab sends `[REDACTED]` for users without a public email. */
const email = (v: unknown): string | undefined => {
  const text = str(v);
  return text && /^[^@\s]+@[^@\s]+$/.test(text) ? text : undefined;
};

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new GitlabPayloadError(`The payload has no ${what}.`);
  return value;
}

function project(body: Obj): GitlabProject {
  const p = obj(body.project);
  const id = int(p?.id) ?? int(body.project_id);
  const path = str(p?.path_with_namespace);
  if (id === undefined && path === undefined) throw new GitlabPayloadError('The payload names no project.');
  return { id, path, webUrl: str(p?.web_url) };
}

function actor(user: unknown): GitlabActor | undefined {
  const u = obj(user);
  if (!u) return undefined;
  const found = { login: str(u.username) ?? str(u.name), email: email(u.email) };
  return found.login || found.email ? found : undefined;
}

/** Latest attempt of each job name, ordered by stage, then by when the job first appeared. */
export function orderBuilds(builds: GitlabBuild[], stages: string[]): GitlabBuild[] {
  const latest = new Map<string, GitlabBuild>();
  const first = new Map<string, number>();
  for (const b of builds) {
    if ((latest.get(b.name)?.id ?? -1) < b.id) latest.set(b.name, b);
    first.set(b.name, Math.min(first.get(b.name) ?? b.id, b.id));
  }
  const rank = (stage: string) => {
    const i = stages.indexOf(stage);
    return i === -1 ? stages.length : i;
  };
  return [...latest.values()].sort(
    (a, b) => rank(a.stage) - rank(b.stage) || (first.get(a.name) ?? 0) - (first.get(b.name) ?? 0),
  );
}

function pipelineEvent(body: Obj): GitlabEvent {
  const attrs = required(obj(body.object_attributes), 'object_attributes');
  const builds: GitlabBuild[] = [];
  for (const raw of Array.isArray(body.builds) ? body.builds : []) {
    const b = obj(raw);
    const id = int(b?.id);
    const name = str(b?.name);
    const status = str(b?.status);
    if (!b || id === undefined || !name || !status) continue;
    builds.push({
      id,
      name,
      stage: str(b.stage) ?? '',
      status,
      allowFailure: b.allow_failure === true,
      failureReason: str(b.failure_reason),
      durationMs: ms(b.duration),
      environment: str(obj(b.environment)?.name),
    });
  }
  const stages = Array.isArray(attrs.stages)
    ? attrs.stages.filter((s): s is string => typeof s === 'string')
    : [];
  const c = obj(body.commit);
  const author = obj(c?.author);
  const sha = str(c?.id) ?? str(attrs.sha);
  return {
    type: 'pipeline',
    project: project(body),
    pipelineId: required(int(attrs.id), 'object_attributes.id'),
    ref: required(str(attrs.ref), 'object_attributes.ref'),
    status: required(str(attrs.status), 'object_attributes.status'),
    url: str(attrs.url),
    builds: orderBuilds(builds, stages),
    commit: sha
      ? { sha, message: str(c?.message) ?? '', author: str(author?.name), authorEmail: email(author?.email) }
      : undefined,
    actor: actor(body.user),
    durationMs: ms(attrs.duration),
    variables: (Array.isArray(attrs.variables) ? attrs.variables : [])
      .map((v) => str(obj(v)?.key))
      .filter((k): k is string => k !== undefined),
  };
}

function jobEvent(body: Obj): GitlabEvent {
  const c = obj(body.commit);
  const sha = str(body.sha) ?? str(c?.sha);
  return {
    type: 'job',
    project: project(body),
    // The Job Hook's `commit.id` is the pipeline id, not a commit; `pipeline_id` says the same.
    pipelineId: required(int(body.pipeline_id) ?? int(c?.id), 'pipeline_id'),
    ref: required(str(body.ref), 'ref'),
    pipelineStatus: str(c?.status),
    build: {
      id: required(int(body.build_id), 'build_id'),
      name: required(str(body.build_name), 'build_name'),
      stage: str(body.build_stage) ?? '',
      status: required(str(body.build_status), 'build_status'),
      allowFailure: body.build_allow_failure === true,
      failureReason: str(body.build_failure_reason),
      durationMs: ms(body.build_duration),
      environment: str(obj(body.environment)?.name),
    },
    commit: sha
      ? {
          sha,
          message: str(c?.message) ?? '',
          author: str(c?.author_name),
          authorEmail: email(c?.author_email),
        }
      : undefined,
    actor: actor(body.user),
  };
}

function deploymentEvent(body: Obj): GitlabEvent {
  return {
    type: 'deployment',
    project: project(body),
    status: required(str(body.status), 'status'),
    environment: required(str(body.environment), 'environment'),
    jobId: int(body.deployable_id),
    actor: actor(body.user),
  };
}

const parsers: Record<string, { kind: string; parse: (body: Obj) => GitlabEvent }> = {
  'Pipeline Hook': { kind: 'pipeline', parse: pipelineEvent },
  'Job Hook': { kind: 'build', parse: jobEvent },
  'Deployment Hook': { kind: 'deployment', parse: deploymentEvent },
};

/** Whether deckhand reads this `X-Gitlab-Event` at all (others are acknowledged and ignored). */
export function handledEvent(name: string | undefined): boolean {
  return name !== undefined && name in parsers;
}

/** Parses a handled event's JSON body; throws GitlabPayloadError when it is not the documented shape. */
export function parseGitlabEvent(name: string, raw: string): GitlabEvent {
  const parser = parsers[name];
  if (!parser) throw new GitlabPayloadError(`deckhand does not read ${name} events.`);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new GitlabPayloadError('The body is not valid JSON.');
  }
  const o = obj(body);
  if (!o) throw new GitlabPayloadError('The body is not a JSON object.');
  if (o.object_kind !== parser.kind) {
    throw new GitlabPayloadError(`A ${name} carries object_kind "${parser.kind}".`);
  }
  return parser.parse(o);
}
