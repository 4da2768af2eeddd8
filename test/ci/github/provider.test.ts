import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RunSpec } from '../../../src/core/ports.ts';
import type { FakeJob, GithubFake } from '../../fakes/github-api.ts';
import { adapterFor, githubYaml, startAppFake } from './helpers.ts';

const spec = (over: Partial<RunSpec> = {}): RunSpec => ({
  runId: 1,
  kind: 'build',
  pipeline: 'build',
  ref: 'main',
  params: { branch: 'main', requested_by: 'alice' },
  ...over,
});

const job = (id: number, name: string, conclusion: string, failedStep?: string): FakeJob => ({
  id,
  name,
  status: 'completed',
  conclusion,
  html_url: `https://github.example.com/org/app/actions/runs/1/job/${id}`,
  steps: [
    { name: 'Set up job', status: 'completed', conclusion: 'success', number: 1 },
    { name: failedStep ?? 'Run tests', status: 'completed', conclusion, number: 2 },
  ],
});

describe('the GitHub Actions provider against the fake REST API', () => {
  let fake: GithubFake;
  let gh: ReturnType<typeof adapterFor>;
  before(async () => {
    fake = await startAppFake();
  });
  beforeEach(() => {
    fake.runDetails = 'returned';
    fake.calls.length = 0;
    gh = adapterFor(fake);
  });
  after(() => fake.close());

  it('lists every branch across pages', async () => {
    const many = Array.from({ length: 150 }, (_, i) => `feature/${i}`);
    fake.addRepo('org/big', { branches: ['main', ...many], workflows: { 'build.yml': [] } });
    const yaml = githubYaml.replace('github: org/app', 'github: org/big');
    const branches = await adapterFor(fake, {}, yaml).provider.listBranches('build');
    assert.equal(branches.length, 151);
    assert.equal(branches.at(-1), 'feature/149');
    assert.equal(fake.calls.filter((c) => c.url.startsWith('/repos/org/big/branches')).length, 2);
  });

  it('knows branches, tags and commits, and escapes the ref in the URL', async () => {
    const main = fake.repos.get('org/app')?.branches.get('main') as string;
    assert.equal(await gh.provider.hasRef?.('deploy', 'release/1.0'), true);
    assert.ok(fake.calls.some((c) => c.url === '/repos/org/app/git/ref/heads%2Frelease%2F1.0'));
    assert.equal(await gh.provider.hasRef?.('deploy', 'v1.1.0'), true);
    assert.equal(await gh.provider.hasRef?.('deploy', main.slice(0, 12)), true);
    assert.equal(await gh.provider.hasRef?.('deploy', 'v9.9.9'), false);
    fake.calls.length = 0;
    assert.equal(await gh.provider.hasRef?.('deploy', 'x?y#z/../../branches'), false);
    assert.ok(
      fake.calls.every((c) => c.url.startsWith('/repos/org/app/git/ref/')),
      'no segment escaped its place',
    );
    assert.ok(fake.calls.some((c) => c.url.includes('x%3Fy%23z%2F..%2F..%2Fbranches')));
  });

  it('dispatches with the mapped inputs and takes the run id from the answer', async () => {
    const result = await gh.provider.trigger(spec({ runId: 7 }));
    const run = fake.runs.at(-1);
    assert.deepEqual(result, { externalId: String(run?.id), url: run?.html_url });
    const call = fake.calls.find((c) => c.url.endsWith('/dispatches'));
    assert.deepEqual(call?.body, {
      ref: 'main',
      inputs: { branch: 'main', requested_by: 'alice', deckhand_run: '7', channel: 'chat' },
      return_run_details: true,
    });
  });

  it('finds the run by polling when the server answers 204, or refuses the parameter with 422', async () => {
    for (const mode of ['no-content', 'rejected'] as const) {
      fake.runDetails = mode;
      fake.hideRunsFromLists = 2;
      const result = await gh.provider.trigger(spec({ ref: 'develop', params: { branch: 'develop' } }));
      assert.equal(result?.externalId, String(fake.runs.at(-1)?.id), mode);
      const listed = fake.calls.filter((c) => c.url.includes('/actions/workflows/build.yml/runs?'));
      assert.equal(listed.length, 3, `${mode}: two empty listings, then the run`);
      assert.match(listed[0]?.url ?? '', /event=workflow_dispatch&branch=develop&created=%3E%3D\d{4}-/);
      fake.calls.length = 0;
    }
    assert.equal(fake.calls.length, 0);
  });

  it('gives up looking after a few polls and returns no id (the core then matches by pipeline and ref)', async () => {
    fake.runDetails = 'no-content';
    fake.hideRunsFromLists = 10;
    assert.deepEqual(await gh.provider.trigger(spec()), {});
    fake.hideRunsFromLists = 0;
  });

  it('cancels a running run once, and reruns failed jobs only when it has finished', async () => {
    const { externalId } = (await gh.provider.trigger(spec({ runId: 21 }))) ?? {};
    assert.ok(externalId);
    assert.equal(await gh.provider.rerun?.(21, externalId), false, 'still running');
    assert.equal(await gh.provider.cancel(21), true);
    assert.equal(fake.run(externalId)?.conclusion, 'cancelled');
    assert.equal(await gh.provider.cancel(21), false, 'already completed (409)');
    assert.equal(await gh.provider.cancel(999), false, 'a run it never dispatched');
    // After a restart the adapter no longer knows the run: it finds it by trying the repositories.
    const restarted = adapterFor(fake);
    assert.equal(await restarted.provider.rerun?.(21, externalId), true);
  });

  it('fetches the failed job log by following the redirect, and keeps its end', async () => {
    const { externalId } = (await gh.provider.trigger(spec({ runId: 31 }))) ?? {};
    const run = fake.run(externalId as string);
    assert.ok(run && externalId);
    run.jobs = [job(501, 'build', 'success'), job(502, 'test', 'failure', 'Run tests')];
    const lines = Array.from({ length: 200 }, (_, i) => `2026-01-05T10:00:00.0000000Z line ${i}`);
    fake.logs.set(
      502,
      [...lines, '2026-01-05T10:00:01Z ##[error]Process completed with exit code 1.'].join('\n'),
    );
    fake.logs.set(501, 'built fine');
    const failed = await gh.provider.logTail?.(31, externalId);
    assert.equal(failed?.url, 'https://github.example.com/org/app/actions/runs/1/job/502');
    const shown = failed?.text.split('\n') ?? [];
    assert.equal(shown.at(-1), '##[error]Process completed with exit code 1.');
    assert.equal(shown.length, 60);
    assert.equal(shown[0], 'line 141');
    assert.equal((await gh.provider.logTail?.(31, externalId, 'build'))?.text, 'built fine');
    const logCall = fake.calls.find((c) => c.url === '/repos/org/app/actions/jobs/502/logs');
    assert.equal(logCall?.status, 302);
  });

  it('a rollback to a commit dispatches the default branch and records the deployment at the commit', async () => {
    const tag = fake.repos.get('org/app')?.tags.get('v1.0.0');
    assert.ok(tag);
    const sha = tag.slice(0, 12);
    const rollback = spec({
      runId: 41,
      kind: 'rollback',
      pipeline: 'deploy',
      ref: sha,
      params: { version: sha, environment: 'production', requested_by: 'bob' },
    });
    await gh.provider.trigger(rollback);
    const dispatch = fake.calls.find((c) => c.url.endsWith('/dispatches'));
    assert.deepEqual(dispatch?.body?.ref, 'main');
    assert.deepEqual(dispatch?.body?.inputs, { environment: 'production', version: sha });
    const deployment = fake.deployments.at(-1);
    assert.equal(deployment?.ref, sha);
    assert.equal(deployment?.description, `Rollback of ${sha} for bob (deckhand run #41)`);
    assert.equal(deployment?.statuses[0]?.state, 'in_progress');
  });

  it('marks the deployment as errored when the dispatch fails, and skips it when the pipeline opts out', async () => {
    const before = fake.deployments.length;
    fake.failNext('POST /repos/org/app/actions/workflows/deploy.yml/dispatches', { status: 500 });
    const deploy = spec({
      runId: 51,
      kind: 'deploy',
      pipeline: 'deploy',
      ref: 'v1.0.0',
      params: { version: 'v1.0.0', environment: 'staging' },
    });
    await assert.rejects(gh.provider.trigger(deploy), {
      message:
        'GitHub answered 500 Internal Server Error for workflow deploy.yml in org/app: try again in a moment.',
    });
    assert.deepEqual(
      fake.deployments.at(-1)?.statuses.map((s) => s.state),
      ['error'],
    );
    const optedOut = githubYaml.replace(
      'inputs: { environment: environment, version: version } }',
      'deployments: false, inputs: { environment: environment, version: version } }',
    );
    assert.notEqual(optedOut, githubYaml);
    await adapterFor(fake, {}, optedOut).provider.trigger({ ...deploy, runId: 52 });
    assert.equal(fake.deployments.length, before + 1);
  });
});
