import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { traceTail } from '../../../src/ci/gitlab/log-tail.ts';
import { GitlabPayloadError, handledEvent, parseGitlabEvent } from '../../../src/ci/gitlab/parse.ts';
import { deploymentFixture, jobFixture, pipelineFixture } from './payloads.ts';

const parse = (name: string, body: unknown) => parseGitlabEvent(name, JSON.stringify(body));

describe('GitLab payloads, from the documented examples', () => {
  it('reads a Pipeline Hook: project, pipeline, commit, actor, jobs in stage order', () => {
    const event = parse('Pipeline Hook', pipelineFixture());
    assert.equal(event.type, 'pipeline');
    if (event.type !== 'pipeline') return;
    assert.deepEqual(event.project, {
      id: 1,
      path: 'gitlab-org/gitlab-test',
      webUrl: 'https://gitlab.example.com/gitlab-org/gitlab-test',
    });
    assert.equal(event.pipelineId, 31);
    assert.equal(event.ref, 'master');
    assert.equal(event.status, 'success');
    assert.equal(event.durationMs, 63_000);
    assert.equal(event.url, 'https://gitlab.example.com/gitlab-org/gitlab-test/-/pipelines/31');
    assert.deepEqual(event.commit, {
      sha: 'bcbb5ec396a2c0f828686f14fac9b80b780504f2',
      message: 'test\n',
      author: 'User',
      authorEmail: 'user@example.com',
    });
    assert.deepEqual(event.actor, { login: 'root', email: 'user_email@example.com' });
    // GitLab lists builds newest first, across stages; steps follow the stages.
    assert.deepEqual(
      event.builds.map((b) => `${b.stage}/${b.name}:${b.status}`),
      [
        'build/build-image:success',
        'test/test-image:success',
        'test/test-build:failed',
        'deploy/staging:created',
        'deploy/production:skipped',
      ],
    );
    const failed = event.builds.find((b) => b.name === 'test-build');
    assert.equal(failed?.failureReason, 'script_failure');
    assert.equal(failed?.durationMs, 17_000);
    assert.equal(event.builds.find((b) => b.name === 'staging')?.environment, 'staging');
  });

  it('keeps the latest attempt of a retried job, where the first attempt stood', () => {
    const body = pipelineFixture();
    const builds = body.builds as Record<string, unknown>[];
    builds.push({ ...builds[2], id: 390, status: 'running', failure_reason: null });
    const event = parse('Pipeline Hook', body);
    if (event.type !== 'pipeline') throw new Error('not a pipeline');
    const retried = event.builds.filter((b) => b.name === 'test-build');
    assert.deepEqual(
      retried.map((b) => [b.id, b.status]),
      [[390, 'running']],
    );
    assert.equal(event.builds.indexOf(retried[0] as (typeof event.builds)[number]), 2);
  });

  it("reads a Job Hook, whose commit.id is the pipeline's id and commit.status the pipeline's status", () => {
    const event = parse('Job Hook', jobFixture());
    assert.equal(event.type, 'job');
    if (event.type !== 'job') return;
    assert.equal(event.pipelineId, 2366);
    assert.equal(event.pipelineStatus, 'created');
    assert.deepEqual(event.build, {
      id: 1977,
      name: 'test',
      stage: 'test',
      status: 'created',
      allowFailure: false,
      failureReason: 'script_failure',
      durationMs: undefined,
      environment: undefined,
    });
    assert.equal(event.commit?.sha, '2293ada6b400935a1378653304eaf6221e0fdb8f');
    assert.equal(event.commit?.authorEmail, 'user@example.com');
    assert.equal(event.project.path, 'gitlab-org/gitlab-test');
  });

  it('reads a Deployment Hook: status, environment and the job that deployed', () => {
    const event = parse('Deployment Hook', deploymentFixture());
    assert.deepEqual(event, {
      type: 'deployment',
      project: {
        id: 30,
        path: 'root/test-deployment-webhooks',
        webUrl: 'https://gitlab.example.com/root/test-deployment-webhooks',
      },
      status: 'success',
      environment: 'staging',
      jobId: 796,
      actor: { login: 'root', email: 'admin@example.com' },
    });
  });

  it('drops e-mail addresses GitLab redacts', () => {
    const body = pipelineFixture();
    (body.user as Record<string, unknown>).email = '[REDACTED]';
    const event = parse('Pipeline Hook', body);
    assert.deepEqual(event.actor, { login: 'root', email: undefined });
  });

  const malformed: [string, string, string][] = [
    ['not JSON', 'Pipeline Hook', '{"object_kind":'],
    ['not an object', 'Pipeline Hook', '[1,2]'],
    ['the wrong object_kind for the event', 'Pipeline Hook', JSON.stringify(jobFixture())],
    [
      'no pipeline id',
      'Pipeline Hook',
      JSON.stringify({ ...pipelineFixture(), object_attributes: { ref: 'main' } }),
    ],
    ['no project', 'Job Hook', JSON.stringify({ ...jobFixture(), project: null, project_id: null })],
    ['no build name', 'Job Hook', JSON.stringify({ ...jobFixture(), build_name: 7 })],
    ['no environment', 'Deployment Hook', JSON.stringify({ ...deploymentFixture(), environment: null })],
  ];
  for (const [what, name, raw] of malformed) {
    it(`refuses a payload with ${what}`, () => {
      assert.throws(() => parseGitlabEvent(name, raw), GitlabPayloadError);
    });
  }

  it('reads only the events it uses', () => {
    assert.equal(handledEvent('Pipeline Hook'), true);
    assert.equal(handledEvent('Job Hook'), true);
    assert.equal(handledEvent('Deployment Hook'), true);
    assert.equal(handledEvent('Push Hook'), false);
    assert.equal(handledEvent(undefined), false);
  });
});

describe('GitLab job log tails', () => {
  it('strips section markers, colours and overwritten progress, and keeps the end', () => {
    const trace = [
      '\u001b[0Ksection_start:1700000000:prepare_script\r\u001b[0K\u001b[0K\u001b[36;1mPreparing environment\u001b[0;m',
      'Running on runner-abc',
      '\u001b[0Ksection_end:1700000001:prepare_script\r\u001b[0K',
      'Downloading 10%\rDownloading 50%\rDownloading 100%',
      ...Array.from({ length: 300 }, (_, i) => `line ${i}`),
      '\u001b[31;1mERROR: Job failed: exit code 1\u001b[0;m',
      '',
    ].join('\n');
    const tail = traceTail(trace);
    const lines = tail.split('\n');
    assert.equal(lines.length, 200);
    assert.equal(lines.at(-1), 'ERROR: Job failed: exit code 1');
    assert.ok(!tail.includes('\u001b'), 'no escape codes');
    const short = traceTail(trace.split('\n').slice(0, 4).join('\n'));
    assert.deepEqual(short.split('\n'), [
      'Preparing environment',
      'Running on runner-abc',
      '',
      'Downloading 100%',
    ]);
  });

  it('bounds a log of one enormous line', () => {
    assert.equal(traceTail('x'.repeat(1_000_000)).length, 16 * 1024);
  });
});
