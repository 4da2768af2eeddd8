/** Incident channels on Slack through the real WebClient against the Web API fake. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createSlackSender } from '../../../src/chat/slack/client.ts';
import { slackManifestObject } from '../../../src/chat/slack/manifest.ts';
import { DeliveryError } from '../../../src/core/ports.ts';
import { type SlackFake, startSlackFake } from '../../fakes/slack-api.ts';

const quiet = { warn: () => undefined, error: () => undefined };

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DeliveryError, `expected a DeliveryError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('Slack incident channels', () => {
  let fake: SlackFake;
  let slack: ReturnType<typeof createSlackSender>;
  before(async () => {
    fake = await startSlackFake();
    slack = createSlackSender({
      token: 'xoxb-test',
      apiUrl: fake.url,
      logger: quiet,
      render: () => ({ text: 'x' }),
    });
  });
  beforeEach(() => fake.reset());
  after(() => fake.close());

  const created = () => [...fake.conversations.values()];

  it('says it can create channels, and has both members', () => {
    assert.equal(slack.capabilities.createChannels, true);
    assert.equal(typeof slack.createChannel, 'function');
    assert.equal(typeof slack.invite, 'function');
  });

  it('creates the channel, sets its topic and invites the members with the documented calls', async () => {
    const made = await slack.createChannel?.({
      name: 'inc-42-api-down',
      topic: 'SEV1: api down',
      members: ['U-alice', 'U-bob'],
    });
    assert.deepEqual(made?.notAdded, []);
    const [create, topic, invite] = fake.calls.map((c) => c);
    assert.equal(create?.method, 'conversations.create');
    assert.equal(create?.body.name, 'inc-42-api-down');
    assert.equal(create?.headers.authorization, 'Bearer xoxb-test');
    assert.equal(topic?.method, 'conversations.setTopic');
    assert.equal(topic?.body.channel, made?.channel);
    assert.equal(topic?.body.topic, 'SEV1: api down');
    assert.equal(invite?.method, 'conversations.invite');
    assert.equal(invite?.body.users, 'U-alice,U-bob');
    assert.equal(String(invite?.body.force), 'true');
    const channel = fake.conversations.get(made?.channel ?? '');
    assert.equal(channel?.topic, 'SEV1: api down');
    assert.deepEqual([...(channel?.members ?? [])].sort(), ['U-alice', 'U-bob', 'U-bot']);
    // The new channel takes posts like any other.
    await slack.post({ channel: made?.channel ?? '' }, { text: 'alert' });
    assert.equal(fake.messagesIn(made?.channel ?? '').length, 1);
  });

  it('creating twice under one name finds the first channel (name_taken → conversations.list)', async () => {
    const first = await slack.createChannel?.({ name: 'inc-7', topic: 'disk full', members: ['U-alice'] });
    const calls = fake.calls.length;
    const second = await slack.createChannel?.({ name: 'inc-7', topic: 'disk full', members: ['U-alice'] });
    assert.equal(second?.channel, first?.channel);
    assert.equal(created().length, 1);
    const again = fake.calls.slice(calls).map((c) => c.method);
    assert.deepEqual(again, ['conversations.create', 'conversations.list', 'conversations.invite']);
    assert.equal(fake.calls[calls + 1]?.body.exclude_archived, 'true');
    assert.deepEqual(second?.notAdded, [], 'already_in_channel counts as added');
  });

  it('finds the channel across conversations.list pages', async () => {
    for (let i = 0; i < 450; i++) {
      const id = `C-old${i}`;
      fake.conversations.set(id, {
        ...{ id, name: `old-${i}`, topic: '', purpose: '', is_archived: false, creator: 'U-x' },
        members: new Set(['U-bot']),
      });
    }
    const first = await slack.createChannel?.({ name: 'inc-8', members: [] });
    const second = await slack.createChannel?.({ name: 'inc-8', members: [] });
    assert.equal(second?.channel, first?.channel);
    assert.equal(fake.calls.filter((c) => c.method === 'conversations.list').length, 3);
  });

  it('joins a channel of that name someone else made before using it', async () => {
    fake.conversations.set('C-human', {
      ...{
        id: 'C-human',
        name: 'inc-9',
        topic: 'by hand',
        purpose: '',
        is_archived: false,
        creator: 'U-carol',
      },
      members: new Set(['U-carol']),
    });
    fake.channels.add('C-human');
    const made = await slack.createChannel?.({ name: 'inc-9', topic: 'by hand', members: ['U-alice'] });
    assert.equal(made?.channel, 'C-human');
    assert.ok(fake.calls.some((c) => c.method === 'conversations.join'));
    assert.ok(!fake.calls.some((c) => c.method === 'conversations.setTopic'), 'same topic: left alone');
    assert.ok(fake.conversations.get('C-human')?.members.has('U-alice'));
  });

  it('refuses an archived channel of that name, saying what to do', async () => {
    fake.conversations.set('C-arch', {
      ...{ id: 'C-arch', name: 'inc-10', topic: '', purpose: '', is_archived: true, creator: 'U-carol' },
      members: new Set(['U-bot']),
    });
    const error = await failure(slack.createChannel?.({ name: 'inc-10', members: [] }) as Promise<unknown>);
    assert.equal(error.permanent, true);
    assert.match(error.message, /archived.*unarchive/);
  });

  it('refuses a name Slack would refuse before asking it', async () => {
    const error = await failure(slack.createChannel?.({ name: 'Inc 42.x', members: [] }) as Promise<unknown>);
    assert.equal(error.permanent, true);
    assert.equal(fake.calls.length, 0);
  });

  it('reports an unknown user as not added and adds the others (force)', async () => {
    const made = await slack.createChannel?.({ name: 'inc-11', members: ['U-alice', 'U-ghost', 'U-bob'] });
    assert.deepEqual(made?.notAdded, ['U-ghost']);
    const members = fake.conversations.get(made?.channel ?? '')?.members;
    assert.ok(members?.has('U-alice') && members.has('U-bob'));
    assert.deepEqual(await slack.invite?.(made?.channel ?? '', ['U-carol', 'U-nobody', 'U-bot']), [
      'U-nobody',
    ]);
    assert.ok(members?.has('U-carol'));
  });

  it('a rate-limited create comes back as a DeliveryError with Slack’s Retry-After', async () => {
    fake.failNext('conversations.create', { status: 429, retryAfter: 7 });
    const error = await failure(slack.createChannel?.({ name: 'inc-12', members: [] }) as Promise<unknown>);
    assert.equal(error.retryAfterMs, 7000);
    assert.equal(error.permanent, false);
    assert.equal(created().length, 0);
    // The outbox's retry then creates it.
    const made = await slack.createChannel?.({ name: 'inc-12', members: [] });
    assert.ok(made?.channel);
  });

  it('a missing scope is permanent and names the scope', async () => {
    fake.failNext('conversations.create', { error: 'missing_scope', extra: { needed: 'channels:manage' } });
    const error = await failure(slack.createChannel?.({ name: 'inc-13', members: [] }) as Promise<unknown>);
    assert.equal(error.permanent, true);
    assert.match(error.message, /channels:manage/);
  });

  it('the app manifest asks for the scopes these calls need', () => {
    const scopes = slackManifestObject().oauth_config?.scopes?.bot ?? [];
    for (const scope of ['channels:manage', 'channels:read', 'channels:join'])
      assert.ok(scopes.includes(scope as never), `missing ${scope}`);
  });
});
