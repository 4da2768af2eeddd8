import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLocalRunner, type LocalRunner } from '../../../src/ci/local/index.ts';
import { demoConfig, EventLog, tempDir, waitFor } from './helpers.ts';

const pipelines = `
  sleepy:
    repository: app
    timeout: 1m
    steps:
      - { name: nap, run: 'echo napping; sleep 30; touch "$DECKHAND_DATA_DIR/woke-$DECKHAND_RUN_ID"' }
  step-timeout:
    repository: app
    timeout: 1m
    steps:
      - { name: nap, run: 'echo before; sleep 30', timeout: 1s }
      - { name: never, run: 'touch "$DECKHAND_DATA_DIR/never"' }
  pipeline-timeout:
    repository: app
    timeout: 1500ms
    steps:
      - { name: first, run: 'sh -c "sleep 30" & wait' }
  short:
    repository: app
    timeout: 1m
    steps:
      - { name: quick, run: 'sleep 0.5' }
`;

describe('local runner timeouts, cancellation and concurrency', () => {
  const tmp = tempDir();
  const config = demoConfig(tmp.dir, pipelines, '  concurrency: 1');
  const log = new EventLog();
  let runner: LocalRunner;
  before(() => {
    runner = createLocalRunner({ config, emit: log.sink });
  });
  after(async () => {
    await runner.close?.();
    tmp.cleanup();
  });

  test('a step timeout kills the step and stops the run', async () => {
    const t0 = Date.now();
    await runner.trigger({ runId: 1, kind: 'build', pipeline: 'step-timeout', ref: 'main', params: {} });
    const finished = await log.finished(1);
    assert.ok(Date.now() - t0 < 25_000, 'finished before the sleep would have');
    assert.equal(finished.status, 'failed');
    assert.equal(finished.reason, "Step 'nap' timed out after 1.0s.");
    const step = log.of(1).find((e) => e.type === 'step.finished');
    assert.ok(step?.type === 'step.finished');
    assert.equal(step.step.status, 'failed');
    assert.match(step.step.logTail ?? '', /before/);
    assert.equal(log.of(1).filter((e) => e.type === 'step.started').length, 1);
    assert.equal(existsSync(path.join(config.paths.dataDir, 'never')), false);
  });

  test('the pipeline timeout kills the whole process group', async () => {
    const t0 = Date.now();
    await runner.trigger({ runId: 2, kind: 'build', pipeline: 'pipeline-timeout', ref: 'main', params: {} });
    const finished = await log.finished(2);
    assert.ok(Date.now() - t0 < 25_000, 'finished before the sleep would have');
    assert.equal(finished.status, 'failed');
    assert.equal(finished.reason, 'Timed out after 1.5s.');
  });

  test('cancel stops a running run; a queued run is dropped; concurrency 1 is FIFO', async () => {
    const t0 = Date.now();
    await runner.trigger({ runId: 3, kind: 'build', pipeline: 'sleepy', ref: 'main', params: {} });
    await runner.trigger({ runId: 4, kind: 'build', pipeline: 'short', ref: 'main', params: {} });
    await runner.trigger({ runId: 5, kind: 'build', pipeline: 'short', ref: 'main', params: {} });
    await runner.trigger({ runId: 6, kind: 'build', pipeline: 'short', ref: 'main', params: {} });
    assert.deepEqual(runner.active(), [3, 4, 5, 6]);
    await assert.rejects(
      runner.trigger({ runId: 4, kind: 'build', pipeline: 'short', ref: 'main', params: {} }),
    );
    await waitFor(() => log.of(3).some((e) => e.type === 'step.started'));
    assert.equal(log.of(4).length, 0, 'second run waits for the first');

    assert.equal(await runner.cancel(5), true, 'queued run');
    const dropped = await log.finished(5);
    assert.equal(dropped.status, 'cancelled');
    assert.equal(dropped.reason, 'Cancelled.');

    assert.equal(await runner.cancel(3), true, 'running run');
    const cancelled = await log.finished(3);
    assert.ok(Date.now() - t0 < 25_000, 'finished before the sleep would have');
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.reason, 'Cancelled.');
    const step = log.of(3).find((e) => e.type === 'step.finished');
    assert.ok(step?.type === 'step.finished');
    assert.equal(step.step.status, 'cancelled');

    const fourth = await log.finished(4);
    const sixth = await log.finished(6);
    assert.equal(fourth.status, 'succeeded', fourth.reason);
    assert.equal(sixth.status, 'succeeded', sixth.reason);
    const order = log.events
      .filter((e) => [3, 4, 6].includes(e.runId) && (e.type === 'run.started' || e.type === 'run.finished'))
      .map((e) => `${e.type}:${e.runId}`);
    assert.deepEqual(order, [
      'run.started:3',
      'run.finished:3',
      'run.started:4',
      'run.finished:4',
      'run.started:6',
      'run.finished:6',
    ]);
    assert.equal(log.of(5).length, 1, 'a dropped run only reports run.finished');
    assert.equal(await runner.cancel(3), false, 'finished run');
    assert.equal(await runner.cancel(999), false, 'unknown run');
    assert.deepEqual(runner.active(), []);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(existsSync(path.join(config.paths.dataDir, 'woke-3')), false);
  });
});

describe('local runner shutdown', () => {
  const tmp = tempDir();
  const config = demoConfig(tmp.dir, pipelines, '  concurrency: 1');
  after(tmp.cleanup);

  test('close kills running work, drops the queue and emits nothing more', async () => {
    const log = new EventLog();
    let throwing = 0;
    const runner = createLocalRunner({
      config,
      emit: (event) => {
        log.sink(event);
        if (event.type === 'step.started') {
          throwing += 1;
          throw new Error('sink is down');
        }
      },
      logger: { info: () => undefined, warn: () => undefined },
    });
    await runner.trigger({ runId: 1, kind: 'build', pipeline: 'sleepy', ref: 'main', params: {} });
    await runner.trigger({ runId: 2, kind: 'build', pipeline: 'short', ref: 'main', params: {} });
    await waitFor(() => log.of(1).some((e) => e.type === 'step.started'));
    assert.equal(throwing, 1, 'a throwing sink does not stop the run');
    const t0 = Date.now();
    await runner.close?.();
    assert.ok(Date.now() - t0 < 25_000);
    assert.deepEqual(runner.active(), []);
    const count = log.events.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(log.events.length, count);
    assert.equal(
      log.events.some((e) => e.type === 'run.finished' || e.runId === 2),
      false,
    );
    await assert.rejects(
      runner.trigger({ runId: 3, kind: 'build', pipeline: 'short', ref: 'main', params: {} }),
    );
    assert.ok(!existsSync(path.join(config.paths.workspaces, 'run-1')), 'workspace removed');
  });
});
