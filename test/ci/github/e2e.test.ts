import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeJob } from '../../fakes/github-api.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { example, inApp, startGithubDeckhand } from './helpers.ts';

type Github = Awaited<ReturnType<typeof startGithubDeckhand>>;

/** A workflow_run payload (a real example) for one run of the fake. */
function workflowRun(
  g: Github,
  runId: number,
  action: 'requested' | 'in_progress' | 'completed',
  conclusion?: string,
) {
  const run = g.fake.run(runId);
  assert.ok(run, `the fake knows run ${runId}`);
  const payload = inApp(
    example('workflow_run', (e) => (e.workflow_run as { conclusion?: string })?.conclusion === 'success'),
  );
  Object.assign(payload.workflow_run, {
    id: runId,
    path: run.path,
    workflow_id: run.workflow_id,
    head_branch: run.head_branch,
    head_sha: run.head_sha,
    html_url: run.html_url,
    status: action === 'completed' ? 'completed' : action === 'requested' ? 'queued' : 'in_progress',
    conclusion: conclusion ?? null,
  });
  payload.action = action;
  payload.workflow_run.head_commit = {
    ...payload.workflow_run.head_commit,
    id: run.head_sha,
    message: 'Tighten the format check',
    author: { name: 'Alice', email: 'alice@example.com' },
  };
  return payload;
}

describe('GitHub Actions, end to end: web chat → deckhand → fake GitHub → webhooks', () => {
  let g: Github;
  before(async () => {
    g = await startGithubDeckhand();
  });
  after(() => g.close());

  it('/ci build feature-x answers with the real branch list from GitHub', async () => {
    await g.say('/ci build feature-x');
    await g.waitFor(
      'general',
      /Branch 'feature-x' not found\. Available branches: main, develop, release\/1\.0\./,
    );
    assert.equal(g.fake.dispatches.length, 0);
  });

  it('/ci build main dispatches with the mapped inputs; webhooks drive the card to a failure with its log', async () => {
    await g.say('/ci build main');
    const reply = await g.waitFor('general', /Build of `main` triggered by @Alice — run #\d+/);
    const runId = Number(/run #(\d+)/.exec(reply.text)?.[1]);
    await eventually(() => g.fake.dispatches.length === 1, 'the dispatch');
    assert.deepEqual(g.fake.dispatches[0], {
      repo: 'org/app',
      workflow: 'build.yml',
      ref: 'main',
      inputs: { branch: 'main', requested_by: 'alice', deckhand_run: String(runId), channel: 'chat' },
    });
    const ghRun = g.fake.runs.at(-1);
    assert.ok(ghRun);
    await g.waitFor('ci-builds', new RegExp(`Build #${runId} queued`));

    // The job, as the REST API and the workflow_job webhook both describe it (a real example).
    const job = example(
      'workflow_job',
      (e) => (e.workflow_job as { conclusion?: string }).conclusion === 'failure',
    );
    inApp(job);
    Object.assign(job.workflow_job, {
      run_id: ghRun.id,
      id: 7002,
      head_branch: 'main',
      head_sha: ghRun.head_sha,
      html_url: `${ghRun.html_url}/job/7002`,
    });
    ghRun.jobs = [job.workflow_job as FakeJob];
    g.fake.logs.set(
      7002,
      [
        '2026-01-05T10:26:27.1Z ##[group]Run yarn run format-check',
        '2026-01-05T10:26:27.2Z yarn run v1.22.19',
        '2026-01-05T10:26:27.3Z src/index.ts: Code style issues found. Run Prettier with --write to fix.',
        '2026-01-05T10:26:27.4Z ##[error]Process completed with exit code 1.',
        '2026-01-05T10:26:28.0Z Post job cleanup.',
      ].join('\n'),
    );

    assert.equal((await g.webhook('workflow_run', workflowRun(g, ghRun.id, 'in_progress'))).statusCode, 202);
    await g.waitFor('ci-builds', new RegExp(`Build #${runId} running[\\s\\S]*Log: ${ghRun.html_url}`));
    assert.equal((await g.webhook('workflow_job', job)).statusCode, 202);
    const card0 = await g.waitFor('ci-builds', new RegExp(`Build #${runId}`));
    await g.waitFor('ci-builds', /Step 1: linters failed/, { thread: card0.id });
    assert.equal(
      (await g.webhook('workflow_run', workflowRun(g, ghRun.id, 'completed', 'failure'))).statusCode,
      202,
    );

    const card = await g.waitFor('ci-builds', new RegExp(`Build #${runId} failed`));
    assert.match(card.text, /Job 'linters' failed at step 'Run yarn run format-check'\./);
    assert.match(card.text, /Commit author: @Alice/);
    assert.match(card.text, /Tighten the format check/);
    const tail = await g.waitFor('ci-builds', /Last lines of `linters`/, { thread: card.id });
    assert.match(tail.text, /Code style issues found/);
    assert.match(tail.text, /##\[error\]Process completed with exit code 1\./);
    assert.doesNotMatch(
      tail.text,
      /Post job cleanup|2026-01-05T/,
      'timestamps and the clean-up after the error are cut',
    );
    assert.match(tail.text, new RegExp(`Full log: ${ghRun.html_url}/job/7002`));
    await g.waitFor('general', new RegExp(`run #${runId} failed.*Job 'linters' failed at step`));
    assert.ok(
      g.fake.calls.some((c) => c.url.startsWith('/_blobs/logs/7002') && c.status === 200),
      'the log was fetched by following the 302',
    );
  });

  it('a deploy records a GitHub deployment, in progress then success, with the run as its log', async () => {
    await g.say('/ci deploy staging v1.1.0', 'bob');
    const reply = await g.waitFor(
      'general',
      /Deploy of `v1\.1\.0` to `staging` triggered by @Bob — run #\d+/,
    );
    const runId = Number(/run #(\d+)/.exec(reply.text)?.[1]);
    await eventually(() => g.fake.deployments[0]?.statuses.length === 1, 'the deployment in progress');
    const ghRun = g.fake.runs.at(-1);
    assert.ok(ghRun);
    assert.deepEqual(g.fake.dispatches.at(-1), {
      repo: 'org/app',
      workflow: 'deploy.yml',
      ref: 'v1.1.0',
      inputs: { environment: 'staging', version: 'v1.1.0' },
    });
    const [deployment] = g.fake.deployments;
    assert.ok(deployment);
    assert.equal(deployment.ref, 'v1.1.0');
    assert.equal(deployment.environment, 'staging');
    assert.deepEqual(deployment.required_contexts, []);
    assert.equal(deployment.auto_merge, false);
    assert.deepEqual(deployment.payload, { deckhand_run_id: runId });
    assert.deepEqual(deployment.statuses[0], {
      state: 'in_progress',
      description: `Running (deckhand run #${runId})`,
      log_url: ghRun.html_url,
    });

    // GitHub's own deployment_status (a real example, from a workflow's environment job) names
    // only the workflow id: deckhand asks the API which workflow file the run belongs to.
    const status = inApp(example('deployment_status', (e) => !!e.workflow_run));
    Object.assign(status.workflow_run, {
      id: ghRun.id,
      workflow_id: ghRun.workflow_id,
      head_branch: 'v1.1.0',
    });
    status.deployment_status.environment = 'staging';
    assert.equal((await g.webhook('deployment_status', status)).statusCode, 202);
    await g.waitFor('deployments', new RegExp(`Deploy #${runId} to staging running`));
    assert.ok(
      g.fake.calls.some((c) => c.method === 'GET' && c.url === `/repos/org/app/actions/runs/${ghRun.id}`),
    );

    ghRun.jobs = [{ id: 8001, name: 'deploy', status: 'completed', conclusion: 'success', steps: [] }];
    await g.webhook('workflow_run', workflowRun(g, ghRun.id, 'completed', 'success'));
    await g.waitFor('deployments', new RegExp(`Deploy #${runId} to staging succeeded`));
    await eventually(() => deployment.statuses.length === 2, 'the final deployment status');
    assert.deepEqual(deployment.statuses[1], {
      state: 'success',
      description: 'Deployed',
      log_url: ghRun.html_url,
    });
  });

  it('the Cancel button cancels the workflow run on GitHub; its webhook ends the card', async () => {
    await g.say('/ci build develop');
    const reply = await g.waitFor('general', /Build of `develop` triggered by @Alice — run #\d+/);
    const runId = Number(/run #(\d+)/.exec(reply.text)?.[1]);
    const card = await g.waitFor('ci-builds', new RegExp(`Build #${runId} queued`));
    const ghRun = g.fake.runs.at(-1);
    assert.ok(ghRun);
    const click = await g.app.inject({
      method: 'POST',
      url: '/api/webchat/actions',
      payload: { messageId: card.id, actionId: `cancel:${runId}`, user: 'alice' },
    });
    assert.equal(click.statusCode, 202);
    await eventually(() => ghRun.conclusion === 'cancelled', 'the cancel request on GitHub');
    await g.webhook('workflow_run', workflowRun(g, ghRun.id, 'completed', 'cancelled'));
    const done = await g.waitFor('ci-builds', new RegExp(`Build #${runId} cancelled`));
    assert.match(done.text, /Cancelled on GitHub\./);
  });

  it('a high or critical security alert reaches the security channel; a medium one does not', async () => {
    const medium = inApp(example('dependabot_alert', (e) => e.action === 'created'));
    assert.equal((await g.webhook('dependabot_alert', medium)).statusCode, 202);
    const critical = inApp(example('dependabot_alert', (e) => e.action === 'created'));
    critical.alert.security_advisory.severity = 'critical';
    assert.equal((await g.webhook('dependabot_alert', critical)).statusCode, 202);
    const alert = await g.waitFor('security', /Security alert \(critical\): semver: semver vulnerable/);
    assert.match(alert.text, /Repository: org\/app/);
    assert.equal((await g.messages('security')).length, 1, 'only the critical alert was posted');
  });
});
