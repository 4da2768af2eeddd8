import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoDir, startDemo } from '../helpers/demo-deckhand.ts';
import { eventually } from '../helpers/recording-sender.ts';

describe('a restart in the middle of a run', () => {
  it('updates the run message in place to say it was interrupted, and loses nothing', async () => {
    const dir = demoDir();
    const first = await startDemo(dir);
    await first.say('/ci deploy staging v1.0.0');
    const running = await first.waitFor('deployments', /Deploy #1 to staging running[\s\S]*Step \d\/2/);
    await first.deckhand.close();

    const second = await startDemo(dir);
    try {
      const card = await second.waitFor('deployments', /Deploy #1 to staging failed/);
      assert.equal(card.id, running.id, 'the same message is updated, not a new one posted');
      assert.match(card.text, /Interrupted: deckhand restarted while this run was in progress/);
      assert.equal((await second.messages('deployments')).length, 1);
      await second.waitFor(
        'general',
        /Deploy of `v1\.0\.0` to `staging` triggered by @Alice — run #1 failed/,
      );
      const [run] = await second.deckhand.runs.recent(1);
      assert.equal(run?.status, 'failed');
      const [deployment] = await second.deckhand.stores.deployments.history('staging', 1);
      assert.equal(deployment?.result, 'failed');
    } finally {
      await second.deckhand.close();
    }
  });

  it('delivers messages queued before a crash once deckhand is back', async () => {
    const dir = demoDir();
    const first = await startDemo(dir);
    // Stop delivering, as if the process died before the outbox worker got to these messages.
    await first.deckhand.outbox.stop();
    await first.say('/ci build main');
    await eventually(
      async () => (await first.deckhand.runs.recent(1))[0]?.status === 'succeeded',
      'the build to finish',
    );
    const queued = await first.deckhand.stores.outbox.counts();
    assert.ok(queued.pending >= 3, `messages are waiting in the outbox (${queued.pending})`);
    assert.equal((await first.messages('ci-builds')).length, 0, 'nothing was delivered yet');
    await first.deckhand.close();

    const second = await startDemo(dir);
    try {
      const card = await second.waitFor('ci-builds', /Build #1 succeeded/);
      assert.equal((await second.messages('ci-builds')).length, 1);
      const thread = await second.messages('ci-builds', card.id);
      assert.deepEqual(
        thread.flatMap((m) => [...m.text.matchAll(/Step \d+: (\w+)/g)].map((x) => x[1])),
        ['install', 'compile'],
        'thread replies are delivered under their parent, in order (batched when they waited together)',
      );
      await second.waitFor('general', /Build of `main` triggered by @Alice — run #1 succeeded/);
      assert.deepEqual(await second.deckhand.stores.outbox.counts(), { pending: 0, failed: 0 });
    } finally {
      await second.deckhand.close();
    }
  });
});
