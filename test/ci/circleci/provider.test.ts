import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProviderError } from '../../../src/core/errors.ts';
import { spec, startAdapter, token } from './fixtures.ts';

type Started = Awaited<ReturnType<typeof startAdapter>>;

describe('CircleCI provider against the CircleCI fake', () => {
  let s: Started;
  before(async () => {
    s = await startAdapter();
    s.fake.addPipeline('gh/org/app', { branch: 'develop' });
    s.fake.addPipeline('gh/org/app', { branch: 'release/1.0' });
    s.fake.addPipeline('gh/org/app', { tag: 'v1.0.0' });
    s.fake.addPipeline('gh/org/app', { branch: 'develop' });
  });
  after(() => s.close());

  const lastCall = (method: string, pattern: RegExp) =>
    s.fake.calls.filter((c) => c.method === method && pattern.test(c.rawPath)).at(-1);
  /** The body of the last trigger request. */
  const triggered = () => (lastCall('POST', /\/pipeline$/)?.body ?? {}) as Record<string, unknown>;

  it('lists the default branch and the branches of recent pipelines, once each', async () => {
    assert.deepEqual(await s.provider.listBranches('build'), ['main', 'develop', 'release/1.0']);
    const call = lastCall('GET', /\/api\/v2\/project\/gh\/org\/app\/pipeline/);
    assert.equal(call?.headers['circle-token'], token);
  });

  it('follows next_page_token through the recent pipelines', async () => {
    for (let i = 0; i < 22; i++)
      s.fake.addPipeline('gh/org/app', { branch: i === 0 ? 'old-branch' : 'main' });
    assert.ok((await s.provider.listBranches('build')).includes('develop'));
    assert.ok(s.fake.calls.some((c) => c.rawPath.includes('page-token=20')));
  });

  it('triggers a build on its branch with the mapped parameters and returns the id and pipeline page', async () => {
    const result = await s.provider.trigger(spec({ runId: 7, ref: 'release/1.0' }));
    const call = lastCall('POST', /\/pipeline$/);
    assert.equal(call?.rawPath, '/api/v2/project/gh/org/app/pipeline', 'the branch never reaches the URL');
    assert.deepEqual(call?.body, { branch: 'release/1.0', parameters: { deckhand_run: '7' } });
    const created = s.fake.pipelines.at(-1);
    assert.equal(result.externalId, created?.id);
    assert.equal(result.url, `${new URL(s.fake.url).origin}/pipelines/github/org/app/${created?.number}`);
  });

  it('deploys a version as a tag, a known branch as a branch, and refuses a commit', async () => {
    await s.provider.trigger(spec({ kind: 'deploy', ref: 'v1.1.0' }));
    assert.deepEqual(lastCall('POST', /\/pipeline$/)?.body, {
      tag: 'v1.1.0',
      parameters: {
        deploy_env: 'staging',
        deploy_version: 'v1.1.0',
        requested_by: 'alice',
        action: 'deploy',
      },
    });
    await s.provider.trigger(spec({ kind: 'deploy', ref: 'develop' }));
    assert.equal(triggered().branch, 'develop');
    await s.provider.trigger(spec({ kind: 'deploy', ref: 'nightly-2025' }));
    assert.equal(triggered().tag, 'nightly-2025');
    await assert.rejects(
      s.provider.trigger(spec({ kind: 'rollback', pipeline: 'deploy', ref: '3f2c1ab9e0d1' })),
      {
        message: /not at commit 3f2c1ab9e0d1: deploy a tag or a branch instead\./,
      },
    );
  });

  it('passes odd user values as parameter values only', async () => {
    const odd = 'feat/ünïcode;$(rm -rf /)&x=1 "q"';
    await s.provider.trigger(spec({ ref: odd, params: { branch: odd, requested_by: 'alice' } }));
    const call = lastCall('POST', /\/pipeline$/);
    assert.equal(call?.rawPath, '/api/v2/project/gh/org/app/pipeline');
    assert.equal((call?.body as { branch?: string } | undefined)?.branch, odd);
  });

  it('answers in one sentence when CircleCI refuses: 401, 404, 400, 429, 500', async () => {
    const cases: [number, unknown, string][] = [
      [
        401,
        { message: 'Invalid token provided.' },
        'CircleCI answered 401 Unauthorized: check CIRCLECI_TOKEN.',
      ],
      [
        404,
        { message: 'Project not found' },
        'CircleCI answered 404 Not Found for project gh/org/app ("Project not found"): check the project slug under repositories, CIRCLECI_TOKEN\'s access, and that .circleci/config.yml declares every parameter deckhand sends.',
      ],
      [
        429,
        { message: 'Rate limit exceeded' },
        'CircleCI answered 429 Too Many Requests: too many requests, try again in a minute.',
      ],
      [
        500,
        {},
        'CircleCI answered 500 Internal Server Error for project gh/org/app: CircleCI had a problem, try again shortly.',
      ],
    ];
    for (const [status, body, sentence] of cases) {
      s.fake.failNext(/POST .*\/pipeline$/, status, body);
      await assert.rejects(s.provider.trigger(spec({})), (error: Error) => {
        assert.ok(error instanceof ProviderError);
        assert.equal(error.message, sentence);
        assert.ok(!error.message.includes(token));
        return true;
      });
    }
  });

  it("names an undeclared parameter from CircleCI's answer", async () => {
    s.fake.projects[0]?.parameters?.splice(0, 1); // config.yml no longer declares deckhand_run
    await assert.rejects(s.provider.trigger(spec({})), {
      message:
        'CircleCI answered 400 Bad Request for project gh/org/app ("Unexpected argument(s): deckhand_run"): check pipelines.<name>.circleci.parameters against the parameters .circleci/config.yml declares (as type string).',
    });
    s.fake.projects[0]?.parameters?.unshift('deckhand_run');
  });

  it('does not follow a redirect, so the token never travels to another address', async () => {
    const elsewhere = `${new URL(s.fake.url).origin}/elsewhere`;
    s.fake.failNext(/GET .*\/project\/.*\/pipeline$/, 302, {}, { Location: elsewhere });
    await assert.rejects(s.provider.listBranches('build'), {
      message: 'CircleCI answered 302 Found for project gh/org/app: check CIRCLECI_API_URL.',
    });
    assert.ok(!s.fake.calls.some((c) => c.rawPath === '/elsewhere'));
  });

  it('rejects a wrong token with the 401 sentence', async () => {
    s.fake.tokens = ['someone-else'];
    try {
      await assert.rejects(s.provider.listBranches('build'), {
        message: 'CircleCI answered 401 Unauthorized: check CIRCLECI_TOKEN.',
      });
    } finally {
      s.fake.tokens = [token];
    }
  });

  it('cancels the running workflows of a run it started, by run id', async () => {
    await s.provider.trigger(spec({ runId: 41 }));
    const pipeline = s.fake.pipelines.at(-1);
    s.fake.setJob(pipeline?.id as string, 'build', 'running');
    assert.equal(await s.provider.cancel(41), true);
    assert.ok(lastCall('POST', /\/workflow\/[^/]+\/cancel$/));
    assert.equal(pipeline?.workflows[0]?.status, 'canceled');
    assert.equal(await s.provider.cancel(41), false, 'nothing left to cancel');
    assert.equal(await s.provider.cancel(999), false, 'a run it does not know');
  });

  it('reruns failed workflows from the failed jobs', async () => {
    const { externalId } = await s.provider.trigger(spec({ runId: 42 }));
    s.fake.setJob(externalId as string, 'build', 'success');
    s.fake.setJob(externalId as string, 'test', 'failed');
    assert.equal(await s.provider.rerun(42, externalId as string), true);
    assert.deepEqual(lastCall('POST', /\/rerun$/)?.body, { from_failed: true });
    assert.equal(await s.provider.rerun(42, externalId as string), false, 'the new workflow has not failed');
  });

  it('approves an approval job on hold, and only that', async () => {
    const { externalId } = await s.provider.trigger(spec({ kind: 'deploy', ref: 'v1.2.0' }));
    const id = externalId as string;
    assert.equal(await s.adapter.approve(id, 'release'), false, 'release is no approval job');
    assert.equal(await s.adapter.approve(id, 'hold'), true);
    const hold = s.fake.workflowOf(id, 'hold').jobs.find((j) => j.name === 'hold');
    assert.equal(hold?.status, 'success');
    assert.match(
      lastCall('POST', /\/approve\//)?.rawPath ?? '',
      new RegExp(`/approve/${hold?.approval_request_id}$`),
    );
    assert.equal(await s.adapter.approve(id, 'hold'), false, 'already approved');
  });

  it("gives the failed step's last lines, fetched without the token, and links the job", async () => {
    const { externalId } = await s.provider.trigger(spec({ runId: 43 }));
    const id = externalId as string;
    s.fake.setJob(id, 'build', 'success');
    const output = `${'npm ci\n'.repeat(300)}\u001b[31mFAIL\u001b[0m cart.test.js\r\nTests: 1 failed\n`;
    const job = s.fake.setJob(id, 'test', 'failed', { failedStep: 'Run tests', output });
    const tail = await s.provider.logTail(43, id);
    assert.ok(tail);
    assert.match(tail.text, /FAIL cart\.test\.js\nTests: 1 failed$/);
    assert.ok(tail.text.split('\n').length <= 200, 'bounded');
    const pipeline = s.fake.pipeline(id);
    assert.equal(
      tail.url,
      `${new URL(s.fake.url).origin}/pipelines/github/org/app/${pipeline.number}/workflows/${s.fake.workflowOf(id, 'test').id}/jobs/${job.job_number}`,
    );
    const fetched = s.fake.calls.filter((c) => c.rawPath.startsWith('/output/')).at(-1);
    assert.ok(fetched, 'the step output was read');
    assert.equal(fetched.headers['circle-token'], undefined, 'the token stays with the API');
  });

  it('falls back to a link where API v1.1 does not exist (GitHub App and GitLab projects)', async () => {
    const { externalId } = await s.provider.trigger(spec({ pipeline: 'lab' }));
    s.fake.setJob(externalId as string, 'unit-tests', 'failed');
    const tail = await s.provider.logTail(44, externalId as string);
    assert.equal(tail?.text, "The log of job 'unit-tests' is on CircleCI: open the full log.");
    assert.match(tail?.url ?? '', /\/pipelines\/circleci\/Org1d\/Proj1d\/\d+\/workflows\/.+\/jobs\/\d+$/);
  });

  it('cannot reach a closed CircleCI and says where it looked', async () => {
    const { fake } = s;
    await fake.close();
    // A pooled connection may see the close before a new one is refused.
    const sentence = (error: Error) =>
      new RegExp(
        `^Could not reach CircleCI at ${fake.url} \\((ECONNREFUSED|connection closed)\\): check CIRCLECI_API_URL\\.$`,
      ).test(error.message);
    await assert.rejects(s.provider.trigger(spec({})), sentence);
    await assert.rejects(s.provider.listBranches('build'), {
      message: `Could not reach CircleCI at ${fake.url} (ECONNREFUSED): check CIRCLECI_API_URL.`,
    });
  });
});
