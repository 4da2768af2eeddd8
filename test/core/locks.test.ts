import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, harnessConfig } from '../helpers/core-harness.ts';

type Harness = Awaited<ReturnType<typeof createHarness>>;

describe('deploy locks', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('a lock blocks deploys and rollbacks by anyone but its owner, and says whose and why', async () => {
    const locked = await h.say('/ci lock staging --for 2h testing the "big" migration', 'U1');
    assert.match(
      locked.text ?? '',
      /🔒 `staging` is locked by @Alice until \d{4}-\d\d-\d\d \d\d:\d\d UTC: testing the big migration\./,
    );
    const before = h.provider.triggered.length;
    const refused = await h.say('/ci deploy staging v1.0.0', 'U2');
    assert.match(
      refused.text ?? '',
      /`staging` is locked by @Alice until .*: testing the big migration\. Only @Alice can change it until it is unlocked/,
    );
    assert.match((await h.say('/ci rollback staging', 'U2')).text ?? '', /is locked by @Alice/);
    assert.equal(h.provider.triggered.length, before, 'nothing ran');
    const own = await h.say('/ci deploy staging v1.0.0', 'U1');
    assert.match(own.text ?? '', /Deploy of `v1\.0\.0` to `staging` triggered by @Alice/);
    const explain = await h.say('/ci deploy staging --explain', 'U2');
    assert.equal(explain.header, 'Would be refused');
    assert.match(explain.context?.join(' ') ?? '', /Rule: lock:alice/);
    assert.match((await h.say('/ci locks', 'U2')).text ?? '', /🔒 `staging` is locked by @Alice/);
  });

  it('only the owner unlocks, unless forced; a lock on a locked environment is refused', async () => {
    assert.match(
      (await h.say('/ci lock staging mine now', 'U2')).text ?? '',
      /`staging` is locked by @Alice/,
    );
    assert.match((await h.say('/ci unlock staging', 'U2')).text ?? '', /Ask them, or add `--force yes`/);
    assert.match(
      (await h.say('/ci unlock staging --force yes', 'U2')).text ?? '',
      /🔓 `staging` unlocked by @Bob \(locked by @Alice\)\./,
    );
    const [entry] = await h.stores.audit.recent(1);
    assert.equal(entry?.text, '/ci unlock staging --force yes');
    assert.match((await h.say('/ci locks')).text ?? '', /No environment is locked\./);
    assert.match((await h.say('/ci unlock staging')).text ?? '', /`staging` is not locked\./);
  });

  it('an expired lock no longer blocks anyone', async () => {
    const now = Date.now();
    await h.stores.locks.acquire(
      {
        environment: 'production',
        owner: 'alice',
        createdAt: new Date(now - 7_200_000),
        expiresAt: new Date(now - 1000),
      },
      new Date(now - 7_200_000),
    );
    assert.equal(await h.stores.locks.get('production', new Date(now)), undefined);
    assert.match(
      (await h.say('/ci deploy production v1.0.0', 'U2')).text ?? '',
      /Deploy of `v1\.0\.0` to `production`/,
    );
    assert.match(
      (await h.say('/ci lock production --for soon', 'U1')).text ?? '',
      /`soon` is not a duration/,
    );
  });

  it('takes --for from 1m to the configured longest (7d by default), and says so otherwise', async () => {
    for (const span of ['99999999999999h', '8d', '30s', '0m']) {
      assert.match(
        (await h.say(`/ci lock production --for ${span}`, 'U1')).text ?? '',
        new RegExp(
          `A lock lasts from 1m to 7d \\(\`locks\\.maxDuration\`\\); \`${span}\` is outside that\\.`,
        ),
        span,
      );
    }
    assert.equal(await h.stores.locks.get('production', new Date()), undefined, 'no lock was taken');
    assert.match((await h.say('/ci lock production --for 7d', 'U1')).text ?? '', /locked by @Alice until/);
    await h.say('/ci unlock production', 'U1');
    const short = await createHarness(`${harnessConfig}\nlocks: { maxDuration: 1d }\n`);
    try {
      assert.match((await short.say('/ci lock staging --for 2d', 'U1')).text ?? '', /from 1m to 1d/);
    } finally {
      await short.close();
    }
  });
});
