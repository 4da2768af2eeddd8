/** `POST /discord/interactions`: signatures, PING, payload checks, replays, answers, clicks and roles. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BOB, GENERAL, RELEASERS, startDiscordDeckhand } from '../../helpers/discord-deckhand.ts';
import { eventually } from '../../helpers/recording-sender.ts';

type Running = Awaited<ReturnType<typeof startDiscordDeckhand>>;

describe('Discord interactions endpoint', () => {
  let d: Running;
  before(async () => {
    d = await startDiscordDeckhand();
  });
  after(() => d.close());
  const runs = async () => (await d.deckhand.stores.runs.recent(50)).length;

  it('answers PING with PONG when signed, as Discord checks before it saves the URL', async () => {
    const res = await d.send(JSON.stringify({ id: '1', type: 1 }));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(JSON.parse(res.body), { type: 1 });
    assert.match(String(res.headers['content-type']), /application\/json/);
  });

  it('refuses bad, missing and stale signatures with 401', async () => {
    const body = JSON.stringify({ id: '1', type: 1 });
    const signed = d.fake.signed(body);
    const other = d.fake.signed(`${body} `);
    assert.equal(
      (await d.send(body, { 'x-signature-ed25519': other['x-signature-ed25519'] })).statusCode,
      401,
    );
    assert.equal((await d.send(body, { 'x-signature-ed25519': '0'.repeat(128) })).statusCode, 401);
    assert.equal((await d.send(body, { 'x-signature-ed25519': '' })).statusCode, 401);
    const stale = String(Math.floor(Date.now() / 1000) - 600);
    assert.equal((await d.send(body, d.fake.signed(body, stale))).statusCode, 401);
    assert.equal(
      (await d.send(body, { 'x-signature-timestamp': String(Number(signed['x-signature-timestamp']) + 1) }))
        .statusCode,
      401,
    );
  });

  it('refuses malformed, wrongly typed and oversized bodies with a 4xx', async () => {
    assert.equal((await d.send('{not json')).statusCode, 400);
    const numericId = { ...d.command('help'), id: 5 };
    const res = await d.send(JSON.stringify(numericId));
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id/);
    const noUser = { ...d.command('help'), member: undefined };
    assert.equal((await d.send(JSON.stringify(noUser))).statusCode, 400);
    const big = JSON.stringify({ ...d.command('help'), pad: 'x'.repeat(300_000) });
    assert.equal((await d.send(big)).statusCode, 413);
  });

  it('answers help only to the asker, and a started build in the channel', async () => {
    const help = JSON.parse((await d.send(JSON.stringify(d.command('help')))).body);
    assert.equal(help.type, 4);
    assert.equal(help.data.flags, 64);
    assert.match(JSON.stringify(help.data), /deploy/);
    const build = JSON.parse((await d.send(JSON.stringify(d.command('build', { branch: 'main' })))).body);
    assert.equal(build.type, 4);
    assert.equal(build.data.flags, undefined, 'a run start is for the channel');
  });

  it('a replayed interaction is acted on once', async () => {
    const before = await runs();
    const body = JSON.stringify(d.command('build', { branch: 'main' }));
    assert.equal((await d.send(body)).statusCode, 200);
    const again = JSON.parse((await d.send(body)).body);
    assert.match(again.data.content, /already received/);
    await d.deckhand.handled();
    assert.equal(await runs(), before + 1);
  });

  it('a click is acknowledged with a deferred update; Discord roles grant deckhand roles', async () => {
    await d.send(JSON.stringify(d.command('deploy', { environment: 'production', version: 'v1.0.0' })));
    const find = async (pattern: RegExp) => {
      let id: string | undefined;
      await eventually(
        () => {
          id = d.fake.messagesIn(GENERAL).find((m) => pattern.test(JSON.stringify(m.embeds)))?.id;
          return id !== undefined;
        },
        `${pattern}`,
        20_000,
      );
      return id as string;
    };
    const prompt = await find(/Confirm: deploy/);
    const confirm = JSON.parse(
      (
        await d.send(
          JSON.stringify(
            d.click(
              prompt,
              GENERAL,
              d.fake.messages.get(prompt)?.components?.[0]?.components[0]?.custom_id as string,
            ),
          ),
        )
      ).body,
    );
    assert.deepEqual(confirm, { type: 6 });
    const card = await find(/Approval needed/);
    const approve = d.fake.messages.get(card)?.components?.[0]?.components.find((b) => b.label === 'Approve')
      ?.custom_id as string;
    await d.send(JSON.stringify(d.click(card, GENERAL, approve, BOB, [RELEASERS])));
    await eventually(
      () => /Approved by/.test(JSON.stringify(d.fake.messages.get(card)?.embeds)),
      'the card approved by Bob, a release manager through his Discord role',
      20_000,
    );
  });
});
