import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoDir, startDemo } from '../helpers/demo-deckhand.ts';

type Demo = Awaited<ReturnType<typeof startDemo>>;

describe('health and run logs', () => {
  let demo: Demo;
  before(async () => {
    demo = await startDemo(demoDir());
  });
  after(() => demo.deckhand.close());

  it('/healthz says the process is up', async () => {
    const res = await demo.app.inject({ url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  it('/readyz checks the database and the workers', async () => {
    const ready = await demo.app.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', checks: { database: true, outbox: true } });
    await demo.deckhand.outbox.stop();
    const stopped = await demo.app.inject({ url: '/readyz' });
    assert.equal(stopped.statusCode, 503);
    assert.equal(stopped.json().checks.outbox, false);
    demo.deckhand.outbox.start();
  });

  it('/runs/:id/log rejects bad ids and unknown runs with a sentence', async () => {
    const bad = await demo.app.inject({ url: '/runs/1;ls/log' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error, /A run id is a number/);
    const missing = await demo.app.inject({ url: '/runs/424242/log' });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.json().error, /There is no run #424242/);
  });

  it('unknown routes are 404, not crashes', async () => {
    assert.equal((await demo.app.inject({ url: '/nope' })).statusCode, 404);
    assert.equal((await demo.app.inject({ method: 'DELETE', url: '/api/webchat/messages' })).statusCode, 404);
  });
});
