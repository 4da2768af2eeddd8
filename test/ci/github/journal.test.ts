import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dumpTables } from '../../helpers/sqlite-dump.ts';
import { example, inApp, startAppFake, startGithubDeckhand } from './helpers.ts';

const started = (id: number) => {
  const payload = inApp(example('workflow_run', (e) => e.action === 'requested'));
  Object.assign(payload.workflow_run, {
    id,
    path: '.github/workflows/build.yml',
    event: 'push',
    status: 'in_progress',
    conclusion: null,
  });
  return payload;
};

describe('GitHub deliveries are journalled before GitHub hears back', () => {
  it('a delivery answered just before a crash is handled after the restart, and its id stays claimed', async () => {
    const fake = await startAppFake();
    try {
      // The first process answers and dies before its worker handles anything.
      const first = await startGithubDeckhand({ fake, workers: false });
      const answer = await first.webhook('workflow_run', started(515151), { delivery: 'crash-1' });
      assert.equal(answer.statusCode, 202);
      const recorded = JSON.parse(dumpTables(first.config.paths.sqlite).intake ?? '[]') as {
        source: string;
        key: string;
      }[];
      assert.deepEqual(
        recorded.map((r) => [r.source, r.key]),
        [['github', 'org/app#515151']],
        'the delivery itself was on disk when GitHub got its answer',
      );
      assert.deepEqual(await first.deckhand.stores.runs.recent(5), [], 'nothing handled before the crash');
      await first.close();

      const second = await startGithubDeckhand({ fake, dir: first.dir });
      try {
        await second.deckhand.handled();
        const [run] = await second.deckhand.stores.runs.recent(1);
        assert.equal(run?.externalId, '515151', 'the journalled delivery became a run');
        assert.equal(run?.status, 'running');
        const again = await second.webhook('workflow_run', started(515151), { delivery: 'crash-1' });
        assert.equal(again.statusCode, 200, 'GitHub redelivering it changes nothing');
        assert.ok(again.json().duplicate);
        assert.equal((await second.deckhand.stores.runs.recent(5)).length, 1);
      } finally {
        await second.close();
      }
    } finally {
      await fake.close();
    }
  });
});
