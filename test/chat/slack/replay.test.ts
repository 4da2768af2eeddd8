/** A correctly signed Slack request replayed inside Slack's five-minute window is acted on once. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../helpers/recording-sender.ts';
import { startSlackDeckhand } from '../../helpers/slack-deckhand.ts';

type Slack = Awaited<ReturnType<typeof startSlackDeckhand>>;

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('replayed Slack requests', () => {
  let s: Slack;
  before(async () => {
    s = await startSlackDeckhand();
  });
  after(() => s.close());

  const runs = async () => (await s.deckhand.stores.runs.recent(50)).length;

  it('a slash command sent twice with the same signature starts one build', async () => {
    const before = await runs();
    const body = form({
      command: '/ci',
      text: 'build main',
      user_id: 'U-alice',
      channel_id: 'C-general',
      team_id: 'T1',
      response_url: 'https://hooks.slack.test/commands/1',
      trigger_id: 'replay.1.1',
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await s.send('/slack/commands', body, { timestamp });
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /Build of `main` triggered/);
    const again = await s.send('/slack/commands', body, { timestamp });
    assert.equal(again.statusCode, 200, 'Slack is answered, so it does not retry');
    assert.doesNotMatch(again.body, /triggered/);
    await s.deckhand.handled();
    assert.equal(await runs(), before + 1);
  });

  it('a slash command without a trigger id is remembered by its signature', async () => {
    const before = await runs();
    const body = form({ command: '/ci', text: 'build main', user_id: 'U-alice', channel_id: 'C-general' });
    const timestamp = Math.floor(Date.now() / 1000);
    assert.match((await s.send('/slack/commands', body, { timestamp })).body, /triggered/);
    const again = await s.send('/slack/commands', body, { timestamp });
    assert.equal(again.statusCode, 200);
    assert.doesNotMatch(again.body, /triggered/);
    await s.deckhand.handled();
    assert.equal(await runs(), before + 1);
  });

  it('a button click sent twice with the same signature runs again once', async () => {
    const [run] = await s.deckhand.stores.runs.recent(1);
    assert.ok(run);
    await eventually(
      async () => (await s.deckhand.stores.runs.get(run.id))?.finishedAt !== undefined,
      'the build to end',
      30_000,
    );
    const before = await runs();
    const body = form({
      payload: JSON.stringify({
        type: 'block_actions',
        user: { id: 'U-alice' },
        channel: { id: 'C-builds' },
        container: { type: 'message', message_ts: '1.1', channel_id: 'C-builds' },
        message: { ts: '1.1' },
        actions: [{ action_id: `rerun:${run.id}`, block_id: 'b', value: 'x', action_ts: '1' }],
        response_url: 'https://hooks.slack.test/actions/1',
        trigger_id: 'replay.2.2',
        api_app_id: 'A1',
      }),
    });
    const timestamp = Math.floor(Date.now() / 1000);
    assert.equal((await s.send('/slack/interactions', body, { timestamp })).statusCode, 200);
    assert.equal((await s.send('/slack/interactions', body, { timestamp })).statusCode, 200);
    await eventually(async () => (await runs()) === before + 1, 'the rerun', 30_000);
    await s.deckhand.handled();
    assert.equal(await runs(), before + 1, 'one rerun, not two');
  });
});
