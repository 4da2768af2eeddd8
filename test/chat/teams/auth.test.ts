/** Bot Framework tokens: key rotation through the OpenID metadata, and the outbound token cache. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inboundAuth, outboundToken } from '../../../src/chat/teams/auth.ts';
import { startTeamsFake, type TeamsFake } from '../../fakes/teams-api.ts';

const APP = '00000000-0000-4000-8000-00000000d0c4';

describe('Bot Framework tokens', () => {
  let fake: TeamsFake;
  before(async () => {
    fake = await startTeamsFake({ appId: APP, appPassword: 'pw' });
  });
  after(() => fake.close());

  it('accepts a token signed with a key published after the first fetch (rotation)', async () => {
    const verify = inboundAuth({ appId: APP, openIdUrl: fake.env.TEAMS_OPENID_URL, cooldownMs: 0 });
    const at = { serviceUrl: fake.serviceUrl, channelId: 'msteams' };
    assert.deepEqual(await verify(`Bearer ${await fake.mint()}`, at), { ok: true });
    await fake.rotate();
    const fresh = await fake.mint();
    assert.deepEqual(await verify(`Bearer ${fresh}`, at), { ok: true });
    const stranger = await fake.mint({ key: await fake.strangerKey(), kid: 'key-unknown' });
    const refused = await verify(`Bearer ${stranger}`, at);
    assert.equal(refused.ok, false);
  });

  it('keeps using a day-old key set while Bot Framework cannot be reached, asking again at most every cooldown', async () => {
    let clock = Date.now();
    const verify = inboundAuth({
      appId: APP,
      openIdUrl: fake.env.TEAMS_OPENID_URL,
      cooldownMs: 30_000,
      now: () => clock,
    });
    const token = await fake.mint({ expiresIn: 2 * 24 * 3600 });
    const at = { serviceUrl: fake.serviceUrl, channelId: 'msteams' };
    assert.deepEqual(await verify(`Bearer ${token}`, at), { ok: true });
    fake.keysDown(true);
    try {
      clock += 25 * 3600 * 1000;
      const asked = fake.keyRequests();
      assert.deepEqual(await verify(`Bearer ${token}`, at), { ok: true });
      assert.deepEqual(await verify(`Bearer ${token}`, at), { ok: true });
      assert.equal(fake.keyRequests() - asked, 1, 'not asked again within the cooldown');
    } finally {
      fake.keysDown(false);
    }
  });

  it('names why a token is refused, 403 only for another service URL', async () => {
    const verify = inboundAuth({ appId: APP, openIdUrl: fake.env.TEAMS_OPENID_URL });
    const other = await verify(`Bearer ${await fake.mint({ serviceUrl: 'https://x.example.com/' })}`, {
      serviceUrl: fake.serviceUrl,
      channelId: 'msteams',
    });
    assert.deepEqual(other, {
      ok: false,
      status: 403,
      reason: 'the token was issued for another service URL',
    });
    const expired = await verify(`Bearer ${await fake.mint({ expiresIn: -400 })}`, {
      serviceUrl: fake.serviceUrl,
      channelId: 'msteams',
    });
    assert.equal(expired.ok === false && expired.status, 401);
  });

  it('asks for an outbound token once and reuses it until shortly before it expires', async () => {
    let clock = Date.now();
    const token = outboundToken({
      tokenUrl: fake.env.TEAMS_TOKEN_URL,
      appId: APP,
      appPassword: 'pw',
      now: () => clock,
    });
    const before = fake.tokenRequests();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => token()));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(await token(), tokens[0]);
    assert.equal(fake.tokenRequests() - before, 1);
    clock += 54 * 60 * 1000;
    assert.equal(await token(), tokens[0], 'still fresh 54 minutes into an hour');
    assert.equal(fake.tokenRequests() - before, 1);
    clock += 2 * 60 * 1000;
    await token();
    assert.equal(fake.tokenRequests() - before, 2, 'renewed within five minutes of expiry');
    const wrong = outboundToken({ tokenUrl: fake.env.TEAMS_TOKEN_URL, appId: APP, appPassword: 'nope' });
    await assert.rejects(wrong(), (e: Error) => /invalid_client/.test(e.message) && !/nope/.test(e.message));
  });
});
