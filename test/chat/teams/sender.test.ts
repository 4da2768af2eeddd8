/** The Teams sender: Adaptive Cards through the Bot Connector, threads, updates, and what is retried. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { outboundToken } from '../../../src/chat/teams/auth.ts';
import { escapeMarkdown, renderTeams } from '../../../src/chat/teams/render.ts';
import { createTeamsSender } from '../../../src/chat/teams/sender.ts';
import { DeliveryError } from '../../../src/core/ports.ts';
import { startTeamsFake, type TeamsFake } from '../../fakes/teams-api.ts';

const APP = '00000000-0000-4000-8000-00000000d0c4';
const C = '19:sender@thread.tacv2';

describe('Teams sender', () => {
  let fake: TeamsFake;
  let sender: ReturnType<typeof createTeamsSender>;
  before(async () => {
    fake = await startTeamsFake({ appId: APP, appPassword: 'pw' });
    const token = outboundToken({ tokenUrl: fake.env.TEAMS_TOKEN_URL, appId: APP, appPassword: 'pw' });
    sender = createTeamsSender({ serviceUrl: fake.serviceUrl, token });
  });
  after(() => fake.close());

  it('renders an Adaptive Card 1.5 with Action.Execute buttons and an Action.Submit fallback', () => {
    const activity = renderTeams({
      header: 'Approval needed',
      status: 'warning',
      fields: [{ label: 'Environment', value: 'production' }],
      buttons: [
        { id: 'approve:1', label: 'Approve', style: 'primary' },
        { id: 'reject:1', label: 'Reject', style: 'danger' },
      ],
      link: { label: 'Log', url: 'https://ci.example.com/1' },
    });
    const card = activity.attachments?.[0];
    assert.equal(card?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(card?.content.version, '1.5');
    const actions = card?.content.actions as {
      type: string;
      verb?: string;
      style?: string;
      fallback?: { type: string };
    }[];
    assert.deepEqual(
      actions.map((a) => [a.type, a.verb, a.style, a.fallback?.type]),
      [
        ['Action.Execute', 'approve:1', 'positive', 'Action.Submit'],
        ['Action.Execute', 'reject:1', 'destructive', 'Action.Submit'],
        ['Action.OpenUrl', undefined, undefined, undefined],
      ],
    );
    assert.match(JSON.stringify(card?.content.body), /FactSet/);
  });

  it('escapes user text so it can neither format nor link, code spans kept', () => {
    assert.equal(escapeMarkdown('**x** [a](http://evil)'), '\\*\\*x\\*\\* \\[a\\](http://evil)');
    assert.equal(escapeMarkdown('- not a list'), '\\- not a list');
    assert.equal(escapeMarkdown('run `*raw*` #12'), 'run `*raw*` #12');
  });

  it('posts, replies in the thread and updates in place, with one token', async () => {
    const before = fake.tokenRequests();
    const { messageId } = await sender.post(
      { channel: C },
      { header: 'Build #1 running', status: 'running' },
    );
    const reply = await sender.post({ channel: C, threadId: messageId }, { text: 'step 1 ok' });
    await sender.update?.({ channel: C }, messageId, { header: 'Build #1 succeeded', status: 'succeeded' });
    assert.equal(fake.activities.get(reply.messageId)?.replyToId, messageId);
    assert.equal(fake.activities.get(messageId)?.edits, 1);
    assert.match(JSON.stringify(fake.activities.get(messageId)?.attachments), /succeeded/);
    assert.ok(fake.tokenRequests() - before <= 1);
  });

  it('retries 429 (with its Retry-After), 412, 502 and 504; gives up on 403 and 404', async () => {
    const outcome = async (status: number) => {
      fake.failNext(status);
      try {
        await sender.post({ channel: C }, { text: 'x' });
      } catch (error) {
        assert.ok(error instanceof DeliveryError);
        return error;
      }
      assert.fail(`${status} was not reported`);
    };
    const limited = await outcome(429);
    assert.equal(limited.retryAfterMs, 2000);
    assert.equal(limited.permanent, false);
    for (const status of [412, 502, 504])
      assert.equal((await outcome(status)).permanent, false, String(status));
    for (const status of [403, 404]) assert.equal((await outcome(status)).permanent, true, String(status));
  });

  it('a token for another resource is refused by the Bot Connector, permanently and saying what to check', async () => {
    const graphToken = outboundToken({
      tokenUrl: fake.env.TEAMS_TOKEN_URL,
      appId: APP,
      appPassword: 'pw',
      scope: 'https://graph.microsoft.com/.default',
    });
    const wrong = createTeamsSender({ serviceUrl: fake.serviceUrl, token: graphToken });
    await assert.rejects(
      wrong.post({ channel: C }, { text: 'x' }),
      (e: unknown) => e instanceof DeliveryError && e.permanent && /TEAMS_APP_ID/.test(e.message),
    );
  });
});
