import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { signCircleciBody } from '../../../src/ci/circleci/verify.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { spec, startAdapter, webhookSecret } from './fixtures.ts';
import { githubWorkflowCompleted, jobCompleted, workflowCompleted } from './payloads.ts';

type Started = Awaited<ReturnType<typeof startAdapter>>;

describe('POST /webhooks/circleci', () => {
  let s: Started;
  let app: FastifyInstance;
  before(async () => {
    s = await startAdapter();
    app = Fastify();
    if (s.adapter.routes) await app.register(s.adapter.routes);
  });
  after(async () => {
    await app.close();
    await s.close();
  });

  const post = (body: string, o: { signature?: string; type?: string | null; contentType?: string } = {}) => {
    const headers: Record<string, string> = {
      'content-type': o.contentType ?? 'application/json',
      'user-agent': 'CircleCI-Webhook/1.0',
      'circleci-signature': o.signature ?? `v1=${signCircleciBody(webhookSecret, body)}`,
    };
    if (o.type !== null)
      headers['circleci-event-type'] = o.type ?? (JSON.parse(body) as { type: string }).type;
    return app.inject({ method: 'POST', url: '/webhooks/circleci', payload: body, headers });
  };

  it('turns a signed job-completed into an update listing every job of the pipeline', async () => {
    const { externalId } = await s.provider.trigger(spec({ runId: 5 }));
    const id = externalId as string;
    s.fake.setJob(id, 'build', 'success');
    const res = await post(JSON.stringify(jobCompleted(s.fake, id, 'build')));
    assert.equal(res.statusCode, 202);
    await eventually(() => s.updates.some((u) => u.externalId === id), 'the update');
    const update = s.updates.find((u) => u.externalId === id);
    assert.equal(update?.pipeline, 'build');
    assert.equal(update?.status, 'running');
    assert.equal(update?.ref, 'main');
    assert.deepEqual(
      update?.steps?.map((st) => [st.name, st.status]),
      [
        ['build', 'succeeded'],
        ['test', 'queued'],
      ],
    );
    assert.equal(update?.commit?.authorEmail, 'alice@example.com');
  });

  it('accepts v1 among several signature versions', async () => {
    const body = JSON.stringify(githubWorkflowCompleted());
    const res = await post(body, { signature: `v2=abc,v1=${signCircleciBody(webhookSecret, body)}` });
    assert.equal(res.statusCode, 202);
  });

  it('refuses forged, unsigned and wrongly typed deliveries with a bare 4xx', async () => {
    const body = JSON.stringify(githubWorkflowCompleted());
    const forged = await post(body, { signature: `v1=${signCircleciBody('guess', body)}` });
    assert.equal(forged.statusCode, 401);
    assert.equal(forged.body, '');
    assert.equal((await post(body, { signature: '' })).statusCode, 401);
    assert.equal(
      (await post(body.replace('main', 'evil'), { signature: `v1=${signCircleciBody(webhookSecret, body)}` }))
        .statusCode,
      401,
    );
    assert.equal((await post(body, { contentType: 'text/plain' })).statusCode, 415);
    assert.equal((await post('x'.repeat(300 * 1024), { type: 'workflow-completed' })).statusCode, 413);
  });

  it('answers 400 to signed bodies it cannot read', async () => {
    const cases: [string, string, RegExp][] = [
      ['{not json', 'workflow-completed', /not valid JSON/],
      ['[1,2]', 'workflow-completed', /not a JSON object/],
      ['{"type":"workflow-completed"}', 'workflow-completed', /no id/],
      [
        JSON.stringify({ ...githubWorkflowCompleted(), pipeline: undefined }),
        'workflow-completed',
        /pipeline/,
      ],
      [JSON.stringify(githubWorkflowCompleted()), 'job-completed', /header says job-completed/],
    ];
    for (const [body, type, error] of cases) {
      const res = await post(body, { type });
      assert.equal(res.statusCode, 400, body.slice(0, 40));
      assert.match(res.json().error, error);
    }
  });

  it('acknowledges and ignores other event types and projects deckhand does not know', async () => {
    const ping = await post(
      JSON.stringify({ id: 'p-1', type: 'ping', happened_at: new Date().toISOString() }),
    );
    assert.equal(ping.statusCode, 200);
    assert.deepEqual(ping.json(), { ignored: 'event type ping' });
    const other = githubWorkflowCompleted();
    other.project.slug = 'github/org/someone-elses';
    const before = s.updates.length;
    const res = await post(JSON.stringify(other));
    assert.equal(res.statusCode, 200);
    assert.match(res.json().ignored, /project github\/org\/someone-elses runs no deckhand pipeline/);
    assert.equal(s.updates.length, before);
  });

  it('ignores a duplicate delivery: no second API read, no second update', async () => {
    const { externalId } = await s.provider.trigger(spec({ runId: 6 }));
    const id = externalId as string;
    s.fake.setJob(id, 'build', 'success');
    s.fake.setJob(id, 'test', 'success');
    const body = JSON.stringify(workflowCompleted(s.fake, id));
    assert.equal((await post(body)).statusCode, 202);
    await eventually(() => s.updates.some((u) => u.externalId === id && u.status === 'succeeded'), 'success');
    const calls = s.fake.calls.length;
    const updates = s.updates.length;
    const again = await post(body);
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json(), { ignored: 'duplicate delivery' });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(s.fake.calls.length, calls);
    assert.equal(s.updates.length, updates);
  });

  it('still reports from the webhook alone when the API cannot be read', async () => {
    const { externalId } = await s.provider.trigger(spec({ runId: 8 }));
    const id = externalId as string;
    s.fake.setJob(id, 'build', 'failed');
    s.fake.failNext(/GET .*\/pipeline\/[^/]+\/workflow$/, 503);
    assert.equal((await post(JSON.stringify(jobCompleted(s.fake, id, 'build')))).statusCode, 202);
    await eventually(() => s.updates.some((u) => u.externalId === id), 'the fallback update');
    const update = s.updates.find((u) => u.externalId === id);
    assert.equal(update?.status, 'running');
    assert.deepEqual(update?.step && [update.step.name, update.step.status], ['build', 'failed']);
  });
});
