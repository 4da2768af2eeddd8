import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { GithubActions } from '../../../src/ci/github/actions.ts';
import { ProviderError } from '../../../src/core/errors.ts';
import { type GithubFake, startGithubFake } from '../../fakes/github-api.ts';
import { adapterFor, githubYaml } from './helpers.ts';

const yaml = githubYaml.replace('github: org/app', 'github: org/history');

describe('the GitHub provider compares refs through the compare API', () => {
  let fake: GithubFake;
  let provider: GithubActions;
  before(async () => {
    fake = await startGithubFake();
    fake.addRepo('org/history', {
      branches: ['main', 'release/1.0', 'orphan'],
      tags: ['v1.0.0', 'v1.1.0', 'v2.0.0'],
      workflows: { 'build.yml': [], 'deploy.yml': ['environment', 'version'] },
      history: [
        { message: 'Initial commit', author: 'Alice', refs: ['v1.0.0', 'release/1.0'] },
        { message: 'Add order history\n\nWith a longer body.', author: 'Bob' },
        { message: 'Release 1.1.0', author: 'Alice', refs: ['v1.1.0'] },
        { message: 'Show prices with two decimals', author: 'Carol' },
        ...Array.from({ length: 259 }, (_, i) => ({ message: `Change ${i + 1}`, author: 'Dev' })),
        { message: 'Release 2.0.0', author: 'Alice', refs: ['v2.0.0'] },
      ],
    });
  });
  beforeEach(() => {
    fake.calls.length = 0;
    provider = adapterFor(fake, {}, yaml).provider as GithubActions;
  });
  after(() => fake.close());

  it('lists the commits newest first with the first line of each message, the total and the compare page', async () => {
    const range = await provider.compare('deploy', 'release/1.0', 'v1.1.0');
    const history = fake.repos.get('org/history');
    assert.ok(range && history);
    assert.deepEqual(
      range.commits.map((c) => [c.message, c.author]),
      [
        ['Release 1.1.0', 'Alice'],
        ['Add order history', 'Bob'],
      ],
    );
    assert.equal(range.commits[0]?.sha, history.tags.get('v1.1.0'));
    assert.equal(range.total, 2);
    assert.equal(range.url, 'https://github.example.com/org/history/compare/release/1.0...v1.1.0');
    assert.deepEqual(
      fake.calls.map((c) => [c.method, c.url]),
      [['GET', '/repos/org/history/compare/release%2F1.0...v1.1.0']],
    );
  });

  it('shows the newest 20 of a long range and counts them all', async () => {
    const range = await provider.compare('deploy', 'v1.1.0', 'main');
    assert.equal(range?.total, 261);
    assert.equal(range?.commits.length, 20);
    assert.equal(range?.commits[0]?.message, 'Release 2.0.0');
    assert.equal(range?.commits[1]?.message, 'Change 259');
    assert.equal(range?.commits[19]?.message, 'Change 241');
    const sha = fake.repos.get('org/history')?.branches.get('main') ?? '';
    const bySha = await provider.compare('deploy', 'v1.1.0', sha.slice(0, 12));
    assert.deepEqual(bySha?.commits, range?.commits);
  });

  it('answers an empty range for identical refs and for a ref behind the deployed one', async () => {
    assert.deepEqual(await provider.compare('deploy', 'v2.0.0', 'main'), {
      commits: [],
      total: 0,
      url: 'https://github.example.com/org/history/compare/v2.0.0...main',
    });
    assert.equal((await provider.compare('deploy', 'v2.0.0', 'v1.0.0'))?.total, 0);
  });

  it('answers undefined for a ref GitHub does not know (404), and for names no ref can have, without asking', async () => {
    assert.equal(await provider.compare('deploy', 'v9.9.9', 'main'), undefined);
    assert.equal(await provider.compare('deploy', 'v1.0.0', 'no-such-branch'), undefined);
    assert.equal(await provider.compare('deploy', 'orphan', 'main'), undefined, 'no common ancestor');
    assert.equal(fake.calls.length, 3);
    fake.calls.length = 0;
    for (const [from, to] of [
      ['v1.0.0...main', 'main'],
      ['-x', 'main'],
      ['v1.0.0', 'other:main'],
      ['v1.0.0', 'main?x=1'],
    ]) {
      assert.equal(
        await provider.compare('deploy', from as string, to as string),
        undefined,
        `${from} ${to}`,
      );
    }
    assert.deepEqual(fake.calls, []);
  });

  it('throws one sentence when GitHub fails or refuses', async () => {
    const sentence = (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.message.split(/\.\s/).length, 1, 'one sentence');
      return error.message;
    };
    fake.failNext('GET /repos/org/history/compare', { status: 500, message: 'Server Error' });
    await assert.rejects(provider.compare('deploy', 'v1.0.0', 'main'), (error) => {
      assert.equal(
        sentence(error),
        'GitHub answered 500 Internal Server Error for the commits from v1.0.0 to main in org/history: try again in a moment.',
      );
      return true;
    });
    fake.tokens.delete('ghp_test');
    try {
      await assert.rejects(provider.compare('deploy', 'v1.0.0', 'main'), (error) => {
        assert.equal(sentence(error), 'GitHub answered 401 Unauthorized: check GITHUB_TOKEN.');
        assert.equal((error as ProviderError).status, 401);
        return true;
      });
    } finally {
      fake.tokens.add('ghp_test');
    }
  });
});
