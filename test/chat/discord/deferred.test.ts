/**
 * A command whose reply is not ready within Discord's window: deferred (type 5) once it is on disk,
 * then the deferred message is edited through the interaction's webhook (or removed when a card
 * went to the channel). Never deferred before the record exists.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { discordRoutes } from '../../../src/chat/discord/routes.ts';
import { createDiscordSender, interactionWebhook } from '../../../src/chat/discord/sender.ts';
import type { Intake, IntakeOptions, Receipt } from '../../../src/core/intake.ts';
import { type DiscordFake, snowflake, startDiscordFake } from '../../fakes/discord-api.ts';
import { eventually } from '../../helpers/recording-sender.ts';

const APP = '900000000000000001';
const CHANNEL = '700000000000000077';
const quiet = { info() {}, warn() {}, error() {} };

describe('deferred Discord answers', () => {
  let fake: DiscordFake;
  let app: FastifyInstance;
  /** What the scripted intake does with the next command. */
  let next: (options: IntakeOptions) => Promise<Receipt>;
  before(async () => {
    fake = await startDiscordFake({ channels: [CHANNEL] });
    const { rest } = createDiscordSender({ token: fake.token, apiUrl: fake.url });
    const intake = {
      command: (_r: unknown, options: IntakeOptions = {}) => next(options),
    } as unknown as Intake;
    app = Fastify();
    await app.register(
      discordRoutes({
        intake,
        webhook: interactionWebhook(rest, APP),
        publicKey: fake.publicKeyHex,
        families: [{ root: 'ci', summary: 'CI', commands: ['build'], specs: [] }],
        roles: {},
        logger: quiet,
        ackWithinMs: 50,
      }),
    );
  });
  after(async () => {
    await app.close();
    await fake.close();
  });

  const send = async (token: string) => {
    const body = JSON.stringify({
      id: snowflake(),
      type: 2,
      token,
      channel_id: CHANNEL,
      member: { user: { id: '800000000000000001' }, roles: [] },
      data: { name: 'ci', options: [{ type: 1, name: 'build', options: [] }] },
    });
    const res = await app.inject({
      method: 'POST',
      url: '/discord/interactions',
      payload: body,
      headers: { 'content-type': 'application/json', ...fake.signed(body) },
    });
    return JSON.parse(res.body) as { type: number; data?: { content?: string } };
  };
  const later = (ms: number, receipt: Receipt) =>
    new Promise<Receipt>((r) => setTimeout(() => r(receipt), ms));
  const reply = (text: string, queued = false): Receipt => ({
    duplicate: false,
    reply: { message: { text }, queued, starts: true },
  });

  it('defers once the command is on disk, then edits the deferred message with the reply', async () => {
    let onDisk = false;
    next = (options) => {
      onDisk = true;
      options.onRecorded?.('1');
      return later(400, reply('Build of main triggered'));
    };
    const answer = await send('token-1');
    assert.equal(answer.type, 5);
    assert.ok(onDisk);
    const thinking = fake.deferred('token-1', CHANNEL);
    await eventually(
      () => fake.messages.get(thinking.id)?.content === 'Build of main triggered',
      'the deferred message edited through the webhook',
      10_000,
    );
  });

  it('removes the deferred message when the answer went to the channel as a card', async () => {
    next = (options) => {
      options.onRecorded?.('1');
      return later(400, reply('card', true));
    };
    assert.equal((await send('token-2')).type, 5);
    const thinking = fake.deferred('token-2', CHANNEL);
    await eventually(() => !fake.messages.has(thinking.id), 'the deferred message removed', 10_000);
  });

  it('does not defer what is not on disk yet: it answers when the reply comes', async () => {
    next = () => later(300, reply('status: all green'));
    const answer = await send('token-3');
    assert.equal(answer.type, 4, 'never acknowledged before the record exists');
    assert.match(answer.data?.content ?? '', /all green/);
  });
});
