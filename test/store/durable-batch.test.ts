import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { DurableBatch } from '../../src/store/durable-batch.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';

describe('one durable batch for every store', () => {
  it('writes every store queued in a turn in one call each, in order, each answer to its writer', async () => {
    const db = await openSqlite(':memory:');
    try {
      const batch = new DurableBatch(db);
      const calls: string[][] = [];
      const upper = batch.writer<string, string>(async (_tx, items) => {
        calls.push(items);
        return items.map((s) => s.toUpperCase());
      });
      const length = batch.writer<string, number>(async (_tx, items) => {
        calls.push(items);
        return items.map((s) => s.length);
      });
      const answers = await Promise.all([upper('a'), length('bb'), upper('c'), length('dddd')]);
      assert.deepEqual(answers, ['A', 2, 'C', 4]);
      assert.deepEqual(calls, [
        ['a', 'c'],
        ['bb', 'dddd'],
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('a failing write fails alone: the other stores of the batch are still written', async () => {
    const db = await openSqlite(':memory:');
    try {
      const batch = new DurableBatch(db);
      const ok = batch.writer<number, number>(async (_tx, items) => items);
      const bad = batch.writer<number, number>(async () => {
        throw new Error('no');
      });
      const [first, second] = await Promise.allSettled([ok(1), bad(2)]);
      assert.deepEqual(first, { status: 'fulfilled', value: 1 });
      assert.equal(second?.status, 'rejected');
    } finally {
      await db.destroy();
    }
  });

  it('syncs a batch unless every write in it is covered by a durable intake record', async () => {
    const db = await openSqlite(':memory:');
    try {
      const batch = new DurableBatch(db);
      // The level the batch's transaction runs at: 2 is FULL (the WAL fsynced at commit), 1 NORMAL.
      const level = batch.writer<string, number>(async (tx, items) => {
        const { rows } = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(tx);
        return items.map(() => Number(rows[0]?.synchronous));
      });
      assert.deepEqual(await Promise.all([level('a', true), level('b', true)]), [1, 1]);
      assert.deepEqual(await Promise.all([level('c', true), level('d')]), [2, 2]);
      assert.equal(await level('e'), 2);
    } finally {
      await db.destroy();
    }
  });
});
