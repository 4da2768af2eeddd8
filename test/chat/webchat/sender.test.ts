import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toPlainText } from '../../../src/core/messages.ts';
import { DeliveryError } from '../../../src/core/ports.ts';
import { closeHarness, createHarness, type Harness, list, postJson } from './harness.ts';

const running = {
  header: 'Build #12 running',
  status: 'running' as const,
  text: 'Building `main`',
  fields: [{ label: 'Branch', value: 'main' }],
  context: ['requested by Alice'],
  link: { label: 'Log', url: 'http://localhost:3000/runs/12' },
  buttons: [
    { id: 'cancel:12', label: 'Cancel', style: 'danger' as const },
    { id: 'log:12', label: 'Log' },
  ],
};

describe('webchat sender', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => closeHarness(h));

  test('declares the web chat platform with threads and updates', () => {
    assert.equal(h.adapter.sender.platform, 'webchat');
    assert.equal(h.adapter.sender.capabilities.threads, true);
    assert.equal(typeof h.adapter.sender.update, 'function');
  });

  test('post stores a bot message listed with plain text, blocks and actions', async () => {
    const { messageId } = await h.adapter.sender.post({ channel: 'builds' }, running);
    assert.match(messageId, /^\d+$/);
    const listed = (await list(h.app, 'builds')).find((m) => m.id === messageId);
    assert.ok(listed);
    assert.deepEqual(listed.author, { id: 'deckhand', name: 'deckhand', bot: true });
    assert.equal(listed.text, toPlainText(running));
    assert.match(String(listed.text), /🔄 Build #12 running/);
    assert.match(String(listed.text), /Branch: main/);
    assert.deepEqual(listed.blocks, running);
    assert.deepEqual(listed.actions, [
      { id: 'cancel:12', label: 'Cancel', style: 'danger' },
      { id: 'log:12', label: 'Log', style: 'default' },
    ]);
    assert.equal(listed.updatedAt, null);
  });

  test('update replaces the body in place and stamps updatedAt', async () => {
    const { messageId } = await h.adapter.sender.post({ channel: 'builds' }, running);
    h.clock.advance(60_000);
    const done = { header: 'Build #12 succeeded', status: 'succeeded' as const, fields: running.fields };
    await h.adapter.sender.update?.({ channel: 'builds' }, messageId, done);
    const listed = (await list(h.app, 'builds')).find((m) => m.id === messageId);
    assert.ok(listed);
    assert.match(String(listed.text), /✅ Build #12 succeeded/);
    assert.deepEqual(listed.blocks, done);
    assert.deepEqual(listed.actions, []);
    assert.equal(listed.ts, '2025-01-02T03:04:05.000Z');
    assert.equal(listed.updatedAt, '2025-01-02T03:05:05.000Z');
  });

  test('update of an unknown or non-bot message is a permanent delivery error', async () => {
    const person = await postJson(h.app, '/api/webchat/messages', {
      channel: 'builds',
      user: 'bob',
      text: 'hi',
    });
    for (const id of ['999999', 'abc', person.body.id]) {
      await assert.rejects(
        h.adapter.sender.update?.({ channel: 'builds' }, id, { text: 'x' }) ?? Promise.reject(),
        (e) => {
          assert.ok(e instanceof DeliveryError);
          assert.equal(e.message, 'message not found');
          assert.equal(e.permanent, true);
          return true;
        },
      );
    }
  });

  test('a post with threadId lands in the thread and counts as a reply', async () => {
    const parent = await h.adapter.sender.post(
      { channel: 'general' },
      { header: 'Deploy', status: 'running' },
    );
    const reply = await h.adapter.sender.post(
      { channel: 'general', threadId: parent.messageId },
      { text: 'step 1 done', status: 'info' },
    );
    const thread = await list(h.app, 'general', `?thread=${parent.messageId}`);
    assert.deepEqual(
      thread.map((m) => m.id),
      [reply.messageId],
    );
    assert.equal(thread[0]?.threadId, parent.messageId);
    const top = await list(h.app, 'general');
    assert.equal(top.find((m) => m.id === parent.messageId)?.replyCount, 1);
    assert.ok(!top.some((m) => m.id === reply.messageId));
  });
});
