import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAppFake, startGithubDeckhand } from './helpers.ts';

type Github = Awaited<ReturnType<typeof startGithubDeckhand>>;

/**
 * The audit entry of the last command, newest first in the store, once it reads `expected` (or
 * after 5 s): the run's failure can reach the chat before the command's entry is committed.
 */
async function lastCommandOutcome(g: Github, expected: string): Promise<string | undefined> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const outcome = (await g.deckhand.stores.audit.recent(20)).find((e) => e.kind === 'command')?.outcome;
    if (outcome === expected || Date.now() > deadline) return outcome;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('GitHub refusing or unreachable: one sentence in chat and in the audit log', () => {
  let g: Github;
  before(async () => {
    g = await startGithubDeckhand();
  });
  after(() => g.close());

  it('a rejected token (401)', async () => {
    g.fake.tokens.clear();
    await g.say('/ci build main');
    const sentence = 'GitHub answered 401 Unauthorized: check GITHUB_TOKEN.';
    await g.waitFor('general', new RegExp(sentence.replace(/\./g, '\\.')));
    assert.equal(await lastCommandOutcome(g, `error: ${sentence}`), `error: ${sentence}`);
    g.fake.tokens.add('ghp_test');
  });

  it('a token without access (403) and a missing workflow file (404) at dispatch', async () => {
    g.fake.failNext('POST /repos/org/app/actions/workflows/build.yml/dispatches', {
      status: 403,
      message: 'Resource not accessible by personal access token',
    });
    await g.say('/ci build develop');
    await g.waitFor(
      'general',
      /GitHub answered 403 Forbidden for workflow build\.yml in org\/app \(Resource not accessible by personal access token\): check GITHUB_TOKEN's permissions\./,
    );
    g.fake.repos.get('org/app')?.workflows.delete('build.yml');
    await g.say('/ci build main');
    const sentence =
      "GitHub answered 404 Not Found for workflow build.yml in org/app: check the workflow file name and GITHUB_TOKEN's access.";
    await g.waitFor('general', new RegExp(sentence.replace(/[.()]/g, '\\$&')));
    assert.equal(await lastCommandOutcome(g, `error: ${sentence}`), `error: ${sentence}`);
    const [failed] = await g.deckhand.stores.runs.recent(1);
    assert.equal(failed?.status, 'failed');
    assert.equal(failed?.reason, sentence);
  });

  it('an exhausted rate limit says when to try again', async () => {
    const reset = Math.floor(Date.UTC(2030, 0, 1, 12, 34) / 1000);
    g.fake.failNext('GET /repos/org/app/branches', {
      status: 403,
      message: 'API rate limit exceeded for user ID 1.',
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
    });
    await g.say('/ci build main');
    await g.waitFor(
      'general',
      /GitHub answered 403 Forbidden \(API rate limit exceeded until 12:34 UTC\): try again later\./,
    );
  });

  it('GitHub unreachable (the fake closed)', async () => {
    const url = g.fake.url;
    await g.fake.close();
    await g.say('/ci build main');
    const sentence = `Could not reach GitHub at ${url} (ECONNREFUSED): check GITHUB_API_URL.`;
    await g.waitFor('general', new RegExp(sentence.replace(/[.()/]/g, '\\$&')));
    assert.equal(await lastCommandOutcome(g, `error: ${sentence}`), `error: ${sentence}`);
  });
});

describe('GitHub App credentials rejected', () => {
  it('names the App settings, not GITHUB_TOKEN', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { publicKeyOf } = await import('../../fakes/github-api.ts');
    const pem = (modulusLength: number) =>
      generateKeyPairSync('rsa', { modulusLength })
        .privateKey.export({ type: 'pkcs1', format: 'pem' })
        .toString();
    const fake = await startAppFake();
    fake.app = {
      id: '4242',
      publicKey: publicKeyOf(pem(2048)),
      installations: new Map([['org/app', 77]]),
      tokenTtlMs: 3_600_000,
    };
    // Signed with another key than the one the app registered.
    const g = await startGithubDeckhand({
      fake,
      env: { GITHUB_TOKEN: '', GITHUB_APP_ID: '4242', GITHUB_APP_PRIVATE_KEY: pem(2048) },
    });
    try {
      await g.say('/ci build main');
      await g.waitFor(
        'general',
        /GitHub answered 401 Unauthorized: check GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY\./,
      );
    } finally {
      await g.close();
      await fake.close();
    }
  });
});

describe('sentences for each kind of failure', () => {
  const names = {
    apiUrl: 'https://ci.example.com/api/v3',
    apiUrlName: 'GITHUB_API_URL',
    credentials: 'GITHUB_TOKEN',
    holder: 'GITHUB_TOKEN',
  };
  const call = {
    what: 'workflow build.yml in org/app',
    check: 'the workflow file name',
    invalid: 'the inputs',
  };
  const answered = (status: number, data: unknown = {}, headers: Record<string, string> = {}) =>
    Object.assign(new Error('x'), { status, response: { headers, data } });

  it('names what answered and what to check, never a token', async () => {
    const { providerError } = await import('../../../src/ci/github/errors.ts');
    const cases: [unknown, string][] = [
      [answered(401), 'GitHub answered 401 Unauthorized: check GITHUB_TOKEN.'],
      [
        answered(422, { message: "Workflow does not have 'workflow_dispatch' trigger" }),
        "GitHub answered 422 Unprocessable Entity for workflow build.yml in org/app (Workflow does not have 'workflow_dispatch' trigger): check the inputs.",
      ],
      [
        answered(502),
        'GitHub answered 502 Bad Gateway for workflow build.yml in org/app: try again in a moment.',
      ],
      [
        Object.assign(new Error('getaddrinfo ENOTFOUND ci.example.com'), { status: 500 }),
        'Could not reach GitHub at https://ci.example.com/api/v3 (ENOTFOUND): check GITHUB_API_URL.',
      ],
      [
        answered(429, {}, { 'retry-after': '60' }),
        'GitHub answered 429 Too Many Requests (API rate limit exceeded): try again later.',
      ],
    ];
    for (const [error, sentence] of cases) {
      const result = providerError(error, call, names);
      assert.equal(result.message, sentence);
      assert.equal(result.name, 'ProviderError');
    }
  });
});
