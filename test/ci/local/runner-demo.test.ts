import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLocalRunner, type LocalRunner } from '../../../src/ci/local/index.ts';
import { demoConfig, EventLog, tempDir } from './helpers.ts';

describe('local runner with the demo repository', () => {
  const tmp = tempDir();
  const config = demoConfig(tmp.dir);
  const log = new EventLog();
  let runner: LocalRunner;
  before(() => {
    runner = createLocalRunner({ config, emit: log.sink });
  });
  after(async () => {
    await runner.close?.();
    tmp.cleanup();
  });

  test('lists branches default first and knows refs', async () => {
    assert.deepEqual(await runner.listBranches('build'), ['main', 'develop', 'release/1.0']);
    assert.ok(existsSync(path.join(config.paths.dataDir, 'mirrors', 'app.git')));
    assert.equal(await runner.hasRef?.('build', 'v1.1.0'), true);
    assert.equal(await runner.hasRef?.('build', 'release/1.0'), true);
    assert.equal(await runner.hasRef?.('build', 'nope'), false);
    assert.equal(await runner.hasRef?.('build', '--all'), false);
    await assert.rejects(runner.listBranches('missing'), /unknown pipeline/);
  });

  test('build on main succeeds with events in order and commit info', async () => {
    await runner.trigger({ runId: 1, kind: 'build', pipeline: 'build', ref: 'main', params: {} });
    const finished = await log.finished(1);
    const types = log
      .of(1)
      .map((e) => (e.type.startsWith('step') && 'step' in e ? `${e.type}:${e.step.name}` : e.type));
    assert.deepEqual(types, [
      'run.started',
      'step.started:install',
      'step.finished:install',
      'step.started:compile',
      'step.finished:compile',
      'run.finished',
    ]);
    const started = log.of(1)[0];
    assert.ok(started?.type === 'run.started');
    assert.deepEqual(started.steps, ['install', 'compile']);
    assert.match(started.commit?.sha ?? '', /^[0-9a-f]{40}$/);
    assert.equal(started.commit?.message, 'Release 1.2.0');
    assert.equal(started.commit?.author, 'Deckhand Demo');
    assert.equal(started.commit?.authorEmail, 'demo@example.com');
    assert.equal(finished.status, 'succeeded', finished.reason);
    assert.equal(finished.commit?.sha, started.commit?.sha);
    assert.equal(finished.reason, undefined);
    const compile = log.of(1).find((e) => e.type === 'step.finished' && e.step.name === 'compile');
    assert.ok(compile?.type === 'step.finished');
    assert.equal(compile.step.index, 1);
    assert.equal(compile.step.exitCode, 0);
    assert.match(compile.step.logTail ?? '', /Building demo-app 1\.2\.0/);
    const file = runner.logFile(1, 1);
    assert.ok(file && path.isAbsolute(file));
    assert.match(readFileSync(file, 'utf8'), /Build complete/);
    assert.equal(runner.logFile(1, 7), undefined);
    assert.ok(!existsSync(path.join(config.paths.workspaces, 'run-1')), 'workspace removed');
    assert.deepEqual(runner.active(), []);
  });

  test('integration tests on develop fail and name the failing case', async () => {
    await runner.trigger({
      runId: 2,
      kind: 'test',
      pipeline: 'test',
      ref: 'develop',
      params: { suite: 'integration' },
    });
    const finished = await log.finished(2);
    assert.equal(finished.status, 'failed');
    assert.equal(finished.reason, "Step 'test' exited with code 1.");
    assert.equal(finished.tests?.total, 3);
    assert.equal(finished.tests?.failed, 1);
    assert.deepEqual(
      finished.tests?.failures.map((f) => [f.suite, f.name]),
      [['integration', 'checkout flow']],
    );
    assert.match(finished.tests?.failures[0]?.message ?? '', /payment step/);
  });

  test('unit tests on a tag succeed with a test summary', async () => {
    await runner.trigger({
      runId: 3,
      kind: 'test',
      pipeline: 'test',
      ref: 'v1.0.0',
      params: { suite: 'unit' },
    });
    const finished = await log.finished(3);
    assert.equal(finished.status, 'succeeded', finished.reason);
    assert.deepEqual(finished.tests, { total: 3, failed: 0, skipped: 0, failures: [] });
    assert.equal(finished.commit?.message, 'Initial commit');
  });

  test('an unknown ref fails with a clear reason and no run.started', async () => {
    await runner.trigger({ runId: 4, kind: 'build', pipeline: 'build', ref: 'no-such-branch', params: {} });
    const finished = await log.finished(4);
    assert.equal(finished.status, 'failed');
    assert.equal(finished.reason, "Could not check out 'no-such-branch': no such branch, tag or commit.");
    assert.deepEqual(
      log.of(4).map((e) => e.type),
      ['run.finished'],
    );
  });

  test('a commit SHA can be checked out', async () => {
    const started = log.of(1)[0];
    assert.ok(started?.type === 'run.started');
    const sha = started.commit?.sha.slice(0, 10) ?? '';
    await runner.trigger({ runId: 5, kind: 'build', pipeline: 'build', ref: sha, params: {} });
    const finished = await log.finished(5);
    assert.equal(finished.status, 'succeeded', finished.reason);
    assert.equal(finished.commit?.sha, started.commit?.sha);
  });

  test('deploy writes the VERSION file of the environment', async () => {
    await runner.trigger({
      runId: 6,
      kind: 'deploy',
      pipeline: 'deploy',
      ref: 'v1.1.0',
      params: { version: 'v1.1.0', environment: 'staging', requested_by: 'alice' },
    });
    const finished = await log.finished(6);
    assert.equal(finished.status, 'succeeded', finished.reason);
    const file = path.join(config.paths.dataDir, 'environments', 'staging', 'VERSION');
    assert.equal(readFileSync(file, 'utf8'), 'v1.1.0\n');
    assert.match(readdirSync(path.join(config.paths.dataDir, 'logs', 'run-6')).join(','), /1-release\.log/);
  });

  test('an unknown pipeline fails instead of throwing', async () => {
    await runner.trigger({ runId: 7, kind: 'build', pipeline: 'nope', ref: 'main', params: {} });
    const finished = await log.finished(7);
    assert.equal(finished.status, 'failed');
    assert.equal(finished.reason, "Unknown pipeline 'nope'.");
  });
});
