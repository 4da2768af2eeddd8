/** The Mattermost sender against the REST API fake: posts, threads, updates, finding a lost post, failures. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMattermostClient } from '../../../src/chat/mattermost/client.ts';
import { mattermostSection } from '../../../src/chat/mattermost/config.ts';
import { createMattermostSender } from '../../../src/chat/mattermost/sender.ts';
import { mattermostSettings } from '../../../src/chat/mattermost/settings.ts';
import { DeliveryError } from '../../../src/core/ports.ts';
import { type MattermostFake, startMattermostFake } from '../../fakes/mattermost-api.ts';

describe('Mattermost sender', () => {
  let fake: MattermostFake;
  let sender: ReturnType<typeof createMattermostSender>;
  before(async () => {
    fake = await startMattermostFake({ channels: ['c1'] });
    const client = createMattermostClient({ url: fake.url, token: 'mm-bot-token' });
    sender = createMattermostSender({
      client,
      actionSecret: 's'.repeat(32),
      actionsUrl: 'http://d/mattermost/actions',
    });
  });
  after(() => fake.close());

  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (error) {
      assert.ok(error instanceof DeliveryError);
      return error;
    }
    assert.fail('expected a DeliveryError');
  };

  it('posts, replies in the thread and updates in place', async () => {
    const { messageId } = await sender.post(
      { channel: 'c1' },
      { header: 'Build #1 running', status: 'running' },
    );
    const reply = await sender.post({ channel: 'c1', threadId: messageId }, { text: 'step 1 ok' });
    await sender.update?.({ channel: 'c1' }, messageId, {
      header: 'Build #1 succeeded',
      status: 'succeeded',
    });
    const root = fake.posts.get(messageId);
    assert.equal(root?.edits, 1);
    assert.match(JSON.stringify(root?.props), /Build #1 succeeded/);
    assert.equal(fake.posts.get(reply.messageId)?.root_id, messageId);
  });

  it('finds a post made under a key, in the channel and in a thread', async () => {
    const { messageId } = await sender.post({ channel: 'c1' }, { text: 'keyed' }, { key: 'outbox:42' });
    assert.equal(await sender.find?.({ channel: 'c1' }, 'outbox:42'), messageId);
    assert.equal(await sender.find?.({ channel: 'c1' }, 'outbox:43'), undefined);
    const child = await sender.post(
      { channel: 'c1', threadId: messageId },
      { text: 'r' },
      { key: 'outbox:44' },
    );
    assert.equal(await sender.find?.({ channel: 'c1', threadId: messageId }, 'outbox:44'), child.messageId);
  });

  it('looks for a lost post among the posts since it was first attempted, with `since` and no paging', async () => {
    const since = new Date();
    const { messageId } = await sender.post({ channel: 'c1' }, { text: 'in flight' }, { key: 'outbox:45' });
    const before = fake.calls.length;
    assert.equal(await sender.find?.({ channel: 'c1' }, 'outbox:45', since), messageId);
    const asked = fake.calls.slice(before).map((c) => c.path);
    assert.equal(asked.length, 1);
    assert.match(asked[0] ?? '', /\/channels\/c1\/posts\?since=\d+$/);
  });

  it('a 429 carries the wait Mattermost asked for; refusals are permanent; 5xx are retried', async () => {
    fake.limits.perSecond = 5;
    let limited: DeliveryError | undefined;
    for (let i = 0; i < 10 && !limited; i++) {
      limited = await sender.post({ channel: 'c1' }, { text: `burst ${i}` }).then(
        () => undefined,
        (e: DeliveryError) => e,
      );
    }
    assert.ok(limited, 'the fake limits a burst');
    assert.ok((limited.retryAfterMs ?? 0) > 0, `retry after ${limited.retryAfterMs}`);
    assert.ok(
      fake.calls.every((c) => !c.early),
      'no call reached Mattermost before its limit reset',
    );
    assert.equal(limited.permanent, false);
    fake.limits.perSecond = undefined;
    // The limit is the token's, not a channel's: until it resets, no call goes out at all.
    const calls = fake.calls.length;
    const held = await failure(sender.post({ channel: 'c1' }, { text: 'held back' }));
    assert.ok((held.retryAfterMs ?? 0) > 0 && held.permanent === false);
    assert.equal(fake.calls.length, calls, 'held back without calling Mattermost');
    await new Promise((r) => setTimeout(r, (held.retryAfterMs ?? 0) + 50));
    const missing = await failure(sender.post({ channel: 'nope' }, { text: 'x' }));
    assert.equal(missing.permanent, true);
    assert.match(missing.message, /add the bot account/);
    fake.failNext(502);
    const flaky = await failure(sender.post({ channel: 'c1' }, { text: 'x' }));
    assert.equal(flaky.permanent, false);
    fake.failNext(401);
    const refused = await failure(sender.post({ channel: 'c1' }, { text: 'x' }));
    assert.equal(refused.permanent, true);
    assert.doesNotMatch(refused.message, /mm-bot-token/);
  });

  it('an unreachable server is a retryable failure', async () => {
    const client = createMattermostClient({ url: 'http://127.0.0.1:1', token: 't' });
    const s = createMattermostSender({ client, actionSecret: 's'.repeat(32), actionsUrl: 'http://d' });
    const e = await failure(s.post({ channel: 'c1' }, { text: 'x' }));
    assert.equal(e.permanent, false);
  });

  it('settings say what is missing', () => {
    const section = mattermostSection.parse({});
    assert.throws(() => mattermostSettings(section, {}, 'http://d'), /MATTERMOST_URL/);
    assert.throws(
      () => mattermostSettings(section, { MATTERMOST_URL: 'http://m' }, 'http://d'),
      /MATTERMOST_BOT_TOKEN/,
    );
    assert.throws(
      () =>
        mattermostSettings(section, { MATTERMOST_URL: 'http://m', MATTERMOST_BOT_TOKEN: 'b' }, 'http://d'),
      /MATTERMOST_COMMAND_TOKEN/,
    );
    const s = mattermostSettings(
      section,
      { MATTERMOST_URL: 'http://m/', MATTERMOST_BOT_TOKEN: 'b', MATTERMOST_COMMAND_TOKEN: 'one, two' },
      'https://deckhand.test/',
    );
    assert.deepEqual(s.commandTokens, ['one', 'two']);
    assert.equal(s.url, 'http://m');
    assert.equal(s.actionsUrl, 'https://deckhand.test/mattermost/actions');
    assert.equal(s.actionSecret.length, 64, 'derived from the bot token when not set');
  });
});
