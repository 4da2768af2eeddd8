/**
 * Deferred answers kept for a restart: the interaction token sealed at rest (never in clear), the
 * route keeping it before it acknowledges the deferral and forgetting it once answered, and a
 * restarted sender answering in place within the token's life — else posting with the bot token.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify from 'fastify';
import { deferredReplies, TOKEN_USABLE_MS } from '../../../src/chat/discord/deferred.ts';
import { discordRoutes } from '../../../src/chat/discord/routes.ts';
import { sealer } from '../../../src/chat/discord/seal.ts';
import { createDiscordSender, interactionWebhook } from '../../../src/chat/discord/sender.ts';
import type { Intake, IntakeOptions } from '../../../src/core/intake.ts';
import type { Stores } from '../../../src/core/store.ts';
import { createStores } from '../../../src/store/index.ts';
import { openSqlite } from '../../../src/store/sqlite/open.ts';
import { type DiscordFake, snowflake, startDiscordFake } from '../../fakes/discord-api.ts';
import { eventually } from '../../helpers/recording-sender.ts';

const APP = '900000000000000001';
const C = '700000000000000031';
const quiet = { info() {}, warn() {}, error() {} };

describe('sealed interaction tokens', () => {
  it('open only with the same key and the same record, and never show the token', () => {
    const token = 'aW50ZXJhY3Rpb24:secret-token-value';
    const sealed = sealer('bot-token-1').seal(token, '42');
    assert.equal(sealed.includes(token), false);
    assert.equal(sealed.includes('secret-token-value'), false);
    assert.equal(sealer('bot-token-1').open(sealed, '42'), token);
    assert.equal(sealer('bot-token-1').open(sealed, '43'), undefined, 'bound to its record');
    assert.equal(sealer('bot-token-2').open(sealed, '42'), undefined, 'a rotated bot token cannot open it');
    assert.notEqual(sealer('bot-token-1').seal(token, '42'), sealed, 'a fresh nonce each time');
  });
});

describe('deferred answers across a restart', () => {
  let fake: DiscordFake;
  let stores: Stores;
  let now = Date.now();
  before(async () => {
    fake = await startDiscordFake({ channels: [C] });
  });
  beforeEach(async () => {
    stores = createStores(await openSqlite(':memory:'));
    now = Date.now();
  });
  after(() => fake.close());

  /** One process's Discord: its sender, webhook and deferred answers, on the shared database. */
  const process = (botSecret = fake.token) => {
    let deferred: ReturnType<typeof deferredReplies> | undefined;
    const sender = createDiscordSender({
      token: fake.token,
      apiUrl: fake.url,
      placeAnswer: (answer, channel, message) =>
        deferred?.place(answer, channel, message) ?? Promise.resolve(undefined),
    });
    const webhook = interactionWebhook(sender.rest, APP);
    deferred = deferredReplies({
      store: stores.deferredAnswers,
      sealer: sealer(botSecret),
      webhook,
      now: () => new Date(now),
      logger: quiet,
    });
    return { sender, webhook, deferred };
  };

  /** A command deferred by a process that then died: its token kept, its "thinking" message shown. */
  const deferredBefore = async (origin: string) => {
    const token = `token-${snowflake()}`;
    await process().deferred.save(origin, C, token);
    return { token, thinking: fake.deferred(token, C, now) };
  };

  it('edits the deferred message with a whole answer, again if asked again (a crash before the record)', async () => {
    const { thinking } = await deferredBefore('7');
    const sealed = await stores.deferredAnswers.open('discord', new Date(now));
    assert.equal(sealed.length, 1);
    const after = process();
    await after.deferred.load();
    const posted = await after.sender.post(
      { channel: C },
      { text: 'Branch x not found.' },
      { answer: { origin: '7', final: true } },
    );
    assert.equal(posted.messageId, thinking.id, 'the reply is the deferred message');
    assert.match(JSON.stringify(fake.messages.get(thinking.id)), /Branch x not found/);
    assert.equal(fake.messagesIn(C).length, 1, 'nothing posted with the bot token');
    // The outbox did not record it (a crash): the next start edits it again, never posts it twice.
    const again = process();
    await again.deferred.load();
    const repeat = await again.sender.post(
      { channel: C },
      { text: 'Branch x not found.' },
      { answer: { origin: '7', final: true } },
    );
    assert.equal(repeat.messageId, thinking.id);
    assert.equal(fake.messagesIn(C).length, 1);
    now += TOKEN_USABLE_MS + 1;
    assert.deepEqual(await stores.deferredAnswers.open('discord', new Date(now)), [], 'gone once expired');
  });

  it("removes the deferred message for a run's reply and posts that with the bot token", async () => {
    const { thinking } = await deferredBefore('8');
    const after = process();
    await after.deferred.load();
    const posted = await after.sender.post(
      { channel: C },
      { text: 'Build 3 running' },
      { answer: { origin: '8', final: false } },
    );
    assert.equal(fake.messages.has(thinking.id), false);
    assert.match(JSON.stringify(fake.messages.get(posted.messageId)), /Build 3 running/);
  });

  it('posts with the bot token past 14 minutes, when the seal does not open, or when Discord refuses the token', async () => {
    const cases = [
      { origin: '9', later: TOKEN_USABLE_MS + 1, secret: fake.token },
      { origin: '10', later: 0, secret: 'a rotated bot token' },
    ];
    for (const c of cases) {
      const { thinking } = await deferredBefore(c.origin);
      now += c.later;
      const after = process(c.secret);
      await after.deferred.load();
      const posted = await after.sender.post(
        { channel: C },
        { text: `late ${c.origin}` },
        { answer: { origin: c.origin, final: true } },
      );
      assert.notEqual(posted.messageId, thinking.id);
      assert.equal(fake.messages.get(thinking.id)?.edits, 0);
    }
    // Discord's own clock says the token is older than 15 minutes (401 Invalid Webhook Token).
    const token = `token-${snowflake()}`;
    await process().deferred.save('11', C, token);
    const thinking = fake.deferred(token, C, Date.now() - 16 * 60_000);
    const after = process();
    await after.deferred.load();
    const posted = await after.sender.post(
      { channel: C },
      { text: 'late 11' },
      { answer: { origin: '11', final: true } },
    );
    assert.notEqual(posted.messageId, thinking.id);
    assert.deepEqual(await stores.deferredAnswers.open('discord', new Date(now)), [], 'each one forgotten');
  });

  it("answers only what a process that is gone deferred: a live one is the route's", async () => {
    const live = process();
    await live.deferred.load();
    const token = `token-${snowflake()}`;
    await live.deferred.save('12', C, token);
    const thinking = fake.deferred(token, C, now);
    const posted = await live.sender.post(
      { channel: C },
      { text: 'a card' },
      { answer: { origin: '12', final: false } },
    );
    assert.ok(fake.messages.has(thinking.id), 'left to the route that deferred it');
    assert.notEqual(posted.messageId, thinking.id);
  });

  it('the route keeps the token before it acknowledges the deferral, and forgets it once answered', async () => {
    const { webhook, deferred } = process();
    const saved: string[] = [];
    let answered!: (r: { duplicate: false; reply: { message: { text: string }; queued: boolean } }) => void;
    const intake = {
      command: (_r: unknown, options: IntakeOptions = {}) => {
        options.onRecorded?.('21');
        return new Promise((resolve) => {
          answered = resolve;
        });
      },
    } as unknown as Intake;
    const app = Fastify();
    await app.register(
      discordRoutes({
        intake,
        webhook,
        deferred: {
          save: async (origin, channel, token) => {
            saved.push(origin);
            await deferred.save(origin, channel, token);
          },
          done: (origin) => deferred.done(origin),
        },
        publicKey: fake.publicKeyHex,
        families: [{ root: 'ci', summary: 'CI', commands: ['build'], specs: [] }],
        roles: {},
        logger: quiet,
        ackWithinMs: 20,
      }),
    );
    const token = `token-${snowflake()}`;
    const body = JSON.stringify({
      id: snowflake(),
      type: 2,
      token,
      channel_id: C,
      member: { user: { id: '800000000000000001' }, roles: [] },
      data: { name: 'ci', options: [{ type: 1, name: 'build', options: [] }] },
    });
    const res = await app.inject({
      method: 'POST',
      url: '/discord/interactions',
      payload: body,
      headers: { 'content-type': 'application/json', ...fake.signed(body) },
    });
    assert.equal(JSON.parse(res.body).type, 5);
    assert.deepEqual(saved, ['21'], 'kept before the deferral was acknowledged');
    const [kept] = await stores.deferredAnswers.open('discord', new Date(now));
    assert.equal(kept?.sealed.includes(token), false, 'sealed, never in clear');
    const thinking = fake.deferred(token, C, now);
    answered({ duplicate: false, reply: { message: { text: 'done' }, queued: false } });
    await eventually(
      async () => (await stores.deferredAnswers.open('discord', new Date(now))).length === 0,
      'the token forgotten',
    );
    assert.equal(fake.messages.get(thinking.id)?.edits, 1);
    await app.close();
  });
});
