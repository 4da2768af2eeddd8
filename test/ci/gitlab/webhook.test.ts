import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { GitlabProvider } from '../../../src/ci/gitlab/provider.ts';
import { type GitlabFake, startGitlabFake } from '../../fakes/gitlab-api.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { ci, gitlabAdapterFor, TOKEN, WEBHOOK_TOKEN } from './adapter-context.ts';
import { deploymentHook, jobHook, pipelineHook } from './payloads.ts';

const app = { id: 100, path: 'group/app' };
let delivery = 0;

describe('POST /webhooks/gitlab', () => {
  let fake: GitlabFake;
  let server: FastifyInstance;
  let built: ReturnType<typeof gitlabAdapterFor>;
  before(async () => {
    fake = await startGitlabFake({ tokens: [TOKEN] });
    fake.addProject({ id: 100, path: 'group/app', branches: ['main'], tags: ['v1.2.0'], ci });
  });
  beforeEach(async () => {
    built = gitlabAdapterFor(fake);
    server = Fastify({ bodyLimit: 64 * 1024 }); // deckhand's default server.bodyLimit
    if (built.adapter.routes) await server.register(built.adapter.routes);
  });
  afterEach(async () => {
    await server.close();
    await built.adapter.stop?.();
  });
  after(() => fake.close());

  const send = (
    event: string,
    body: unknown,
    headers: Record<string, string | undefined> = {},
    contentType = 'application/json',
  ) =>
    server.inject({
      method: 'POST',
      url: '/webhooks/gitlab',
      payload: typeof body === 'string' ? body : JSON.stringify(body),
      headers: Object.fromEntries(
        Object.entries({
          'content-type': contentType,
          'x-gitlab-event': event,
          'x-gitlab-token': WEBHOOK_TOKEN,
          'idempotency-key': `delivery-${++delivery}`,
          ...headers,
        }).filter((e): e is [string, string] => e[1] !== undefined),
      ),
    });
  const running = (id: number) =>
    pipelineHook({
      project: app,
      id,
      ref: 'main',
      status: 'running',
      builds: [{ id: 1, name: 'compile', stage: 'build', status: 'running' }],
    });
  let sentinel = 9000;
  /**
   * Waits until deliveries sent so far have been processed, without a fixed sleep: a later delivery
   * for another project (which waits for nothing) is processed, then taken out of the updates.
   */
  const settle = async () => {
    const id = ++sentinel;
    await send(
      'Pipeline Hook',
      pipelineHook({ project: { id: 200, path: 'ops/tools' }, id, ref: 'main', status: 'running' }),
    );
    const mine = (u: { externalId: string }) => u.externalId === String(id);
    await eventually(() => built.updates.some(mine), 'a later delivery to be processed');
    built.updates.splice(built.updates.findIndex(mine), 1);
  };

  it('turns a Pipeline Hook into an update for the pipeline of its project', async () => {
    const res = await send('Pipeline Hook', running(301));
    assert.equal(res.statusCode, 200);
    await eventually(() => built.updates.length === 1, 'the update');
    const [update] = built.updates;
    assert.equal(update?.provider, 'gitlab');
    assert.equal(update?.externalId, '301');
    assert.equal(update?.pipeline, 'build');
    assert.equal(update?.status, 'running');
  });

  const refused: [string, Record<string, string | undefined>][] = [
    ['no token', { 'x-gitlab-token': undefined }],
    ['a wrong token', { 'x-gitlab-token': 'gitlab-hook-secret-43' }],
    ['a token that only starts right', { 'x-gitlab-token': `${WEBHOOK_TOKEN}x` }],
  ];
  for (const [what, headers] of refused) {
    it(`answers a bare 401 to ${what}, and does nothing`, async () => {
      const res = await send('Pipeline Hook', running(302), headers);
      assert.equal(res.statusCode, 401);
      assert.equal(res.body, '');
      await settle();
      assert.equal(built.updates.length, 0);
    });
  }

  it('refuses everything when no webhook token is configured', async () => {
    const bare = gitlabAdapterFor(fake, { GITLAB_WEBHOOK_TOKEN: undefined });
    const s = Fastify();
    if (bare.adapter.routes) await s.register(bare.adapter.routes);
    const res = await s.inject({
      method: 'POST',
      url: '/webhooks/gitlab',
      payload: JSON.stringify(running(303)),
      headers: {
        'content-type': 'application/json',
        'x-gitlab-event': 'Pipeline Hook',
        'x-gitlab-token': '',
      },
    });
    assert.equal(res.statusCode, 401);
    await s.close();
  });

  it('takes a delivery once: a retry with the same Idempotency-Key is acknowledged and ignored', async () => {
    const first = await send('Pipeline Hook', running(304), { 'idempotency-key': 'same-key' });
    const again = await send('Pipeline Hook', running(304), { 'idempotency-key': 'same-key' });
    assert.equal(first.statusCode, 200);
    // GitLab permanently disables a webhook that answers 4xx, so a retry it sent is answered 200.
    assert.equal(again.statusCode, 200);
    await settle();
    assert.equal(built.updates.length, 1);
  });

  it('falls back to X-Gitlab-Event-UUID when GitLab sends no Idempotency-Key', async () => {
    const headers = { 'idempotency-key': undefined, 'x-gitlab-event-uuid': 'uuid-1' };
    await send('Pipeline Hook', running(305), headers);
    await send('Pipeline Hook', running(305), headers);
    await settle();
    assert.equal(built.updates.length, 1);
  });

  const bad: [string, () => Promise<{ statusCode: number }>, number][] = [
    ['malformed JSON', () => send('Pipeline Hook', '{"object_kind": "pipeline",'), 400],
    [
      'a Job Hook body under a Pipeline Hook header',
      () =>
        send(
          'Pipeline Hook',
          jobHook({
            project: app,
            pipelineId: 1,
            ref: 'main',
            pipelineStatus: 'running',
            build: { id: 1, name: 'a', stage: 'b', status: 'running' },
          }),
        ),
      400,
    ],
    [
      'a pipeline without its id',
      () => send('Pipeline Hook', { object_kind: 'pipeline', object_attributes: {}, project: { id: 1 } }),
      400,
    ],
    [
      'a form-encoded body',
      () => send('Pipeline Hook', 'object_kind=pipeline', {}, 'application/x-www-form-urlencoded'),
      415,
    ],
    ['a body over 1 MiB', () => send('Pipeline Hook', { padding: 'x'.repeat(1_100_000) }), 413],
  ];
  for (const [what, call, status] of bad) {
    it(`answers ${status} to ${what}, never 500`, async () => {
      assert.equal((await call()).statusCode, status);
      await settle();
      assert.equal(built.updates.length, 0);
    });
  }

  it('accepts a Pipeline Hook listing hundreds of jobs, over the server-wide body limit', async () => {
    const builds = Array.from({ length: 300 }, (_, i) => ({
      id: i + 1,
      name: `job-${i}`,
      stage: 'test',
      status: 'success',
    }));
    const body = pipelineHook({ project: app, id: 310, ref: 'main', status: 'success', builds });
    assert.ok(JSON.stringify(body).length > 64 * 1024);
    assert.equal((await send('Pipeline Hook', body)).statusCode, 200);
    await eventually(() => built.updates.length === 1, 'the update');
    assert.equal(built.updates[0]?.steps?.length, 300);
  });

  it('after a restart, still reads a deploy it created as the deploy, by its variables', async () => {
    const variables = [
      { key: 'DEPLOY_ENV', value: 'staging' },
      { key: 'DEPLOY_VERSION', value: 'v1.2.0' },
    ];
    const builds = [
      { id: 1, name: 'compile', stage: 'build', status: 'success' },
      { id: 2, name: 'deploy', stage: 'deploy', status: 'manual' },
    ];
    await send(
      'Pipeline Hook',
      pipelineHook({ project: app, id: 320, ref: 'v1.2.0', status: 'success', builds, variables }),
    );
    await send(
      'Job Hook',
      jobHook({
        project: app,
        pipelineId: 320,
        ref: 'v1.2.0',
        pipelineStatus: 'running',
        build: { id: 2, name: 'deploy', stage: 'deploy', status: 'failed' },
      }),
    );
    await eventually(() => built.updates.length === 2, 'both updates');
    const [pipeline, job] = built.updates;
    assert.equal(pipeline?.pipeline, 'deploy');
    assert.equal(pipeline?.status, 'running', 'the deploy job still waits: not the build that succeeded');
    assert.equal(job?.pipeline, 'deploy');
    assert.equal(job?.status, 'failed');
  });

  it('hands the updates of one project over one at a time, in arrival order', async () => {
    const started: string[] = [];
    let open: (value?: unknown) => void = () => undefined;
    const gate = new Promise((resolve) => {
      open = resolve;
    });
    await server.close();
    built = gitlabAdapterFor(fake, {}, async (u) => {
      started.push(u.externalId);
      if (u.externalId === '401') await gate;
    });
    server = Fastify();
    if (built.adapter.routes) await server.register(built.adapter.routes);
    await send('Pipeline Hook', running(401));
    await send('Pipeline Hook', running(402));
    await settle(); // another project's delivery goes through meanwhile
    assert.deepEqual(
      started.filter((id) => id !== String(sentinel)),
      ['401'],
    );
    open();
    await eventually(() => built.updates.length === 2, 'both updates');
    assert.deepEqual(
      built.updates.map((u) => u.externalId),
      ['401', '402'],
    );
  });

  it('checks the token before reading the body', async () => {
    const res = await send('Pipeline Hook', '{not json', { 'x-gitlab-token': 'wrong' });
    assert.equal(res.statusCode, 401);
  });

  it('acknowledges events it does not read, and projects it does not know, with 200 and nothing else', async () => {
    assert.equal((await send('Push Hook', { object_kind: 'push' })).statusCode, 200);
    const other = pipelineHook({
      project: { id: 9, path: 'someone/else' },
      id: 306,
      ref: 'main',
      status: 'failed',
    });
    assert.equal((await send('Pipeline Hook', other)).statusCode, 200);
    await settle();
    assert.equal(built.updates.length, 0);
  });

  it('turns a Deployment Hook into an update of the pipeline of the job that deployed', async () => {
    const provider = built.adapter.provider as GitlabProvider;
    const { externalId } = await provider.trigger({
      runId: 1,
      kind: 'deploy',
      pipeline: 'deploy',
      ref: 'v1.2.0',
      params: { version: 'v1.2.0', environment: 'staging' },
    });
    const job = fake.job(Number(externalId), 'deploy');
    if (job) job.status = 'failed';
    await send(
      'Deployment Hook',
      deploymentHook({ project: app, status: 'failed', environment: 'staging', jobId: job?.id ?? 0 }),
    );
    await eventually(() => built.updates.length === 1, 'the deployment update');
    const [update] = built.updates;
    assert.equal(update?.externalId, externalId);
    assert.equal(update?.pipeline, 'deploy');
    assert.equal(update?.status, 'failed');
    assert.equal(update?.environment, 'staging');
    assert.equal(update?.reason, "Job 'deploy' failed at stage 'deploy': script failure.");
  });

  it('waits for a pipeline creation under way, so an early webhook finds the run that created it', async () => {
    const provider = built.adapter.provider as GitlabProvider;
    const next = Math.max(...fake.pipelines.keys(), 1000) + 1;
    const release = fake.holdNext('POST /projects/:id/pipeline');
    const trigger = provider.trigger({
      runId: 2,
      kind: 'deploy',
      pipeline: 'deploy',
      ref: 'main',
      params: {},
    });
    await send(
      'Pipeline Hook',
      pipelineHook({
        project: app,
        id: next,
        ref: 'main',
        status: 'created',
        builds: [{ id: 1, name: 'deploy', stage: 'deploy', status: 'created' }],
      }),
    );
    await settle();
    assert.equal(built.updates.length, 0, 'the webhook waits for the creation to answer');
    release();
    assert.equal((await trigger).externalId, String(next));
    await eventually(() => built.updates.length === 1, 'the update');
    assert.equal(built.updates[0]?.pipeline, 'deploy', 'not the build pipeline a push would go to');
    assert.equal(built.updates[0]?.kind, 'deploy');
  });
});
