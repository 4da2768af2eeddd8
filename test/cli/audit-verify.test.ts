/** `deckhand audit verify` on a real deckhand's files: its key, its checkpoints, what it reports. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createStores } from '../../src/store/index.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';
import { startTestDeckhand } from '../helpers/test-deckhand.ts';

const yaml = `
database: { dataDir: data }
people:
  - { id: alice, name: Alice, roles: [dev], chat: { webchat: alice } }
roles:
  dev: { allow: [{ commands: "*" }] }
channels:
  general: {}
  audit: {}
audit:
  checkpoints: { every: 1h, channel: audit }
`;
const key = 'a'.repeat(64);

describe('deckhand audit verify', () => {
  it('checks the keyed chain against the checkpoint taken at shutdown, and names entries cut from the end', async () => {
    const { deckhand, config, dir, say, waitFor } = await startTestDeckhand({
      yaml,
      env: { DECKHAND_AUDIT_KEY: key },
    });
    await deckhand.startWorkers();
    await say('/ci help');
    await waitFor('general', /commands/);
    await say('/ci whoami');
    await waitFor('general', /You are Alice/);
    await deckhand.close();
    const file = path.join(dir, 'data', 'audit-checkpoints.jsonl');
    assert.ok(existsSync(file), 'a checkpoint was written at shutdown');
    assert.equal(config.paths.checkpoints, file);
    const verify = (env: Record<string, string>) =>
      spawnSync(
        process.execPath,
        ['bin/deckhand.js', 'audit', 'verify', '--config', path.join(dir, 'deckhand.yaml')],
        {
          encoding: 'utf8',
          env: { ...process.env, DECKHAND_AUDIT_KEY: '', ...env },
        },
      );
    const ok = verify({ DECKHAND_AUDIT_KEY: key });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(
      ok.stdout,
      /intact: \d+ entries, each linked to the one before, and it holds what the checkpoint of/,
    );
    assert.doesNotMatch(ok.stdout + ok.stderr, new RegExp(key), 'the key is never printed');
    const missing = verify({});
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /was not given \(set DECKHAND_AUDIT_KEY or audit\.key\)/);
    const db = await openSqlite(config.paths.sqlite);
    const posted = await db.selectFrom('outbox').select(['channel', 'payload']).execute();
    assert.ok(
      posted.some((p) => p.channel === 'audit' && p.payload.includes('Audit checkpoint')),
      'the checkpoint is posted to the audit channel',
    );
    const last = await db.selectFrom('audit').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await db.deleteFrom('audit').where('id', '=', last.id).execute();
    await db.destroy();
    const cut = verify({ DECKHAND_AUDIT_KEY: key });
    assert.equal(cut.status, 1);
    assert.match(cut.stderr, new RegExp(`entries #${last.id}–#${last.id} were cut from the end`));
    assert.doesNotMatch(readFileSync(file, 'utf8'), new RegExp(key));
  });

  it('refuses an entry whose algorithm it does not know, and one whose algorithm was changed', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deckhand-audit-alg-'));
    writeFileSync(path.join(dir, 'deckhand.yaml'), 'database: { dataDir: data }\n');
    const file = path.join(dir, 'data', 'deckhand.db');
    const db = await openSqlite(file);
    const { audit } = createStores(db, { auditKey: key });
    for (let i = 1; i <= 3; i++)
      await audit.append({ at: new Date(), kind: 'command', text: `/ci status ${i}`, decision: 'allowed' });
    await db.updateTable('audit').set({ alg: 'hmac-sha512' }).where('id', '=', 2).execute();
    const verify = () =>
      spawnSync(
        process.execPath,
        ['bin/deckhand.js', 'audit', 'verify', '--config', path.join(dir, 'deckhand.yaml')],
        {
          encoding: 'utf8',
          env: { ...process.env, DECKHAND_AUDIT_KEY: key },
        },
      );
    const unknown = verify();
    assert.equal(unknown.status, 1);
    assert.match(
      unknown.stderr,
      /tampered with at entry #2: its algorithm "hmac-sha512" is not one deckhand knows/,
    );
    await db.updateTable('audit').set({ alg: 'hmac-sha256' }).where('id', '=', 2).execute();
    await db.destroy();
    const changed = verify();
    assert.equal(changed.status, 1);
    assert.match(changed.stderr, /tampered with at entry #2: its algorithm hmac-sha256 is the first form/);
  });
});
