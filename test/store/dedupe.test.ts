import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createStores } from '../../src/store/index.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';

describe('inbound dedupe', () => {
  it('claims a key once per source, and forgets old keys', async () => {
    const db = await openSqlite(':memory:');
    const { dedupe } = createStores(db);
    const t0 = new Date('2026-01-01T00:00:00Z');
    assert.equal(await dedupe.claim('slack-event', 'Ev1', t0), true);
    assert.equal(await dedupe.claim('slack-event', 'Ev1', t0), false);
    assert.equal(await dedupe.claim('github-delivery', 'Ev1', t0), true, 'sources are separate');
    assert.equal(await dedupe.claim('slack-event', 'Ev2', new Date('2026-01-03T00:00:00Z')), true);
    assert.equal(await dedupe.prune(new Date('2026-01-02T00:00:00Z')), 2);
    assert.equal(await dedupe.claim('slack-event', 'Ev1', t0), true, 'pruned keys are new again');
    assert.equal(await dedupe.claim('slack-event', 'Ev2', t0), false);
    await db.destroy();
  });

  it('tells which keys were claimed before, claiming none', async () => {
    const db = await openSqlite(':memory:');
    const { dedupe } = createStores(db);
    const t0 = new Date('2026-01-01T00:00:00Z');
    const long = 'x'.repeat(250);
    await dedupe.claim('finding', 'a', t0);
    await dedupe.claim('finding', long, t0);
    await dedupe.claim('other', 'b', t0);
    const keys = ['a', 'b', long, ...Array.from({ length: 150 }, (_, i) => `k${i}`)];
    assert.deepEqual([...(await dedupe.known('finding', keys))].sort(), ['a', long]);
    assert.equal(await dedupe.claim('finding', 'b', t0), true, 'asking claimed nothing');
    await db.destroy();
  });
});
