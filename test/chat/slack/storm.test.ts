import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSlackSender } from '../../../src/chat/slack/client.ts';
import { Outbox } from '../../../src/core/outbox.ts';
import { createStores } from '../../../src/store/index.ts';
import { openSqlite } from '../../../src/store/sqlite/open.ts';
import { startSlackFake } from '../../fakes/slack-api.ts';
import { eventually, quietLogger } from '../../helpers/recording-sender.ts';

const CHANNELS = ['C-a', 'C-b', 'C-c', 'C-d'];
const PER_CHANNEL = 10;

describe('429 storm through the outbox', () => {
  it('delivers every message once, in order per channel, never retrying before Retry-After', async () => {
    const fake = await startSlackFake({ channels: CHANNELS, rateLimit: { perChannelPerSecond: 1 } });
    const db = await openSqlite(':memory:');
    const stores = createStores(db);
    const sender = createSlackSender({
      token: 'xoxb-test',
      apiUrl: fake.url,
      logger: quietLogger,
      render: (m) => ({ text: m.text ?? '' }),
    });
    const outbox = new Outbox({
      store: stores.outbox,
      senders: new Map([['slack', sender]]),
      logger: quietLogger,
    });
    try {
      outbox.start();
      // Round-robin batches, so every channel is busy at once and each queue grows behind a 429.
      for (let n = 1; n <= PER_CHANNEL; n += 2) {
        await outbox.enqueue(
          [n, n + 1].flatMap((i) =>
            CHANNELS.map((channel) => ({
              platform: 'slack',
              channel,
              op: 'post' as const,
              message: { text: `${channel} #${i}` },
            })),
          ),
        );
      }
      const total = CHANNELS.length * PER_CHANNEL;
      const delivered = () => CHANNELS.reduce((sum, c) => sum + fake.messagesIn(c).length, 0);
      await eventually(() => delivered() >= total, `${total} deliveries`, 40_000);
      await outbox.settle(2000);

      for (const channel of CHANNELS) {
        const texts = fake.messagesIn(channel).map((m) => m.text);
        const expected = Array.from({ length: PER_CHANNEL }, (_, i) => `${channel} #${i + 1}`);
        assert.deepEqual(texts, expected, `${channel}: each message once, in enqueue order`);
      }
      const rejected = fake.calls.filter((c) => c.status === 429).length;
      assert.ok(rejected >= CHANNELS.length, `the storm happened (${rejected} answers were 429)`);
      assert.equal(fake.earlyRetries, 0, 'no request went out before its Retry-After had elapsed');
      assert.deepEqual(await stores.outbox.counts(), { pending: 0, failed: 0 });
    } finally {
      await outbox.stop();
      await db.destroy();
      await fake.close();
    }
  });
});
