import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jobLogTail } from '../../../src/ci/github/log-tail.ts';
import { parseGithubEvent, type RunEvent } from '../../../src/ci/github/parse.ts';
import { failureReason, jobStep, runStatus } from '../../../src/ci/github/status.ts';
import { example, inApp } from './examples.ts';

const at = new Date('2026-01-05T10:00:00Z');
const asRun = (event: ReturnType<typeof parseGithubEvent>): RunEvent => {
  assert.equal(event.kind, 'run', JSON.stringify(event));
  return event as RunEvent;
};

describe('GitHub payloads and states', () => {
  it('maps every conclusion GitHub documents', () => {
    const table: [string | null, string][] = [
      ['success', 'succeeded'],
      ['neutral', 'succeeded'],
      ['failure', 'failed'],
      ['timed_out', 'failed'],
      ['startup_failure', 'failed'],
      ['action_required', 'failed'],
      ['cancelled', 'cancelled'],
      ['skipped', 'cancelled'],
      ['stale', 'cancelled'],
    ];
    for (const [conclusion, status] of table)
      assert.equal(runStatus('completed', conclusion), status, String(conclusion));
    assert.equal(runStatus('in_progress'), 'running');
    for (const waiting of ['queued', 'requested', 'waiting', 'pending'])
      assert.equal(runStatus(waiting), 'queued');
  });

  it('reads a real workflow_run payload: run id, branch, commit author, URL, duration', () => {
    const payload = example('workflow_run', (e) => e.workflow_run?.conclusion === 'success');
    const event = asRun(parseGithubEvent('workflow_run', payload, at));
    assert.equal(event.repo, 'octo-org/octo-repo');
    assert.deepEqual(event.workflow, { path: '.github/workflows/test.yml', id: 2823525 });
    assert.deepEqual(event.details, { conclusion: 'success' });
    const { update } = event;
    assert.equal(update.externalId, '289782451');
    assert.equal(update.ref, 'master');
    assert.equal(update.status, 'succeeded');
    assert.equal(update.url, 'https://github.com/octo-org/octo-repo/actions/runs/289782451');
    assert.deepEqual(update.commit, {
      sha: '3484a3fb816e0859fd6e1cea078d76385ff50625',
      message: 'build(test): check workflow run event payload',
      author: 'Matthias Fax',
      authorEmail: 'matfax@users.noreply.github.com',
    });
    assert.deepEqual(update.actor, { login: 'Codertocat' });
    assert.equal(update.durationMs, 0);
    const requested = example('workflow_run', (e) => e.action === 'requested');
    assert.equal(asRun(parseGithubEvent('workflow_run', requested, at)).update.status, 'queued');
  });

  it('reads a real workflow_job payload as one step naming its failed step', () => {
    const payload = example('workflow_job', (e) => e.workflow_job?.conclusion === 'failure');
    const event = asRun(parseGithubEvent('workflow_job', payload, at));
    assert.equal(event.runId, '2202229078');
    assert.equal(event.update.status, 'running');
    assert.deepEqual(event.update.step, {
      index: 0,
      name: 'linters',
      status: 'failed',
      durationMs: 198_000,
      logTail: "Failed at step 'Run yarn run format-check'.",
    });
    const started = example('workflow_job', (e) => e.action === 'in_progress');
    assert.equal(asRun(parseGithubEvent('workflow_job', started, at)).update.step?.status, 'running');
    const queued = example('workflow_job', (e) => e.action === 'queued');
    assert.equal(asRun(parseGithubEvent('workflow_job', queued, at)).update.status, 'queued');
  });

  it('reads deployment_status: a workflow’s deployment updates its run; others are ignored', () => {
    const fromWorkflow = inApp(example('deployment_status', (e) => !!e.workflow_run));
    const event = asRun(parseGithubEvent('deployment_status', fromWorkflow, at));
    assert.deepEqual(
      [event.runId, event.update.kind, event.update.environment, event.update.status],
      ['289782451', 'deploy', 'github-pages', 'running'],
    );
    fromWorkflow.deployment_status.state = 'failure';
    const failed = asRun(parseGithubEvent('deployment_status', fromWorkflow, at));
    assert.equal(failed.update.status, 'failed');
    assert.equal(failed.details?.fallback, "The deployment to 'github-pages' failed.");
    const manual = example('deployment_status', (e) => !e.workflow_run);
    assert.equal(parseGithubEvent('deployment_status', manual, at).kind, 'ignored');
    fromWorkflow.deployment.payload = { deckhand_run_id: 3 };
    assert.equal(parseGithubEvent('deployment_status', fromWorkflow, at).kind, 'ignored', 'its own echo');
  });

  it('ignores check runs and other events; says what is missing in malformed ones', () => {
    assert.equal(parseGithubEvent('check_run', example('check_run'), at).kind, 'ignored');
    assert.equal(parseGithubEvent('push', {}, at).kind, 'ignored');
    assert.deepEqual(parseGithubEvent('workflow_run', { workflow_run: { id: 1 } }, at), {
      kind: 'invalid',
      reason: 'a workflow_run event needs repository.full_name',
    });
    assert.equal(parseGithubEvent('workflow_job', { repository: { full_name: 'o/r' } }, at).kind, 'invalid');
  });

  it('names the failed job and step, or says why there is none', () => {
    const failing = { id: 1, name: 'test', status: 'completed', conclusion: 'failure' };
    const steps = [
      { name: 'Set up job', status: 'completed', conclusion: 'success', number: 1 },
      { name: 'Run tests', status: 'completed', conclusion: 'failure', number: 2 },
    ];
    assert.equal(failureReason([{ ...failing, steps }], 'failure'), "Job 'test' failed at step 'Run tests'.");
    const timedOut = {
      ...failing,
      conclusion: 'timed_out',
      steps: [{ name: 'Deploy', status: 'completed', conclusion: 'cancelled', number: 3 }],
    };
    assert.equal(failureReason([timedOut], 'timed_out'), "Job 'test' timed out at step 'Deploy'.");
    assert.equal(failureReason([failing], 'failure'), "Job 'test' failed.");
    assert.match(failureReason([], 'startup_failure'), /could not start/);
    assert.equal(failureReason([], 'cancelled'), 'Cancelled on GitHub.');
    assert.equal(jobStep({ ...failing, steps }, 3).index, 3);
  });

  it('keeps the end of a job log up to its last error, without timestamps or colours', () => {
    const log = [
      '2026-01-05T10:00:00.1234567Z ##[group]Run npm test',
      '2026-01-05T10:00:00.2Z \u001b[31mFAIL\u001b[0m src/app.test.ts',
      '2026-01-05T10:00:00.3Z ##[endgroup]',
      '2026-01-05T10:00:01Z ##[error]Process completed with exit code 1.',
      '2026-01-05T10:00:02Z Post job cleanup.',
      '',
    ].join('\r\n');
    assert.equal(
      jobLogTail(log),
      'Run npm test\nFAIL src/app.test.ts\n##[error]Process completed with exit code 1.',
    );
    assert.equal(jobLogTail('a\nb\nc\n', 2), 'b\nc');
    assert.equal(jobLogTail('x'.repeat(10_000)).length, 8000);
  });
});
