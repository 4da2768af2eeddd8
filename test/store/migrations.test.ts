/**
 * Migrations are append-only: a landed migration never changes (the migrator records migrations
 * by name, so a database that ran the old text never runs the new one). 0009 repairs the one
 * edited in place, 0007, for databases migrated before and after the edit.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, type Migration, Migrator, SqliteDialect, sql } from 'kysely';
import { entryHash, GENESIS } from '../../src/store/audit-chain.ts';
import type { Db } from '../../src/store/db.ts';
import { createStores } from '../../src/store/index.ts';
import * as m1 from '../../src/store/migrations/0001-initial.ts';
import * as m2 from '../../src/store/migrations/0002-locks.ts';
import * as m3 from '../../src/store/migrations/0003-gates.ts';
import * as m4 from '../../src/store/migrations/0004-inbound-updates.ts';
import * as m5 from '../../src/store/migrations/0005-journal-sources.ts';
import * as m6 from '../../src/store/migrations/0006-command-families.ts';
import * as m7 from '../../src/store/migrations/0007-intake.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';

const folder = path.join(import.meta.dirname, '../../src/store/migrations');

/** SHA-256 of each landed migration's text (line endings as LF). Add a line when one lands; never edit one. */
const landed: Record<string, string> = {
  '0001-initial.ts': 'f52627b46bf79665359b1cc66e6120abae0e754b66935d90074df5e6a552c8f1',
  '0002-locks.ts': 'cb147ffd8d746a42b3715cd63e66698f53519785261663f155c1d28f031f86c4',
  '0003-gates.ts': '3f4cb835e9ff235710e80323727ec71e85030950b0ef9de908dfac43c68e1edb',
  '0004-inbound-updates.ts': '463e7b73b5ee91f2149260571bf8a6f41502746e4df9a7d8e4d89266cdd3683a',
  '0005-journal-sources.ts': '3aad926ba71f9e25b2d72277ba3a3aa78a0d712a98177710c2a3f9204f76b8a9',
  '0006-command-families.ts': 'e52d4d872a015ad48f27fe2fe9db12af0c1041c343293ca76fed435a4437f346',
  '0007-intake.ts': 'b87f5579e5d387c00b244b4f230d8aecb909740aa74dcf09ad7f916f0c242924',
  '0008-audit-mac.ts': 'ead8a1671bb34a6a39d9b52b0a61efe12f3ad7fb11427b113be6e958b8fd6c83',
  '0009-audit-origin.ts': 'f7e85ca39761f0d074524f5030b8b9aeb6c11d613c5f909806f65dda9a4e593f',
  '0010-conversation-refs.ts': '72f3a6dcd8a5c68e7fca193e9ba981175dc6ceec014e6c63d769c2d2d5e496e4',
  '0011-outbox-doubt.ts': 'd9ac4eff6db321695e9229b468098447b54b0b6768c16c61fb21983efc9f5fca',
  '0012-deferred-answers.ts': '588b48668cd14118c65cd52a17445a793833f4d27f5773ada9ff65694b47662b',
  '0013-runbooks.ts': '91ba83fcad07bd3aed0dc3ad0cab8bf163a7f3c1319da9fea48f04bd2b81b307',
  '0014-incidents.ts': '26e6f783399e5d6eb8089fe1556b33836ee116d8070a070168ec447ee70819a7',
};

/**
 * 0007 as it first landed (commit 1933e44, src/store/migrations/0007-intake.ts), as the SQL its
 * `up` produced on SQLite: it also gave `audit` an `origin` column and a unique index, which
 * commit cbc1f29 then removed from the file.
 */
const OLD_0007_SQL = `
alter table "inbound_updates" rename to "intake";
alter table "intake" add column "lease_owner" text;
alter table "intake" add column "lease_until" text;
create index "intake_key" on "intake" ("key", "id");
alter table "audit" add column "origin" text;
create unique index "audit_origin" on "audit" ("origin");
alter table "runs" add column "origin" text;
create unique index "runs_origin" on "runs" ("origin");
alter table "gate_requests" add column "origin" text;
create unique index "gate_requests_origin" on "gate_requests" ("origin");
alter table "outbox" add column "lease_owner" text;
alter table "outbox" add column "lease_until" text;
create index "outbox_key" on "outbox" ("platform", "channel", "key");
alter table "webchat_messages" add column "client_key" text;
create unique index "webchat_client_key" on "webchat_messages" ("client_key")`;

const old0007: Migration = {
  async up(db) {
    for (const statement of OLD_0007_SQL.split(';')) await sql.raw(statement).execute(db);
  },
};

/** A database file migrated up to 0007 by the deckhand of the time: 0007 as given. */
async function migratedTo0007(seven: Migration): Promise<string> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'deckhand-migrate-')), 'deckhand.db');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
  const migrations: Record<string, Migration> = {
    '0001-initial': m1,
    '0002-locks': m2,
    '0003-gates': m3,
    '0004-inbound-updates': m4,
    '0005-journal-sources': m5,
    '0006-command-families': m6,
    '0007-intake': seven,
  };
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  }).migrateToLatest();
  assert.equal(error, undefined);
  await db.destroy();
  return file;
}

/** Each table's columns and each index, as SQLite describes them (column order aside). */
async function shape(db: Db) {
  const tables = await sql<{ name: string; type: string }>`
    select name, type from sqlite_master where name not like 'sqlite_%' order by name`.execute(db);
  const out: Record<string, string[]> = {};
  for (const t of tables.rows) {
    if (t.type !== 'table') {
      out[t.name] = [t.type];
      continue;
    }
    const columns = await sql<{ name: string; type: string; notnull: number; dflt_value: string | null }>`
      select name, type, "notnull", dflt_value from pragma_table_info(${t.name})`.execute(db);
    out[t.name] = columns.rows.map((c) => `${c.name} ${c.type} ${c.notnull} ${c.dflt_value}`).sort();
  }
  return out;
}

describe('migrations', () => {
  it('never change once landed', () => {
    for (const [file, expected] of Object.entries(landed)) {
      const text = readFileSync(path.join(folder, file), 'utf8').replaceAll('\r\n', '\n');
      const actual = createHash('sha256').update(text).digest('hex');
      assert.equal(
        actual,
        expected,
        `src/store/migrations/${file} changed after it landed: databases that already ran it will never run the change. Put it back as it was and add a new migration after the last one instead.`,
      );
    }
  });

  it('are every file in the folder, applied in order', async () => {
    const files = readdirSync(folder)
      .filter((f) => f.endsWith('.ts'))
      .sort();
    for (const file of Object.keys(landed)) assert.ok(files.includes(file), `${file} is gone`);
    const db = await openSqlite(':memory:');
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    assert.deepEqual(
      applied.rows.map((r) => `${r.name}.ts`),
      files,
    );
    await db.destroy();
  });

  it('give a database migrated by the first 0007 and one by the edited 0007 the same schema, and keep what the old audit entries hold', async () => {
    const oldFile = await migratedTo0007(old0007);
    const newFile = await migratedTo0007(m7);
    // An entry the deckhand of the time wrote: plain SHA-256 over its contents, with its origin.
    const raw = new SQLite(oldFile);
    const entry = {
      id: 1,
      at: '2026-12-03T08:00:00.000Z',
      kind: 'command',
      actor: 'alice',
      platform: null,
      platform_user: null,
      channel: 'general',
      text: '/ci status',
      command: null,
      decision: 'allowed',
      outcome: 'ok',
      run_id: null,
    };
    raw
      .prepare(
        'insert into audit (id, at, kind, actor, platform, platform_user, channel, text, command, decision, outcome, run_id, prev_hash, hash, origin) values (@id, @at, @kind, @actor, @platform, @platform_user, @channel, @text, @command, @decision, @outcome, @run_id, @prev_hash, @hash, @origin)',
      )
      .run({ ...entry, prev_hash: GENESIS, hash: entryHash(GENESIS, entry, 'sha256'), origin: 'intake:7' });
    raw.close();

    const old = await openSqlite(oldFile);
    const fresh = await openSqlite(newFile);
    assert.deepEqual(await shape(old), await shape(fresh));
    for (const db of [old, fresh]) {
      const columns = await sql<{ name: string }>`select name from pragma_table_info('audit')`.execute(db);
      assert.ok(
        columns.rows.some((c) => c.name === 'origin'),
        'audit has its origin column',
      );
      const index = await sql`select name from sqlite_master where name = 'audit_origin'`.execute(db);
      assert.equal(index.rows.length, 0, 'the unused unique index is gone');
    }
    const kept = await old
      .selectFrom('audit')
      .select(['origin', 'alg'])
      .where('id', '=', 1)
      .executeTakeFirst();
    assert.deepEqual(kept, { origin: 'intake:7', alg: 'sha256' });

    // The stores work on both: entries appended after the old one, the chain whole, a run recorded.
    for (const db of [old, fresh]) {
      const { audit, runs } = createStores(db);
      await audit.append({ at: new Date(), kind: 'command', text: '/ci help', decision: 'allowed' });
      await audit.append({ at: new Date(), kind: 'command', text: '/ci whoami', decision: 'allowed' });
      const result = await audit.verify();
      assert.equal(result.ok && result.entries, db === old ? 3 : 2, JSON.stringify(result));
      const run = {
        kind: 'build' as const,
        pipeline: 'build',
        provider: 'local',
        ref: 'main',
        params: {},
        requestedBy: 'alice',
        source: { platform: 'web', channel: 'general' },
        origin: 'intake:9',
      };
      const first = await runs.create(run, new Date());
      const again = await runs.create(run, new Date());
      assert.equal(again.id, first.id, 'a run is still found by its origin');
      await db.destroy();
    }
  });
});
