/**
 * Finding a post that may have gone out before a crash, on the Slack fake: by the key deckhand put
 * in its message metadata, which conversations.history and conversations.replies return only with
 * include_all_metadata (https://docs.slack.dev/messaging/message-metadata), among the messages
 * since it was first attempted (`oldest`), page by page (`cursor`).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createSlackSender, POST_METADATA } from '../../../src/chat/slack/client.ts';
import { type SlackFake, startSlackFake } from '../../fakes/slack-api.ts';

const quiet = { warn() {}, error() {} };

describe('Slack sender: a lost post found by its key', () => {
  let fake: SlackFake;
  const sender = () =>
    createSlackSender({
      token: 'xoxb-test',
      apiUrl: fake.url,
      logger: quiet,
      render: (m) => ({ text: m.text ?? '' }),
    });
  before(async () => {
    fake = await startSlackFake({ channels: ['C-general'] });
  });
  beforeEach(() => fake.reset());
  after(() => fake.close());

  it('posts its key as metadata and finds it in the history only by asking for metadata', async () => {
    const since = new Date();
    const { messageId } = await sender().post({ channel: 'C-general' }, { text: 'hi' }, { key: 'outbox:7' });
    assert.deepEqual(fake.messagesIn('C-general')[0]?.metadata, {
      event_type: POST_METADATA,
      event_payload: { key: 'outbox:7' },
    });
    assert.equal(await sender().find?.({ channel: 'C-general' }, 'outbox:7', since), messageId);
    assert.equal(await sender().find?.({ channel: 'C-general' }, 'outbox:8', since), undefined);
    // Without include_all_metadata Slack leaves the metadata out, and the post cannot be told apart.
    const bare = await sender().client.conversations.history({ channel: 'C-general' });
    assert.equal(bare.messages?.[0]?.metadata, undefined);
    const history = fake.calls.filter(
      (c) => c.method === 'conversations.history' && c.body.include_all_metadata !== undefined,
    );
    assert.ok(history.every((c) => String(c.body.include_all_metadata) === 'true'));
    const oldest = Number(history[0]?.body.oldest);
    assert.ok(oldest > 0 && oldest <= since.getTime() / 1000, `oldest ${oldest} is before the attempt`);
  });

  it('pages through a busy channel until it finds the post', async () => {
    const since = new Date();
    const { messageId } = await sender().post(
      { channel: 'C-general' },
      { text: 'mine' },
      { key: 'outbox:9' },
    );
    // 450 later messages by others: the post is on the third page of 200, newest first.
    const [sec, frac] = messageId.split('.').map(Number) as [number, number];
    for (let i = 1; i <= 450; i++) {
      const micros = frac + i;
      fake.userMessage('C-general', {
        ts: `${sec + Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`,
        user: 'U-other',
        text: `noise ${i}`,
      });
    }
    assert.equal(await sender().find?.({ channel: 'C-general' }, 'outbox:9', since), messageId);
    const pages = fake.calls.filter((c) => c.method === 'conversations.history');
    assert.equal(pages.length, 3);
    assert.ok(pages.slice(1).every((c) => typeof c.body.cursor === 'string' && c.body.cursor !== ''));
  });

  it("finds a reply in the thread of a person's message with conversations.replies", async () => {
    const since = new Date();
    fake.userMessage('C-general', { ts: '1700000000.000001', user: 'U-alice', text: '<@U0BOT> status' });
    const reply = await sender().post(
      { channel: 'C-general', threadId: '1700000000.000001' },
      { text: 'all green' },
      { key: 'outbox:11' },
    );
    const where = { channel: 'C-general', threadId: '1700000000.000001' };
    assert.equal(await sender().find?.(where, 'outbox:11', since), reply.messageId);
    assert.ok(fake.calls.some((c) => c.method === 'conversations.replies'));
  });
});
