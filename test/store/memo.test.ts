import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemo } from '../../src/store/memo.ts';
import { createDeploymentStore, createRunStore } from '../../src/store/runs-store.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';

const newRun = (ref: string) => ({
  kind: 'build' as const,
  pipeline: 'build',
  provider: 'local',
  ref,
  params: {},
  requestedBy: 'alice',
  source: { platform: 'web', channel: 'general' },
});

describe('answers kept until the next write', () => {
  it('sees every write through the store: new runs, saved runs, finished deployments', async () => {
    const db = await openSqlite(':memory:');
    try {
      const runs = createRunStore(db);
      const deployments = createDeploymentStore(db);
      const at = new Date('2026-11-27T10:00:00Z');
      assert.deepEqual(await runs.recent(10), []);
      const first = await runs.create(newRun('main'), at);
      assert.deepEqual(
        (await runs.recent(10)).map((r) => r.ref),
        ['main'],
      );
      await runs.save({ ...first, status: 'running' });
      assert.equal((await runs.recent(10))[0]?.status, 'running', 'a save is seen');
      await runs.create(newRun('develop'), at);
      assert.deepEqual(
        (await runs.recent(10)).map((r) => r.ref),
        ['develop', 'main'],
      );
      assert.deepEqual(
        (await runs.recent(1)).map((r) => r.ref),
        ['develop'],
        'each limit apart',
      );

      assert.equal(await deployments.current('staging'), undefined);
      const d = {
        environment: 'staging',
        version: 'v1',
        runId: first.id,
        kind: 'deploy' as const,
        requestedBy: 'alice',
      };
      await deployments.create(d, at);
      assert.equal(await deployments.current('staging'), undefined, 'pending is not live');
      await deployments.finish(first.id, 'succeeded', 'abc1234', at);
      assert.equal((await deployments.current('staging'))?.version, 'v1');
    } finally {
      await db.destroy();
    }
  });

  it('hands out frozen answers, so no caller can change one for the others', async () => {
    const db = await openSqlite(':memory:');
    try {
      const runs = createRunStore(db);
      await runs.create(newRun('main'), new Date());
      const [run] = await runs.recent(5);
      assert.ok(run);
      assert.throws(() => {
        (run as { status: string }).status = 'failed';
      }, TypeError);
      assert.throws(() => run.steps.push({} as never), TypeError);
      assert.equal((await runs.recent(5))[0]?.status, 'queued');
    } finally {
      await db.destroy();
    }
  });

  it('never keeps an answer read while a write was under way', async () => {
    const memo = createMemo<string, number>();
    let value = 1;
    let release!: () => void;
    const slowRead = memo.get('k', async () => {
      const seen = value;
      await new Promise<void>((r) => {
        release = r;
      });
      return seen;
    });
    await memo.write(async () => {
      value = 2;
    });
    release();
    assert.equal(await slowRead, 1, 'the racing read answers what it read');
    let loads = 0;
    const load = async () => {
      loads++;
      return value;
    };
    assert.equal(await memo.get('k', load), 2, 'but it was not kept');
    assert.equal(await memo.get('k', load), 2);
    assert.equal(loads, 1, 'the second ask is answered from memory');
  });
});
