import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { countWaitingRequests } from '../../src/server/in-flight.ts';

describe('requests coming in', () => {
  it('is true while a POST waits for its answer, false once they have stopped; GETs do not count', async () => {
    const app = Fastify();
    const busy = countWaitingRequests(app);
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let seenWhileWaiting: boolean | undefined;
    app.post('/slow', async () => {
      seenWhileWaiting = busy();
      await held;
      return { ok: true };
    });
    app.get('/stream', async () => {
      await held;
      return 'done';
    });
    try {
      assert.equal(busy(), false, 'nothing yet');
      const get = app.inject({ method: 'GET', url: '/stream' });
      await new Promise((r) => setTimeout(r, 40));
      assert.equal(busy(), false, 'an open GET is not a waiting request');
      const post = app.inject({ method: 'POST', url: '/slow', payload: {} });
      await new Promise((r) => setTimeout(r, 40));
      assert.equal(seenWhileWaiting, true);
      assert.equal(busy(), true, 'still waiting, 40 ms after it arrived');
      release();
      assert.equal((await post).statusCode, 200);
      await get;
      await new Promise((r) => setTimeout(r, 60));
      assert.equal(busy(), false, 'answered, and quiet since');
    } finally {
      await app.close();
    }
  });
});
