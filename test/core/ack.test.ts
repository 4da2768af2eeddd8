import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness } from '../helpers/core-harness.ts';
import { eventually } from '../helpers/recording-sender.ts';

type Harness = Awaited<ReturnType<typeof createHarness>>;

describe('acks within a platform deadline', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('returns the reply itself for the adapter to ack with, when it is ready in time', async () => {
    const sent = h.sender.sent.length;
    const receipt = await h.deckhand.intake.command(
      { platform: 'test', userId: 'U1', channel: 'C-general', text: '/ci help' },
      { answerWithinMs: 2000 },
    );
    const reply = receipt.duplicate ? undefined : receipt.reply;
    assert.ok(reply);
    assert.equal(reply.queued, false);
    assert.equal(reply.message.header, '/ci commands');
    await h.outbox.settle();
    assert.equal(h.sender.sent.length, sent, 'the adapter delivers it, not the outbox');
  });

  it('says what happens next when the CI system is slow, then reports back in the channel', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const list = h.provider.listBranches.bind(h.provider);
    h.provider.listBranches = async () => {
      await gate;
      return list();
    };
    const startedAt = Date.now();
    const receipt = await h.deckhand.intake.command(
      { platform: 'test', userId: 'U1', channel: 'C-general', text: '/ci build develop' },
      { answerWithinMs: 100 },
    );
    const reply = receipt.duplicate ? undefined : receipt.reply;
    assert.ok(Date.now() - startedAt < 2000, 'the ack did not wait for the CI system');
    assert.ok(reply);
    assert.equal(reply.queued, false);
    assert.equal(reply.message.text, 'Building `develop`, triggered by @Alice…');
    assert.equal(h.provider.triggered.length, 0);
    release();
    await eventually(() => h.provider.triggered.length === 1, 'the build to be triggered');
    await eventually(
      () =>
        h.sender.sent.some(
          (s) =>
            s.channel === 'C-general' && /Build of `develop` triggered by @Alice/.test(s.message.text ?? ''),
        ),
      'the reply in the channel',
    );
    const [entry] = await h.stores.audit.recent(1);
    assert.equal(entry?.text, '/ci build develop');
    assert.equal(entry?.decision, 'allowed');
  });
});
