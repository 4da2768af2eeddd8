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
import { bodies, CASES_PER_ENDPOINT, check, failures, form, safeParse, seen } from '../helpers/fuzz.ts';
import { commandToken, startMattermostDeckhand } from '../helpers/mattermost-deckhand.ts';

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
});
