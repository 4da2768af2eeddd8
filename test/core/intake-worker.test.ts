import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ProviderError } from '../../src/core/errors.ts';
import { IntakeWorker, type IntakeWorkerOptions } from '../../src/core/intake-worker.ts';
import { createStores } from '../../src/store/index.ts';
import { releaseLeases } from '../../src/store/sqlite/index.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';
import { quietLogger } from '../helpers/recording-sender.ts';

const clock = { now: () => new Date() };
const worker = (o: Partial<IntakeWorkerOptions> & Pick<IntakeWorkerOptions, 'store'>) =>
  new IntakeWorker({ clock, logger: quietLogger, owner: 'test', retryMs: 5, ...o });
const entry = (key: string, n: number) => ({ source: 'hook', key, data: { key, n } });

describe('the intake worker', () => {
  it('a record taken in but not handled before a crash is handled after the restart, in order', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'deckhand-intake-')), 'deckhand.db');
    const db = await openSqlite(file);
    const stores = createStores(db);
    // Taken in; one claimed by a process that then dies before handling it.
    await stores.intake.append(entry('a', 1), new Date(), {
      lease: { owner: 'dead', until: new Date(Date.now() + 60_000) },
    });
    await stores.intake.append(entry('a', 2), new Date());
    await db.destroy();

    const again = await openSqlite(file);
    await releaseLeases(again);
    const store = createStores(again).intake;
    const seen: { n: number; attempts: number }[] = [];
    const w = worker({ store });
    w.handle('hook', async (data, record) => {
      seen.push({ n: (data as { n: number }).n, attempts: record.attempts });
    });
    w.start();
    await w.idle();
    assert.deepEqual(
      seen,
      [
        { n: 1, attempts: 2 },
        { n: 2, attempts: 1 },
      ],
      'the interrupted one first, marked as a replay',
    );
    assert.equal(await store.count(), 0, 'handled records leave the intake');
    await w.stop();
    await again.destroy();
  });

  it('a failing record is retried, then dropped with an error, and its key waits for it meanwhile', async () => {
    const db = await openSqlite(':memory:');
    const { intake: store } = createStores(db);
    const seen: string[] = [];
    const errors: unknown[] = [];
    let tries = 0;
    const w = worker({
      store,
      maxAttempts: 3,
      logger: { ...quietLogger, error: (o: unknown) => errors.push(o) },
    });
    w.handle('hook', async (data) => {
      const { key, n } = data as { key: string; n: number };
      if (key === 'bad' && n === 1) {
        tries++;
        throw new Error('boom');
      }
      seen.push(`${key}${n}`);
    });
    await store.append(entry('bad', 1), new Date());
    await store.append(entry('bad', 2), new Date());
    await store.append(entry('good', 1), new Date());
    w.start();
    await w.idle();
    assert.equal(tries, 3);
    assert.equal(errors.length, 1);
    assert.deepEqual(seen, ['good1', 'bad2'], 'bad2 waited for bad1 to be dropped');
    await w.stop();
    await db.destroy();
  });

  it('hands each source its records, one key in order, keys side by side; a delivery id is kept once', async () => {
    const db = await openSqlite(':memory:');
    const stores = createStores(db);
    const w = worker({ store: stores.intake });
    const seen: string[] = [];
    w.handle('hook', async (data) => {
      const { key, n } = data as { key: string; n: number };
      // The first of each key is slow: its key's next record must still wait for it.
      if (n === 1) await new Promise((r) => setTimeout(r, 20));
      seen.push(`${key}${n}`);
    });
    const once = (id: string) => ({ once: { source: 'hook', key: id } });
    assert.ok(await stores.intake.append(entry('a', 1), new Date(), once('d1')));
    assert.ok(await stores.intake.append(entry('b', 1), new Date(), once('d2')));
    assert.ok(await stores.intake.append(entry('a', 2), new Date(), once('d3')));
    assert.equal(await stores.intake.append(entry('a', 9), new Date(), once('d1')), undefined, 'd1 again');
    assert.equal(await stores.dedupe.claim('hook', 'd2', new Date()), false, 'claimed with the record');
    w.start();
    await w.idle();
    assert.deepEqual(
      seen.filter((s) => s.startsWith('a')),
      ['a1', 'a2'],
    );
    assert.deepEqual(seen.sort(), ['a1', 'a2', 'b1']);
    await w.stop();
    await db.destroy();
  });

  it('leaves records another holder claims until its lease runs out, and never overtakes them', async () => {
    const db = await openSqlite(':memory:');
    const { intake: store } = createStores(db);
    const theirs = { owner: 'other', until: new Date(Date.now() + 60_000) };
    await store.append(entry('a', 1), new Date(), { lease: theirs });
    await store.append(entry('a', 2), new Date());
    await store.append(entry('b', 1), new Date());
    const mine = { owner: 'me', until: new Date(Date.now() + 600_000) };
    const claimed = await store.claim(mine, 10, new Date());
    assert.deepEqual(
      claimed.map((r) => `${r.entry.key}${(r.entry.data as { n: number }).n}`),
      ['b1'],
      'a2 waits behind a1, which another process holds',
    );
    const later = new Date(Date.now() + 61_000);
    const after = await store.claim({ owner: 'me', until: new Date(later.getTime() + 60_000) }, 10, later);
    assert.deepEqual(
      after.map((r) => `${r.entry.key}${(r.entry.data as { n: number }).n}`),
      ['a1', 'a2'],
      'once its lease runs out, another process takes it',
    );
    await db.destroy();
  });

  it('drops, with an error, records nobody handles any more (a module taken out of the config)', async () => {
    const db = await openSqlite(':memory:');
    const { intake: store } = createStores(db);
    const errors: unknown[] = [];
    const w = worker({
      store,
      maxAttempts: 2,
      logger: { ...quietLogger, error: (o: unknown) => errors.push(o) },
    });
    await store.append({ source: 'gone', key: 'k', data: {} }, new Date());
    w.start();
    await w.idle();
    assert.equal(errors.length, 1);
    assert.match(String((errors[0] as { err: Error }).err.message), /nothing handles gone/);
    assert.equal(await store.count(), 0);
    await w.stop();
    await db.destroy();
  });

  it('lets waiting requests in while it works through a backlog', async () => {
    const db = await openSqlite(':memory:');
    const { intake: store } = createStores(db);
    let handled = 0;
    const w = worker({ store });
    w.handle('hook', async () => {
      handled++;
    });
    for (let i = 0; i < 300; i++) await store.append(entry(String(i), 1), new Date());
    w.start();
    // A request arriving now is an I/O callback: it must not wait for the whole backlog.
    const seenBy = await new Promise<number>((resolve) => setImmediate(() => resolve(handled)));
    await w.idle();
    assert.equal(handled, 300);
    assert.ok(seenBy < 300, `the worker yielded after ${seenBy} of 300`);
    await w.stop();
    await db.destroy();
  });

  it('takes small batches now and then while requests wait for answers, large ones otherwise', async () => {
    const limits = async (busy: boolean) => {
      const db = await openSqlite(':memory:');
      const store = createStores(db).intake;
      const asked: number[] = [];
      const w = worker({
        store: {
          ...store,
          claim: (lease, limit, now) => {
            asked.push(limit);
            return store.claim(lease, limit, now);
          },
        },
        busy: () => busy,
      });
      w.handle('hook', async () => undefined);
      for (let i = 0; i < 20; i++) await store.append(entry(String(i), 1), new Date());
      w.start();
      await w.idle();
      const left = await store.count();
      await w.stop();
      await db.destroy();
      return { asked, left };
    };
    const pressed = await limits(true);
    assert.equal(pressed.left, 0, 'everything is handled all the same');
    assert.ok(pressed.asked.length >= 3, `asked ${pressed.asked.join(', ')}`);
    assert.ok(
      pressed.asked.every((n) => n === 8),
      `small batches: ${pressed.asked.join(', ')}`,
    );
    const free = await limits(false);
    assert.equal(free.asked[0], 100, 'a large batch when nobody waits');
    assert.equal(free.left, 0);
  });

  it('drops at once a record its CI system refuses for good (404), and retries one it may take later (503)', async () => {
    const db = await openSqlite(':memory:');
    const store = createStores(db).intake;
    const tries = new Map<number, number>();
    const w = worker({ store });
    w.handle('hook', async (data) => {
      const { n } = data as { n: number };
      tries.set(n, (tries.get(n) ?? 0) + 1);
      if (n === 1) throw new ProviderError('GitHub answered 404 Not Found for run 9.', 404);
      if (n === 2 && (tries.get(n) ?? 0) < 3) throw new ProviderError('GitHub answered 503.', 503);
    });
    await store.append(entry('a', 1), new Date());
    await store.append(entry('b', 2), new Date());
    w.start();
    await w.idle();
    assert.deepEqual(Object.fromEntries(tries), { 1: 1, 2: 3 });
    assert.equal(await store.count(), 0);
    await w.stop();
    await db.destroy();
  });
});
