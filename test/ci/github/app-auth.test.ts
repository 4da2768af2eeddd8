import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type GithubFake, publicKeyOf } from '../../fakes/github-api.ts';
import { adapterFor, startAppFake } from './helpers.ts';

/** A GitHub-style private key (PKCS#1 PEM, as GitHub hands them out). */
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();

const appEnv = { GITHUB_TOKEN: '', GITHUB_APP_ID: '4242', GITHUB_APP_PRIVATE_KEY: privateKey };

describe('GitHub App authentication', () => {
  let fake: GithubFake;
  before(async () => {
    fake = await startAppFake();
    fake.app = {
      id: '4242',
      publicKey: publicKeyOf(privateKey),
      installations: new Map([['org/app', 77]]),
      tokenTtlMs: 60 * 60_000,
    };
  });
  after(() => fake.close());

  const branchCalls = () => fake.calls.filter((c) => c.url.startsWith('/repos/org/app/branches'));

  it('finds the installation with a JWT, then calls with a cached installation token until it nears expiry', async () => {
    fake.issued.length = 0;
    fake.calls.length = 0;
    const { provider, clock } = adapterFor(fake, appEnv);
    assert.deepEqual(await provider.listBranches('build'), ['main', 'develop', 'release/1.0']);
    const lookup = fake.calls.find((c) => c.url === '/repos/org/app/installation');
    assert.match(lookup?.auth ?? '', /^bearer ey/, 'the installation lookup is signed as the app');
    assert.equal(fake.issued.length, 1);
    assert.equal(branchCalls().at(-1)?.auth, `token ${fake.issued[0]?.token}`);

    await provider.listBranches('build');
    assert.equal(fake.issued.length, 1, 'a fresh token is reused');
    assert.equal(fake.calls.filter((c) => c.url === '/repos/org/app/installation').length, 1);

    clock.advance(56 * 60_000); // four minutes left on a one-hour token
    await provider.listBranches('build');
    assert.equal(fake.issued.length, 2, 'a token about to expire is replaced');
    assert.equal(branchCalls().at(-1)?.auth, `token ${fake.issued[1]?.token}`);
  });

  it('replaces a short-lived token on the next call', async () => {
    fake.issued.length = 0;
    fake.app = { ...(fake.app as NonNullable<GithubFake['app']>), tokenTtlMs: 2 * 60_000 };
    const { provider } = adapterFor(fake, { ...appEnv, GITHUB_APP_INSTALLATION_ID: '77' });
    await provider.listBranches('build');
    await provider.listBranches('build');
    assert.equal(fake.issued.length, 2);
    assert.notEqual(fake.issued[0]?.token, fake.issued[1]?.token);
    assert.equal(branchCalls().at(-1)?.auth, `token ${fake.issued[1]?.token}`);
    fake.app = { ...(fake.app as NonNullable<GithubFake['app']>), tokenTtlMs: 60 * 60_000 };
  });

  it('says so when the app is not installed on the repository', async () => {
    fake.app?.installations.delete('org/app');
    const { provider } = adapterFor(fake, appEnv);
    await assert.rejects(provider.listBranches('build'), {
      name: 'ProviderError',
      message:
        'GitHub answered 404 Not Found for the GitHub App installation on org/app: install the app there or set providers.github.installationId.',
    });
    fake.app?.installations.set('org/app', 77);
  });

  it('names the App settings when the private key cannot be read', async () => {
    const broken = '-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA PRIVATE KEY-----';
    const { provider } = adapterFor(fake, { ...appEnv, GITHUB_APP_PRIVATE_KEY: broken });
    await assert.rejects(provider.listBranches('build'), {
      message:
        /^Could not sign the request to GitHub \(.*\): check GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY\.$/,
    });
  });

  it('names the App settings when the JWT is refused (wrong app id)', async () => {
    const { provider } = adapterFor(fake, { ...appEnv, GITHUB_APP_ID: '999' });
    await assert.rejects(provider.listBranches('build'), {
      message: 'GitHub answered 401 Unauthorized: check GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY.',
    });
  });
});
