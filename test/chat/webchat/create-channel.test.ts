/** Incident channels in the web chat: opened in its own list, seen live by an open page, people recorded. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DeliveryError } from '../../../src/core/ports.ts';
import { closeHarness, createHarness, type Harness, list } from './harness.ts';
import { openStream, type SseEvent } from './sse-client.ts';

describe('webchat incident channels', { timeout: 5000 }, () => {
  let h: Harness;
  let base = '';
  before(async () => {
    h = await createHarness();
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => closeHarness(h));

  const channels = async () =>
    (
      (await h.app.inject({ method: 'GET', url: '/api/webchat/config' })).json() as {
        channels: { id: string }[];
      }
    ).channels.map((c) => c.id);

  test('says it can create channels, and has both members', () => {
    assert.equal(h.adapter.sender.capabilities.createChannels, true);
    assert.equal(typeof h.adapter.sender.createChannel, 'function');
    assert.equal(typeof h.adapter.sender.invite, 'function');
  });

  test('creates the channel with its topic: listed by the API and seen live by a page open elsewhere', async () => {
    const stream = await openStream(`${base}/api/webchat/events`);
    try {
      const made = await h.adapter.sender.createChannel?.({
        name: 'inc-42-api-down',
        topic: 'SEV1: api down',
        members: ['alice-web'],
      });
      assert.deepEqual(made, { channel: 'inc-42-api-down', notAdded: [] });
      const opened = (e: SseEvent) =>
        e.event === 'message' && JSON.parse(e.data).channel === 'inc-42-api-down';
      const first = JSON.parse((await stream.next(opened)).data);
      assert.match(String(first.text), /#inc-42-api-down/);
      assert.match(String(first.text), /SEV1: api down/);
      assert.ok((await channels()).includes('inc-42-api-down'));
      const rows = await list(h.app, 'inc-42-api-down');
      assert.deepEqual(
        rows.map((m) => String(m.text).split('\n')[0]),
        ['ℹ️ #inc-42-api-down', 'Alice Example was added to #inc-42-api-down.'],
      );
    } finally {
      stream.close();
    }
  });

  test('creating twice under one name finds the first: one channel, one opening message', async () => {
    const first = await h.adapter.sender.createChannel?.({ name: 'inc-7', topic: 'disk', members: ['bob'] });
    const second = await h.adapter.sender.createChannel?.({ name: 'inc-7', topic: 'disk', members: ['bob'] });
    assert.equal(second?.channel, first?.channel);
    assert.equal((await channels()).filter((c) => c === 'inc-7').length, 1);
    assert.equal((await list(h.app, 'inc-7')).length, 2, 'the opening and Bob added, each once');
  });

  test('an unknown person is reported as not added; the others are added', async () => {
    const made = await h.adapter.sender.createChannel?.({
      name: 'inc-9',
      members: ['alice-web', 'ghost', 'bob'],
    });
    assert.deepEqual(made?.notAdded, ['ghost']);
    assert.deepEqual(await h.adapter.sender.invite?.('inc-9', ['ghost', 'bob']), ['ghost']);
    const texts = (await list(h.app, 'inc-9')).map((m) => String(m.text));
    assert.equal(texts.filter((t) => t.includes('Bob was added')).length, 1);
    assert.equal(texts.filter((t) => t.includes('Alice Example was added')).length, 1);
    assert.ok(!texts.some((t) => t.includes('ghost')));
  });

  test('a name the web chat would not accept is refused for good', async () => {
    await assert.rejects(
      h.adapter.sender.createChannel?.({ name: 'Inc 42!', members: [] }) ?? Promise.resolve(),
      (error: unknown) => error instanceof DeliveryError && error.permanent,
    );
  });
});
