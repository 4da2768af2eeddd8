/**
 * The chat platforms' endpoints under malformed, truncated, wrongly typed, oversized, forged and
 * replayed requests, authenticated correctly and not: only 4xx or the platform's documented
 * answer, never a 5xx or a generic error reply, and the process keeps serving (see fuzz.test.ts).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { actionContext } from '../../src/chat/mattermost/actions.ts';
import { mattermostSection } from '../../src/chat/mattermost/config.ts';
import { mattermostSettings } from '../../src/chat/mattermost/settings.ts';
import { startDiscordDeckhand } from '../helpers/discord-deckhand.ts';
import { bodies, CASES_PER_ENDPOINT, check, failures, form, safeParse, seen } from '../helpers/fuzz.ts';
import { commandToken, startMattermostDeckhand } from '../helpers/mattermost-deckhand.ts';
import { startTeamsDeckhand } from '../helpers/teams-deckhand.ts';

describe('fuzzing the chat platforms', () => {
  const closers: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const close of closers) await close();
  });

  it('Mattermost: commands and clicks, with and without their token and context', async () => {
    const m = await startMattermostDeckhand();
    closers.push(m.close);
    const failed = failures(m.deckhand.stores);
    // The key deckhand signs buttons with, as it derives it from the bot token.
    const { actionSecret } = mattermostSettings(
      mattermostSection.parse({}),
      { MATTERMOST_URL: 'http://x', MATTERMOST_BOT_TOKEN: 'mm-bot-token', MATTERMOST_COMMAND_TOKEN: 't' },
      'http://x',
    );
    const command = {
      token: commandToken,
      command: '/ci',
      text: 'status',
      user_id: 'u-alice',
      channel_id: 'c-general',
      trigger_id: 'fuzz-1',
    };
    const click = {
      user_id: 'u-alice',
      channel_id: 'c-general',
      post_id: 'p1',
      trigger_id: 'fuzz-2',
      context: actionContext(actionSecret, 'c-general', 'rerun:1'),
    };
    const endpoints: [
      string,
      string,
      (b: string | Buffer) => string | Buffer,
      unknown,
      Record<string, string>,
    ][] = [
      [
        '/mattermost/commands',
        'application/x-www-form-urlencoded',
        (b) => (typeof b === 'string' && b.startsWith('{') ? form(safeParse(b)) : b),
        command,
        { authorization: `Token ${commandToken}` },
      ],
      ['/mattermost/actions', 'application/json', (b) => b, click, {}],
    ];
    let n = 0;
    for (const [url, type, wrap, sample, auth] of endpoints) {
      for (const { name, body } of bodies(sample)) {
        const payload = wrap(body);
        const headers = { 'content-type': type, ...auth };
        check(`${url} ${name}`, await m.app.inject({ method: 'POST', url, payload, headers }));
        check(`${url} ${name} (replayed)`, await m.app.inject({ method: 'POST', url, payload, headers }));
        n++;
      }
      const big = await m.app.inject({
        method: 'POST',
        url,
        payload: 'x'.repeat(2 * 1024 * 1024),
        headers: { 'content-type': type },
      });
      assert.equal(big.statusCode, 413, `${url} oversized`);
    }
    assert.equal(n, 2 * CASES_PER_ENDPOINT);
    const forgedCommand = form({ ...command, token: 'forged' });
    const refused = await m.app.inject({
      method: 'POST',
      url: '/mattermost/commands',
      payload: forgedCommand,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Token forged' },
    });
    assert.equal(refused.statusCode, 401, 'a forged command token');
    const forgedClick = {
      ...click,
      context: actionContext('a forged key of some length', 'c-general', 'rerun:1'),
    };
    const forged = await m.action(forgedClick);
    assert.equal(forged.statusCode, 401, 'a click deckhand did not sign');
    await m.deckhand.handled();
    assert.equal(failed(), 0, 'nothing acknowledged failed afterwards');
    for (const [url] of endpoints)
      assert.deepEqual([...(seen.get(url) ?? [])].sort(), [2, 4], `${url}: accepted and refused cases`);
    assert.equal((await m.app.inject({ url: '/healthz' })).statusCode, 200);
  });

  it('Discord: interactions signed with Ed25519, and forged, stale and replayed ones', async () => {
    const d = await startDiscordDeckhand();
    closers.push(d.close);
    const failed = failures(d.deckhand.stores);
    const url = '/discord/interactions';
    let n = 0;
    for (const sample of [
      d.command('help'),
      d.click('700000000000000099', '700000000000000001', 'rerun:1'),
    ]) {
      for (const { name, body } of bodies(sample)) {
        const text = String(body);
        check(`${url} ${name} (signed)`, await d.send(text));
        check(`${url} ${name} (replayed)`, await d.send(text));
        const forged = await d.send(text, { 'x-signature-ed25519': 'ab'.repeat(64) });
        assert.equal(forged.statusCode, 401, `${url} ${name} (forged)`);
        n++;
      }
    }
    assert.equal(n, 2 * CASES_PER_ENDPOINT);
    const stale = JSON.stringify(d.command('help'));
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    assert.equal((await d.send(stale, d.fake.signed(stale, old))).statusCode, 401, 'a request an hour old');
    const big = 'x'.repeat(2 * 1024 * 1024);
    assert.equal((await d.send(big)).statusCode, 413);
    await d.deckhand.handled();
    assert.equal(failed(), 0, 'nothing acknowledged failed afterwards');
    assert.deepEqual([...(seen.get(url) ?? [])].sort(), [2, 4], `${url}: accepted and refused cases`);
    assert.equal((await d.app.inject({ url: '/healthz' })).statusCode, 200);
  });

  it('Teams: activities with and without a valid Bot Framework token', async () => {
    const t = await startTeamsDeckhand();
    closers.push(t.close);
    const failed = failures(t.deckhand.stores);
    const url = '/teams/messages';
    const token = `Bearer ${await t.fake.mint()}`;
    const forged = `Bearer ${await t.fake.mint({ key: await t.fake.strangerKey() })}`;
    const click = {
      ...t.message(''),
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: '1',
      value: { action: { type: 'Action.Execute', verb: 'rerun:1' } },
    };
    let n = 0;
    for (const sample of [t.message('<at>deckhand</at> ci status'), click]) {
      for (const { name, body } of bodies(sample)) {
        const headers = { 'content-type': 'application/json' };
        const inject = (authorization: string) =>
          t.app.inject({ method: 'POST', url, payload: body, headers: { ...headers, authorization } });
        check(`${url} ${name} (signed)`, await inject(token));
        check(`${url} ${name} (replayed)`, await inject(token));
        const refused = await inject(forged);
        assert.ok([400, 401].includes(refused.statusCode), `${url} ${name} (forged): ${refused.statusCode}`);
        n++;
      }
    }
    assert.equal(n, 2 * CASES_PER_ENDPOINT);
    const big = await t.app.inject({
      method: 'POST',
      url,
      payload: 'x'.repeat(2 * 1024 * 1024),
      headers: { 'content-type': 'application/json', authorization: token },
    });
    assert.equal(big.statusCode, 413);
    await t.deckhand.handled();
    assert.equal(failed(), 0, 'nothing acknowledged failed afterwards');
    assert.deepEqual([...(seen.get(url) ?? [])].sort(), [2, 4], `${url}: accepted and refused cases`);
    assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200);
  });
});
