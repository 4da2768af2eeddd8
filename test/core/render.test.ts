import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toPlainText } from '../../src/core/messages.ts';
import { replyMessage, runMessage, stepMessage } from '../../src/core/notify/run-message.ts';
import type { RunRecord } from '../../src/core/store.ts';

const ctx = {
  mention: (id: string) => `@${id[0]?.toUpperCase()}${id.slice(1)}`,
  logUrl: (id: number) => `http://x/runs/${id}/log`,
};

function run(over: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 12,
    kind: 'build',
    pipeline: 'build',
    provider: 'local',
    ref: 'main',
    params: {},
    status: 'queued',
    requestedBy: 'alice',
    source: { platform: 'webchat', channel: 'general' },
    steps: [],
    actions: [],
    createdAt: new Date(0),
    ...over,
  };
}

describe('run messages', () => {
  it('a queued build names branch, requester, run and offers Cancel', () => {
    const m = runMessage(run(), ctx);
    assert.equal(m.header, 'Build #12 queued');
    assert.equal(m.status, 'queued');
    assert.deepEqual(m.buttons, [{ id: 'cancel:12', label: 'Cancel', style: 'danger' }]);
    const text = toPlainText(m);
    assert.match(text, /Branch: main/);
    assert.match(text, /Triggered by: @Alice/);
    assert.match(text, /Log: http:\/\/x\/runs\/12\/log/);
  });

  it('a running build shows the current step of all steps', () => {
    const m = runMessage(
      run({
        status: 'running',
        commit: { sha: 'abcdef1234567', message: 'Fix login\n\nlong body' },
        steps: [
          { index: 0, name: 'install', status: 'succeeded' },
          { index: 1, name: 'compile', status: 'running' },
          { index: 2, name: 'package', status: 'queued' },
        ],
      }),
      ctx,
    );
    assert.match(m.text ?? '', /^Fix login\nStep 2\/3: compile…$/);
    assert.ok(m.fields?.some((f) => f.label === 'Commit' && f.value === 'abcdef1'));
  });

  it('a failed test run lists failed tests, the reason, and offers Run again', () => {
    const m = runMessage(
      run({
        kind: 'test',
        suite: 'integration',
        ref: 'develop',
        status: 'failed',
        reason: "Step 'test' exited with code 1.",
        durationMs: 2500,
        tests: {
          total: 3,
          failed: 1,
          skipped: 0,
          failures: [{ suite: 'integration', name: 'checkout flow', message: 'boom' }],
        },
      }),
      ctx,
    );
    const text = toPlainText(m);
    assert.match(text, /❌ Test #12 \(integration\) failed/);
    assert.match(text, /Failed tests \(1 of 3\):\n• integration › checkout flow/);
    assert.match(text, /exited with code 1/);
    assert.match(text, /Duration: 2\.5s/);
    assert.deepEqual(
      m.buttons?.map((b) => b.id),
      ['rerun:12'],
    );
  });

  it('a deploy shows environment and version, not a branch', () => {
    const m = runMessage(
      run({ kind: 'deploy', environment: 'staging', version: 'v1.2.0', ref: 'v1.2.0', status: 'succeeded' }),
      ctx,
    );
    assert.equal(m.header, 'Deploy #12 to staging succeeded');
    assert.deepEqual(m.fields?.slice(0, 2), [
      { label: 'Environment', value: 'staging' },
      { label: 'Version', value: 'v1.2.0' },
    ]);
    assert.equal(m.buttons, undefined);
  });

  it('step messages carry the log tail only when the step failed', () => {
    const ok = stepMessage(run(), {
      index: 0,
      name: 'install',
      status: 'succeeded',
      durationMs: 1200,
      logTail: 'fine',
    });
    assert.equal(ok.header, 'Step 1: install succeeded in 1.2s');
    assert.equal(ok.text, undefined);
    const bad = stepMessage(run(), {
      index: 1,
      name: 'test',
      status: 'failed',
      exitCode: 1,
      logTail: 'E: boom',
    });
    assert.equal(bad.header, 'Step 2: test failed (exit 1)');
    assert.match(bad.text ?? '', /E: boom/);
  });

  it('the requester reply says what was triggered, then how it ended', () => {
    assert.equal(replyMessage(run(), ctx).text, 'Build of `main` triggered by @Alice — run #12');
    const done = replyMessage(run({ status: 'failed', durationMs: 61_000, reason: 'Timed out.' }), ctx);
    assert.equal(done.text, 'Build of `main` triggered by @Alice — run #12 failed in 1m 1s. Timed out.');
    const rb = replyMessage(run({ kind: 'rollback', environment: 'staging', version: 'v1.0.0' }), ctx);
    assert.equal(rb.text, 'Rollback of `staging` to `v1.0.0` triggered by @Alice — run #12');
  });
});
