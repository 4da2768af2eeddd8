/**
 * The audit chain under attack, checked against a checkpoint taken before: every way of cutting
 * or rewriting it is named; an untouched log verifies; a missing key is reported.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Checkpoint } from '../../src/core/store.ts';
import { AuditCheckpoints, newestCheckpoint } from '../../src/server/audit-checkpoints.ts';
import { entryHash, GENESIS, KEYED, PLAIN } from '../../src/store/audit-chain.ts';
import { createStores } from '../../src/store/index.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';
import { silentLogger } from '../helpers/recording-sender.ts';

const KEY = 'k'.repeat(64);
type Db = Awaited<ReturnType<typeof openSqlite>>;

/** A log of `n` entries written with `key`, and the checkpoint of its head. */
async function keyedLog(n: number, key: string | null = KEY) {
  const db = await openSqlite(':memory:');
  const { audit } = createStores(db, { auditKey: key ?? undefined });
  for (let i = 1; i <= n; i++)
    await audit.append({
      at: new Date(Date.UTC(2026, 10, i)),
      kind: 'command',
      text: `/ci status ${i}`,
      decision: 'allowed',
    });
  const head = await audit.head();
  assert.ok(head);
  const checkpoint: Checkpoint = { ...head, at: '2026-12-01T00:00:00.000Z' };
  return { db, audit, checkpoint };
}

const rows = (db: Db) => db.selectFrom('audit').selectAll().orderBy('id').execute();

/** Recomputes every hash from the start, as someone without the key (or with `key`) could. */
async function recompute(db: Db, key?: string) {
  let prev = GENESIS;
  for (const row of await rows(db)) {
    const alg = key ? KEYED : PLAIN;
    const hash = entryHash(prev, row, alg, key);
    await db.updateTable('audit').set({ prev_hash: prev, hash, alg }).where('id', '=', row.id).execute();
    prev = hash;
  }
}

async function problemAfter(tamper: (db: Db) => Promise<void>): Promise<string> {
  const { db, audit, checkpoint } = await keyedLog(5);
  try {
    await tamper(db);
    const result = await audit.verify(checkpoint);
    assert.equal(result.ok, false, 'the tampering was not detected');
    return result.ok ? '' : `#${result.id}: ${result.problem}`;
  } finally {
    await db.destroy();
  }
}

describe('the audit chain against a checkpoint', () => {
  it('verifies an untouched log with nothing left unproven', async () => {
    const { db, audit, checkpoint } = await keyedLog(5);
    assert.deepEqual(await audit.verify(checkpoint), { ok: true, entries: 5, caveats: [] });
    await db.destroy();
  });

  it('names an altered entry', async () => {
    const found = await problemAfter((db) =>
      db
        .updateTable('audit')
        .set({ text: 'x' })
        .where('id', '=', 3)
        .execute()
        .then(() => undefined),
    );
    assert.match(found, /^#3: its MAC does not match/);
  });

  it('names a deleted entry in the middle', async () => {
    const found = await problemAfter((db) =>
      db
        .deleteFrom('audit')
        .where('id', '=', 3)
        .execute()
        .then(() => undefined),
    );
    assert.match(found, /^#4: entries #3–#3 are missing/);
  });

  it('names entries cut from the end', async () => {
    const found = await problemAfter((db) =>
      db
        .deleteFrom('audit')
        .where('id', '>=', 4)
        .execute()
        .then(() => undefined),
    );
    assert.match(
      found,
      /^#4: entries #4–#5 were cut from the end: the checkpoint of .* anchored 5 entries up to #5/,
    );
  });

  it('names reordered entries', async () => {
    const found = await problemAfter(async (db) => {
      const all = await rows(db);
      const [two, three] = [all[1], all[2]];
      assert.ok(two && three);
      const swap = (to: number, from: typeof two) =>
        db
          .updateTable('audit')
          .set({ text: from.text, at: from.at, hash: from.hash, prev_hash: from.prev_hash })
          .where('id', '=', to)
          .execute();
      await swap(2, three);
      await swap(3, two);
    });
    assert.match(found, /^#2: /);
  });

  it('names an entry appended without the key, and one appended with a wrong key', async () => {
    const append = (key: string | undefined) => async (db: Db) => {
      const last = (await rows(db)).at(-1);
      assert.ok(last);
      const forged = { ...last, id: 6, text: '/ci deploy production', decision: 'allowed' };
      const alg = key ? KEYED : PLAIN;
      const hash = entryHash(last.hash, forged, alg, key);
      await db
        .insertInto('audit')
        .values({ ...forged, prev_hash: last.hash, hash, alg })
        .execute();
    };
    assert.match(
      await problemAfter(append(undefined)),
      /^#6: it was written without the audit key after entries written with it/,
    );
    assert.match(
      await problemAfter(append('w'.repeat(64))),
      /^#6: its MAC does not match: it was altered or forged/,
    );
  });

  it('names a chain recomputed from the start, with SHA-256 or another key', async () => {
    const rewritten = (key?: string) => async (db: Db) => {
      await db.updateTable('audit').set({ text: 'nothing happened' }).where('id', '=', 2).execute();
      await recompute(db, key);
    };
    assert.match(
      await problemAfter(rewritten()),
      /^#5: it is not the entry it was when the checkpoint of .* anchored 5 entries up to #5: the chain was rewritten/,
    );
    assert.match(await problemAfter(rewritten('w'.repeat(64))), /^#1: its MAC does not match/);
  });

  it('reports a missing key instead of passing what it cannot check', async () => {
    const { db, checkpoint } = await keyedLog(3);
    const { audit } = createStores(db);
    const result = await audit.verify(checkpoint);
    assert.equal(result.ok, false);
    assert.match(
      result.ok ? '' : result.problem,
      /chained with the audit key, which this check was not given \(set DECKHAND_AUDIT_KEY/,
    );
    await db.destroy();
  });

  it('without a key, says what a plain chain cannot prove, and the checkpoint still catches a recomputed chain', async () => {
    const { db, audit, checkpoint } = await keyedLog(4, null);
    const fine = await audit.verify(checkpoint);
    assert.ok(fine.ok);
    assert.match(
      fine.caveats.join('\n'),
      /plain SHA-256 \(no audit key\).*only a checkpoint kept elsewhere catches that/,
    );
    const unanchored = await audit.verify();
    assert.match(
      unanchored.ok ? unanchored.caveats.join('\n') : '',
      /no checkpoint was found: entries cut from the end/,
    );
    await db.updateTable('audit').set({ text: 'nothing happened' }).where('id', '=', 1).execute();
    await recompute(db);
    const rewritten = await audit.verify(checkpoint);
    assert.match(rewritten.ok ? '' : rewritten.problem, /the chain was rewritten/);
    await db.destroy();
  });
});

describe('audit checkpoints on disk', () => {
  it('appends a line when the head moves (not while the log is idle), and reads the newest past a torn line', async () => {
    const file = path.join(
      mkdtempSync(path.join(os.tmpdir(), 'deckhand-anchor-')),
      'cp',
      'audit-checkpoints.jsonl',
    );
    const { db, audit } = await keyedLog(2);
    const posted: Checkpoint[] = [];
    const clock = { now: () => new Date('2026-12-03T10:00:00Z') };
    const anchors = new AuditCheckpoints({
      audit,
      file,
      everyMs: 60_000,
      clock,
      logger: silentLogger(),
      post: async (c) => void posted.push(c),
    });
    await anchors.start();
    await anchors.take();
    await anchors.take();
    await audit.append({ at: new Date(), kind: 'command', text: '/ci help', decision: 'allowed' });
    await anchors.stop();
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.count, l.lastId, l.keyed]),
      [
        [2, 2, true],
        [3, 3, true],
      ],
    );
    assert.equal(posted.length, 2, 'each checkpoint posted to the audit channel');
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"count":4,"las`);
    assert.deepEqual(await newestCheckpoint(file), lines[1]);
    assert.equal((await audit.verify(await newestCheckpoint(file))).ok, true);
    await db.destroy();
  });
});
