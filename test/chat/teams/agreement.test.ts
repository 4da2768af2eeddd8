/**
 * deckhand's Bot Framework token check agrees with the Teams SDK's own: `@microsoft/teams.apps`'
 * ServiceTokenValidator (dist/middleware/auth/service-token-validator.js over jwt-validator.js,
 * jsonwebtoken + jwks-rsa), pointed at the fake's OpenID metadata through its cloud settings. One
 * set of tokens, each fed to both.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PUBLIC } from '@microsoft/teams.api';
import { ServiceTokenValidator } from '@microsoft/teams.apps/dist/middleware/auth/service-token-validator.js';
import { inboundAuth } from '../../../src/chat/teams/auth.ts';
import { startTeamsFake, type TeamsFake } from '../../fakes/teams-api.ts';

const APP = '00000000-0000-4000-8000-00000000d0c4';
const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  trace: () => undefined,
  log: () => undefined,
  child: () => quiet,
};

describe('Bot Framework tokens: deckhand agrees with the Teams SDK', () => {
  let fake: TeamsFake;
  let sdk: ServiceTokenValidator;
  let deckhand: ReturnType<typeof inboundAuth>;
  before(async () => {
    fake = await startTeamsFake({ appId: APP, appPassword: 'pw' });
    const cloud = { ...PUBLIC, openIdMetadataUrl: fake.env.TEAMS_OPENID_URL };
    sdk = new ServiceTokenValidator(APP, undefined, undefined, quiet, cloud);
    deckhand = inboundAuth({ appId: APP, openIdUrl: fake.env.TEAMS_OPENID_URL, cooldownMs: 0 });
  });
  after(() => fake.close());

  const sdkAccepts = (token: string, serviceUrl: string) =>
    sdk.check(`Bearer ${token}`, { serviceUrl }).then(
      () => true,
      () => false,
    );

  it('accepts and refuses the same tokens', async () => {
    const emea = fake.serviceUrlOf('emea');
    const rs512 = await fake.publishKey(['msteams'], 'RS512');
    const cases: { name: string; token: string; serviceUrl?: string; accepted: boolean }[] = [
      { name: 'good', token: await fake.mint({ serviceUrl: emea }), accepted: true },
      {
        name: 'good, service URL differing only in case and trailing slash',
        token: await fake.mint({ serviceUrl: emea.toUpperCase().replace('HTTP://', 'http://') }),
        serviceUrl: emea.replace(/\/$/, ''),
        accepted: true,
      },
      {
        name: 'expired within the five minutes of skew',
        token: await fake.mint({ serviceUrl: emea, expiresIn: -120 }),
        accepted: true,
      },
      {
        name: 'wrong audience',
        token: await fake.mint({ serviceUrl: emea, aud: '11111111-1111-4111-8111-111111111111' }),
        accepted: false,
      },
      {
        name: 'wrong issuer',
        token: await fake.mint({ serviceUrl: emea, iss: 'https://sts.windows.net/evil/' }),
        accepted: false,
      },
      {
        name: 'expired beyond the skew',
        token: await fake.mint({ serviceUrl: emea, expiresIn: -400 }),
        accepted: false,
      },
      {
        name: 'HS256 (a shared secret, not Bot Framework’s key)',
        token: await fake.mint({ serviceUrl: emea, alg: 'HS256', key: randomBytes(32) }),
        accepted: false,
      },
      {
        name: 'RS512 with a published key',
        token: await fake.mint({ serviceUrl: emea, alg: 'RS512', key: rs512.key, kid: rs512.kid }),
        accepted: false,
      },
      {
        name: 'another service URL',
        token: await fake.mint({ serviceUrl: fake.serviceUrlOf('amer') }),
        accepted: false,
      },
      {
        name: 'unknown key (kid not in the JWKS)',
        token: await fake.mint({ serviceUrl: emea, key: await fake.strangerKey(), kid: 'key-unknown' }),
        accepted: false,
      },
    ];
    for (const c of cases) {
      const serviceUrl = c.serviceUrl ?? emea;
      const theirs = await sdkAccepts(c.token, serviceUrl);
      const ours = (await deckhand(`Bearer ${c.token}`, { serviceUrl, channelId: 'msteams' })).ok;
      assert.equal(theirs, c.accepted, `the SDK on "${c.name}"`);
      assert.equal(ours, theirs, `deckhand disagrees with the SDK on "${c.name}"`);
    }
  });

  it('refuses a key not endorsed for the activity’s channel (botbuilder-js is the oracle here)', async () => {
    // teams.apps 2.0.16 does not check endorsements; botbuilder-js does
    // (libraries/botframework-connector/src/auth/jwtTokenExtractor.ts validateToken →
    // endorsementsValidator.ts): a key whose endorsements do not name the channel is refused, 401.
    const webchatOnly = await fake.publishKey(['webchat', 'directline']);
    const token = await fake.mint({ key: webchatOnly.key, kid: webchatOnly.kid });
    const verdict = await deckhand(`Bearer ${token}`, { serviceUrl: fake.serviceUrl, channelId: 'msteams' });
    assert.deepEqual(verdict, {
      ok: false,
      status: 401,
      reason: 'the signing key is not endorsed for channel "msteams"',
    });
    // The same key signs for the channels it is endorsed for.
    assert.deepEqual(
      await deckhand(`Bearer ${token}`, { serviceUrl: fake.serviceUrl, channelId: 'webchat' }),
      {
        ok: true,
      },
    );
    assert.equal(
      (await deckhand(`Bearer ${token}`, { serviceUrl: fake.serviceUrl, channelId: '' })).ok,
      false,
    );
  });
});
