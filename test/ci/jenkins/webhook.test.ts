import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { JenkinsFake } from '../../fakes/jenkins-api.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { adapterFor } from './adapter-context.ts';
import { failingBuild, jenkinsWithJobs, notification, webhookToken } from './jenkins-deckhand.ts';

describe('POST /webhooks/jenkins', () => {
  let fake: JenkinsFake;
  let app: FastifyInstance;
  let updates: ReturnType<typeof adapterFor>['updates'];
  let adapter: ReturnType<typeof adapterFor>['adapter'];

  before(async () => {
    fake = await jenkinsWithJobs();
    ({ adapter, updates } = adapterFor(fake));
    app = Fastify({ bodyLimit: 64 * 1024 });
    await app.register(adapter.routes as NonNullable<typeof adapter.routes>);
  });
  after(async () => {
    await app.close();
    await fake.close();
  });

  const post = (body: string, opts: { url?: string; type?: string; headers?: Record<string, string> } = {}) =>
    app.inject({
      method: 'POST',
      url: opts.url ?? `/webhooks/jenkins?token=${webhookToken}`,
      payload: body,
      headers: { 'content-type': opts.type ?? 'application/json;charset=UTF-8', ...opts.headers },
    });
  const event = (number: number, phase = 'STARTED', status?: string) =>
    JSON.stringify(notification('apps/app/main', number, phase, status));

  it('refuses a missing or wrong token with a bare 401, header or query, before reading the body', async () => {
    const cases: [string, Record<string, string>][] = [
      ['/webhooks/jenkins', {}],
      ['/webhooks/jenkins?token=wrong', {}],
      [`/webhooks/jenkins?token=${webhookToken}x`, {}],
      ['/webhooks/jenkins', { 'x-deckhand-token': 'wrong' }],
      ['/webhooks/jenkins', { 'x-deckhand-token': webhookToken.slice(0, -1) }],
    ];
    for (const [url, headers] of cases) {
      const res = await post('{not json', { url, headers });
      assert.equal(res.statusCode, 401, url);
      assert.equal(res.body, '');
    }
    assert.equal(updates.length, 0);
  });

  it('accepts the token as ?token= (the Notification plugin) or X-Deckhand-Token', async () => {
    assert.equal((await post(event(1))).statusCode, 202);
    const header = await post(event(2), {
      url: '/webhooks/jenkins',
      headers: { 'x-deckhand-token': webhookToken },
    });
    assert.equal(header.statusCode, 202);
    await eventually(() => updates.length === 2, 'both events applied');
    assert.deepEqual(
      updates.map((u) => [u.externalId, u.status, u.pipeline, u.ref]),
      [
        ['apps/app/main#1', 'running', 'build', 'main'],
        ['apps/app/main#2', 'running', 'build', 'main'],
      ],
    );
  });

  it('answers a repeated delivery of the same job, build and phase 200 and takes it no more', async () => {
    assert.equal((await post(event(3, 'QUEUED'))).statusCode, 202);
    const again = await post(event(3, 'QUEUED'));
    assert.equal(again.statusCode, 200, 'a 2xx: the plugin does not retry it');
    assert.match(again.json().ignored, /already delivered/);
    assert.equal((await post(event(3, 'STARTED'))).statusCode, 202, 'another phase is new');
  });

  it('answers malformed bodies 400, other content types 415, oversized bodies 413 — never 500', async () => {
    assert.equal((await post('{"name": ')).statusCode, 400);
    const missing = await post(JSON.stringify({ name: 'app', url: 'job/app/', build: { phase: 'STARTED' } }));
    assert.equal(missing.statusCode, 400);
    assert.match(missing.json().error, /build\.number/);
    assert.equal(
      (await post(JSON.stringify({ ...notification('apps/app/main', 5, 'DONE') }))).statusCode,
      400,
    );
    assert.equal((await post('[]')).statusCode, 400);
    assert.equal((await post('<JobState/>', { type: 'application/xml' })).statusCode, 415);
    assert.equal((await post('name=x', { type: 'application/x-www-form-urlencoded' })).statusCode, 415);
    const huge = JSON.stringify(
      notification('apps/app/main', 6, 'COMPLETED', 'FAILURE', { log: 'x'.repeat(300 * 1024) }),
    );
    assert.equal((await post(huge)).statusCode, 413);
  });

  it('answers 2xx and ignores a job no pipeline runs', async () => {
    const res = await post(JSON.stringify(notification('elsewhere/tool', 1, 'COMPLETED', 'SUCCESS')));
    assert.equal(res.statusCode, 200);
    assert.equal(
      updates.some((u) => u.externalId.startsWith('elsewhere')),
      false,
    );
  });

  it('a final event stops the polling of that build, and FINALIZED after COMPLETED changes nothing', async () => {
    fake.script('apps/app', { ...failingBuild, hold: true });
    const { adapter: polled, provider, updates: seen } = adapterFor(fake);
    const hooks = Fastify();
    await hooks.register(polled.routes as NonNullable<typeof polled.routes>);
    try {
      const { externalId } =
        (await provider.trigger({
          runId: 9,
          kind: 'build',
          pipeline: 'build',
          ref: 'develop',
          params: {},
        })) ?? {};
      const number = Number(externalId?.split('#')[1]);
      fake.complete('apps/app/develop', number);
      const send = (phase: string) =>
        hooks.inject({
          method: 'POST',
          url: `/webhooks/jenkins?token=${webhookToken}`,
          payload: notification('apps/app/develop', number, phase, 'FAILURE'),
        });
      assert.equal((await send('COMPLETED')).statusCode, 202);
      await eventually(() => seen.some((u) => u.status === 'failed'), 'the failure from the webhook');
      assert.equal((await send('FINALIZED')).statusCode, 202);
      await polled.start?.();
      const calls = fake.calls.length;
      // Nothing to wait for when nothing happens: a later build is polled to its end, this one not at all.
      fake.script('apps/app', { result: 'SUCCESS', runningPolls: 0, log: ['ok'] });
      await provider.trigger({ runId: 10, kind: 'build', pipeline: 'build', ref: 'main', params: {} });
      await eventually(() => seen.some((u) => u.status === 'succeeded'), 'the later build polled to the end');
      const buildPolls = fake.calls.slice(calls).filter((c) => c.job === 'apps/app/develop');
      assert.deepEqual(buildPolls, [], 'the finished build was not polled again');
      assert.equal(seen.filter((u) => u.externalId === externalId).length, 1, 'one update for that build');
      assert.match(seen[0]?.reason ?? '', /Stage 'Test' failed at step 'Shell Script'/);
    } finally {
      await polled.stop?.();
      await hooks.close();
    }
  });
});
