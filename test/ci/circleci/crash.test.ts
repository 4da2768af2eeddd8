import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appliedAfterRestart } from '../../helpers/test-deckhand.ts';
import { startCircleciDeckhand } from './deckhand-harness.ts';
import { workflowCompleted } from './payloads.ts';

describe('CircleCI deliveries are recorded before CircleCI hears back', () => {
  it('a delivery answered just before a crash is applied after the restart', async () => {
    const first = await startCircleciDeckhand();
    const { fake } = first;
    try {
      await first.say('/ci build main');
      const reply = await first.waitFor('general', /Build of `main` triggered by @Alice — run #\d+/);
      const runId = Number(/run #(\d+)/.exec(reply.text)?.[1]);
      const id = fake.pipelines.at(-1)?.id as string;
      await first.deckhand.close();

      // The second process answers CircleCI and dies before its worker handles anything.
      const second = await startCircleciDeckhand({ fake, dir: first.dir, workers: false });
      fake.setJob(id, 'build', 'success');
      fake.setJob(id, 'test', 'success');
      assert.equal((await second.deliver(workflowCompleted(fake, id))).statusCode, 202);
      assert.notEqual((await second.deckhand.runs.get(runId))?.status, 'succeeded', 'not handled yet');
      await second.close();

      await appliedAfterRestart(await startCircleciDeckhand({ fake, dir: first.dir }), {
        id: runId,
        status: 'succeeded',
        card: new RegExp(`Build #${runId} succeeded`),
        channel: 'ci-builds',
      });
    } finally {
      await fake.close();
    }
  });
});
