import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ExternalRunUpdate } from '../../src/core/pipeline-events.ts';
import { UpdateJournal } from '../../src/core/update-journal.ts';
import { createStores, openSqlite } from '../../src/store/index.ts';
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
});
