import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkBlockKitLimits } from '../../../src/chat/slack/render.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { slackText, startSlackDeckhand } from '../../helpers/slack-deckhand.ts';

type Slack = Awaited<ReturnType<typeof startSlackDeckhand>>;

describe('Slack over HTTP, end to end against the Slack fake', () => {
  let s: Slack;
  before(async () => {
    s = await startSlackDeckhand();
  });
  after(() => s.close());

  it('answers url_verification and ssl_check', async () => {
    const res = await s.event({ type: 'url_verification', challenge: 'abc123', token: 'x' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { challenge: 'abc123' });
    const ssl = await s.deckhand.app.inject({
      method: 'POST',
      url: '/slack/commands',
      payload: 'ssl_check=1&token=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(ssl.statusCode, 200);
  });

  it('/ci help acks with Block Kit for the asker only', async () => {
    const res = await s.command('help');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.response_type, 'ephemeral');
    assert.match(
      slackText(body),
      /\/ci deploy &lt;environment&gt; \[version\]|\/ci deploy <environment> \[version\]/,
    );
    assert.deepEqual(checkBlockKitLimits(body), []);
  });

  it('/ci build main: ack in channel, run card posted then updated in place, steps in its thread', async () => {
    const res = await s.command('build main');
    assert.equal(res.statusCode, 200);
    const ack = res.json();
    assert.equal(ack.response_type, 'in_channel');
    assert.match(ack.text, /Build of `main` triggered by @Alice — run #(\d+)/);
    const runId = /run #(\d+)/.exec(ack.text)?.[1];
    await eventually(
      () => s.fake.messagesIn('C-builds').some((m) => slackText(m).includes(`Build #${runId} succeeded`)),
      'the run card to say succeeded',
      30_000,
    );
    const [card] = s.fake.messagesIn('C-builds');
    assert.ok(card && card.edits >= 1, 'the card was updated in place with chat.update');
    assert.ok(slackText(card).includes('#2eb67d'), 'green colour bar');
    // The thread's replies are paced after the card's update: wait for the last step, not the card.
    const steps = () =>
      s.fake
        .messagesIn('C-builds')
        .filter((m) => m.thread_ts === card.ts)
        .flatMap((m) => [
          ...new Set([...slackText(m).matchAll(/Step \d+: (\w+) succeeded/g)].map((x) => x[1])),
        ]);
    await eventually(() => steps().includes('compile'), "the last step in the card's thread", 30_000);
    // Step details waiting together are batched into one reply; each step is there once, in order.
    assert.deepEqual(steps(), ['install', 'compile']);
    await eventually(
      () => s.fake.messagesIn('C-general').some((m) => /run #\d+ succeeded/.test(slackText(m))),
      'the outcome reported back in the channel the command came from',
    );
  });

  it('a Cancel click updates the card to show who clicked, and the button disappears', async () => {
    const res = await s.command('deploy staging v1.0.0');
    const runId = /run #(\d+)/.exec(res.json().text)?.[1];
    let ts = '';
    await eventually(() => {
      const card = s.fake
        .messagesIn('C-deploys')
        .find((m) => slackText(m).includes(`Deploy #${runId} to staging`));
      ts = card?.ts ?? '';
      return slackText(card).includes(`cancel:${runId}`);
    }, 'the deploy card with its Cancel button');
    const click = await s.click(`cancel:${runId}`, 'C-deploys', ts, 'U-bob');
    assert.equal(click.statusCode, 200);
    assert.equal(click.body, '');
    await eventually(() => {
      const card = s.fake.messagesIn('C-deploys').find((m) => m.ts === ts);
      const text = slackText(card);
      return text.includes('Cancel requested by @Bob') && !text.includes(`cancel:${runId}`);
    }, 'the card to name the clicker and lose its button');
  });

  it('@deckhand mentions work like the command; a retried event is handled once', async () => {
    const callback = {
      type: 'event_callback',
      event_id: 'Ev-mention-1',
      team_id: 'T1',
      event: {
        type: 'app_mention',
        user: 'U-alice',
        text: '<@U0BOT> status',
        channel: 'C-general',
        ts: '1700000000.000001',
      },
    };
    assert.equal((await s.event(callback)).statusCode, 200);
    assert.equal(
      (await s.event(callback, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }))
        .statusCode,
      200,
    );
    await eventually(
      () =>
        s.fake
          .messagesIn('C-general')
          .some((m) => m.thread_ts === '1700000000.000001' && /Recent runs/.test(slackText(m))),
      'the status reply in the mention thread',
    );
    await new Promise((r) => setTimeout(r, 300));
    const replies = s.fake.messagesIn('C-general').filter((m) => m.thread_ts === '1700000000.000001');
    assert.equal(replies.length, 1, 'the retry did not run the command again');
  });

  it('tells the requester, once, when a run channel refuses the bot (not_in_channel)', async () => {
    s.fake.notInChannel.add('C-deploys');
    try {
      const res = await s.command('deploy staging v1.2.0');
      const runId = /run #(\d+)/.exec(res.json().text)?.[1];
      await eventually(
        () =>
          s.fake
            .messagesIn('C-general')
            .some((m) => slackText(m).includes(`I could not post updates of run #${runId} to C-deploys`)),
        'a notice in the channel the command came from',
      );
      const notice = s.fake
        .messagesIn('C-general')
        .filter((m) => slackText(m).includes(`updates of run #${runId}`));
      assert.equal(notice.length, 1);
      assert.match(slackText(notice[0]), /not_in_channel.*\/invite/);
      await eventually(
        () =>
          s.fake
            .messagesIn('C-general')
            .some((m) => new RegExp(`run #${runId} (succeeded|failed)`).test(slackText(m))),
        'the run to end',
        30_000,
      );
    } finally {
      s.fake.notInChannel.delete('C-deploys');
    }
  });

  it('denies an unknown Slack user with how to get access, for their eyes only', async () => {
    const body = (await s.command('deploy production', 'U-stranger')).json();
    assert.equal(body.response_type, 'ephemeral');
    assert.match(body.text, /don't know you yet \(slack user `U-stranger`\)/);
  });

  it("answers deckhand's own fault with a 500 carrying an error id, and keeps serving", async () => {
    const intake = s.deckhand.intake;
    const command = intake.command.bind(intake);
    intake.command = async () => {
      throw new Error('the disk is full');
    };
    try {
      const res = await s.command('build main');
      assert.equal(res.statusCode, 500);
      assert.match(
        res.json().error,
        /^deckhand failed on its side; the log has the details \(error id [0-9a-f]{8}\)\.$/,
      );
      assert.doesNotMatch(res.body, /disk is full/, 'the details stay in the log');
    } finally {
      intake.command = command;
    }
    assert.equal((await s.command('help')).statusCode, 200);
  });

  it('refuses forged, replayed, malformed and oversized requests with a 4xx', async () => {
    const form = 'command=%2Fci&text=help&user_id=U-alice&channel_id=C-general';
    const old = Math.floor(Date.now() / 1000) - 301;
    const cases: [string, () => ReturnType<Slack['send']>, number][] = [
      ['forged signature', () => s.send('/slack/commands', form, { signature: `v0=${'0'.repeat(64)}` }), 401],
      ['stale timestamp', () => s.send('/slack/commands', form, { timestamp: old }), 401],
      [
        'missing headers',
        () =>
          s.deckhand.app.inject({
            method: 'POST',
            url: '/slack/commands',
            payload: form,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        401,
      ],
      [
        'JSON to the commands endpoint',
        () => s.send('/slack/commands', '{}', { contentType: 'application/json' }),
        415,
      ],
      ['text/plain', () => s.send('/slack/events', 'hi', { contentType: 'text/plain' }), 415],
      ['missing command fields', () => s.send('/slack/commands', 'text=help'), 400],
      ['interaction without payload', () => s.send('/slack/interactions', 'x=1'), 400],
      ['interaction payload not JSON', () => s.send('/slack/interactions', 'payload=%7Bnot-json'), 400],
      [
        'block_actions without a user',
        () =>
          s.send(
            '/slack/interactions',
            `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', actions: [] }))}`,
          ),
        400,
      ],
      [
        'event body not JSON',
        () => s.send('/slack/events', '{"type":', { contentType: 'application/json' }),
        400,
      ],
      [
        'event_callback without event',
        () => s.send('/slack/events', '{"type":"event_callback"}', { contentType: 'application/json' }),
        400,
      ],
      ['oversized body', () => s.send('/slack/interactions', `payload=${'x'.repeat(600 * 1024)}`), 413],
    ];
    // Correctly signed, wrongly typed: refused before it is acknowledged, naming the field.
    const mention = { type: 'app_mention', user: 'U-alice', channel: 'C-general', text: 'hi', ts: '1.1' };
    const typed: [string, object, RegExp][] = [
      ['event.user an object', { ...mention, user: { id: 'U1' } }, /event\.user/],
      ['event.text a number', { ...mention, text: 7 }, /event\.text/],
      ['event.channel too long', { ...mention, channel: 'C'.repeat(65) }, /event\.channel/],
    ];
    for (const [name, event, field] of typed) {
      const body = JSON.stringify({ type: 'event_callback', event_id: `Ev-${name}`, event });
      const res = await s.send('/slack/events', body, { contentType: 'application/json' });
      assert.equal(res.statusCode, 400, name);
      assert.match(res.json().error, field, name);
    }
    const other = {
      type: 'event_callback',
      event_id: 'Ev-other',
      event: { type: 'user_change', user: { id: 'U1' } },
    };
    const ignored = await s.send('/slack/events', JSON.stringify(other), { contentType: 'application/json' });
    assert.equal(ignored.statusCode, 200, 'an event deckhand does not read is answered and ignored');
    const long = `command=%2Fci&text=${'x'.repeat(4001)}&user_id=U-alice&channel_id=C-general`;
    assert.equal(
      (await s.send('/slack/commands', long)).statusCode,
      400,
      'a command text over 4000 characters',
    );
    for (const [name, request, status] of cases) {
      const res = await request();
      assert.equal(res.statusCode, status, `${name}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      if (status === 401) assert.equal(res.body, '', `${name}: a 401 says nothing`);
    }
  });
});
