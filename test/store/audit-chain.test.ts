import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ChainResult } from '../../src/core/store.ts';
import { verifyChain } from '../../src/store/audit-chain.ts';
import { createStores } from '../../src/store/index.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';

/** The entries an intact chain holds; undefined when it is broken. */
const intact = (r: ChainResult) => (r.ok ? r.entries : undefined);

async function logWith(n: number, file = ':memory:') {
  const db = await openSqlite(file);
  const { audit } = createStores(db);
  for (let i = 1; i <= n; i++) {
    await audit.append({
      at: new Date(Date.UTC(2026, 10, i)),
      kind: 'command',
      actor: 'alice',
      text: `/ci status ${i}`,
      decision: 'allowed',
      outcome: `ok ${i}`,
    });
  }
  return db;
}

const rows = (db: Awaited<ReturnType<typeof logWith>>) =>
  db.selectFrom('audit').selectAll().orderBy('id').execute();

describe('the audit hash chain', () => {
  it('links every entry to the one before', async () => {
    const db = await logWith(5);
    const all = await rows(db);
    assert.equal(all[0]?.prev_hash, '0'.repeat(64));
    for (let i = 1; i < all.length; i++) assert.equal(all[i]?.prev_hash, all[i - 1]?.hash);
    assert.equal(intact(verifyChain(all)), 5);
    await db.destroy();
  });

  it('writes an entry with a deduplication key only if the key is new, and keeps the chain whole', async () => {
    const db = await openSqlite(':memory:');
    const { audit } = createStores(db);
    const entry = (text: string) => ({ at: new Date(), kind: 'command', text, decision: 'allowed' });
    const once = { source: 'command', key: 'T-1' };
    // Twice in one batch, then again later: only the first is written.
    const [a, b, c] = await Promise.all([
      audit.append(entry('first'), { once }),
      audit.append(entry('second'), { once }),
      audit.append(entry('plain')),
    ]);
    const later = await audit.append(entry('third'), { once });
    assert.equal(typeof a, 'number');
    assert.equal(b, undefined);
    assert.equal(later, undefined);
    const all = await rows(db);
    assert.deepEqual(
      all.map((r) => [r.id, r.text]),
      [
        [a, 'first'],
        [c, 'plain'],
      ],
    );
    assert.equal(intact(verifyChain(all)), 2);
    await db.destroy();
  });

  it('names an entry whose contents were changed', async () => {
    const db = await logWith(5);
    await db.updateTable('audit').set({ outcome: 'nothing to see' }).where('id', '=', 3).execute();
    assert.deepEqual(verifyChain(await rows(db)), {
      ok: false,
      entries: 5,
      id: 3,
      problem: 'its contents were altered after it was written',
    });
    await db.destroy();
  });

  it('names the gap a deleted entry leaves', async () => {
    const db = await logWith(5);
    await db.deleteFrom('audit').where('id', '=', 2).execute();
    const result = verifyChain(await rows(db));
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.id, 3);
    assert.match(!result.ok ? result.problem : '', /entries #2–#2 are missing/);
    await db.destroy();
  });

  it('catches a rewritten entry whose own hash was recomputed', async () => {
    const db = await logWith(4);
    const { entryHash } = await import('../../src/store/audit-chain.ts');
    const [, second] = await rows(db);
    const forged = { ...second, outcome: 'forged' } as NonNullable<typeof second>;
    await db
      .updateTable('audit')
      .set({ outcome: 'forged', hash: entryHash(forged.prev_hash, forged, forged.alg) })
      .where('id', '=', 2)
      .execute();
    const result = verifyChain(await rows(db));
    assert.equal(!result.ok && result.id, 3, 'the next entry no longer follows');
    await db.destroy();
  });

  it('deckhand audit verify and export, on a real file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deckhand-audit-'));
    writeFileSync(path.join(dir, 'deckhand.yaml'), 'database: { dataDir: data }\n');
    const db = await logWith(3, path.join(dir, 'data', 'deckhand.db'));
    await db.destroy();
    const cli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['bin/deckhand.js', 'audit', ...args, '--config', path.join(dir, 'deckhand.yaml')],
        { encoding: 'utf8' },
      );
    const ok = cli('verify');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /intact: 3 entries/);
    const csv = cli('export', '--format', 'csv', '--since', '2026-11-02');
    const lines = csv.stdout.trim().split('\n');
    assert.equal(
      lines[0],
      'id,at,kind,actor,platform,platform_user,channel,text,command,decision,outcome,run_id,prev_hash,hash,alg',
    );
    assert.equal(lines.length, 3, 'header and two entries since Nov 2');
    const jsonl = cli('export')
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      jsonl.map((e) => e.id),
      [1, 2, 3],
    );
    assert.match(cli('export', '--format', 'xml').stderr, /--format is jsonl or csv/);

    const tamper = await openSqlite(path.join(dir, 'data', 'deckhand.db'));
    await tamper.updateTable('audit').set({ actor: 'mallory' }).where('id', '=', 2).execute();
    await tamper.destroy();
    const bad = cli('verify');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /tampered with at entry #2: its contents were altered/);
  });
});
