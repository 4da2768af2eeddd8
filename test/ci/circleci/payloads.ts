/**
 * CircleCI webhook payloads in the shapes of https://circleci.com/docs/webhooks-reference/
 * (GitHub OAuth / Bitbucket Cloud with `pipeline.vcs`; GitLab / GitHub App with
 * `pipeline.trigger_parameters`), with this project's own values, and built from the fake's state.
 */
import { randomUUID } from 'node:crypto';
import type { CircleciFake } from '../../fakes/circleci-api.ts';

const webhook = { id: 'a0f9b3c2-5d4e-4f61-8a7b-9c0d1e2f3a4b', name: 'deckhand' };
const organization = { id: 'b1e2d3c4-0000-4000-8000-000000000001', name: 'org' };

/** A `workflow-completed` for a GitHub OAuth project, as the reference shows it. */
export function githubWorkflowCompleted(over: { status?: string; branch?: string; tag?: string } = {}) {
  const ref = over.tag ? { tag: over.tag } : { branch: over.branch ?? 'main' };
  return {
    id: randomUUID(),
    type: 'workflow-completed',
    happened_at: '2025-03-01T10:05:34.317Z',
    webhook,
    project: { id: 'c2d3e4f5-0000-4000-8000-000000000002', name: 'app', slug: 'github/org/app' },
    organization,
    workflow: {
      id: 'd3e4f5a6-0000-4000-8000-000000000003',
      name: 'build-test-deploy',
      created_at: '2025-03-01T10:05:03.616Z',
      stopped_at: '2025-03-01T10:05:34.170Z',
      url: 'https://app.circleci.com/pipelines/github/org/app/130/workflows/d3e4f5a6-0000-4000-8000-000000000003',
      status: over.status ?? 'success',
    },
    pipeline: {
      id: 'e4f5a6b7-0000-4000-8000-000000000004',
      number: 130,
      created_at: '2025-03-01T10:05:03.544Z',
      trigger: { type: 'webhook' },
      vcs: {
        provider_name: 'github',
        origin_repository_url: 'https://git.example.com/org/app',
        target_repository_url: 'https://git.example.com/org/app',
        revision: '1dc6aa69429bff4806ad6afe58d3d8f57e25973e',
        commit: {
          subject: 'Speed up the checkout',
          body: 'Details of the change',
          author: { name: 'Alice', email: 'alice@example.com' },
          authored_at: '2025-03-01T10:04:53Z',
          committer: { name: 'Bob', email: 'bob@example.com' },
          committed_at: '2025-03-01T10:04:53Z',
        },
        ...ref,
      },
    },
  };
}

/** A `job-completed` for a GitLab project: no `vcs`, the commit under `trigger_parameters`. */
export function gitlabJobCompleted(over: { status?: string; tag?: string } = {}) {
  return {
    type: 'job-completed',
    id: randomUUID(),
    happened_at: '2025-03-01T16:20:13.954328Z',
    webhook,
    workflow: {
      id: 'f5a6b7c8-0000-4000-8000-000000000005',
      name: 'build',
      created_at: '2025-03-01T16:20:07.631Z',
      stopped_at: '2025-03-01T16:20:13.812Z',
      url: 'https://app.circleci.com/pipelines/circleci/Org1d/Proj1d/7/workflows/f5a6b7c8-0000-4000-8000-000000000005',
    },
    job: {
      id: '0a1b2c3d-0000-4000-8000-000000000006',
      name: 'unit-tests',
      started_at: '2025-03-01T16:19:37.435Z',
      stopped_at: '2025-03-01T16:19:59.982Z',
      status: over.status ?? 'failed',
      number: 12,
    },
    pipeline: {
      id: '1b2c3d4e-0000-4000-8000-000000000007',
      number: 7,
      created_at: '2025-03-01T16:19:18.804Z',
      trigger: { type: 'gitlab' },
      trigger_parameters: {
        gitlab: {
          web_url: 'https://git.example.com/org/app',
          commit_author_name: 'Carol',
          branch: 'main',
          commit_title: 'Update README.md',
          commit_message: 'Update README.md\n\nMore words',
          type: 'push',
          ref: 'refs/heads/main',
          commit_author_email: 'carol@example.com',
          checkout_sha: '850a1519f25d14e968649cc420d1bd381715c05c',
          commit_sha: '850a1519f25d14e968649cc420d1bd381715c05c',
        },
        git: {
          tag: over.tag ?? '',
          checkout_sha: '850a1519f25d14e968649cc420d1bd381715c05c',
          ref: 'refs/heads/main',
          branch: 'main',
        },
        circleci: { event_time: '2025-03-01T16:19:18.349Z', event_type: 'push', trigger_type: 'gitlab' },
      },
    },
    project: { id: '2c3d4e5f-0000-4000-8000-000000000008', name: 'app', slug: 'circleci/Org1d/Proj1d' },
    organization,
  };
}

/** What CircleCI would send now about one of the fake's pipelines (GitHub OAuth shape). */
function fromFake(fake: CircleciFake, pipelineId: string, workflowName?: string) {
  const p = fake.pipeline(pipelineId);
  const w = p.workflows.findLast((x) => !workflowName || x.name === workflowName) ?? p.workflows[0];
  if (!w) throw new Error('the pipeline has no workflow');
  const slug = p.project_slug.replace(/^gh\//, 'github/');
  return {
    id: randomUUID(),
    happened_at: new Date().toISOString(),
    webhook,
    project: { id: 'c2d3e4f5-0000-4000-8000-000000000002', name: slug.split('/')[2], slug },
    organization,
    workflow: {
      id: w.id,
      name: w.name,
      created_at: w.created_at,
      stopped_at: w.stopped_at,
      url: `https://app.circleci.com/pipelines/${slug}/${p.number}/workflows/${w.id}`,
      status: w.status,
    },
    pipeline: {
      id: p.id,
      number: p.number,
      created_at: p.created_at,
      trigger: { type: 'api' },
      vcs: {
        provider_name: 'github',
        revision: p.vcs.revision,
        commit: { subject: p.vcs.commit.subject, body: '', author: p.author },
        ...(p.vcs.tag ? { tag: p.vcs.tag } : { branch: p.vcs.branch }),
      },
    },
  };
}

/** `job-completed` for the fake's job as it stands. */
export function jobCompleted(fake: CircleciFake, pipelineId: string, jobName: string) {
  const workflow = fake.workflowOf(pipelineId, jobName);
  const job = workflow.jobs.find((j) => j.name === jobName);
  if (!job) throw new Error(`no job ${jobName}`);
  const { status: _s, ...shown } = fromFake(fake, pipelineId, workflow.name).workflow;
  return {
    ...fromFake(fake, pipelineId, workflow.name),
    type: 'job-completed',
    workflow: shown,
    job: {
      id: job.id,
      name: job.name,
      started_at: job.started_at,
      stopped_at: job.stopped_at,
      status: job.status,
      number: job.job_number,
    },
  };
}

/** `workflow-completed` for the fake's workflow as it stands. */
export function workflowCompleted(fake: CircleciFake, pipelineId: string, workflowName?: string) {
  return { ...fromFake(fake, pipelineId, workflowName), type: 'workflow-completed' };
}
