import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { executor, who } from './setup.ts';

const token = 'rb-token-5f1c9a7e2d';

describe('runbook http step', () => {
  let server: FastifyInstance;
  let base: string;
  const seen: { url: string; headers: Record<string, unknown>; body: unknown }[] = [];
  before(async () => {
    server = Fastify();
    // Echoes what it was sent, the Authorization header included: output must not show it.
    server.post('/drain/*', async (request, reply) => {
      seen.push({ url: request.url, headers: request.headers, body: request.body });
      if (request.url.endsWith('/worker')) return reply.code(503).send({ error: 'busy' });
      if (request.url.endsWith('/moved')) return reply.redirect('/elsewhere', 302);
      return { drained: true, authorization: request.headers.authorization };
    });
    server.all('/elsewhere', async (request) => {
      seen.push({ url: request.url, headers: request.headers, body: request.body });
      return {};
    });
    base = await server.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => server.close());

  const runbooks = () => ({
    drain: {
      summary: 'drain a service',
      roles: ['sre'],
      args: [{ name: 'service', pattern: '.+' }],
      steps: [
        {
          name: 'drain',
          http: {
            method: 'POST',
            url: `${base}/drain/{{service}}`,
            headers: { 'x-requested-by': 'deckhand' },
            // As deckhand.yaml's `${OPS_TOKEN}` would have resolved it.
            secretHeaders: { Authorization: `Bearer ${token}` },
            body: '{"service":"{{service}}"}',
            expect: 200,
          },
        },
      ],
    },
  });

  it('sends the secret header and a JSON-escaped body; the secret never shows in output, chat or audit', async () => {
    const { service, stores, sent } = await executor(runbooks());
    const value = 'web "edge"\n$(id)';
    await service.start('drain', { service: value }, who());
    await service.idle();
    const request = seen.at(-1);
    assert.equal(request?.url, `/drain/${encodeURIComponent(value)}`);
    assert.equal(request?.headers.authorization, `Bearer ${token}`);
    assert.equal(request?.headers['x-requested-by'], 'deckhand');
    assert.deepEqual(request?.body, { service: value }, 'the body is valid JSON holding the value as typed');
    assert.equal((await stores.runbookRuns.get(1))?.status, 'succeeded');
    const steps = await stores.runbookRuns.steps(1);
    assert.match(steps[0]?.summary ?? '', /^POST 127\.0\.0\.1:\d+ → HTTP 200$/);
    assert.match(steps[0]?.log ?? '', /"authorization":"(Bearer )?\[redacted\]"/);
    const everything = JSON.stringify([steps, sent, await stores.audit.recent(20), await service.log(1)]);
    assert.equal(everything.includes(token), false);
  });

  it('fails on a status it does not expect', async () => {
    const { service, stores } = await executor(runbooks());
    await service.start('drain', { service: 'worker' }, who());
    await service.idle();
    assert.equal((await stores.runbookRuns.get(1))?.status, 'failed');
    const steps = await stores.runbookRuns.steps(1);
    assert.match(steps[0]?.summary ?? '', /HTTP 503 \(expected 200\)/);
  });

  it('refuses a value that would climb the URL path, and does not follow redirects', async () => {
    const { service, stores } = await executor(runbooks());
    const before = seen.length;
    await service.start('drain', { service: '..' }, who());
    await service.idle();
    assert.equal(seen.length, before, 'nothing was sent');
    assert.match((await stores.runbookRuns.steps(1))[0]?.summary ?? '', /`\.\.` cannot go into a URL/);
    await service.start('drain', { service: 'moved' }, who());
    await service.idle();
    const steps = await stores.runbookRuns.steps(2);
    assert.match(steps[0]?.summary ?? '', /HTTP 302 \(expected 200\)/);
    assert.equal(seen.filter((r) => r.url.startsWith('/elsewhere')).length, 0);
  });
});
