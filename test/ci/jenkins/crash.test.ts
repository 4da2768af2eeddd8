import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually } from '../../helpers/recording-sender.ts';
import { appliedAfterRestart } from '../../helpers/test-deckhand.ts';
import { failingBuild, jenkinsWithJobs, notification, startJenkinsDeckhand } from './jenkins-deckhand.ts';

describe('Jenkins notifications are recorded before Jenkins hears back', () => {
  it('a notification answered just before a crash is applied after the restart', async () => {
    const fake = await jenkinsWithJobs();
    // Only the recorded notification can finish the run: nothing polls in this test.
    const slow = { fake, pollInterval: '1h' };
    try {
      fake.script('apps/app', { ...failingBuild, hold: true });
      const first = await startJenkinsDeckhand(slow);
      await first.say('/ci build main');
      const reply = await first.waitFor('general', /Build of `main` triggered by @Alice — run #\d+/);
      const runId = Number(/run #(\d+)/.exec(reply.text)?.[1]);
      await eventually(
        async () => (await first.deckhand.runs.get(runId))?.externalId === 'apps/app/main#1',
        'the build number',
      );
      await first.close();

      // The second process answers Jenkins and dies before its worker handles anything.
      const second = await startJenkinsDeckhand({ ...slow, dir: first.dir, workers: false });
      fake.complete('apps/app/main', 1);
      const completed = notification('apps/app/main', 1, 'COMPLETED', 'FAILURE');
      assert.equal((await second.notify(completed)).statusCode, 202);
      assert.notEqual((await second.deckhand.runs.get(runId))?.status, 'failed', 'not handled yet');
      await second.close();

      await appliedAfterRestart(await startJenkinsDeckhand({ ...slow, dir: first.dir }), {
        id: runId,
        status: 'failed',
        card: new RegExp(`Build #${runId} failed`),
        channel: 'ci-builds',
      });
    } finally {
      await fake.close();
    }
  });
});
