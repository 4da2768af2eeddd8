import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GitlabClient } from '../../../src/ci/gitlab/client.ts';
import { GitlabProvider } from '../../../src/ci/gitlab/provider.ts';
import { ProviderError } from '../../../src/core/errors.ts';
import { type GitlabFake, type GitlabFakeProject, startGitlabFake } from '../../fakes/gitlab-api.ts';
import { parseConfig } from '../../helpers/config.ts';
import { TOKEN, yaml } from './adapter-context.ts';

type Commit = GitlabFakeProject['commits'][number];

/** A line of history given oldest first, stored newest first as the fake keeps it. */
function history(entries: [message: string, author: string][]): Commit[] {
  return entries
    .map(([message, author], i) => ({
      sha: `${(i + 1).toString(16).padStart(4, '0')}${'c0ffee'.repeat(6)}`,
      message,
      author_name: author,
      author_email: `${author.toLowerCase()}@example.com`,
    }))
    .reverse();
}

const one = (error: unknown) => {
  assert.ok(error instanceof ProviderError);
  assert.equal(error.message.split(/\.\s/).length, 1, 'one sentence');
  return error.message;
};

describe('the GitLab provider compares refs through the repository compare API', () => {
  let fake: GitlabFake;
  let app: GitlabFakeProject;
  let tools: GitlabFakeProject;
  let provider: GitlabProvider;
  const warnings: object[] = [];
  const sha = (p: GitlabFakeProject, message: string) => p.commits.find((c) => c.message === message)?.sha;

  before(async () => {
    fake = await startGitlabFake({ tokens: [TOKEN] });
    const line = history([
      ['Initial commit', 'Alice'],
      ['Add order history', 'Bob'],
      ['Release 1.1.0', 'Alice'],
      ...Array.from({ length: 22 }, (_, i): [string, string] => [`Change ${i + 1}`, 'Dev']),
      ['Show prices with two decimals\n\nRounded half up.', 'Carol'],
      ['Release 2.0.0', 'Alice'],
    ]);
    const at = (message: string) => line.find((c) => c.message === message)?.sha as string;
    app = fake.addProject({
      path: 'group/app',
      branches: ['main', 'release/1.0'],
      tags: ['v1.0.0', 'v1.1.0', 'v2.0.0'],
      commits: line,
      refs: {
        'v1.0.0': at('Initial commit'),
        'release/1.0': at('Initial commit'),
        'v1.1.0': at('Release 1.1.0'),
      },
    });
    tools = fake.addProject({
      path: 'ops/tools',
      branches: ['main', 'release/1.0'],
      commits: history([
        ['Initial commit', 'Alice'],
        ['Add a lint step', 'Bob'],
      ]),
      compareWebUrl: false,
    });
    tools.refs['release/1.0'] = sha(tools, 'Initial commit') as string;
  });
  beforeEach(() => {
    fake.calls.length = 0;
    warnings.length = 0;
    provider = new GitlabProvider({
      config: parseConfig(yaml, '/tmp/deckhand-gitlab-test/deckhand.yaml', {}),
      client: new GitlabClient({ url: fake.url, token: TOKEN, timeoutMs: 5_000 }),
      onUpdate: async () => undefined,
      logger: { warn: (o) => void warnings.push(o), error: (o) => void warnings.push(o) },
      clock: { now: () => new Date() },
    });
  });
  after(() => fake.close());

  it("lists the commits newest first, with GitLab's total and compare page", async () => {
    const range = await provider.compare('deploy', 'v1.0.0', 'v1.1.0');
    assert.deepEqual(range, {
      commits: [
        { sha: sha(app, 'Release 1.1.0'), message: 'Release 1.1.0', author: 'Alice' },
        { sha: sha(app, 'Add order history'), message: 'Add order history', author: 'Bob' },
      ],
      total: 2,
      url: `${fake.url}/group/app/-/compare/${sha(app, 'Initial commit')}...${sha(app, 'Release 1.1.0')}`,
    });
    assert.deepEqual(
      fake.calls.map((c) => [c.path, Object.fromEntries(c.query)]),
      [['/projects/group%2Fapp/repository/compare', { from: 'v1.0.0', to: 'v1.1.0' }]],
    );
  });

  it('shows the newest 20 of a long range, first lines only, and counts them all', async () => {
    const range = await provider.compare('deploy', 'release/1.0', 'main');
    assert.equal(range?.total, 26);
    assert.equal(range?.commits.length, 20);
    assert.deepEqual(
      range?.commits.slice(0, 3).map((c) => c.message),
      ['Release 2.0.0', 'Show prices with two decimals', 'Change 22'],
    );
    assert.equal(range?.commits.at(-1)?.message, 'Change 5');
    const bySha = await provider.compare(
      'deploy',
      'release/1.0',
      (sha(app, 'Release 2.0.0') ?? '').slice(0, 8),
    );
    assert.deepEqual(bySha?.commits, range?.commits);
  });

  it('answers an empty range for identical refs and for a ref behind the deployed one', async () => {
    const same = await provider.compare('deploy', 'v2.0.0', 'main');
    assert.deepEqual(same?.commits, []);
    assert.equal(same?.total, 0);
    assert.match(same?.url ?? '', /\/group\/app\/-\/compare\/[0-9a-f]{40}\.\.\.[0-9a-f]{40}$/);
    assert.equal((await provider.compare('deploy', 'v2.0.0', 'v1.0.0'))?.total, 0);
  });

  it('answers undefined for a ref GitLab does not know, and for names no ref can have, without asking', async () => {
    assert.equal(await provider.compare('deploy', 'v9.9.9', 'main'), undefined);
    assert.equal(await provider.compare('deploy', 'v1.0.0', 'feature/nope'), undefined);
    assert.deepEqual(
      fake.calls.map((c) => c.status),
      [404, 404],
    );
    fake.calls.length = 0;
    for (const [from, to] of [
      ['-x', 'main'],
      ['v1.0.0', 'main..v2.0.0'],
      ['v1.0.0', 'main~1'],
    ]) {
      assert.equal(
        await provider.compare('deploy', from as string, to as string),
        undefined,
        `${from} ${to}`,
      );
    }
    assert.deepEqual(fake.calls, []);
  });

  it("builds the link from the project's page when GitLab's answer has none, looking the project up once", async () => {
    const range = await provider.compare('tools', 'release/1.0', 'main');
    assert.deepEqual(range, {
      commits: [{ sha: sha(tools, 'Add a lint step'), message: 'Add a lint step', author: 'Bob' }],
      total: 1,
      url: `${fake.url}/ops/tools/-/compare/release/1.0...main`,
    });
    await provider.compare('tools', 'release/1.0', 'main');
    assert.deepEqual(
      fake.calls.map((c) => c.route),
      ['GET /projects/:id/repository/compare', 'GET /projects/:id', 'GET /projects/:id/repository/compare'],
    );
  });

  it('still lists the commits, without a link, when the project cannot be looked up', async () => {
    fake.failNext('GET /projects/:id', { status: 503, body: { message: '503 Service Unavailable' } });
    const range = await provider.compare('tools', 'release/1.0', 'main');
    assert.equal(range?.total, 1);
    assert.equal(range?.url, undefined);
    assert.equal(warnings.length, 1);
  });

  it('throws one sentence when GitLab fails, refuses, or does not know the project', async () => {
    fake.failNext('GET /projects/:id/repository/compare', {
      status: 500,
      body: { message: '500 Internal Server Error' },
    });
    await assert.rejects(provider.compare('deploy', 'v1.0.0', 'main'), (error) => {
      assert.match(
        one(error),
        /^GitLab answered 500 Internal Server Error comparing 'v1\.0\.0' with 'main' in group\/app: check that GitLab at .+ is healthy\.$/,
      );
      return true;
    });
    fake.failNext('GET /projects/:id/repository/compare', {
      status: 404,
      body: { message: '404 Project Not Found' },
    });
    await assert.rejects(provider.compare('deploy', 'v1.0.0', 'main'), (error) => {
      assert.match(one(error), /^GitLab answered 404 Project Not Found comparing .*: check the project path/);
      return true;
    });
    fake.tokens = [];
    try {
      await assert.rejects(provider.compare('deploy', 'v1.0.0', 'main'), (error) => {
        assert.equal(one(error), 'GitLab answered 401 Unauthorized: check GITLAB_TOKEN.');
        return true;
      });
    } finally {
      fake.tokens = [TOKEN];
    }
  });
});
