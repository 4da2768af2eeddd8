/** The Discord sender against the REST fake: cards, threads, updates, posting once, failures. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDiscordSender } from '../../../src/chat/discord/sender.ts';
import { DeliveryError } from '../../../src/core/ports.ts';
import { type DiscordFake, startDiscordFake } from '../../fakes/discord-api.ts';

const C = '700000000000000009';

describe('Discord sender', () => {
  let fake: DiscordFake;
  let sender: ReturnType<typeof createDiscordSender>;
  before(async () => {
    fake = await startDiscordFake({ channels: [C] });
    sender = createDiscordSender({ token: fake.token, apiUrl: fake.url });
  });
  after(() => fake.close());

  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (error) {
      assert.ok(error instanceof DeliveryError, String(error));
      return error;
    }
    assert.fail('expected a DeliveryError');
  };

  it('posts a card, starts its thread on the first reply, updates both in place', async () => {
    const { messageId: card } = await sender.post(
      { channel: C },
      { header: 'Build #1 running', status: 'running' },
    );
    const first = await sender.post({ channel: C, threadId: card }, { text: 'step 1 ok' });
    const second = await sender.post({ channel: C, threadId: card }, { text: 'step 2 ok' });
    assert.equal(fake.threads.get(card), C, 'one thread, started from the card');
    assert.equal(fake.calls.filter((c) => c.path.endsWith('/threads')).length, 1);
    await sender.update?.({ channel: C }, card, { header: 'Build #1 succeeded', status: 'succeeded' });
    await sender.update?.({ channel: C }, first.messageId, { text: 'step 1 ok (edited)' });
    assert.match(JSON.stringify(fake.messages.get(card)?.embeds), /succeeded/);
    const [thread, id] = first.messageId.split('/');
    assert.equal(thread, card);
    assert.equal(fake.messages.get(id as string)?.content, 'step 1 ok \\(edited\\)');
    assert.notEqual(first.messageId, second.messageId);
  });

  it('a post repeated under the same key is the same message (nonce)', async () => {
    const a = await sender.post({ channel: C }, { text: 'once' }, { key: 'outbox:7' });
    const b = await sender.post({ channel: C }, { text: 'once' }, { key: 'outbox:7' });
    assert.equal(a.messageId, b.messageId);
    assert.equal(fake.messagesIn(C).filter((m) => m.content === 'once').length, 1);
  });

  it('a rate limit comes back with its wait and nothing is sent before it; refusals are permanent', async () => {
    fake.limits.perChannel = { limit: 3, windowMs: 1000 };
    let limited: DeliveryError | undefined;
    for (let i = 0; i < 8 && !limited; i++)
      limited = await sender.post({ channel: C }, { text: `burst ${i}` }).then(
        () => undefined,
        (e: DeliveryError) => e,
      );
    fake.limits.perChannel = undefined;
    assert.ok(limited && (limited.retryAfterMs ?? 0) > 0 && !limited.permanent, String(limited?.message));
    assert.ok(
      fake.calls.every((c) => !c.early),
      'no call came before the reset',
    );
    await new Promise((r) => setTimeout(r, (limited?.retryAfterMs ?? 0) + 50));
    const missing = await failure(sender.post({ channel: '700000000000000123' }, { text: 'x' }));
    assert.equal(missing.permanent, true);
    assert.match(missing.message, /code 10003/);
    const bad = createDiscordSender({ token: 'wrong', apiUrl: fake.url });
    const refused = await failure(bad.post({ channel: C }, { text: 'x' }));
    assert.equal(refused.permanent, true);
    assert.doesNotMatch(refused.message, /wrong/);
  });

  it('an unreachable API is a retryable failure', async () => {
    const s = createDiscordSender({ token: 't', apiUrl: 'http://127.0.0.1:1/api' });
    const e = await failure(s.post({ channel: C }, { text: 'x' }));
    assert.equal(e.permanent, false);
  });
});
