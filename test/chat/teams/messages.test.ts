/** `POST /teams/messages`: Bot Framework tokens, the service URL allow-list, payload checks, replays. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../helpers/recording-sender.ts';
import { APP, BUILDS, GENERAL, startTeamsDeckhand } from '../../helpers/teams-deckhand.ts';

type Running = Awaited<ReturnType<typeof startTeamsDeckhand>>;

describe('Teams messaging endpoint', () => {
  let t: Running;
  before(async () => {
    t = await startTeamsDeckhand();
  });
  after(() => t.close());
  const runs = async () => (await t.deckhand.stores.runs.recent(50)).length;
  const posted = (pattern: RegExp) =>
    eventually(
      () => t.fake.activitiesIn(GENERAL).some((a) => pattern.test(JSON.stringify(a))),
      `${pattern} in #general`,
      20_000,
    );

  it('takes a command typed to the bot, with the mention, and answers in the channel', async () => {
    const res = await t.send(t.message('<at>deckhand</at> ci help'));
    assert.equal(res.statusCode, 200);
    await posted(/deploy|build/);
  });

  it('refuses a missing, forged, misdirected or expired token with 401, and records nothing', async () => {
    const before = await runs();
    const build = () => t.message('<at>deckhand</at> ci build main');
    const cases: [string, string | undefined][] = [
      ['no token', ''],
      ['not a JWT', 'Bearer nope'],
      ['signed by a stranger', `Bearer ${await t.fake.mint({ key: await t.fake.strangerKey() })}`],
      ['for another bot', `Bearer ${await t.fake.mint({ aud: '11111111-1111-4111-8111-111111111111' })}`],
      ['from another issuer', `Bearer ${await t.fake.mint({ iss: 'https://evil.example.com' })}`],
      ['expired beyond the skew', `Bearer ${await t.fake.mint({ expiresIn: -600 })}`],
    ];
    for (const [what, authorization] of cases)
      assert.equal((await t.send(build(), authorization)).statusCode, 401, what);
    await t.deckhand.handled();
    assert.equal(await runs(), before);
  });

  it('accepts a token expired within the five minutes of skew', async () => {
    const res = await t.send(t.message('ci status'), `Bearer ${await t.fake.mint({ expiresIn: -60 })}`);
    assert.equal(res.statusCode, 200);
  });

  it('refuses with 403 a token for another service URL, or a service URL not on the allow-list', async () => {
    const before = await runs();
    const elsewhere = await t.fake.mint({ serviceUrl: 'https://smba.trafficmanager.net/emea/' });
    assert.equal((await t.send(t.message('ci build main'), `Bearer ${elsewhere}`)).statusCode, 403);
    const evil = 'https://evil.example.com/teams/';
    const res = await t.send(
      t.message('ci build main', { serviceUrl: evil }),
      `Bearer ${await t.fake.mint({ serviceUrl: evil })}`,
    );
    assert.equal(res.statusCode, 403, 'deckhand never calls a host off the allow-list');
    await t.deckhand.handled();
    assert.equal(await runs(), before);
  });

  it('answers a card click with the invoke response, and takes an Action.Submit message', async () => {
    const click = (value: unknown) =>
      t.message('', { type: 'invoke', name: 'adaptiveCard/action', replyToId: '1', value });
    const res = await t.send(click({ action: { type: 'Action.Execute', verb: 'rerun:1', data: {} } }));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Received.',
    });
    assert.equal((await t.send(click({ action: { type: 'Action.Execute' } }))).statusCode, 400);
    const submit = t.message('', { replyToId: '1', value: { actionId: 'rerun:1' } });
    assert.equal((await t.send(submit)).statusCode, 200);
    await t.deckhand.handled();
  });

  it('refuses malformed and oversized activities with a 4xx', async () => {
    assert.equal((await t.send({ type: 'message' })).statusCode, 400);
    assert.equal((await t.send(t.message('x', { serviceUrl: 42 }))).statusCode, 400);
    const res = await t.app.inject({
      method: 'POST',
      url: '/teams/messages',
      payload: '{"type":',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.fake.mint()}` },
    });
    assert.equal(res.statusCode, 400);
    assert.equal((await t.send(t.message('x'.repeat(300_000)))).statusCode, 413);
  });

  it('a replayed activity is acted on once, and a run card is updated in place', async () => {
    const before = await runs();
    const activity = t.message('<at>deckhand</at> ci build main');
    assert.equal((await t.send(activity)).statusCode, 200);
    assert.equal((await t.send(activity)).statusCode, 200);
    await t.deckhand.handled();
    assert.equal(await runs(), before + 1);
    await eventually(
      () =>
        t.fake
          .activitiesIn(BUILDS)
          .some((a) => a.edits > 0 && /succeeded/.test(JSON.stringify(a.attachments))),
      'the build card updated in place to succeeded',
      30_000,
    );
    assert.ok(
      t.fake.calls.filter((c) => c.path.endsWith('/oauth2/v2.0/token')).length <= 1,
      'one outbound token for every send',
    );
    assert.ok(APP);
  });
});
