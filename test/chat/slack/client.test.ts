import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createSlackSender, type SlackContent } from '../../../src/chat/slack/client.ts';
import { toDeliveryError } from '../../../src/chat/slack/errors.ts';
import type { Message } from '../../../src/core/messages.ts';
import { DeliveryError } from '../../../src/core/ports.ts';
import { type SlackFake, startSlackFake } from '../../fakes/slack-api.ts';

const TOKEN = 'xoxb-test';

function recordingLogger() {
  const lines: { level: 'warn' | 'error'; obj: object; msg?: string }[] = [];
  return {
    lines,
    warn: (obj: object, msg?: string) => lines.push({ level: 'warn', obj, msg }),
    error: (obj: object, msg?: string) => lines.push({ level: 'error', obj, msg }),
  };
}

const plain = (m: Message): SlackContent => ({ text: m.text ?? '' });

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DeliveryError, `expected a DeliveryError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('Slack sender against the Web API fake', () => {
  let fake: SlackFake;
  const sender = (overrides: Partial<Parameters<typeof createSlackSender>[0]> = {}) =>
    createSlackSender({
      token: TOKEN,
      apiUrl: fake.url,
      logger: recordingLogger(),
      render: plain,
      ...overrides,
    });

  before(async () => {
    fake = await startSlackFake();
  });
  beforeEach(() => {
    fake.reset();
    fake.notInChannel.clear();
  });
  after(() => fake.close());

  it('posts with blocks and attachments that arrive parsed, and updates in place', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Build #12* succeeded' } }];
    const attachments = [{ color: '#2eb67d', blocks: [{ type: 'context', elements: [] }] }];
    const slack = sender({ render: (m) => ({ text: m.text ?? '', blocks, attachments }) });
    assert.equal(slack.platform, 'slack');
    assert.equal(slack.capabilities.threads, true);
    const { messageId } = await slack.post({ channel: 'C-builds' }, { text: 'Build #12 succeeded' });
    assert.match(messageId, /^\d{10}\.\d{6}$/);
    const call = fake.calls[0];
    assert.equal(call?.method, 'chat.postMessage');
    assert.equal(call?.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(call?.body.unfurl_links, 'false');
    assert.equal(call?.body.thread_ts, undefined);
    const [stored] = fake.messagesIn('C-builds');
    assert.deepEqual(stored?.blocks, blocks);
    assert.deepEqual(stored?.attachments, attachments);
    assert.equal(stored?.ts, messageId);

    await slack.update?.({ channel: 'C-builds' }, messageId, { text: 'Build #12 deployed' });
    assert.equal(fake.messagesIn('C-builds').length, 1);
    assert.equal(fake.messagesIn('C-builds')[0]?.text, 'Build #12 deployed');
    assert.equal(fake.messagesIn('C-builds')[0]?.edits, 1);
    assert.equal(fake.calls[1]?.body.ts, messageId);
  });

  it('threads replies and broadcasts final ones only when asked', async () => {
    const slack = sender({ broadcastFinal: true });
    const parent = await slack.post({ channel: 'C-general' }, { text: 'Deploy started' });
    await slack.post(
      { channel: 'C-general', threadId: parent.messageId },
      { text: 'step 1', status: 'running' },
    );
    await slack.post(
      { channel: 'C-general', threadId: parent.messageId },
      { text: 'done', status: 'succeeded' },
    );
    const [, step, done] = fake.messagesIn('C-general');
    assert.equal(step?.thread_ts, parent.messageId);
    assert.equal(step?.reply_broadcast, undefined);
    assert.equal(done?.thread_ts, parent.messageId);
    assert.equal(done?.reply_broadcast, true);
    await sender().post(
      { channel: 'C-general', threadId: parent.messageId },
      { text: 'x', status: 'failed' },
    );
    assert.equal(fake.messagesIn('C-general')[3]?.reply_broadcast, undefined);
  });

  it('turns ok:false refusals into permanent errors with a sentence saying what to do', async () => {
    const many = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const cases: { name: string; run: () => Promise<unknown>; expect: RegExp }[] = [
      {
        name: 'channel_not_found',
        run: () => sender().post({ channel: 'C-nope' }, { text: 'hi' }),
        expect: /^Slack says channel_not_found: .*check the channel id in deckhand\.yaml\.$/,
      },
      {
        name: 'not_in_channel',
        run: () => {
          fake.notInChannel.add('C-deploys');
          return sender().post({ channel: 'C-deploys' }, { text: 'hi' });
        },
        expect: /^Slack says not_in_channel: .*\/invite @deckhand\.$/,
      },
      {
        name: 'no_text',
        run: () => sender().post({ channel: 'C-general' }, {}),
        expect: /^Slack says no_text: .*report it\.$/,
      },
      {
        name: 'invalid_blocks',
        run: () => sender({ render: () => ({ text: 't', blocks: many }) }).post({ channel: 'C-general' }, {}),
        expect: /^Slack says invalid_blocks: .*Block Kit/,
      },
      {
        name: 'message_not_found',
        run: () =>
          sender().update?.({ channel: 'C-general' }, '1700000000.999999', { text: 'x' }) as Promise<void>,
        expect: /^Slack says message_not_found: /,
      },
    ];
    for (const code of ['is_archived', 'msg_too_long', 'token_revoked', 'account_inactive', 'some_new_code'])
      cases.push({
        name: code,
        run: () => {
          fake.failNext('chat.postMessage', { error: code });
          return sender().post({ channel: 'C-general' }, { text: 'hi' });
        },
        expect: new RegExp(`^Slack says ${code}: .+\\.$`),
      });
    cases.push({
      name: 'missing_scope',
      run: () => {
        fake.failNext('chat.postMessage', { error: 'missing_scope', extra: { needed: 'chat:write' } });
        return sender().post({ channel: 'C-general' }, { text: 'hi' });
      },
      expect: /^Slack says missing_scope: the bot token lacks the chat:write scope; .*reinstall the app\.$/,
    });
    for (const c of cases) {
      const error = await failure(c.run());
      assert.match(error.message, c.expect, c.name);
      assert.equal(error.permanent, true, c.name);
      assert.equal(error.retryAfterMs, undefined, c.name);
    }
  });

  it("retries Slack's own trouble: transient codes and HTTP 5xx", async () => {
    for (const code of ['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']) {
      fake.failNext('chat.postMessage', { error: code });
      const error = await failure(sender().post({ channel: 'C-general' }, { text: 'hi' }));
      assert.equal(error.permanent, false, code);
      assert.equal(error.retryAfterMs, undefined, code);
      assert.match(error.message, new RegExp(`^Slack says ${code}: .*retried\\.$`));
    }
    fake.reset();
    fake.failNext('chat.update', { status: 503 });
    const error = await failure(
      sender().update?.({ channel: 'C-general' }, '1.1', { text: 'x' }) as Promise<void>,
    );
    assert.equal(error.permanent, false);
    assert.equal(error.retryAfterMs, undefined);
    assert.match(error.message, /HTTP 503/);
    assert.equal(fake.calls.length, 1, 'no internal retry');
  });

  it('hands a 429 back at once with Retry-After, making exactly one request', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const started = Date.now();
    const error = await failure(sender().post({ channel: 'C-general' }, { text: 'hi' }));
    assert.ok(Date.now() - started < 1000, 'the client did not sleep');
    assert.equal(error.message, 'Slack rate limit (429)');
    assert.equal(error.retryAfterMs, 7000);
    assert.equal(error.permanent, false);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(fake.calls.length, 1, 'no internal retry');
    assert.equal(fake.calls[0]?.status, 429);
  });

  it('a real per-channel limit answers 429 with Retry-After 1 for the second quick post', async () => {
    fake.rateLimit = { perChannelPerSecond: 1 };
    try {
      const slack = sender();
      await slack.post({ channel: 'C-general' }, { text: 'one' });
      const error = await failure(slack.post({ channel: 'C-general' }, { text: 'two' }));
      assert.equal(error.retryAfterMs, 1000);
      await slack.post({ channel: 'C-builds' }, { text: 'other channel' });
      assert.deepEqual(
        fake.calls.map((c) => c.status),
        [200, 429, 200],
      );
    } finally {
      fake.rateLimit = undefined;
    }
  });

  it('a bad token is permanent, names SLACK_BOT_TOKEN and never shows the token', async () => {
    const logger = recordingLogger();
    const badToken = 'xoxb-1234-very-secret';
    const error = await failure(
      sender({ token: badToken, logger }).post({ channel: 'C-general' }, { text: 'x' }),
    );
    assert.equal(error.permanent, true);
    assert.match(error.message, /^Slack says invalid_auth: .*check SLACK_BOT_TOKEN\.$/);
    assert.ok(!error.message.includes(badToken));
    assert.ok(!JSON.stringify(logger.lines).includes(badToken));
    const missing = await failure(sender({ token: '' }).post({ channel: 'C-general' }, { text: 'x' }));
    assert.match(missing.message, /^Slack says not_authed: .*SLACK_BOT_TOKEN/);
  });

  it('connection refused is transient', async () => {
    const gone = await startSlackFake();
    await gone.close();
    const logger = recordingLogger();
    const slack = createSlackSender({ token: TOKEN, apiUrl: gone.url, logger, render: plain });
    const error = await failure(slack.post({ channel: 'C-general' }, { text: 'secret body' }));
    assert.equal(error.permanent, false);
    assert.equal(error.retryAfterMs, undefined);
    assert.match(error.message, /^Could not reach Slack \(ECONNREFUSED\); the message will be retried\.$/);
    assert.ok(!JSON.stringify(logger.lines).includes('secret body'));
    assert.ok(logger.lines.every((l) => l.level !== 'error'));
  });

  it('maps odd errors and strips anything that looks like a token', () => {
    const odd = toDeliveryError(new Error('boom with xoxb-123-abc and xapp-1-A-2'));
    assert.equal(odd.permanent, false);
    assert.ok(!/xoxb-|xapp-/.test(odd.message), odd.message);
    const bare429 = toDeliveryError(new Error('Retry header did not contain a valid timeout (url: x)'));
    assert.equal(bare429.retryAfterMs, undefined);
    assert.equal(bare429.permanent, false);
    const same = new DeliveryError('kept', 5, true);
    assert.equal(toDeliveryError(same), same);
  });
});
