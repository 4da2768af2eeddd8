import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeHarness, createHarness, type Harness, list, postJson } from './harness.ts';

describe('webchat messages from people', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => closeHarness(h));

  test('config lists the title, configured channels by web chat address, and people', async () => {
    await postJson(h.app, '/api/webchat/messages', { channel: 'random', user: 'bob', text: 'hi' });
    const response = await h.app.inject({ method: 'GET', url: '/api/webchat/config' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      title: 'Test Deck',
      channels: [
        { id: 'general', name: 'general' },
        { id: 'builds', name: 'builds' },
        { id: 'random', name: 'random' },
      ],
      people: [
        { id: 'alice-web', name: 'Alice Example' },
        { id: 'bob', name: 'Bob' },
      ],
    });
  });

  test('a posted message is stored, answered with 202 and listed', async () => {
    const { status, body } = await postJson(h.app, '/api/webchat/messages', {
      channel: 'general',
      user: 'alice-web',
      text: 'hello `world`',
    });
    assert.equal(status, 202);
    assert.equal(body.text, 'hello `world`');
    assert.deepEqual(body.author, { id: 'alice-web', name: 'Alice Example', bot: false });
    assert.equal(body.ts, '2025-01-02T03:04:05.000Z');
    const messages = await list(h.app, 'general');
    const listed = messages.find((m) => m.id === body.id);
    assert.ok(listed, 'the message is listed');
    assert.equal(listed.text, 'hello `world`');
    assert.equal(listed.blocks, null);
    assert.deepEqual(listed.actions, []);
    assert.equal(listed.threadId, null);
    assert.equal(listed.replyCount, 0);
    assert.equal(listed.updatedAt, null);
  });

  test('unknown users keep their id as their name', async () => {
    const { body } = await postJson(h.app, '/api/webchat/messages', {
      channel: 'general',
      user: 'zed',
      text: 'yo',
    });
    assert.deepEqual(body.author, { id: 'zed', name: 'zed', bot: false });
  });

  test('a slash command reaches the core with the right fields, after the response', async () => {
    const { status, body } = await postJson(h.app, '/api/webchat/messages', {
      channel: 'builds',
      user: 'alice-web',
      text: '/ci build main',
    });
    assert.equal(status, 202);
    await h.inbound.until(() => h.inbound.commands.length === 1);
    assert.deepEqual(h.inbound.commands[0], {
      platform: 'webchat',
      userId: 'alice-web',
      userName: 'Alice Example',
      channel: 'builds',
      text: '/ci build main',
    });
    assert.ok(
      (await list(h.app, 'builds')).some((m) => m.id === body.id),
      'the command text is stored too',
    );
  });

  test('a command typed in a thread carries the thread id', async () => {
    const parent = await postJson(h.app, '/api/webchat/messages', {
      channel: 'general',
      user: 'bob',
      text: 'p',
    });
    const before = h.inbound.commands.length;
    await postJson(h.app, '/api/webchat/messages', {
      channel: 'general',
      user: 'bob',
      text: '/ci status',
      threadId: parent.body.id,
    });
    await h.inbound.until(() => h.inbound.commands.length === before + 1);
    assert.equal(h.inbound.commands.at(-1)?.threadId, parent.body.id);
  });

  test('plain text does not reach the core', async () => {
    const before = h.inbound.commands.length;
    await postJson(h.app, '/api/webchat/messages', {
      channel: 'general',
      user: 'bob',
      text: 'ci build main /x',
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(h.inbound.commands.length, before);
  });

  test('replies are listed under their thread and counted on the parent', async () => {
    const parent = await postJson(h.app, '/api/webchat/messages', {
      channel: 'general',
      user: 'bob',
      text: 'q',
    });
    const reply = await postJson(h.app, '/api/webchat/messages', {
      channel: 'general',
      user: 'alice-web',
      text: 'a',
      threadId: parent.body.id,
    });
    assert.equal(reply.status, 202);
    assert.equal(reply.body.threadId, parent.body.id);
    // A reply to a reply joins the same thread.
    const nested = await postJson(h.app, '/api/webchat/messages', {
      channel: 'general',
      user: 'bob',
      text: 'b',
      threadId: reply.body.id,
    });
    assert.equal(nested.body.threadId, parent.body.id);
    const top = await list(h.app, 'general');
    assert.ok(!top.some((m) => m.id === reply.body.id), 'replies stay out of the channel listing');
    assert.equal(top.find((m) => m.id === parent.body.id)?.replyCount, 2);
    const thread = await list(h.app, 'general', `?thread=${parent.body.id}`);
    assert.deepEqual(
      thread.map((m) => m.text),
      ['a', 'b'],
    );
  });

  test('a thread id from another channel or unknown is a 404', async () => {
    const parent = await postJson(h.app, '/api/webchat/messages', {
      channel: 'general',
      user: 'bob',
      text: 'z',
    });
    for (const threadId of [parent.body.id, '999999']) {
      const { status, body } = await postJson(h.app, '/api/webchat/messages', {
        channel: 'builds',
        user: 'bob',
        text: 'x',
        threadId,
      });
      assert.equal(status, 404);
      assert.match(body.error, /no message/);
    }
    const response = await h.app.inject({
      method: 'GET',
      url: '/api/webchat/channels/builds/messages?thread=999999',
    });
    assert.equal(response.statusCode, 404);
  });

  test('listing keeps the last 200, oldest first, and `after` returns only newer ones', async () => {
    const fresh = await createHarness();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 205; i++) {
        const { body } = await postJson(fresh.app, '/api/webchat/messages', {
          channel: 'c',
          user: 'u',
          text: `m${i}`,
        });
        ids.push(body.id);
      }
      const all = await list(fresh.app, 'c');
      assert.equal(all.length, 200);
      assert.equal(all[0]?.text, 'm5');
      assert.equal(all.at(-1)?.text, 'm204');
      const newer = await list(fresh.app, 'c', `?after=${ids[202]}`);
      assert.deepEqual(
        newer.map((m) => m.text),
        ['m203', 'm204'],
      );
    } finally {
      await closeHarness(fresh);
    }
  });
});
