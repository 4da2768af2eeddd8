import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeHarness, createHarness, type Harness } from './harness.ts';
import { openStream, type SseEvent } from './sse-client.ts';

describe('webchat live events', { timeout: 5000 }, () => {
  let h: Harness;
  let base = '';
  before(async () => {
    h = await createHarness();
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => closeHarness(h));

  const isMessage = (test: (m: Record<string, unknown>) => boolean) => (e: SseEvent) =>
    e.event === 'message' && test(JSON.parse(e.data));

  test('a posted message and a sender update arrive as `message` events', async () => {
    const stream = await openStream(`${base}/api/webchat/events`);
    try {
      assert.equal(stream.response.status, 200);
      assert.match(stream.response.headers.get('content-type') ?? '', /^text\/event-stream/);

      const posted = await fetch(`${base}/api/webchat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'general', user: 'bob', text: 'live?' }),
      });
      assert.equal(posted.status, 202);
      const { id } = (await posted.json()) as { id: string };
      const created = JSON.parse((await stream.next(isMessage((m) => m.id === id))).data);
      assert.equal(created.text, 'live?');
      assert.equal(created.channel, 'general');
      assert.equal(created.replyCount, 0);

      const bot = await h.adapter.sender.post(
        { channel: 'builds' },
        { header: 'Build #1 running', status: 'running' },
      );
      await stream.next(isMessage((m) => m.id === bot.messageId));
      h.clock.advance(1000);
      await h.adapter.sender.update?.({ channel: 'builds' }, bot.messageId, {
        header: 'Build #1 failed',
        status: 'failed',
      });
      const updated = JSON.parse((await stream.next(isMessage((m) => m.id === bot.messageId))).data);
      assert.match(updated.text, /❌ Build #1 failed/);
      assert.equal(updated.blocks.status, 'failed');
      assert.equal(updated.updatedAt, '2025-01-02T03:04:06.000Z');
    } finally {
      stream.close();
    }
  });

  test("a reply arrives, followed by its parent's new reply count", async () => {
    const stream = await openStream(`${base}/api/webchat/events`);
    try {
      const parent = await h.adapter.sender.post({ channel: 'general' }, { text: 'parent' });
      await stream.next(isMessage((m) => m.id === parent.messageId));
      const reply = await h.adapter.sender.post(
        { channel: 'general', threadId: parent.messageId },
        { text: 'r' },
      );
      const replied = JSON.parse((await stream.next(isMessage((m) => m.id === reply.messageId))).data);
      assert.equal(replied.threadId, parent.messageId);
      const recounted = JSON.parse((await stream.next(isMessage((m) => m.id === parent.messageId))).data);
      assert.equal(recounted.replyCount, 1);
    } finally {
      stream.close();
    }
  });

  test('closing the adapter ends open streams so the server can stop', async () => {
    const fresh = await createHarness();
    const url = await fresh.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await openStream(`${url}/api/webchat/events`);
    await stream.next((e) => e.event === 'comment' && e.data === 'connected');
    const ended = stream.ended();
    // app.close() alone must not hang: the adapter ends its streams in a preClose hook.
    await fresh.app.close();
    assert.equal(await ended, true);
    fresh.adapter.close();
    await fresh.db.destroy();
  });
});
