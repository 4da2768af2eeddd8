import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type SocketModeServer, startSocketModeServer } from '../../fakes/socket-mode-server.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { slackText, startSlackDeckhand } from '../../helpers/slack-deckhand.ts';

type Slack = Awaited<ReturnType<typeof startSlackDeckhand>>;

describe('deckhand over Slack Socket Mode', () => {
  let server: SocketModeServer;
  let s: Slack;
  before(async () => {
    server = await startSocketModeServer();
    server.api.channels = new Set(['C-general', 'C-builds', 'C-deploys']);
    s = await startSlackDeckhand({ fake: server.api, appToken: 'xapp-test' });
    await server.waitForConnections(1, 10_000);
  });
  after(async () => {
    await s.close();
    await server.close();
  });

  it('has no HTTP endpoints: nothing to expose', async () => {
    const res = await s.deckhand.app.inject({ method: 'POST', url: '/slack/commands', payload: '' });
    assert.equal(res.statusCode, 404);
  });

  it('a slash command is acked with its reply, and the run reports in its channel', async () => {
    const id = server.sendSlashCommand({
      command: '/ci',
      text: 'build main',
      user_id: 'U-alice',
      user_name: 'alice',
      channel_id: 'C-general',
      team_id: 'T1',
    });
    const ack = await server.waitForAck(id, 10_000);
    const payload = ack.payload as { response_type: string; text: string };
    assert.equal(payload.response_type, 'in_channel');
    assert.match(payload.text, /Build of `main` triggered by @Alice — run #\d+/);
    await eventually(
      () => s.fake.messagesIn('C-builds').some((m) => /Build #\d+ succeeded/.test(slackText(m))),
      'the run card',
      30_000,
    );
  });

  it('a button click over the socket is acked and handled like over HTTP', async () => {
    const card = s.fake.messagesIn('C-builds')[0];
    assert.ok(card);
    const id = server.sendInteractive({
      type: 'block_actions',
      user: { id: 'U-bob' },
      channel: { id: 'C-builds' },
      container: { type: 'message', message_ts: card.ts, channel_id: 'C-builds' },
      message: { ts: card.ts },
      actions: [{ action_id: 'cancel:1', block_id: 'b', value: 'cancel:1', action_ts: '1' }],
    });
    await server.waitForAck(id, 10_000);
    await eventually(
      () =>
        s.fake
          .messagesIn('C-builds')
          .some((m) => m.thread_ts === card.ts && /Run #1 is not running any more/.test(slackText(m))),
      "the answer in the card's thread",
    );
  });

  it('an app mention event works like the command', async () => {
    const id = server.sendEvent({
      type: 'event_callback',
      event_id: 'Ev-socket-1',
      event: {
        type: 'app_mention',
        user: 'U-alice',
        text: '<@U0BOT> help',
        channel: 'C-general',
        ts: '1700000001.000001',
      },
    });
    await server.waitForAck(id, 10_000);
    await eventually(
      () =>
        s.fake
          .messagesIn('C-general')
          .some((m) => m.thread_ts === '1700000001.000001' && /\/ci commands/.test(slackText(m))),
      'the help in the mention thread',
    );
  });
});
