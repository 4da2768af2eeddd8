import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ExternalRunUpdate } from '../../src/core/pipeline-events.ts';
import { UpdateJournal } from '../../src/core/update-journal.ts';
import { createStores } from '../../src/store/index.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';
import { quietLogger } from '../helpers/recording-sender.ts';

const update = (externalId: string): ExternalRunUpdate => ({
  provider: 'github',
  externalId,
  ref: 'main',
  status: 'running',
  at: new Date('2026-11-27T10:00:00Z'),
});
const clock = { now: () => new Date() };

describe('the CI update journal', () => {
  it('an update taken in but not applied before a crash is applied after the restart, in order', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'deckhand-journal-')), 'deckhand.db');
    const db = await openSqlite(file);
    const first = new UpdateJournal({
      store: createStores(db).inboundUpdates,
      apply: async () => assert.fail('the first process dies before applying'),
      clock,
      logger: quietLogger,
    });
    // Never started: as if the process died right after answering the CI system.
    await first.accept(update('1'));
    await first.accept(update('2'));
    await db.destroy();

    const again = await openSqlite(file);
    const applied: ExternalRunUpdate[] = [];
    const second = new UpdateJournal({
      store: createStores(again).inboundUpdates,
      apply: async (u) => {
        applied.push(u);
      },
      clock,
      logger: quietLogger,
    });
    second.start();
    await second.idle();
    assert.deepEqual(
      applied.map((u) => u.externalId),
      ['1', '2'],
    );
    assert.ok(applied[0]?.at instanceof Date, 'dates come back as dates');
    assert.deepEqual(
      await createStores(again).inboundUpdates.pending(10),
      [],
      'applied updates leave the journal',
    );
    await second.stop();
    await again.destroy();
  });

  it('a failing update is retried, then dropped with an error, without stopping the ones after it', async () => {
    const db = await openSqlite(':memory:');
    const applied: string[] = [];
    const errors: unknown[] = [];
    let tries = 0;
    const journal = new UpdateJournal({
      store: createStores(db).inboundUpdates,
      apply: async (u) => {
        if (u.externalId === 'bad') {
          tries++;
          throw new Error('boom');
        }
        applied.push(u.externalId);
      },
      clock,
      logger: { ...quietLogger, error: (o: unknown) => errors.push(o) },
      retryMs: 5,
    });
    journal.start();
    await journal.accept(update('bad'));
    await journal.accept(update('good'));
    for (let i = 0; i < 50 && applied.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      await journal.idle();
    }
    assert.equal(tries, 3);
    assert.deepEqual(applied, ['good']);
    assert.equal(errors.length, 1);
    await journal.stop();
    await db.destroy();
  });

  it('hands each source its entries, one key in order, keys side by side; a delivery id is kept once', async () => {
    const db = await openSqlite(':memory:');
    const stores = createStores(db);
    const journal = new UpdateJournal({
      store: stores.inboundUpdates,
      apply: async () => undefined,
      clock,
      logger: quietLogger,
    });
    const seen: string[] = [];
    journal.handle('hook', async (data) => {
      const { key, n } = data as { key: string; n: number };
      // The first of each key is slow: its key's next entry must still wait for it.
      if (n === 1) await new Promise((r) => setTimeout(r, 20));
      seen.push(`${key}${n}`);
    });
    const once = (id: string) => ({ source: 'hook-delivery', key: id });
    assert.equal(await journal.append('hook', 'a', { key: 'a', n: 1 }, once('d1')), true);
    assert.equal(await journal.append('hook', 'b', { key: 'b', n: 1 }, once('d2')), true);
    assert.equal(await journal.append('hook', 'a', { key: 'a', n: 2 }, once('d3')), true);
    assert.equal(await journal.append('hook', 'a', { key: 'a', n: 9 }, once('d1')), false, 'd1 again');
    assert.equal(
      await stores.dedupe.claim('hook-delivery', 'd2', new Date()),
      false,
      'claimed with the entry',
    );
    journal.start();
    await journal.idle();
    assert.deepEqual(
      seen.filter((s) => s.startsWith('a')),
      ['a1', 'a2'],
    );
    assert.deepEqual(seen.sort(), ['a1', 'a2', 'b1']);
    await journal.stop();
    await db.destroy();
  });

  it('drops, with an error, entries nobody handles any more (an adapter taken out of the config)', async () => {
    const db = await openSqlite(':memory:');
    const errors: unknown[] = [];
    const journal = new UpdateJournal({
      store: createStores(db).inboundUpdates,
      apply: async () => undefined,
      clock,
      logger: { ...quietLogger, error: (o: unknown) => errors.push(o) },
      retryMs: 1,
      maxAttempts: 2,
    });
    await journal.append('gone', 'k', {});
    journal.start();
    for (let i = 0; i < 50 && errors.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 5));
      await journal.idle();
    }
    assert.equal(errors.length, 1);
    assert.match(String((errors[0] as { err: Error }).err.message), /nothing handles gone/);
    assert.deepEqual(await createStores(db).inboundUpdates.pending(5), []);
    await journal.stop();
    await db.destroy();
  });

  it('lets waiting requests in while it works through a backlog', async () => {
    const db = await openSqlite(':memory:');
    let applied = 0;
    const journal = new UpdateJournal({
      store: createStores(db).inboundUpdates,
      apply: async () => {
        applied++;
      },
      clock,
      logger: quietLogger,
    });
    for (let i = 0; i < 300; i++) await journal.accept(update(String(i)));
    journal.start();
    // A request arriving now is an I/O callback: it must not wait for the whole backlog.
    const seenBy = await new Promise<number>((resolve) => setImmediate(() => resolve(applied)));
    await journal.idle();
    assert.equal(applied, 300);
    assert.ok(seenBy < 300, `the worker yielded after ${seenBy} of 300`);
    await journal.stop();
    await db.destroy();
  });

  it('takes small batches now and then while requests wait for answers, large ones otherwise', async () => {
    const limits = async (busy: boolean) => {
      const db = await openSqlite(':memory:');
      const store = createStores(db).inboundUpdates;
      const asked: number[] = [];
      const journal = new UpdateJournal({
        store: {
          ...store,
          pending: (limit) => {
            asked.push(limit);
            return store.pending(limit);
          },
        },
        apply: async () => undefined,
        clock,
        logger: quietLogger,
        busy: () => busy,
      });
      for (let i = 0; i < 10; i++) await journal.accept(update(String(i)));
      journal.start();
      await journal.idle();
      const left = await store.pending(100);
      await journal.stop();
      await db.destroy();
      return { asked, left: left.length };
    };
    const pressed = await limits(true);
    assert.equal(pressed.left, 0, 'everything is applied all the same');
    assert.ok(pressed.asked.length >= 3, `asked ${pressed.asked.join(', ')}`);
    assert.ok(
      pressed.asked.every((n) => n === 4),
      `small batches: ${pressed.asked.join(', ')}`,
    );
    const free = await limits(false);
    assert.equal(free.asked[0], 100, 'a large batch when nobody waits');
    assert.equal(free.left, 0);
  });
});
