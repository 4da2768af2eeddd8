/**
 * The audit entry's `alg` field under the MAC: entries written now carry a `-v2` algorithm whose
 * hash covers `alg`; entries written before (`sha256`, `hmac-sha256`) still verify, never after a
 * `-v2` one; an algorithm deckhand does not know is refused by name.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ChainResult } from '../../src/core/store.ts';
import { entryHash, GENESIS, verifyChain } from '../../src/store/audit-chain.ts';
import { createStores } from '../../src/store/index.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';

const KEY = 'k'.repeat(64);
type Db = Awaited<ReturnType<typeof openSqlite>>;
type Row = Awaited<ReturnType<typeof rows>>[number];

const rows = (db: Db) => db.selectFrom('audit').selectAll().orderBy('id').execute();
const problem = (r: ChainResult) => (r.ok ? `intact: ${r.entries}` : `#${r.id}: ${r.problem}`);

async function log(n: number, key?: string) {
  const db = await openSqlite(':memory:');
  const { audit } = createStores(db, { auditKey: key });
  for (let i = 1; i <= n; i++)
    await audit.append({
      at: new Date(Date.UTC(2026, 10, i)),
      kind: 'command',
      text: `/ci status ${i}`,
      decision: 'allowed',
    });
  return db;
}

/**
 * The hash as deckhand wrote it before the algorithm was covered (commit 15f82a5,
 * src/store/audit-chain.ts): the previous hash, then the twelve content fields as JSON.
 */
function firstFormHash(prev: string, r: Row, key?: string): string {
  const fields = [
    r.id,
    r.at,
    r.kind,
    r.actor,
    r.platform,
    r.platform_user,
    r.channel,
    r.text,
    r.command,
    r.decision,
    r.outcome,
    r.run_id,
  ];
  const hash = key ? createHmac('sha256', key) : createHash('sha256');
  return hash.update(prev).update(JSON.stringify(fields)).digest('hex');
}

/** Rewrites entries up to `upTo` (all by default) as deckhand wrote them before: the first form. */
async function asFirstForm(db: Db, key?: string, upTo = Number.MAX_SAFE_INTEGER) {
  let prev = GENESIS;
  for (const row of await rows(db)) {
    const hash = row.id <= upTo ? firstFormHash(prev, row, key) : entryHash(prev, row, row.alg, key);
    const alg = row.id <= upTo ? (key ? 'hmac-sha256' : 'sha256') : row.alg;
    await db.updateTable('audit').set({ prev_hash: prev, hash, alg }).where('id', '=', row.id).execute();
    prev = hash;
  }
}

const setAlg = (db: Db, id: number, alg: string) =>
  db.updateTable('audit').set({ alg }).where('id', '=', id).execute();

describe('the audit algorithm under the MAC', () => {
  it('writes the -v2 forms, whose hash covers the algorithm', async () => {
    for (const [key, alg] of [
      [KEY, 'hmac-sha256-v2'],
      [undefined, 'sha256-v2'],
    ] as const) {
      const db = await log(2, key);
      const all = await rows(db);
      assert.deepEqual(
        all.map((r) => r.alg),
        [alg, alg],
      );
      const first = all[0] as Row;
      assert.notEqual(
        first.hash,
        firstFormHash(GENESIS, first, key),
        'the algorithm is part of the hash input',
      );
      assert.equal(problem(verifyChain(all, key)), 'intact: 2');
      await db.destroy();
    }
  });

  it('fails an entry whose algorithm field was changed, keyed or not, first, in the middle or last', async () => {
    const cases: [string | undefined, number, string, RegExp][] = [
      [KEY, 1, 'hmac-sha256', /^#1: its MAC does not match/],
      [KEY, 3, 'hmac-sha256', /^#3: .*first form.*after entries in the second \(from #1\)/],
      [KEY, 4, 'sha256-v2', /^#4: it was written without the audit key after entries written with it/],
      [undefined, 1, 'sha256', /^#1: its contents were altered/],
      [undefined, 4, 'sha256', /^#4: .*first form.*its alg field was rewritten/],
      [
        undefined,
        2,
        'hmac-sha256-v2',
        /^#2: it is chained with the audit key, which this check was not given/,
      ],
    ];
    for (const [key, id, alg, expected] of cases) {
      const db = await log(4, key);
      await setAlg(db, id, alg);
      assert.match(problem(verifyChain(await rows(db), key)), expected, `${alg} on #${id}`);
      await db.destroy();
    }
  });

  it('still verifies entries written in the first form, and the chain that continues them', async () => {
    for (const key of [KEY, undefined]) {
      const db = await log(3, key);
      await asFirstForm(db, key);
      assert.equal(problem(verifyChain(await rows(db), key)), 'intact: 3');
      await db.destroy();
      // Written by the old deckhand up to #2, by this one from #3 on (the store appends after them).
      const mixed = await log(2, key);
      await asFirstForm(mixed, key);
      const { audit } = createStores(mixed, { auditKey: key });
      await audit.append({ at: new Date(Date.UTC(2026, 10, 9)), kind: 'command', decision: 'allowed' });
      const all = await rows(mixed);
      assert.deepEqual(
        all.map((r) => r.alg),
        key ? ['hmac-sha256', 'hmac-sha256', 'hmac-sha256-v2'] : ['sha256', 'sha256', 'sha256-v2'],
      );
      assert.equal(problem(verifyChain(all, key)), 'intact: 3');
      // The new entry relabelled in the old form: its hash no longer matches.
      await setAlg(mixed, 3, key ? 'hmac-sha256' : 'sha256');
      assert.match(
        problem(verifyChain(await rows(mixed), key)),
        /^#3: its (MAC does not match|contents were altered)/,
      );
      await mixed.destroy();
    }
  });

  it('accepts a plain chain continued with the key, and the old keyed form continued in the new', async () => {
    const db = await log(2);
    await asFirstForm(db);
    const { audit } = createStores(db, { auditKey: KEY });
    await audit.append({ at: new Date(Date.UTC(2026, 10, 9)), kind: 'command', decision: 'allowed' });
    const result = verifyChain(await rows(db), KEY);
    assert.equal(problem(result), 'intact: 3');
    assert.match(
      result.ok ? result.caveats.join('\n') : '',
      /entries #1–#2 were written before the audit key was set/,
    );
    await db.destroy();
  });

  it('refuses an algorithm it does not know, naming the entry and the algorithm', async () => {
    for (const key of [KEY, undefined]) {
      const db = await log(3, key);
      await setAlg(db, 2, 'hmac-sha512');
      assert.match(
        problem(verifyChain(await rows(db), key)),
        /^#2: its algorithm "hmac-sha512" is not one deckhand knows \(sha256, hmac-sha256, sha256-v2, hmac-sha256-v2\)/,
      );
      await setAlg(db, 2, 'toString');
      assert.match(problem(verifyChain(await rows(db), key)), /^#2: its algorithm "toString" is not one/);
      await db.destroy();
    }
    assert.throws(() => entryHash(GENESIS, {} as Row, 'md5'), /unknown audit algorithm "md5"/);
    assert.throws(() => entryHash(GENESIS, {} as Row, 'hmac-sha256-v2'), /needs the audit key/);
  });
});
