import assert from 'node:assert/strict';
import net from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { JenkinsClient } from '../../../src/ci/jenkins/client.ts';
import { JenkinsHttp } from '../../../src/ci/jenkins/http.ts';
import { readLogTail } from '../../../src/ci/jenkins/log-tail.ts';
import { ProviderError } from '../../../src/core/errors.ts';
import type { JenkinsFake } from '../../fakes/jenkins-api.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { adapterFor, spec } from './adapter-context.ts';
import { apiToken, failingBuild, jenkinsWithJobs, user } from './jenkins-deckhand.ts';

describe('the Jenkins provider against the fake', () => {
  let fake: JenkinsFake;
  before(async () => {
    fake = await jenkinsWithJobs();
    fake.addJob('team a/app ü', 'pipeline');
  });
  after(() => fake.close());
  afterEach(() => {
    fake.queuePolls = 2;
    fake.cancelQueue = false;
  });

  it('triggers with mapped, form-encoded parameters and waits for the queue item to become a build', async () => {
    const { provider } = adapterFor(fake);
    const result = await provider.trigger(
      spec('deploy', 'v1.2.0', { version: 'v1.2.0', environment: 'staging' }, 7),
    );
    assert.deepEqual(result, {
      externalId: 'apps/deploy#1',
      url: `${fake.url}/job/apps/job/deploy/1/`,
    });
    const post = fake.calls.find((c) => c.method === 'POST' && c.job === 'apps/deploy');
    assert.equal(post?.url, '/job/apps/job/deploy/buildWithParameters');
    // `suite` has no value for a deploy: the parameter is left to its Jenkins default.
    assert.deepEqual(post?.form, { VERSION: 'v1.2.0', TARGET_ENV: 'staging', NOTE: 'from chat' });
    assert.equal(fake.calls.filter((c) => c.url === '/queue/item/100/api/json').length, 3);
  });

  it('encodes folder names as path segments and uses /build when no parameters are mapped', async () => {
    const { provider } = adapterFor(fake);
    const result = await provider.trigger(spec('plain', 'main'));
    assert.equal(result?.externalId, 'team a/app ü#1');
    assert.ok(
      fake.calls.some((c) => c.method === 'POST' && c.url === '/job/team%20a/job/app%20%C3%BC/build'),
    );
  });

  it('builds the branch job of a multibranch project, a slash in the branch encoded twice', async () => {
    const { provider } = adapterFor(fake);
    assert.deepEqual(await provider.listBranches('build'), ['main', 'develop', 'release/1.0']);
    const result = await provider.trigger(spec('build', 'release/1.0'));
    assert.equal(result?.externalId, 'apps/app/release%2F1.0#1');
    const post = fake.calls.find((c) => c.method === 'POST' && c.job === 'apps/app/release%2F1.0');
    assert.equal(post?.url, '/job/apps/job/app/job/release%252F1.0/buildWithParameters');
    assert.deepEqual(post?.form, { BRANCH: 'release/1.0' });
  });

  it('a plain job lists only the default branch; refs pass through to it', async () => {
    const { provider } = adapterFor(fake);
    assert.deepEqual(await provider.listBranches('deploy'), ['main']);
    assert.equal(await provider.hasRef?.('deploy', 'anything-goes'), true);
  });

  it('hasRef on a multibranch project: existing branches, tags and commits yes, unknown branches no', async () => {
    const { provider } = adapterFor(fake);
    assert.equal(await provider.hasRef?.('build', 'develop'), true);
    assert.equal(await provider.hasRef?.('build', 'v2.1.0'), true);
    assert.equal(await provider.hasRef?.('build', '3f2c1ab'), true);
    assert.equal(await provider.hasRef?.('build', 'feature-x'), false);
  });

  it('a cancelled queue item is a ProviderError', async () => {
    fake.cancelQueue = true;
    const { provider } = adapterFor(fake);
    await assert.rejects(provider.trigger(spec('deploy', 'v1')), (e: Error) => {
      assert.ok(e instanceof ProviderError);
      assert.match(e.message, /^Jenkins cancelled the queued build of apps\/deploy: /);
      return true;
    });
  });

  it('a build still queued at the deadline is followed by the poller, which reports its number', async () => {
    fake.queuePolls = 1_000;
    const { adapter, provider, updates } = adapterFor(fake, {}, 50);
    const result = await provider.trigger(spec('deploy', 'v3', {}, 42));
    assert.equal(result?.externalId, undefined);
    assert.equal(result?.url, `${fake.url}/job/apps/job/deploy/`);
    fake.queuePolls = 0;
    fake.script('apps/deploy', { result: 'SUCCESS', runningPolls: 0, log: ['ok'] });
    await adapter.start?.();
    try {
      await eventually(() => updates.some((u) => u.status === 'succeeded'), 'the build to be reported');
    } finally {
      await adapter.stop?.();
    }
    const done = updates.find((u) => u.status === 'succeeded');
    assert.match(done?.externalId ?? '', /^apps\/deploy#\d+$/);
    assert.equal(done?.pipeline, 'deploy');
    assert.equal(done?.ref, 'v3');
  });

  it('polls a running build until it ends, reporting only changes; a freestyle failure names its build step', async () => {
    fake.script('apps/deploy', {
      result: 'FAILURE',
      runningPolls: 2,
      log: [
        '+ ./deploy.sh staging',
        'permission denied',
        "Build step 'Execute shell' marked build as failure",
        'Finished: FAILURE',
      ],
    });
    const { adapter, provider, updates } = adapterFor(fake);
    const { externalId } = (await provider.trigger(spec('deploy', 'v4'))) ?? {};
    await adapter.start?.();
    try {
      await eventually(() => updates.some((u) => u.status === 'failed'), 'the failure');
    } finally {
      await adapter.stop?.();
    }
    assert.deepEqual(
      updates.map((u) => u.status),
      ['running', 'failed'],
    );
    const failed = updates.at(-1);
    assert.equal(failed?.externalId, externalId);
    const number = externalId?.split('#')[1];
    assert.equal(
      failed?.reason,
      `Jenkins job 'apps/deploy' #${number} failed at build step 'Execute shell'.`,
    );
    assert.equal(failed?.durationMs, 4200);
    const tail = await provider.logTail?.(1, externalId as string);
    assert.match(tail?.text ?? '', /permission denied[\s\S]*Finished: FAILURE/);
    assert.equal(tail?.url, `${fake.url}/job/apps/job/deploy/${number}/console`);
  });

  it('Pipeline builds report stages as steps; UNSTABLE is a failure that says so, with commit and test counts', async () => {
    fake.script('apps/app', {
      ...failingBuild,
      result: 'UNSTABLE',
      runningPolls: 1,
      stages: [
        { name: 'Build' },
        { name: 'Test', status: 'UNSTABLE', steps: [{ name: 'Publish JUnit', status: 'UNSTABLE' }] },
      ],
      tests: { total: 10, failed: 2, skipped: 1 },
    });
    const { adapter, provider, updates } = adapterFor(fake);
    await provider.trigger(spec('build', 'develop'));
    await adapter.start?.();
    try {
      await eventually(() => updates.some((u) => u.status === 'failed'), 'the unstable build');
    } finally {
      await adapter.stop?.();
    }
    const running = updates[0];
    assert.deepEqual(
      running?.steps?.map((s) => [s.name, s.status]),
      [
        ['Build', 'running'],
        ['Test', 'queued'],
      ],
    );
    const failed = updates.at(-1);
    assert.equal(failed?.reason, "Stage 'Test' was marked unstable at step 'Publish JUnit'.");
    assert.deepEqual(failed?.tests, { total: 10, failed: 2, skipped: 1, failures: [] });
    assert.deepEqual(failed?.commit, {
      sha: failingBuild.commit.sha,
      message: 'Speed up checkout',
      author: 'Alice',
      authorEmail: 'alice@example.com',
    });
    assert.equal(failed?.ref, 'develop');
  });

  it('cancel stops a running build; the poller then reports it cancelled', async () => {
    fake.script('apps/deploy', { result: 'SUCCESS', hold: true, log: ['waiting'] });
    const { adapter, provider, updates } = adapterFor(fake);
    const { externalId } = (await provider.trigger(spec('deploy', 'v5', {}, 5))) ?? {};
    assert.equal(await provider.cancel(5), true);
    const number = externalId?.split('#')[1];
    assert.ok(fake.calls.some((c) => c.method === 'POST' && c.url === `/job/apps/job/deploy/${number}/stop`));
    await adapter.start?.();
    try {
      await eventually(() => updates.some((u) => u.status === 'cancelled'), 'the cancelled build');
    } finally {
      await adapter.stop?.();
    }
    assert.equal(await provider.cancel(5, externalId), false, 'not running any more');
    assert.equal(await provider.cancel(99), false, 'unknown run');
  });

  it('rerun is a new build of the same job with the same parameters', async () => {
    fake.script('apps/deploy', { result: 'SUCCESS', runningPolls: 0, log: ['ok'] });
    const { provider } = adapterFor(fake);
    const first = await provider.trigger(spec('deploy', 'v6', { version: 'v6', environment: 'prod' }));
    const before = fake.calls.length;
    assert.equal(await provider.rerun?.(1, first?.externalId as string), true);
    const post = fake.calls.slice(before).find((c) => c.method === 'POST');
    assert.deepEqual(post?.form, { VERSION: 'v6', TARGET_ENV: 'prod', NOTE: 'from chat' });
  });

  it('follows X-Text-Size and X-More-Data while a build is still writing its log', async () => {
    fake.script('apps/deploy', { result: 'SUCCESS', hold: true, log: ['one', 'two', 'three', 'four'] });
    const { provider } = adapterFor(fake);
    const { externalId } = (await provider.trigger(spec('deploy', 'v7'))) ?? {};
    const number = Number(externalId?.split('#')[1]);
    const client = new JenkinsClient(
      new JenkinsHttp({ settings: { url: fake.url, user, token: apiToken, pollIntervalMs: 1 } }),
    );
    const before = fake.calls.length;
    const text = await readLogTail(client, 'apps/deploy', number, { followUps: 3, waitMs: 1 });
    assert.equal(text, 'one\ntwo\nthree\nfour');
    const starts = fake.calls.slice(before).map((c) => /start=(\d+)/.exec(c.url)?.[1]);
    assert.deepEqual(starts, ['0', '8', '14', '19']);
    fake.complete('apps/deploy', number);
  });

  it('names what failed in one sentence: 401, 403, 404, 5xx, unreachable, timeout', async () => {
    const sentence = async (promise: Promise<unknown>) => {
      try {
        await promise;
      } catch (e) {
        assert.ok(e instanceof ProviderError, String(e));
        return e.message;
      }
      assert.fail('expected a ProviderError');
    };
    const wrong = adapterFor(fake, { JENKINS_TOKEN: 'nope' }).provider;
    assert.equal(
      await sentence(wrong.listBranches('build')),
      'Jenkins answered 401 Unauthorized: check JENKINS_USER and JENKINS_TOKEN.',
    );
    const { provider } = adapterFor(fake);
    assert.equal(
      await sentence(provider.listBranches('ghost')),
      'Jenkins answered 404 Not Found for job apps/nope: check pipelines.ghost.jenkins.job.',
    );
    fake.failNext(403, /buildWithParameters$/);
    assert.match(
      await sentence(provider.trigger(spec('deploy', 'v8'))),
      /^Jenkins answered 403 Forbidden for job apps\/deploy: check that JENKINS_USER may read and build it/,
    );
    fake.failNext(503);
    assert.equal(
      await sentence(provider.listBranches('build')),
      'Jenkins answered 503 Service Unavailable for job apps/app: try again shortly, or check that Jenkins is healthy.',
    );
    const missing = adapterFor(fake, { JENKINS_USER: '' }).provider;
    assert.equal(
      await sentence(missing.listBranches('build')),
      'Jenkins credentials are missing: set JENKINS_USER and JENKINS_TOKEN.',
    );

    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const slow = new JenkinsClient(
      new JenkinsHttp({
        settings: { url: `http://127.0.0.1:${port}`, user, token: apiToken, pollIntervalMs: 1 },
        timeoutMs: 100,
      }),
    );
    try {
      assert.equal(
        await sentence(slow.job('apps/app')),
        `Jenkins at http://127.0.0.1:${port} did not answer within 100 ms: check JENKINS_URL and whether Jenkins is overloaded.`,
      );
    } finally {
      silent.close();
    }
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const gone = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const secret = adapterFor(fake, {
      JENKINS_URL: `http://deckhand:${apiToken}@127.0.0.1:${gone}/`,
    }).provider;
    const unreachable = await sentence(secret.listBranches('build'));
    assert.equal(
      unreachable,
      `Could not reach Jenkins at http://127.0.0.1:${gone} (ECONNREFUSED): check JENKINS_URL.`,
    );
    assert.ok(!unreachable.includes(apiToken), 'the token never appears');
  });
});
