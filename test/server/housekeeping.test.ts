/** Housekeeping: delivery ids are forgotten after database.keepDeliveryIds, and a failing task is retried later. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Housekeeping } from '../../src/server/housekeeping.ts';
import { startTestDeckhand } from '../helpers/test-deckhand.ts';

const day = 24 * 3600_000;

describe('housekeeping', () => {
  it('forgets delivery ids older than keepDeliveryIds when it starts, and keeps newer ones', async () => {
    const t = await startTestDeckhand({ yaml: 'database:\n  keepDeliveryIds: 2d\n', workers: false });
    try {
      const { dedupe } = t.deckhand.stores;
      const now = Date.now();
      assert.equal(await dedupe.claim('github-delivery', 'old', new Date(now - 3 * day)), true);
      assert.equal(await dedupe.claim('github-delivery', 'recent', new Date(now - day)), true);
      await t.deckhand.startWorkers();
      assert.equal(
        await dedupe.claim('github-delivery', 'old', new Date()),
        true,
        'the old id was forgotten',
      );
      assert.equal(
        await dedupe.claim('github-delivery', 'recent', new Date()),
        false,
        'the recent id is kept',
      );
    } finally {
      await t.deckhand.close();
    }
  });

  it('refuses a keepDeliveryIds under a day, saying so', async () => {
    await assert.rejects(
      startTestDeckhand({ yaml: 'database:\n  keepDeliveryIds: 1h\n', workers: false }),
      /keepDeliveryIds is at least 1d/,
    );
  });

  it('logs a failing task and still runs the others, then runs again', async () => {
    const errors: object[] = [];
    const ran: string[] = [];
    const logger = { info() {}, warn() {}, error: (o: object) => void errors.push(o) };
    let calls = 0;
    const h = new Housekeeping({
      tasks: [
        {
          name: 'broken',
          run: async () => {
            calls++;
            throw new Error('disk full');
          },
        },
        {
          name: 'fine',
          run: async () => {
            ran.push('fine');
            return 1;
          },
        },
      ],
      everyMs: 3600_000,
      clock: { now: () => new Date() },
      logger,
    });
    await h.start();
    await h.runAll();
    await h.stop();
    assert.equal(calls, 2);
    assert.deepEqual(ran, ['fine', 'fine']);
    assert.equal(errors.length, 2);
  });
});
