import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { ChainResult } from '../../src/core/store.ts';
import { verifyChain } from '../../src/store/audit-chain.ts';
import { createAuditStore } from '../../src/store/audit-store.ts';
import { type Db, migrate } from '../../src/store/db.ts';
import { createDedupeStore } from '../../src/store/dedupe-store.ts';
import type { Database } from '../../src/store/schema.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';

/** The entries an intact chain holds; undefined when it is broken. */
const intact = (r: ChainResult) => (r.ok ? r.entries : undefined);

const entry = (i: number) => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
  kind: 'command',
  actor: 'alice',
  text: `/ci status ${i}`,
  decision: 'allowed',
  outcome: `ok ${i}`,
});

const tempFile = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'deckhand-group-')), 'deckhand.db');

/** A file-backed database that records every statement it runs. */
async function loggedDb(file: string) {
  const statements: string[] = [];
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  const db: Db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (event) => {
      statements.push(event.query.sql.trim().toLowerCase());
    },
  });
  await migrate(db);
  statements.length = 0;
  return { db, sqlite, statements };
}

describe('group commit of audit entries and delivery claims', () => {
  it('links concurrent appends into one valid chain, ids in arrival order, on disk once answered', async () => {
    const file = tempFile();
    const { db, statements } = await loggedDb(file);
    const audit = createAuditStore(db);
    await audit.append(entry(0));
    const ids = await Promise.all(Array.from({ length: 300 }, (_, i) => audit.append(entry(i + 1))));
    assert.deepEqual(
      ids,
      Array.from({ length: 300 }, (_, i) => i + 2),
    );
    const begins = statements.filter((s) => s === 'begin').length;
    assert.ok(begins <= 3, `301 appends took ${begins} transactions (the first alone, the rest in batches)`);

    // Another connection (another process, in effect) sees every entry and an intact chain.
    const reader = new SQLite(file, { readonly: true });
    const rows = reader.prepare('SELECT * FROM audit ORDER BY id').all() as Parameters<typeof verifyChain>[0];
    reader.close();
    assert.equal(rows.length, 301);
    assert.equal(intact(verifyChain(rows)), 301);
    assert.equal(rows[150]?.text, '/ci status 150');
    await db.destroy();
  });

  it('continues the chain across batches and restarts', async () => {
    const file = tempFile();
    const first = await openSqlite(file);
    await Promise.all([1, 2, 3].map((i) => createAuditStore(first).append(entry(i))));
    await first.destroy();
    const again = await openSqlite(file);
    const audit = createAuditStore(again);
    await Promise.all([4, 5].map((i) => audit.append(entry(i))));
    await audit.append(entry(6));
    const rows = await again.selectFrom('audit').selectAll().orderBy('id').execute();
    assert.equal(intact(verifyChain(rows)), 6);
    await again.destroy();
  });

  it('commits each batch with the WAL synced (synchronous = FULL), then restores NORMAL', async () => {
    const { db, sqlite, statements } = await loggedDb(tempFile());
    const audit = createAuditStore(db);
    await Promise.all([1, 2].map((i) => audit.append(entry(i))));
    const full = statements.indexOf('pragma synchronous = full');
    const begin = statements.indexOf('begin');
    const commit = statements.indexOf('commit');
    assert.ok(full !== -1 && full < begin && begin < commit, statements.join('\n'));
    assert.equal(statements.slice(commit).includes('pragma synchronous = 1'), true);
    assert.equal(sqlite.pragma('synchronous', { simple: true }), 1, 'other writes keep NORMAL');
    await db.destroy();
  });

  it('fails only the bad entry of a batch', async () => {
    const db = await openSqlite(tempFile());
    const audit = createAuditStore(db);
    const bad = { ...entry(2), decision: undefined as unknown as string };
    const results = await Promise.allSettled([
      audit.append(entry(1)),
      audit.append(bad),
      audit.append(entry(3)),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    const rows = await db.selectFrom('audit').selectAll().orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => r.text),
      ['/ci status 1', '/ci status 3'],
    );
    assert.equal(intact(verifyChain(rows)), 2);
    await db.destroy();
  });

  it('claims a key once when the same delivery arrives twice in one batch', async () => {
    const db = await openSqlite(tempFile());
    const dedupe = createDedupeStore(db);
    const at = new Date('2026-01-01T00:00:00Z');
    const claims = await Promise.all([
      dedupe.claim('github-delivery', 'd1', at),
      dedupe.claim('github-delivery', 'd2', at),
      dedupe.claim('github-delivery', 'd1', at),
      dedupe.claim('slack-event', 'd1', at),
    ]);
    assert.deepEqual(claims, [true, true, false, true]);
    assert.equal(await dedupe.claim('github-delivery', 'd2', at), false, 'a later batch sees it too');
    const many = await Promise.all(
      Array.from({ length: 500 }, (_, i) => dedupe.claim('github-delivery', `k${i % 250}`, at)),
    );
    assert.equal(many.filter(Boolean).length, 250);
    await db.destroy();
  });
});
