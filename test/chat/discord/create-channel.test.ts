/** Incident channels on Discord through @discordjs/rest against the REST API fake. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { isPrivate } from '../../../src/chat/discord/channels.ts';
import { discordSection } from '../../../src/chat/discord/config.ts';
import { createDiscordSender } from '../../../src/chat/discord/sender.ts';
import { discordSettings } from '../../../src/chat/discord/settings.ts';
import { DeliveryError } from '../../../src/core/ports.ts';
import { type DiscordFake, startDiscordFake } from '../../fakes/discord-api.ts';

const GUILD = '600000000000000001';
const OPEN = '600000000000000010';
const LOCKED = '600000000000000011';
const ALICE = '600000000000000100';
const BOB = '600000000000000101';
const GHOST = '600000000000000199';
/** VIEW_CHANNEL | SEND_MESSAGES (https://discord.com/developers/docs/topics/permissions). */
const VIEW_AND_SEND = String((1 << 10) | (1 << 11));

async function failure(promise: Promise<unknown> | undefined): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DeliveryError, `expected a DeliveryError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('Discord incident channels', () => {
  let fake: DiscordFake;
  const sender = (incidentCategory?: string) =>
    createDiscordSender({ token: 'discord-bot-token', apiUrl: fake.url, incidentCategory });
  before(async () => {
    fake = await startDiscordFake({
      channels: [],
      guild: {
        id: GUILD,
        members: [ALICE, BOB],
        categories: [{ id: OPEN }, { id: LOCKED, private: true }],
      },
    });
  });
  beforeEach(() => {
    fake.calls.length = 0;
  });
  after(() => fake.close());

  it('creates channels only with a category configured (else the core uses a thread)', () => {
    assert.equal(sender(OPEN).capabilities.createChannels, true);
    assert.equal(typeof sender(OPEN).createChannel, 'function');
    assert.equal(sender().capabilities.createChannels, false);
    assert.equal(sender().createChannel, undefined);
    assert.equal(sender().invite, undefined);
  });

  it('creates a text channel under the category with its topic, as documented', async () => {
    const made = await sender(OPEN).createChannel?.({
      name: 'inc-42-api-down',
      topic: 'SEV1: api down',
      members: [ALICE, BOB],
    });
    assert.deepEqual(made?.notAdded, []);
    const channel = fake.guildChannels.get(made?.channel ?? '');
    assert.equal(channel?.type, 0);
    assert.equal(channel?.parent_id, OPEN);
    assert.equal(channel?.name, 'inc-42-api-down');
    assert.equal(channel?.topic, 'SEV1: api down');
    assert.deepEqual(
      fake.calls.map((c) => `${c.method} ${c.path} ${c.status}`),
      [
        `GET /channels/${OPEN} 200`,
        `GET /guilds/${GUILD}/channels 200`,
        `POST /guilds/${GUILD}/channels 201`,
        `GET /guilds/${GUILD}/members/${ALICE} 200`,
        `GET /guilds/${GUILD}/members/${BOB} 200`,
      ],
      'a public channel: people are checked, not given overwrites',
    );
    await sender(OPEN).post({ channel: made?.channel ?? '' }, { text: 'alert' });
    assert.equal(fake.messagesIn(made?.channel ?? '').length, 1);
  });

  it('creating twice under one name finds the first (looked up by name under the category)', async () => {
    const first = await sender(OPEN).createChannel?.({ name: 'inc-7', members: [] });
    const second = await sender(OPEN).createChannel?.({ name: 'inc-7', members: [] });
    assert.equal(second?.channel, first?.channel);
    assert.equal([...fake.guildChannels.values()].filter((c) => c.name === 'inc-7').length, 1);
    assert.equal(fake.calls.filter((c) => c.method === 'POST').length, 1);
  });

  it('in a private category the channel is private and members get a VIEW_CHANNEL|SEND_MESSAGES overwrite', async () => {
    const made = await sender(LOCKED).createChannel?.({ name: 'inc-8', members: [ALICE] });
    const channel = fake.guildChannels.get(made?.channel ?? '');
    assert.ok(channel && isPrivate(channel), 'the category’s overwrites were copied');
    const alice = channel?.permission_overwrites.find((o) => o.id === ALICE);
    assert.deepEqual(alice, { id: ALICE, type: 1, allow: VIEW_AND_SEND, deny: '0' });
  });

  it('reports an unknown user as not added and adds the others', async () => {
    const made = await sender(LOCKED).createChannel?.({ name: 'inc-9', members: [ALICE, GHOST, BOB] });
    assert.deepEqual(made?.notAdded, [GHOST]);
    const ids = fake.guildChannels.get(made?.channel ?? '')?.permission_overwrites.map((o) => o.id);
    assert.ok(ids?.includes(ALICE) && ids.includes(BOB) && !ids.includes(GHOST));
    assert.deepEqual(await sender(OPEN).invite?.(made?.channel ?? '', [GHOST, 'not-a-snowflake']), [
      GHOST,
      'not-a-snowflake',
    ]);
  });

  it('a 429 comes back as a DeliveryError with Discord’s wait, nothing created', async () => {
    const before = fake.guildChannels.size;
    fake.rateLimitNext(3);
    const error = await failure(sender(OPEN).createChannel?.({ name: 'inc-10', members: [] }));
    assert.ok((error.retryAfterMs ?? 0) >= 3000, String(error.retryAfterMs));
    assert.equal(error.permanent, false);
    assert.equal(fake.guildChannels.size, before);
  });

  it('a category id that is not a category is refused, saying what to give', async () => {
    const made = await sender(OPEN).createChannel?.({ name: 'inc-11', members: [] });
    const error = await failure(sender(made?.channel).createChannel?.({ name: 'inc-12', members: [] }));
    assert.equal(error.permanent, true);
    assert.match(error.message, /not a category/);
  });

  it('checks discord.incidentCategory at load', () => {
    assert.equal(discordSection.safeParse({ incidentCategory: OPEN }).success, true);
    assert.equal(discordSection.safeParse({ incidentCategory: 'incidents' }).success, false);
    const env = {
      DISCORD_APPLICATION_ID: '1'.repeat(18),
      DISCORD_PUBLIC_KEY: 'a'.repeat(64),
      DISCORD_BOT_TOKEN: 't',
    };
    assert.equal(
      discordSettings(discordSection.parse({ incidentCategory: OPEN }), env).incidentCategory,
      OPEN,
    );
    assert.equal(discordSettings(discordSection.parse({}), env).incidentCategory, undefined);
  });
});
