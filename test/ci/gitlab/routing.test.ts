import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GitlabJob } from '../../../src/ci/gitlab/client.ts';
import { parseGitlabEvent } from '../../../src/ci/gitlab/parse.ts';
import {
  choosePipeline,
  createdWith,
  deploymentUpdate,
  jobUpdate,
  pipelinesFor,
  pipelineUpdate,
  ranJobs,
} from '../../../src/ci/gitlab/routing.ts';
import { parseConfig } from '../../helpers/config.ts';
import { deploymentHook, jobHook, pipelineHook } from './payloads.ts';

const config = parseConfig(
  `
repositories:
  app: { url: https://gitlab.example.com/group/app.git, gitlab: Group/App }
  tools: { url: https://gitlab.example.com/ops/tools.git, gitlab: 42 }
commands:
  build: { pipeline: build }
  deploy: { pipeline: deploy }
pipelines:
  lint: { provider: gitlab, repository: app }
  build: { provider: gitlab, repository: app, gitlab: { variables: { BRANCH: branch } } }
  deploy: { provider: gitlab, repository: app, gitlab: { job: deploy, variables: { DEPLOY_ENV: environment } } }
  tools: { provider: gitlab, repository: tools }
`,
  '/tmp/deckhand-gitlab-routing/deckhand.yaml',
  {},
);
const app = { id: 7, path: 'group/app' };
const at = new Date('2026-01-15T10:00:00Z');
const event = (name: string, body: unknown) => parseGitlabEvent(name, JSON.stringify(body));
const builds = (deploy: string, test = 'success') => [
  { id: 11, name: 'compile', stage: 'build', status: 'success' },
  { id: 12, name: 'rspec', stage: 'test', status: test },
  { id: 13, name: 'deploy', stage: 'deploy', status: deploy, environment: 'staging' },
];

describe('which deckhand pipeline a GitLab event belongs to', () => {
  it('finds the pipelines of a project by path (any case) or by numeric id', () => {
    assert.deepEqual(pipelinesFor(config, app), ['lint', 'build', 'deploy']);
    assert.deepEqual(pipelinesFor(config, { id: 42, path: 'ops/renamed' }), ['tools']);
    assert.deepEqual(pipelinesFor(config, { id: 9, path: 'someone/else' }), []);
  });

  it('gives a pipeline started on GitLab to the pipeline whose manual job ran, else the build pipeline', () => {
    const names = pipelinesFor(config, app);
    assert.equal(choosePipeline(config, names, new Set(['compile', 'deploy'])), 'deploy');
    assert.equal(choosePipeline(config, names, new Set(['compile'])), 'build');
    assert.equal(
      choosePipeline(config, ['deploy'], new Set(['compile'])),
      undefined,
      'the deploy did not run',
    );
    assert.equal(choosePipeline(config, ['lint', 'deploy'], new Set()), 'lint');
  });

  it('recognises a pipeline deckhand created by the variables it was created with', () => {
    const names = pipelinesFor(config, app);
    assert.equal(createdWith(config, names, ['DEPLOY_ENV']), 'deploy');
    assert.equal(createdWith(config, names, ['BRANCH']), 'build');
    assert.equal(createdWith(config, names, []), undefined, 'a push sets none');
    assert.equal(createdWith(config, names, ['BRANCH', 'DEPLOY_ENV']), undefined, 'no pipeline sets both');
    assert.equal(createdWith(config, names, ['SOMETHING_ELSE']), undefined);
  });

  it('counts only jobs that ran', () => {
    const e = event(
      'Pipeline Hook',
      pipelineHook({ project: app, id: 1, ref: 'main', status: 'success', builds: builds('manual') }),
    );
    if (e.type !== 'pipeline') throw new Error('not a pipeline');
    assert.deepEqual([...ranJobs(e)], ['compile', 'rspec']);
  });
});

describe('updates from GitLab events', () => {
  it('a failed pipeline names the failed job and its stage, lists every job as a step, and carries the commit', () => {
    const body = pipelineHook({
      project: app,
      id: 501,
      ref: 'main',
      status: 'failed',
      builds: builds('skipped', 'failed'),
      commit: { sha: 'abc1234def', message: 'Break it', name: 'Alice', email: 'alice@example.com' },
    });
    const e = event('Pipeline Hook', body);
    if (e.type !== 'pipeline') throw new Error('not a pipeline');
    const update = pipelineUpdate(config, e, { pipeline: 'build' }, at);
    assert.equal(update.externalId, '501');
    assert.equal(update.status, 'failed');
    assert.equal(update.reason, "Job 'rspec' failed at stage 'test': script failure.");
    assert.equal(update.url, 'https://gitlab.example.com/group/app/-/pipelines/501');
    assert.deepEqual(
      update.steps?.map((s) => [s.index, s.name, s.status]),
      [
        [0, 'compile', 'succeeded'],
        [1, 'rspec', 'failed'],
        [2, 'deploy', 'cancelled'],
      ],
    );
    assert.equal(update.commit?.authorEmail, 'alice@example.com');
    assert.equal(update.durationMs, 63_000);
  });

  it('an allowed failure does not name the run failed; the failure that stopped it does', () => {
    const body = pipelineHook({
      project: app,
      id: 502,
      ref: 'main',
      status: 'failed',
      builds: [
        { id: 1, name: 'audit', stage: 'build', status: 'failed', allow_failure: true },
        { id: 2, name: 'rspec', stage: 'test', status: 'failed', failure_reason: 'job_execution_timeout' },
      ],
    });
    const e = event('Pipeline Hook', body);
    if (e.type !== 'pipeline') throw new Error('not a pipeline');
    assert.equal(
      pipelineUpdate(config, e, { pipeline: 'build' }, at).reason,
      "Job 'rspec' failed at stage 'test': job execution timeout.",
    );
  });

  it('a deploy follows its manual job: a passed pipeline whose deploy waits is still running', () => {
    const waiting = event(
      'Pipeline Hook',
      pipelineHook({ project: app, id: 503, ref: 'v1.2.0', status: 'success', builds: builds('manual') }),
    );
    if (waiting.type !== 'pipeline') throw new Error('not a pipeline');
    const update = pipelineUpdate(config, waiting, { pipeline: 'deploy', kind: 'deploy' }, at);
    assert.equal(update.status, 'running');
    assert.equal(update.environment, 'staging');
    assert.equal(update.kind, 'deploy');
    const asBuild = pipelineUpdate(config, waiting, { pipeline: 'build' }, at);
    assert.equal(asBuild.status, 'succeeded', 'a build pipeline ends with the pipeline');
  });

  it('a Job Hook moves a run along, and ends it only for the job the run follows', () => {
    const failedTest = event(
      'Job Hook',
      jobHook({
        project: app,
        pipelineId: 504,
        ref: 'main',
        pipelineStatus: 'failed',
        build: { id: 12, name: 'rspec', stage: 'test', status: 'failed', failure_reason: 'script_failure' },
      }),
    );
    if (failedTest.type !== 'job') throw new Error('not a job');
    const build = jobUpdate(config, failedTest, { pipeline: 'build' }, at);
    assert.equal(build.status, 'running', 'the Pipeline Hook ends a build run, with every job');
    assert.deepEqual(build.step, { index: 0, name: 'rspec', status: 'failed', durationMs: undefined });

    const deployFailed = event(
      'Job Hook',
      jobHook({
        project: app,
        pipelineId: 504,
        ref: 'v1.2.0',
        pipelineStatus: 'running',
        build: {
          id: 13,
          name: 'deploy',
          stage: 'deploy',
          status: 'failed',
          failure_reason: 'script_failure',
          duration: 4.2,
        },
      }),
    );
    if (deployFailed.type !== 'job') throw new Error('not a job');
    const deploy = jobUpdate(config, deployFailed, { pipeline: 'deploy' }, at);
    assert.equal(deploy.status, 'failed');
    assert.equal(deploy.reason, "Job 'deploy' failed at stage 'deploy': script failure.");
    assert.equal(deploy.durationMs, 4200);

    const started = event(
      'Job Hook',
      jobHook({
        project: app,
        pipelineId: 505,
        ref: 'main',
        pipelineStatus: 'pending',
        build: { id: 20, name: 'compile', stage: 'build', status: 'running' },
      }),
    );
    if (started.type !== 'job') throw new Error('not a job');
    assert.equal(jobUpdate(config, started, { pipeline: 'build' }, at).status, 'running');
  });

  it('a Deployment Hook ends a deploy run through its job, and only moves other runs along', () => {
    const e = event(
      'Deployment Hook',
      deploymentHook({ project: app, status: 'failed', environment: 'staging', jobId: 13 }),
    );
    if (e.type !== 'deployment') throw new Error('not a deployment');
    const job: GitlabJob = {
      id: 13,
      name: 'deploy',
      stage: 'deploy',
      status: 'failed',
      ref: 'v1.2.0',
      failure_reason: 'script_failure',
      web_url: 'https://gitlab.example.com/group/app/-/jobs/13',
      pipeline: { id: 506, ref: 'v1.2.0', web_url: 'https://gitlab.example.com/group/app/-/pipelines/506' },
      commit: { id: 'abc1234', message: 'Ship', author_name: 'Bob', author_email: 'bob@example.com' },
    };
    const deploy = deploymentUpdate(config, e, job, { pipeline: 'deploy' }, at);
    assert.equal(deploy?.externalId, '506');
    assert.equal(deploy?.status, 'failed');
    assert.equal(deploy?.environment, 'staging');
    assert.equal(deploy?.reason, "Job 'deploy' failed at stage 'deploy': script failure.");
    assert.equal(deploy?.url, 'https://gitlab.example.com/group/app/-/pipelines/506');
    assert.equal(deploymentUpdate(config, e, job, { pipeline: 'build' }, at)?.status, 'running');
  });
});
