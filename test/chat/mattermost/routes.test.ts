/** Mattermost's endpoints: the command token, deckhand's button MAC, payload checks, replays. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { commandToken, startMattermostDeckhand } from '../../helpers/mattermost-deckhand.ts';

type Running = Awaited<ReturnType<typeof startMattermostDeckhand>>;

describe('Mattermost endpoints', () => {
  let m: Running;
  before(async () => {
    m = await startMattermostDeckhand();
  });
  after(() => m.close());

  const slash = (line: string, extra: { userId?: string; rootId?: string } = {}) =>
    m.fake.slashCommand({
      token: commandToken,
      userId: extra.userId ?? 'u-alice',
      channelId: 'c-general',
      line,
      rootId: extra.rootId,
    });
  const runs = async () => (await m.deckhand.stores.runs.recent(50)).length;

  it('answers /ci help to a command carrying its token, only to the asker', async () => {
    const res = await m.command(slash('/ci help'));
    assert.equal(res.statusCode, 200);
    const body = JSON.parse(res.body) as {
      response_type: string;
      text: string;
      attachments?: { text?: string }[];
    };
    assert.equal(body.response_type, 'ephemeral');
    assert.match(JSON.stringify(body), /build/);
  });

  it('refuses a wrong, missing or other command token with 401 and records nothing', async () => {
    const before = await runs();
    const wrong = slash('/ci build main').replace(`token=${commandToken}`, 'token=nope');
    assert.equal((await m.command(wrong, { authorization: 'Token nope' })).statusCode, 401);
    assert.equal((await m.command(wrong, { authorization: '' })).statusCode, 401);
    assert.equal((await m.command(slash('/ci build main'), { authorization: 'Token nope' })).statusCode, 401);
    await m.deckhand.handled();
    assert.equal(await runs(), before);
  });

  it('refuses malformed, wrongly typed and oversized commands with a 4xx', async () => {
    const missing = new URLSearchParams({ token: commandToken, command: '/ci', text: 'help' }).toString();
    const res = await m.command(missing);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /user_id/);
    assert.equal((await m.command('{"text":"x"}', { 'content-type': 'application/json' })).statusCode, 415);
    const long = slash(`/ci build ${'x'.repeat(5000)}`);
    assert.equal((await m.command(long)).statusCode, 400);
    assert.equal((await m.command(slash(`/ci build ${'x'.repeat(70_000)}`))).statusCode, 413);
  });

  it('says which commands it answers when another slash command reaches it', async () => {
    const res = await m.command(slash('/deploy now'));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /does not answer \/deploy here \(it answers \/ci, \/incident, \/oncall\)/);
  });

  it('a command replayed with the same trigger id starts one build', async () => {
    const before = await runs();
    const body = slash('/ci build main');
    const first = await m.command(body);
    assert.equal(first.statusCode, 200);
    const again = await m.command(body);
    assert.equal(again.statusCode, 200);
    assert.equal(again.body, '', 'the repeat is answered with nothing');
    await m.deckhand.handled();
    assert.equal(await runs(), before + 1);
  });

  it("a click with deckhand's context is acted on once; a forged one is refused", async () => {
    await m.command(slash('/ci deploy production v1.0.0'));
    const prompt = await m.waitForPost('c-general', /Confirm: deploy/);
    const { body } = m.fake.click('u-alice', prompt.id, 'Confirm');
    const forged = { ...body, context: { ...(body.context as object), mac: '0'.repeat(64) } };
    assert.equal((await m.action(forged)).statusCode, 401);
    const otherChannel = { ...body, channel_id: 'c-builds' };
    assert.equal((await m.action(otherChannel)).statusCode, 401, 'a context is bound to its channel');
    const { context: _c, ...noContext } = body;
    assert.equal((await m.action(noContext)).statusCode, 401);
    assert.equal((await m.action('{not json')).statusCode, 400);
    assert.equal((await m.action({ ...body, post_id: 7 })).statusCode, 400);
    assert.equal((await m.action(body)).statusCode, 200);
    assert.equal((await m.action(body)).statusCode, 200);
    await m.deckhand.handled();
    const approvals = m.fake
      .postsIn('c-general')
      .filter((p) => /Approval needed/.test(JSON.stringify(p.props)));
    assert.equal(approvals.length, 1, 'one approval request for one confirmation');
  });

  it('grants roles from Mattermost groups: Bob approves as a release manager', async () => {
    const card = await m.waitForPost('c-general', /Approval needed/);
    const { body } = m.fake.click('u-bob', card.id, 'Approve');
    assert.equal((await m.action(body)).statusCode, 200);
    await m.waitForPost('c-general', /Approved by Bob/);
  });
});
