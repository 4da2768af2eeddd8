import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startGitlabFake } from '../../fakes/gitlab-api.ts';
import { appliedAfterRestart } from '../../helpers/test-deckhand.ts';
import { ci, TOKEN } from './adapter-context.ts';
import { startGitlabDeckhand } from './gitlab-deckhand.ts';
import { pipelineHook } from './payloads.ts';

describe('GitLab deliveries are recorded before GitLab hears back', () => {
  it('a delivery answered just before a crash is applied after the restart', async () => {
    const fake = await startGitlabFake({ tokens: [TOKEN] });
    const project = fake.addProject({ path: 'group/app', branches: ['main'], ci });
    try {
      const first = await startGitlabDeckhand(fake);
      await first.say('/ci build main');
      const reply = await first.waitFor('general', /Build of `main` triggered by @Alice — run #\d+/);
      const runId = Number(/run #(\d+)/.exec(reply.text)?.[1]);
      const pipeline = [...fake.pipelines.values()].at(-1);
      assert.ok(pipeline);
      await first.close();

      // The second process answers GitLab and dies before its worker handles anything.
      const second = await startGitlabDeckhand(fake, {}, { dir: first.dir, workers: false });
      const hook = pipelineHook({
        project: { id: project.id, path: project.path, webUrl: `${fake.url}/${project.path}` },
        id: pipeline.id,
        ref: 'main',
        status: 'success',
        stages: ['build'],
        builds: [{ id: 1, name: 'compile', stage: 'build', status: 'success' }],
      });
      assert.equal((await second.deliver('Pipeline Hook', hook)).statusCode, 200);
      assert.notEqual((await second.deckhand.runs.get(runId))?.status, 'succeeded', 'not handled yet');
      await second.close();

      await appliedAfterRestart(await startGitlabDeckhand(fake, {}, { dir: first.dir }), {
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
