/** Webhook payloads built from GitLab's documented examples (fixtures/), changed only where a test needs. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8'));

/** The documented Pipeline Hook example, verbatim. */
export const pipelineFixture = () => fixture('pipeline-hook.json');
/** The documented Job Hook example (comments removed). */
export const jobFixture = () => fixture('job-hook.json');
/** The documented Deployment Hook example. */
export const deploymentFixture = () => fixture('deployment-hook.json');

export interface ProjectRef {
  id: number;
  path: string;
  webUrl?: string;
}

const projectFields = (p: ProjectRef) => ({
  id: p.id,
  path_with_namespace: p.path,
  web_url: p.webUrl ?? `https://gitlab.example.com/${p.path}`,
});

export interface BuildSpec {
  id: number;
  name: string;
  stage: string;
  status: string;
  failure_reason?: string | null;
  allow_failure?: boolean;
  environment?: string;
  duration?: number | null;
}

/** A Pipeline Hook for one project, pipeline and set of jobs, in the documented shape. */
export function pipelineHook(o: {
  project: ProjectRef;
  id: number;
  ref: string;
  status: string;
  stages?: string[];
  builds?: BuildSpec[];
  commit?: { sha: string; message: string; name: string; email: string };
  duration?: number | null;
  /** Pipeline variables it was created with (none, as for a push, by default). */
  variables?: { key: string; value: string }[];
}): Record<string, unknown> {
  const body = pipelineFixture();
  const template = (body.builds as Record<string, unknown>[])[1] as Record<string, unknown>;
  const attrs = body.object_attributes as Record<string, unknown>;
  Object.assign(attrs, {
    id: o.id,
    ref: o.ref,
    status: o.status,
    source: 'api',
    stages: o.stages ?? ['build', 'test', 'deploy'],
    duration: o.duration ?? (['success', 'failed', 'canceled'].includes(o.status) ? 63 : null),
    url: `${projectFields(o.project).web_url}/-/pipelines/${o.id}`,
    variables: o.variables ?? [],
  });
  delete body.merge_request;
  delete body.source_pipeline;
  body.project = { ...(body.project as object), ...projectFields(o.project) };
  if (o.commit) {
    const { sha, message, name, email } = o.commit;
    body.commit = { ...(body.commit as object), id: sha, message, author: { name, email } };
    attrs.sha = sha;
  }
  body.builds = (o.builds ?? []).map((b) => ({
    ...template,
    id: b.id,
    name: b.name,
    stage: b.stage,
    status: b.status,
    failure_reason: b.failure_reason ?? (b.status === 'failed' ? 'script_failure' : null),
    allow_failure: b.allow_failure ?? false,
    duration:
      b.duration === undefined ? (b.status === 'success' || b.status === 'failed' ? 12.5 : null) : b.duration,
    environment: b.environment
      ? { name: b.environment, action: 'start', deployment_tier: b.environment }
      : null,
  }));
  return body;
}

/** A Job Hook for one job of a pipeline (`pipelineStatus` goes where GitLab puts it: `commit.status`). */
export function jobHook(o: {
  project: ProjectRef;
  pipelineId: number;
  ref: string;
  build: BuildSpec;
  pipelineStatus: string;
  commit?: { sha: string; message: string; name: string; email: string };
}): Record<string, unknown> {
  const body = jobFixture();
  Object.assign(body, {
    ref: o.ref,
    build_id: o.build.id,
    build_name: o.build.name,
    build_stage: o.build.stage,
    build_status: o.build.status,
    build_duration: o.build.duration ?? null,
    build_failure_reason: o.build.failure_reason ?? 'unknown_failure',
    build_allow_failure: o.build.allow_failure ?? false,
    pipeline_id: o.pipelineId,
    project_id: o.project.id,
    project_name: o.project.path,
    environment: o.build.environment ? { name: o.build.environment, action: 'start' } : null,
  });
  delete body.source_pipeline;
  body.project = { ...(body.project as object), ...projectFields(o.project) };
  body.commit = { ...(body.commit as object), id: o.pipelineId, status: o.pipelineStatus };
  if (o.commit) {
    const { sha, message, name, email } = o.commit;
    Object.assign(body, { sha, before_sha: sha });
    Object.assign(body.commit as object, { sha, message, author_name: name, author_email: email });
  }
  return body;
}

/** A Deployment Hook for the job that deployed. */
export function deploymentHook(o: {
  project: ProjectRef;
  status: string;
  environment: string;
  jobId: number | null;
}): Record<string, unknown> {
  const body = deploymentFixture();
  Object.assign(body, { status: o.status, environment: o.environment, deployable_id: o.jobId });
  body.project = { ...(body.project as object), ...projectFields(o.project) };
  return body;
}
