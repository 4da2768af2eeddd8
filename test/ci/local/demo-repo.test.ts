import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { seedDemoRepo } from '../../../src/ci/local/index.ts';
import { tempDir } from './helpers.ts';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** Runs a demo script in `cwd` with only the given environment (plus PATH). */
function script(cwd: string, name: string, env: Record<string, string>) {
  return spawnSync(path.join(cwd, 'scripts', name), [], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    encoding: 'utf8',
  });
}

describe('seedDemoRepo', () => {
  const tmp = tempDir();
  const repo = path.join(tmp.dir, 'nested', 'demo');
  before(() => seedDemoRepo(repo));
  after(tmp.cleanup);

  test('creates main, develop and release/1.0 with tags on VERSION changes', () => {
    const branches = git(repo, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/').split('\n').sort();
    assert.deepEqual(branches, ['develop', 'main', 'release/1.0']);
    assert.deepEqual(git(repo, 'tag', '--list').split('\n').sort(), ['v1.0.0', 'v1.1.0', 'v1.2.0']);
    assert.equal(git(repo, 'symbolic-ref', '--short', 'HEAD'), 'main');
    for (const [tag, version] of [
      ['v1.0.0', '1.0.0'],
      ['v1.1.0', '1.1.0'],
      ['v1.2.0', '1.2.0'],
    ] as const) {
      assert.equal(git(repo, 'show', `${tag}:VERSION`), version);
      assert.match(git(repo, 'show', '--name-only', '--format=', tag), /^VERSION$/m);
    }
    assert.equal(git(repo, 'rev-parse', 'release/1.0'), git(repo, 'rev-parse', 'v1.0.0^{commit}'));
    assert.equal(git(repo, 'rev-list', '--count', 'main..develop'), '1');
    assert.equal(git(repo, 'rev-list', '--count', 'develop..main'), '0');
    assert.equal(git(repo, 'log', '-1', '--format=%an <%ae>', 'main'), 'Deckhand Demo <demo@example.com>');
  });

  test('scripts are committed as executable POSIX sh', () => {
    for (const name of ['install.sh', 'build.sh', 'test.sh', 'deploy.sh']) {
      assert.match(git(repo, 'ls-files', '-s', `scripts/${name}`), /^100755 /);
      assert.ok(readFileSync(path.join(repo, 'scripts', name), 'utf8').startsWith('#!/bin/sh\n'));
    }
  });

  test('is deterministic and a no-op when the folder exists', async () => {
    const other = path.join(tmp.dir, 'again');
    await seedDemoRepo(other);
    assert.equal(git(other, 'rev-parse', 'develop'), git(repo, 'rev-parse', 'develop'));
    const head = git(repo, 'rev-parse', 'HEAD');
    await seedDemoRepo(repo);
    assert.equal(git(repo, 'rev-parse', 'HEAD'), head);
  });

  test('unit passes; integration fails on develop only, naming checkout flow', () => {
    const work = path.join(tmp.dir, 'work');
    execFileSync('git', ['clone', '--quiet', repo, work]);
    for (const suite of ['unit', 'integration']) {
      const run = script(work, 'test.sh', { DECKHAND_SUITE: suite });
      assert.equal(run.status, 0, `${suite} on main: ${run.stdout}${run.stderr}`);
      assert.match(readFileSync(path.join(work, 'reports', `${suite}.xml`), 'utf8'), /failures="0"/);
    }
    git(work, 'checkout', '--quiet', 'develop');
    assert.equal(script(work, 'test.sh', { DECKHAND_SUITE: 'unit' }).status, 0);
    const failing = script(work, 'test.sh', { DECKHAND_SUITE: 'integration' });
    assert.equal(failing.status, 1);
    assert.match(failing.stdout, /FAIL {2}checkout flow/);
    const report = readFileSync(path.join(work, 'reports', 'integration.xml'), 'utf8');
    assert.match(
      report,
      /<testcase classname="integration" name="checkout flow"[^>]*><failure message="[^"]+"/,
    );
    assert.equal(script(work, 'test.sh', {}).status, 0, 'defaults to unit');
    const unknown = script(work, 'test.sh', { DECKHAND_SUITE: 'smoke' });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown test suite 'smoke'/);
  });

  test('deploy records the version and refuses unsafe environment names', () => {
    const work = path.join(tmp.dir, 'work-deploy');
    execFileSync('git', ['clone', '--quiet', repo, work]);
    const data = path.join(tmp.dir, 'data');
    const ok = script(work, 'deploy.sh', {
      DECKHAND_DATA_DIR: data,
      DECKHAND_ENVIRONMENT: 'staging',
      DECKHAND_VERSION: 'v1.2.0',
    });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /Deployed v1\.2\.0 to staging/);
    assert.equal(readFileSync(path.join(data, 'environments', 'staging', 'VERSION'), 'utf8'), 'v1.2.0\n');
    for (const bad of ['', '../x', 'a/b', '..']) {
      const run = script(work, 'deploy.sh', { DECKHAND_DATA_DIR: data, DECKHAND_ENVIRONMENT: bad });
      assert.equal(run.status, 2, `environment ${JSON.stringify(bad)}`);
    }
    assert.equal(existsSync(path.join(data, 'x')), false);
  });
});
