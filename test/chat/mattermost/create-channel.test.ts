/** Incident channels on Mattermost against the REST API fake: create, find again, members, limits. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { mattermostChannelName } from '../../../src/chat/mattermost/channels.ts';
import { createMattermostClient } from '../../../src/chat/mattermost/client.ts';
import { mattermostSection } from '../../../src/chat/mattermost/config.ts';
import { createMattermostSender } from '../../../src/chat/mattermost/sender.ts';
import { mattermostSettings } from '../../../src/chat/mattermost/settings.ts';
import { DeliveryError } from '../../../src/core/ports.ts';
import { type MattermostFake, mattermostId, startMattermostFake } from '../../fakes/mattermost-api.ts';

const alice = mattermostId();
const bob = mattermostId();
const ghost = mattermostId();

async function failure(promise: Promise<unknown> | undefined): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DeliveryError, `expected a DeliveryError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('Mattermost incident channels', () => {
  let fake: MattermostFake;
  let sender: ReturnType<typeof createMattermostSender>;
  before(async () => {
    fake = await startMattermostFake({ channels: ['c1'], users: [alice, bob] });
    sender = createMattermostSender({
      client: createMattermostClient({ url: fake.url, token: 'mm-bot-token' }),
      actionSecret: 's'.repeat(32),
      actionsUrl: 'http://d/mattermost/actions',
      team: fake.team,
    });
  });
  beforeEach(() => {
    fake.calls.length = 0;
  });
  after(() => fake.close());

  it('can create channels only with a team configured', () => {
    assert.equal(sender.capabilities.createChannels, true);
    assert.equal(typeof sender.createChannel, 'function');
    const without = createMattermostSender({
      client: createMattermostClient({ url: fake.url, token: 'mm-bot-token' }),
      actionSecret: 's'.repeat(32),
      actionsUrl: 'http://d/mattermost/actions',
    });
    assert.equal(without.capabilities.createChannels, false);
    assert.equal(without.createChannel, undefined);
    assert.equal(without.invite, undefined);
  });

  it('creates an open channel in the team with its topic and adds the members, one user_id a call', async () => {
    const made = await sender.createChannel?.({
      name: 'inc-42-api-down',
      topic: 'SEV1: api down',
      members: [alice, bob],
    });
    assert.deepEqual(made?.notAdded, []);
    const channel = fake.created.get(made?.channel ?? '');
    assert.equal(channel?.team_id, fake.team);
    assert.equal(channel?.name, 'inc-42-api-down');
    assert.equal(channel?.display_name, 'inc-42-api-down');
    assert.equal(channel?.type, 'O');
    assert.equal(channel?.purpose, 'SEV1: api down');
    assert.equal(channel?.header, 'SEV1: api down');
    assert.ok(channel?.members.has(alice) && channel.members.has(bob));
    assert.deepEqual(
      fake.calls.map((c) => `${c.method} ${c.path} ${c.status}`),
      [
        'POST /api/v4/channels 201',
        `POST /api/v4/channels/${made?.channel}/members 201`,
        `POST /api/v4/channels/${made?.channel}/members 201`,
      ],
    );
    // The bot can post in it.
    await sender.post({ channel: made?.channel ?? '' }, { text: 'alert' });
    assert.equal(fake.postsIn(made?.channel ?? '').length, 1);
  });

  it('creating twice under one name finds the first (exists → GET …/channels/name/{name})', async () => {
    const first = await sender.createChannel?.({ name: 'inc-7', members: [alice] });
    fake.calls.length = 0;
    const second = await sender.createChannel?.({ name: 'inc-7', members: [alice] });
    assert.equal(second?.channel, first?.channel);
    assert.equal([...fake.created.values()].filter((c) => c.name === 'inc-7').length, 1);
    assert.deepEqual(
      fake.calls.map((c) => `${c.method} ${c.path} ${c.status}`),
      [
        'POST /api/v4/channels 400',
        `GET /api/v4/teams/${fake.team}/channels/name/inc-7 200`,
        `POST /api/v4/channels/${first?.channel}/members 201`,
      ],
    );
    assert.deepEqual(second?.notAdded, []);
  });

  it('refuses an archived channel of that name, saying what to do', async () => {
    const first = await sender.createChannel?.({ name: 'inc-8', members: [] });
    const archived = fake.created.get(first?.channel ?? '');
    if (archived) archived.delete_at = Date.now();
    const error = await failure(sender.createChannel?.({ name: 'inc-8', members: [] }));
    assert.equal(error.permanent, true);
    assert.match(error.message, /restore it/);
  });

  it('reports an unknown user as not added and adds the others', async () => {
    const made = await sender.createChannel?.({ name: 'inc-9', members: [alice, ghost, bob, 'not-an-id'] });
    assert.deepEqual(made?.notAdded, [ghost, 'not-an-id']);
    const members = fake.created.get(made?.channel ?? '')?.members;
    assert.ok(members?.has(alice) && members.has(bob));
    assert.deepEqual(await sender.invite?.(made?.channel ?? '', [ghost, alice]), [ghost]);
  });

  it('a 429 comes back as a DeliveryError with its Retry-After', async () => {
    fake.failNext(429, 4);
    const error = await failure(sender.createChannel?.({ name: 'inc-10', members: [] }));
    assert.equal(error.retryAfterMs, 4000);
    assert.equal(error.permanent, false);
    assert.ok(!(await sender.createChannel?.({ name: 'inc-10', members: [] }))?.notAdded.length);
  });

  it('a member add the server fails (500) is thrown for the outbox to retry, not reported as refused', async () => {
    const made = await sender.createChannel?.({ name: 'inc-11', members: [] });
    fake.failNext(500);
    const error = await failure(sender.invite?.(made?.channel ?? '', [alice]));
    assert.equal(error.permanent, false);
  });

  it('makes names Mattermost accepts (at most 64 of a-z 0-9 - _)', () => {
    assert.equal(mattermostChannelName('inc-42-api-down'), 'inc-42-api-down');
    assert.equal(mattermostChannelName('Inc 42: API.down'), 'inc-42-api-down');
    assert.equal(mattermostChannelName('x'.repeat(80)).length, 64);
  });

  it('checks the team id at load', () => {
    assert.equal(mattermostSection.safeParse({ team: fake.team }).success, true);
    const env = { MATTERMOST_URL: 'http://mm', MATTERMOST_BOT_TOKEN: 't', MATTERMOST_COMMAND_TOKEN: 'c' };
    const settings = mattermostSettings(mattermostSection.parse({ team: fake.team }), env, 'http://d');
    assert.equal(settings.team, fake.team);
    assert.equal(mattermostSettings(mattermostSection.parse({}), env, 'http://d').team, undefined);
    const wrong = mattermostSection.safeParse({ team: 'engineering' });
    assert.equal(wrong.success, false);
    assert.match(JSON.stringify(wrong.error?.issues), /team id/);
  });
});
