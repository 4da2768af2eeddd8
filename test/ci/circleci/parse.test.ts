import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CircleciPayloadError, eventType, parseCircleciEvent } from '../../../src/ci/circleci/parse.ts';
import { longSlug, pipelineUrl, sameProject, slugPath, v1JobPath } from '../../../src/ci/circleci/slug.ts';
import { jobStatus, summarize, workflowStatus } from '../../../src/ci/circleci/status.ts';
import { githubWorkflowCompleted, gitlabJobCompleted } from './payloads.ts';

const now = new Date('2025-03-01T12:00:00Z');

describe('CircleCI webhook payloads', () => {
  it('reads a GitHub OAuth workflow-completed: branch, commit and author from pipeline.vcs', () => {
    const event = parseCircleciEvent(githubWorkflowCompleted({ status: 'failed' }), now);
    assert.equal(event.type, 'workflow-completed');
    assert.equal(event.projectSlug, 'github/org/app');
    assert.deepEqual(event.pipeline, { id: 'e4f5a6b7-0000-4000-8000-000000000004', number: 130 });
    assert.equal(event.ref, 'main');
    assert.equal(event.tag, false);
    assert.equal(event.workflow.status, 'failed');
    assert.deepEqual(event.commit, {
      sha: '1dc6aa69429bff4806ad6afe58d3d8f57e25973e',
      message: 'Speed up the checkout',
      author: 'Alice',
      authorEmail: 'alice@example.com',
    });
    assert.equal(event.at.toISOString(), '2025-03-01T10:05:34.317Z');
  });

  it('reads a tag build', () => {
    const event = parseCircleciEvent(githubWorkflowCompleted({ tag: 'v1.2.0' }), now);
    assert.equal(event.ref, 'v1.2.0');
    assert.equal(event.tag, true);
  });

  it('reads a GitLab job-completed: commit from trigger_parameters, an empty git.tag is no tag', () => {
    const event = parseCircleciEvent(gitlabJobCompleted(), now);
    assert.equal(event.projectSlug, 'circleci/Org1d/Proj1d');
    assert.equal(event.ref, 'main');
    assert.equal(event.tag, false);
    assert.deepEqual(event.commit, {
      sha: '850a1519f25d14e968649cc420d1bd381715c05c',
      message: 'Update README.md',
      author: 'Carol',
      authorEmail: 'carol@example.com',
    });
    assert.deepEqual(event.job, { name: 'unit-tests', number: 12, status: 'failed', durationMs: 22_547 });
  });

  it('keeps fields CircleCI adds later (open maps) and tolerates nulls', () => {
    const payload = githubWorkflowCompleted() as Record<string, unknown>;
    payload.brand_new = { anything: true };
    (payload.pipeline as Record<string, unknown>).vcs = null;
    const event = parseCircleciEvent(payload, now);
    assert.equal(event.ref, undefined);
    assert.equal(event.commit, undefined);
  });

  const malformed: [string, unknown, RegExp][] = [
    ['an array', [], /not a JSON object/],
    ['null', null, /not a JSON object/],
    ['no id', { type: 'workflow-completed' }, /no id/],
    ['no type', { id: 'x' }, /no type/],
  ];
  for (const [what, body, message] of malformed) {
    it(`refuses ${what}`, () => assert.throws(() => eventType(body), message));
  }

  it('refuses a known event without its project, pipeline or job', () => {
    const noProject = { ...githubWorkflowCompleted(), project: undefined };
    assert.throws(() => parseCircleciEvent(noProject, now), CircleciPayloadError);
    const noNumber = githubWorkflowCompleted();
    (noNumber.pipeline as { number: unknown }).number = 'one hundred';
    assert.throws(() => parseCircleciEvent(noNumber, now), /pipeline\.number/);
    const noJob = { ...gitlabJobCompleted(), job: undefined };
    assert.throws(() => parseCircleciEvent(noJob, now), /job/);
  });
});

describe('CircleCI states and slugs', () => {
  it('maps job and workflow states', () => {
    const jobs = {
      success: 'succeeded',
      running: 'running',
      failed: 'failed',
      timedout: 'failed',
      infrastructure_fail: 'failed',
      canceled: 'cancelled',
      not_run: 'cancelled',
      on_hold: 'queued',
      blocked: 'queued',
      not_running: 'queued',
    } as const;
    for (const [from, to] of Object.entries(jobs)) assert.equal(jobStatus(from), to, from);
    const workflows = {
      success: 'succeeded',
      failed: 'failed',
      error: 'failed',
      unauthorized: 'failed',
      canceled: 'cancelled',
      failing: 'running',
      on_hold: 'running',
    } as const;
    for (const [from, to] of Object.entries(workflows)) assert.equal(workflowStatus(from), to, from);
  });

  it('sums a pipeline up: running while any workflow runs, then failed, with the failed job named', () => {
    const wf = (id: string, status: string, jobs: [string, string][]) => ({
      workflow: {
        id,
        name: id,
        status,
        created_at: '2025-03-01T10:00:00Z',
        stopped_at: '2025-03-01T10:01:30Z',
      },
      jobs: jobs.map(([name, s]) => ({ id: name, name, status: s, job_number: 1 })),
    });
    const running = summarize([wf('build', 'failed', [['test', 'failed']]), wf('lint', 'running', [])]);
    assert.equal(running.status, 'running');
    const failed = summarize([
      wf('build', 'success', [['compile', 'success']]),
      wf('deploy', 'failed', [
        ['compile', 'success'],
        ['release', 'timedout'],
      ]),
    ]);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.reason, "Job 'release' timed out.");
    assert.deepEqual(
      failed.steps.map((s) => [s.index, s.name, s.status]),
      [
        [0, 'compile', 'succeeded'],
        [1, 'compile (deploy)', 'succeeded'],
        [2, 'release', 'failed'],
      ],
    );
    assert.equal(failed.durationMs, 90_000);
    assert.equal(summarize([]).status, 'queued');
    assert.match(summarize([], 'Unexpected argument(s): x.').reason ?? '', /could not start the pipeline/);
  });

  it('treats gh and github (and letter case) as the same project; encodes every path segment', () => {
    assert.equal(longSlug('gh/org/app'), 'github/org/app');
    assert.equal(longSlug('bb/org/app'), 'bitbucket/org/app');
    assert.ok(sameProject('gh/Org/App', 'github/org/app'));
    assert.ok(!sameProject('gh/org/app', 'gh/org/app2'));
    assert.equal(slugPath('gh/org/my app#1'), 'gh/org/my%20app%231');
    assert.equal(v1JobPath('gh/org/app', 136), 'project/github/org/app/136');
    assert.equal(v1JobPath('circleci/abc/def', 1), undefined, 'GitHub App and GitLab projects have no v1.1');
    assert.equal(
      pipelineUrl('https://circleci.com/api/v2', 'gh/org/app', 130),
      'https://app.circleci.com/pipelines/github/org/app/130',
    );
    assert.equal(
      pipelineUrl('https://ci.example.com/api/v2', 'circleci/abc/def', 2),
      'https://ci.example.com/pipelines/circleci/abc/def/2',
    );
  });
});
