import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openSqlite } from '../../src/store/sqlite/open.ts';

describe('the prepared-statement cache', () => {
  it('answers repeated queries correctly, inside and outside transactions, and after a schema change', async () => {
    const db = await openSqlite(':memory:');
    try {
      await sql`create table t (a integer)`.execute(db);
      const all = () => sql<Record<string, unknown>>`select * from t order by a`.execute(db);
      await db.transaction().execute(async (tx) => {
        await sql`insert into t (a) values (${1})`.execute(tx);
        await sql`insert into t (a) values (${2})`.execute(tx);
      });
      assert.deepEqual((await all()).rows, [{ a: 1 }, { a: 2 }]);
      await sql`insert into t (a) values (${3})`.execute(db);
      assert.deepEqual((await all()).rows, [{ a: 1 }, { a: 2 }, { a: 3 }], 'the same statement, new rows');
      await sql`alter table t add column b text`.execute(db);
      assert.deepEqual((await all()).rows[0], { a: 1, b: null }, 'a kept statement sees the new column');
      await assert.rejects(
        db.transaction().execute(async (tx) => {
          await sql`insert into t (a) values (${4})`.execute(tx);
          throw new Error('roll back');
        }),
      );
      assert.equal((await all()).rows.length, 3, 'a rolled-back transaction left nothing');
    } finally {
      await db.destroy();
    }
  });
});
