import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLocalRunner, type LocalRunner } from '../../../src/ci/local/index.ts';
import { demoConfig, EventLog, tempDir } from './helpers.ts';

const pipelines = `
  echo-param:
    repository: app
    timeout: 1m
    steps:
      - { name: echo, run: 'printf %s "$DECKHAND_SUITE" > "$DECKHAND_DATA_DIR/param.txt"; ls -a > "$DECKHAND_DATA_DIR/files.txt"' }
  dump-env:
    repository: app
    timeout: 1m
    env: { FOO: bar }
    steps:
      - { name: env, run: 'env > "$DECKHAND_DATA_DIR/env.txt"' }
`;

describe('local runner keeps user values out of code', () => {
  const tmp = tempDir();
  const config = demoConfig(tmp.dir, pipelines, '  keepWorkspaces: true\n  concurrency: 2');
  const log = new EventLog();
  let runner: LocalRunner;
  before(() => {
    process.env.DECKHAND_TEST_SECRET = 's3cr3t';
    runner = createLocalRunner({ config, emit: log.sink });
  });
  after(async () => {
    delete process.env.DECKHAND_TEST_SECRET;
    await runner.close?.();
    tmp.cleanup();
  });

  test('refs that look like options or shell are rejected without side effects', async () => {
    const refs = [
      `--upload-pack=touch ${tmp.dir}/pwned-option`,
      `$(touch ${tmp.dir}/pwned-subshell)`,
      `$(touch\${IFS}pwned-ifs)`,
      '`touch pwned-backtick`',
      'main;touch pwned-semicolon',
      '-h',
    ];
    let runId = 100;
    for (const ref of refs) {
      runId += 1;
      assert.equal(await runner.hasRef?.('build', ref), false, ref);
      await runner.trigger({ runId, kind: 'build', pipeline: 'build', ref, params: {} });
      const finished = await log.finished(runId);
      assert.equal(finished.status, 'failed', ref);
      assert.match(
        finished.reason ?? '',
        /^Could not check out '.*': (not a valid ref|no such branch, tag or commit)/,
      );
      assert.equal(
        log.of(runId).some((e) => e.type === 'run.started'),
        false,
      );
    }
    const leftovers = (dir: string) =>
      existsSync(dir) ? readdirSync(dir).filter((f) => f.includes('pwned')) : [];
    assert.deepEqual(leftovers(tmp.dir), []);
    assert.deepEqual(leftovers(process.cwd()), []);
    assert.deepEqual(leftovers(config.paths.dataDir), []);
  });

  test('a param reaches the step as a literal environment value', async () => {
    const value = '"; touch pwned; echo "$(touch pwned2)`touch pwned3`';
    await runner.trigger({
      runId: 201,
      kind: 'test',
      pipeline: 'echo-param',
      ref: 'main',
      params: { suite: value },
    });
    const finished = await log.finished(201);
    assert.equal(finished.status, 'succeeded', finished.reason);
    assert.equal(readFileSync(path.join(config.paths.dataDir, 'param.txt'), 'utf8'), value);
    assert.doesNotMatch(readFileSync(path.join(config.paths.dataDir, 'files.txt'), 'utf8'), /pwned/);
    const workspace = path.join(config.paths.workspaces, 'run-201');
    assert.ok(existsSync(path.join(workspace, 'scripts')), 'workspace kept');
    assert.deepEqual(
      readdirSync(workspace).filter((f) => f.includes('pwned')),
      [],
    );
  });

  test("deckhand's own environment does not reach steps", async () => {
    await runner.trigger({
      runId: 202,
      kind: 'deploy',
      pipeline: 'dump-env',
      ref: 'develop',
      params: { environment: 'staging', version: '1.2.3', 'bad name': 'x', requested_by: 'bob' },
    });
    const finished = await log.finished(202);
    assert.equal(finished.status, 'succeeded', finished.reason);
    const env = readFileSync(path.join(config.paths.dataDir, 'env.txt'), 'utf8');
    assert.doesNotMatch(env, /s3cr3t/);
    assert.doesNotMatch(env, /DECKHAND_TEST_SECRET/);
    const vars = new Map(
      env.split('\n').map((line) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)]),
    );
    assert.equal(vars.get('FOO'), 'bar');
    assert.equal(vars.get('DECKHAND_RUN_ID'), '202');
    assert.equal(vars.get('DECKHAND_KIND'), 'deploy');
    assert.equal(vars.get('DECKHAND_PIPELINE'), 'dump-env');
    assert.equal(vars.get('DECKHAND_REF'), 'develop');
    assert.match(vars.get('DECKHAND_COMMIT') ?? '', /^[0-9a-f]{40}$/);
    assert.equal(vars.get('DECKHAND_DATA_DIR'), config.paths.dataDir);
    assert.equal(vars.get('DECKHAND_ENVIRONMENT'), 'staging');
    assert.equal(vars.get('DECKHAND_VERSION'), '1.2.3');
    assert.equal(vars.get('DECKHAND_REQUESTED_BY'), 'bob');
    assert.ok(vars.has('PATH'));
    const allowed = /^(PATH|HOME|LANG|TZ|TMPDIR|FOO|PWD|SHLVL|OLDPWD|_|DECKHAND_[A-Z_]+)$/;
    const unexpected = [...vars.keys()].filter((name) => name && !allowed.test(name));
    assert.deepEqual(unexpected, []);
  });
});
