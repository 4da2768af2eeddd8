import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { GitlabProvider } from '../../../src/ci/gitlab/provider.ts';
import type { RunSpec } from '../../../src/core/ports.ts';
import { type GitlabFake, startGitlabFake } from '../../fakes/gitlab-api.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { ci, gitlabAdapterFor, TOKEN } from './adapter-context.ts';

const spec = (over: Partial<RunSpec>): RunSpec => ({
  runId: 1,
  kind: 'build',
  pipeline: 'build',
  ref: 'main',
  params: { branch: 'main', requested_by: 'alice' },
  ...over,
});

describe('the GitLab provider against the GitLab fake', () => {
  let fake: GitlabFake;
  let built: ReturnType<typeof gitlabAdapterFor>;
  let provider: GitlabProvider;
  before(async () => {
    fake = await startGitlabFake({ tokens: [TOKEN] });
    fake.addProject({ path: 'group/app', branches: ['main', 'develop'], tags: ['v1.2.0'], ci });
    fake.addProject({ path: 'ops/tools', ci: [{ name: 'build', stage: 'build' }] });
  });
  beforeEach(() => {
    built = gitlabAdapterFor(fake);
    provider = built.adapter.provider as GitlabProvider;
    fake.calls.length = 0;
  });
  afterEach(() => provider.close());
  after(() => fake.close());

  it('creates a pipeline on the ref with the mapped variables and answers its id and URL', async () => {
    const result = await provider.trigger(spec({ runId: 7 }));
    const pipeline = fake.pipelines.get(Number(result.externalId));
    assert.ok(pipeline);
    assert.equal(pipeline.ref, 'main');
    assert.deepEqual(pipeline.variables, [
      { key: 'BRANCH', value: 'main' },
      { key: 'REQUESTED_BY', value: 'alice' },
      { key: 'DECKHAND_RUN', value: '7' },
      { key: 'CHANNEL', value: 'stable' },
    ]);
    assert.equal(result.url, `${fake.url}/group/app/-/pipelines/${pipeline.id}`);
    assert.equal(provider.createdBy(pipeline.id)?.pipeline, 'build');
  });

  it('plays the manual deploy job once GitLab lets it run', async () => {
    const result = await provider.trigger(
      spec({
        runId: 8,
        kind: 'deploy',
        pipeline: 'deploy',
        ref: 'v1.2.0',
        params: { version: 'v1.2.0', environment: 'staging', requested_by: 'bob' },
      }),
    );
    const id = Number(result.externalId);
    assert.deepEqual(fake.pipelines.get(id)?.variables, [
      { key: 'DEPLOY_ENV', value: 'staging' },
      { key: 'DEPLOY_VERSION', value: 'v1.2.0' },
    ]);
    const deploy = fake.job(id, 'deploy');
    assert.equal(deploy?.status, 'created', 'the earlier stages have not passed yet');
    await eventually(() => fake.calls.filter((c) => c.route.endsWith('/jobs')).length >= 2, 'a few polls');
    assert.ok(!fake.calls.some((c) => c.route.endsWith('/play')), 'not played while created');
    if (deploy) deploy.status = 'manual';
    await eventually(() => fake.job(id, 'deploy')?.status === 'pending', 'the deploy job played');
    const play = fake.calls.find((c) => c.route === 'POST /projects/:id/jobs/:job_id/play');
    assert.equal(play?.path, `/projects/group%2Fapp/jobs/${deploy?.id}/play`);
    assert.deepEqual(built.updates, []);
  });

  it('fails the run with a sentence when the job never becomes playable in time', async () => {
    const result = await provider.trigger(
      spec({ runId: 9, kind: 'deploy', pipeline: 'quick-deploy', ref: 'main' }),
    );
    await eventually(() => built.updates.length === 1, 'the failure reported', 5_000);
    const [update] = built.updates;
    assert.equal(update?.externalId, result.externalId);
    assert.equal(update?.status, 'failed');
    assert.match(
      update?.reason ?? '',
      /^Job 'deploy' of GitLab pipeline \d+ could not be played within 300ms: check that it is `when: manual`/,
    );
  });

  it('fails the run with what GitLab answered when the play is refused', async () => {
    fake.failNext('POST /projects/:id/jobs/:job_id/play', {
      status: 403,
      body: { message: '403 Forbidden' },
    });
    const result = await provider.trigger(
      spec({ runId: 10, kind: 'deploy', pipeline: 'deploy', ref: 'main' }),
    );
    const job = fake.job(Number(result.externalId), 'deploy');
    if (job) job.status = 'manual';
    await eventually(() => built.updates.length === 1, 'the refusal reported');
    assert.match(
      built.updates[0]?.reason ?? '',
      /^GitLab answered 403 Forbidden playing job 'deploy' of group\/app/,
    );
  });

  it('cancels a running pipeline (true) and says false once it is over; by run id when no id is given', async () => {
    const result = await provider.trigger(spec({ runId: 11 }));
    assert.equal(await provider.cancel(11), true);
    assert.equal(fake.pipelines.get(Number(result.externalId))?.status, 'canceled');
    assert.equal(
      await provider.cancel(11, result.externalId),
      false,
      'GitLab answers 200, status says canceled already',
    );
    assert.equal(await provider.cancel(999), false, 'a run this provider never started');
  });

  it('stops waiting to play a deploy that was cancelled', async () => {
    const result = await provider.trigger(
      spec({ runId: 12, kind: 'deploy', pipeline: 'deploy', ref: 'main' }),
    );
    assert.equal(await provider.cancel(12, result.externalId), true);
    await provider.close();
    assert.deepEqual(built.updates, []);
  });

  it('retries a pipeline in place', async () => {
    const result = await provider.trigger(spec({ runId: 13 }));
    const pipeline = fake.pipelines.get(Number(result.externalId));
    if (pipeline) pipeline.status = 'failed';
    assert.equal(await provider.rerun(13, result.externalId), true);
    assert.ok(fake.calls.some((c) => c.path === `/projects/group%2Fapp/pipelines/${pipeline?.id}/retry`));
  });

  it("tails the failed job's log and links the job", async () => {
    const result = await provider.trigger(spec({ runId: 14 }));
    const id = Number(result.externalId);
    const rspec = fake.job(id, 'rspec');
    assert.ok(rspec);
    rspec.status = 'failed';
    rspec.trace = `\u001b[0Ksection_start:1:step_script\r\u001b[0KExecuting\n${'ok\n'.repeat(400)}Failures:\n  expected 2, got 3\n`;
    const tail = await provider.logTail(14, result.externalId);
    assert.equal(tail?.url, `${fake.url}/group/app/-/jobs/${rspec.id}`);
    assert.match(tail?.text ?? '', /Failures:\n {2}expected 2, got 3$/);
    assert.ok((tail?.text.split('\n').length ?? 0) <= 200);
    const named = await provider.logTail(14, result.externalId, 'rspec');
    assert.equal(named?.url, tail?.url);
  });

  it('finds the project of a pipeline it did not create by asking GitLab', async () => {
    const other = gitlabAdapterFor(fake).adapter.provider as GitlabProvider;
    const result = await provider.trigger(spec({ runId: 15, pipeline: 'tools' }));
    const job = fake.job(Number(result.externalId), 'build');
    if (job) {
      job.status = 'failed';
      job.trace = 'boom\n';
    }
    const tail = await other.logTail(15, result.externalId);
    assert.equal(tail?.text, 'boom');
  });

  it('lists branches and checks versions through the pipeline repository', async () => {
    assert.deepEqual(await provider.listBranches('build'), ['main', 'develop']);
    assert.equal(await provider.hasRef('deploy', 'v1.2.0'), true);
    assert.equal(await provider.hasRef('deploy', 'v0.0.1'), false);
  });
});
