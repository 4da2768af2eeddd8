import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { git } from '../../../src/ci/local/git.ts';
import { createLocalRunner, type LocalRunner } from '../../../src/ci/local/index.ts';
import { ProviderError } from '../../../src/core/errors.ts';
import { demoConfig, EventLog, tempDir } from './helpers.ts';

/** Commits to the demo repository (the mirror's origin) as someone else. */
async function commitUpstream(repo: string, message: string, tag?: string): Promise<string> {
  const env = {
    GIT_AUTHOR_NAME: 'Carol Upstream',
    GIT_AUTHOR_EMAIL: 'carol@example.com',
    GIT_COMMITTER_NAME: 'Carol Upstream',
    GIT_COMMITTER_EMAIL: 'carol@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
  writeFileSync(path.join(repo, 'NOTES'), `${message}\n`);
  await git(['add', 'NOTES'], { cwd: repo, env });
  await git(['-c', 'commit.gpgsign=false', 'commit', '--quiet', '-m', message], { cwd: repo, env });
  if (tag) await git(['-c', 'tag.gpgsign=false', 'tag', tag], { cwd: repo, env });
  return (await git(['rev-parse', 'HEAD'], { cwd: repo })).trim();
}

describe('local runner compares refs of the demo repository', () => {
  const tmp = tempDir();
  const config = demoConfig(tmp.dir);
  let runner: LocalRunner;
  before(() => {
    runner = createLocalRunner({ config, emit: new EventLog().sink });
  });
  after(async () => {
    await runner.close?.();
    tmp.cleanup();
  });

  test('lists the commits a deploy brings, newest first, with the total and no link', async () => {
    const range = await runner.compare?.('deploy', 'v1.0.0', 'v1.2.0');
    assert.ok(range);
    assert.deepEqual(
      range.commits.map((c) => [c.message, c.author]),
      [
        ['Release 1.2.0', 'Deckhand Demo'],
        ['Show prices with two decimals', 'Deckhand Demo'],
        ['Release 1.1.0', 'Deckhand Demo'],
        ['Add order history page', 'Deckhand Demo'],
      ],
    );
    assert.ok(range.commits.every((c) => /^[0-9a-f]{40}$/.test(c.sha)));
    assert.equal(range.total, 4);
    assert.equal(range.url, undefined);
    const fromBranch = await runner.compare?.('deploy', 'release/1.0', 'develop');
    assert.equal(fromBranch?.total, 5, 'a branch and the commits only develop has');
    assert.equal(fromBranch?.commits[0]?.message, 'Rework checkout flow');
  });

  test('a commit SHA works as either end, and identical or older refs bring nothing', async () => {
    const head = await runner.compare?.('deploy', 'v1.1.0', 'main');
    const sha = head?.commits[0]?.sha ?? '';
    assert.equal(head?.total, 2);
    const bySha = await runner.compare?.('deploy', 'v1.1.0', sha.slice(0, 10));
    assert.deepEqual(bySha, head);
    assert.deepEqual(await runner.compare?.('deploy', 'v1.2.0', 'v1.2.0'), { commits: [], total: 0 });
    assert.deepEqual(await runner.compare?.('deploy', 'v1.2.0', 'v1.0.0'), { commits: [], total: 0 });
  });

  test('an unknown ref at either end is undefined', async () => {
    assert.equal(await runner.compare?.('deploy', 'v9.9.9', 'main'), undefined);
    assert.equal(await runner.compare?.('deploy', 'v1.0.0', 'no-such-branch'), undefined);
    assert.equal(await runner.compare?.('deploy', 'v1.0.0', 'deadbeef00'), undefined);
    assert.equal(await runner.compare?.('deploy', 'main~1', 'main'), undefined, 'not a ref name');
  });

  test('a tag pushed upstream since the last fetch is found, and its first line only is shown', async () => {
    const repo = config.repositories.app?.url as string;
    assert.ok(existsSync(path.join(repo, '.git')), 'the demo repository was seeded');
    await runner.listBranches('deploy');
    const sha = await commitUpstream(repo, 'Add release notes\n\nLonger explanation.', 'v1.3.0');
    const range = await runner.compare?.('deploy', 'v1.2.0', 'v1.3.0');
    assert.deepEqual(range, {
      commits: [{ sha, message: 'Add release notes', author: 'Carol Upstream' }],
      total: 1,
    });
  });

  test('lists at most 20 commits and counts them all', async () => {
    const repo = config.repositories.app?.url as string;
    for (let i = 1; i <= 23; i++) await commitUpstream(repo, `Change ${i}`, i === 23 ? 'v1.4.0' : undefined);
    const range = await runner.compare?.('deploy', 'v1.3.0', 'v1.4.0');
    assert.equal(range?.total, 23);
    assert.equal(range?.commits.length, 20);
    assert.equal(range?.commits[0]?.message, 'Change 23');
    assert.equal(range?.commits[19]?.message, 'Change 4');
  });
});

describe('local runner compare refuses refs that look like options', () => {
  const tmp = tempDir();
  const config = demoConfig(tmp.dir);
  let runner: LocalRunner;
  before(() => {
    runner = createLocalRunner({ config, emit: new EventLog().sink });
  });
  after(async () => {
    await runner.close?.();
    tmp.cleanup();
  });

  test('a ref beginning with "-" is refused before any git command runs', async () => {
    const leak = path.join(tmp.dir, 'pwned-output');
    for (const [from, to] of [
      [`--output=${leak}`, 'main'],
      ['v1.0.0', `--output=${leak}`],
      ['-h', 'main'],
      ['main', '--all'],
    ] as const) {
      assert.equal(await runner.compare?.('deploy', from, to), undefined, `${from} ${to}`);
    }
    assert.equal(existsSync(leak), false);
    const mirrors = path.join(config.paths.dataDir, 'mirrors');
    assert.equal(existsSync(mirrors) && readdirSync(mirrors).length > 0, false, 'no git ran: no mirror yet');
  });

  test('an unknown pipeline is an error, an unreachable repository a ProviderError', async () => {
    await assert.rejects(
      runner.compare?.('missing', 'v1.0.0', 'main') ?? Promise.resolve(),
      /unknown pipeline/,
    );
    const broken = demoConfig(tmp.dir);
    const app = broken.repositories.app;
    assert.ok(app);
    Object.assign(app, { url: path.join(tmp.dir, 'no-such-repo'), seedDemo: false });
    const lost = createLocalRunner({ config: broken, emit: new EventLog().sink });
    try {
      await assert.rejects(lost.compare?.('deploy', 'v1.0.0', 'main') ?? Promise.resolve(), (error) => {
        assert.ok(error instanceof ProviderError);
        assert.match(error.message, /^Could not update repository 'app': .+\.$/);
        assert.equal(error.message.split(/\.\s/).length, 1, 'one sentence');
        return true;
      });
    } finally {
      await lost.close?.();
    }
  });
});
