import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotificationError, parseNotification } from '../../../src/ci/jenkins/notification.ts';
import { logReason, runStatus, stageStatus } from '../../../src/ci/jenkins/parse.ts';
import {
  branchItemName,
  branchOfItemName,
  buildId,
  fullNameFromUrl,
  jobUrlPath,
  parseBuildId,
} from '../../../src/ci/jenkins/paths.ts';
import { mapParameters, plainBranch } from '../../../src/ci/jenkins/pipelines.ts';
import { pollIntervalMs } from '../../../src/ci/jenkins/settings.ts';
import { verifyJenkinsToken } from '../../../src/ci/jenkins/verify.ts';
import { notification } from './jenkins-deckhand.ts';

describe('Jenkins paths', () => {
  it('names branch jobs as the Branch API does, and reads them back', () => {
    const table: [string, string][] = [
      ['main', 'main'],
      ['feature/x', 'feature%2Fx'],
      ['100%', '100%25'],
      ['a#b?c', 'a%23b%3Fc'],
      ['[x]\\y', '%5Bx%5D%5Cy'],
      ['ünï/cödé', 'ünï%2Fcödé'],
      ['a=b;rm -rf $HOME', 'a=b;rm -rf $HOME'],
      ['.', '%2E'],
      ['..', '%2E.'],
    ];
    for (const [branch, item] of table) {
      assert.equal(branchItemName(branch), item, branch);
      assert.equal(branchOfItemName(item), branch, item);
    }
  });

  it('encodes every item name as one path segment, so nothing user-supplied changes the path', () => {
    const table: [string, string][] = [
      ['app', '/job/app'],
      ['folder/app', '/job/folder/job/app'],
      ['multi/feature%2Fx', '/job/multi/job/feature%252Fx'],
      ['multi/%2E.', '/job/multi/job/%252E.'],
      ['team a/app ü', '/job/team%20a/job/app%20%C3%BC'],
      ['multi/x?y=1&z#f', '/job/multi/job/x%3Fy%3D1%26z%23f'],
    ];
    for (const [job, path] of table) {
      assert.equal(jobUrlPath(job), path, job);
      assert.equal(fullNameFromUrl(`https://ci.example.com/jenkins${path}/12/`), job, path);
    }
    assert.equal(fullNameFromUrl('job/folder/job/app/'), 'folder/app');
    assert.equal(fullNameFromUrl('https://ci.example.com/'), undefined);
  });

  it('build ids round-trip; anything else is not one', () => {
    assert.equal(buildId('multi/feature%2Fx', 12), 'multi/feature%2Fx#12');
    assert.deepEqual(parseBuildId('multi/feature%2Fx#12'), { job: 'multi/feature%2Fx', number: 12 });
    for (const bad of ['app', 'app#', '#3', 'app#queue-5', 'app#0', 'app#1.5'])
      assert.equal(parseBuildId(bad), undefined, bad);
  });
});

describe('Jenkins webhook token', () => {
  it('accepts the right token in the header or the query, nothing else', () => {
    const expected = 'hook-secret-5678';
    const table: [string | undefined, string | undefined, string | undefined, boolean][] = [
      [expected, expected, undefined, true],
      [expected, undefined, expected, true],
      [expected, 'wrong', expected, false],
      [expected, undefined, undefined, false],
      [expected, `${expected} `, undefined, false],
      [expected, expected.toUpperCase(), undefined, false],
      [undefined, 'anything', undefined, false],
      ['', '', undefined, false],
    ];
    for (const [exp, header, query, ok] of table) {
      assert.equal(
        verifyJenkinsToken({ expected: exp, header, query }).ok,
        ok,
        JSON.stringify([exp, header, query]),
      );
    }
  });
});

describe('Jenkins results and events', () => {
  it('maps build results and stage statuses', () => {
    assert.equal(runStatus(null), 'running');
    assert.equal(runStatus('SUCCESS', true), 'running');
    assert.equal(runStatus('SUCCESS'), 'succeeded');
    assert.equal(runStatus('UNSTABLE'), 'failed');
    assert.equal(runStatus('FAILURE'), 'failed');
    assert.equal(runStatus('ABORTED'), 'cancelled');
    assert.equal(runStatus('NOT_BUILT'), 'cancelled');
    assert.equal(stageStatus('IN_PROGRESS'), 'running');
    assert.equal(stageStatus('PAUSED_PENDING_INPUT'), 'running');
    assert.equal(stageStatus('NOT_EXECUTED'), 'queued');
    assert.equal(stageStatus('FAILED'), 'failed');
  });

  it('reads why a build failed from its log: the build step, else the last stage', () => {
    assert.equal(
      logReason(
        'deploy',
        3,
        "+ make\nBuild step 'Execute shell' marked build as failure\nFinished: FAILURE",
        false,
      ),
      "Jenkins job 'deploy' #3 failed at build step 'Execute shell'.",
    );
    assert.equal(
      logReason('app/main', 4, '[Pipeline] { (Build)\n[Pipeline] { (Test)\nERROR: boom', false),
      "Jenkins job 'app/main' #4 failed in stage 'Test'.",
    );
    assert.equal(
      logReason('x', 5, '', true),
      "Jenkins job 'x' #5 finished unstable (usually failing tests).",
    );
  });

  it('maps parameters: each deckhand value, literals, and nothing for values a run does not have', () => {
    const spec = {
      runId: 12,
      kind: 'deploy' as const,
      pipeline: 'p',
      ref: 'v1.0',
      params: { version: 'v1.0', environment: 'staging', requested_by: 'alice' },
    };
    const mapping = {
      V: 'version',
      E: 'environment',
      B: 'branch',
      R: 'ref',
      ID: 'run_id',
      WHO: 'requested_by',
      S: 'suite',
      L: '=a b&c',
    };
    assert.deepEqual(mapParameters(mapping, spec), {
      V: 'v1.0',
      E: 'staging',
      B: 'v1.0',
      R: 'v1.0',
      ID: '12',
      WHO: 'alice',
      L: 'a b&c',
    });
    assert.equal(plainBranch('origin/release/1.0'), 'release/1.0');
    assert.equal(plainBranch('refs/heads/main'), 'main');
  });

  it('parses Notification plugin payloads and names what is missing', () => {
    const n = parseNotification(notification('apps/app/feature%2Fx', 7, 'COMPLETED', 'FAILURE'));
    assert.equal(n.job, 'apps/app/feature%2Fx');
    assert.equal(n.number, 7);
    assert.equal(n.phase, 'COMPLETED');
    assert.equal(n.status, 'FAILURE');
    for (const bad of [
      null,
      [],
      {},
      { build: {} },
      { url: 'job/a/', build: { number: 1, phase: 'NONE' } },
      { build: { number: 1, phase: 'STARTED' } },
    ]) {
      assert.throws(() => parseNotification(bad), NotificationError, JSON.stringify(bad));
    }
  });

  it('reads pollInterval as milliseconds or a duration', () => {
    assert.equal(pollIntervalMs(undefined), 10_000);
    assert.equal(pollIntervalMs(250), 250);
    assert.equal(pollIntervalMs('30s'), 30_000);
    assert.equal(pollIntervalMs('25ms'), 25);
    assert.equal(pollIntervalMs('soon'), 10_000);
  });
});
