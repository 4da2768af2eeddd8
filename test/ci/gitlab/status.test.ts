import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deploymentStatus,
  failureWords,
  followJob,
  gitlabStatus,
  jobFailure,
} from '../../../src/ci/gitlab/status.ts';
import type { RunStatus } from '../../../src/core/pipeline-events.ts';

describe('GitLab statuses', () => {
  const pipeline: [string, RunStatus][] = [
    ['created', 'queued'],
    ['waiting_for_resource', 'queued'],
    ['preparing', 'queued'],
    ['pending', 'queued'],
    ['scheduled', 'queued'],
    ['manual', 'queued'],
    ['running', 'running'],
    ['canceling', 'running'],
    ['success', 'succeeded'],
    ['failed', 'failed'],
    ['canceled', 'cancelled'],
    ['skipped', 'cancelled'],
    ['some_future_status', 'queued'],
  ];
  for (const [gitlab, deckhand] of pipeline) {
    it(`pipeline/job ${gitlab} → ${deckhand}`, () => assert.equal(gitlabStatus(gitlab), deckhand));
  }

  const deployment: [string, RunStatus][] = [
    ['created', 'queued'],
    ['blocked', 'queued'],
    ['running', 'running'],
    ['success', 'succeeded'],
    ['failed', 'failed'],
    ['canceled', 'cancelled'],
  ];
  for (const [gitlab, deckhand] of deployment) {
    it(`deployment ${gitlab} → ${deckhand}`, () => assert.equal(deploymentStatus(gitlab), deckhand));
  }

  it('words a failure reason, leaving out the meaningless unknown_failure', () => {
    assert.equal(failureWords('script_failure'), 'script failure');
    assert.equal(failureWords('runner_system_failure'), 'runner system failure');
    assert.equal(failureWords('unknown_failure'), undefined);
    assert.equal(failureWords(null), undefined);
    assert.equal(
      jobFailure({ name: 'rspec', stage: 'test', failureReason: 'job_execution_timeout' }),
      "Job 'rspec' failed at stage 'test': job execution timeout.",
    );
    assert.equal(jobFailure({ name: 'lint', stage: 'test' }), "Job 'lint' failed at stage 'test'.");
  });
});

describe('a run that follows its manual job', () => {
  const cases: [RunStatus, string | undefined, RunStatus, string][] = [
    ['succeeded', 'manual', 'running', 'the pipeline passed but the deploy job still waits for its play'],
    ['queued', 'created', 'queued', 'nothing has started'],
    ['running', 'created', 'running', 'earlier stages are running'],
    ['running', 'pending', 'running', 'played and waiting for a runner'],
    ['running', 'running', 'running', 'deploying'],
    ['running', 'success', 'succeeded', 'the job passed even while later jobs run'],
    ['running', 'failed', 'failed', 'the job failed'],
    ['running', 'canceled', 'cancelled', 'the job was cancelled'],
    ['failed', 'created', 'failed', 'an earlier stage failed'],
    ['failed', 'skipped', 'failed', 'an earlier stage failed and the job was skipped'],
    ['cancelled', 'manual', 'cancelled', 'the pipeline was cancelled'],
    ['succeeded', 'skipped', 'cancelled', 'the job was skipped in a passing pipeline'],
    ['succeeded', undefined, 'succeeded', 'the job is not in the pipeline: the pipeline decides'],
  ];
  for (const [pipeline, job, expected, what] of cases) {
    it(`${what} → ${expected}`, () => {
      assert.equal(followJob(pipeline, job === undefined ? undefined : { status: job }), expected);
    });
  }
});
