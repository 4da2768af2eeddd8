/**
 * A deploy made on GitHub without deckhand (GitHub's own `deployment_status` and `workflow_run`
 * webhooks, real examples from @octokit/webhooks-examples): recorded, the configured channel told
 * once, `/ci envs` marking the environment.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { githubAdapterFactory, signGithubPayload } from '../../../src/ci/github/index.ts';
import { githubSystem } from '../../../src/ci/github/module.ts';
import { example, githubYaml, inApp, startAppFake, webhookSecret } from '../../ci/github/helpers.ts';
import type { GithubFake } from '../../fakes/github-api.ts';
import { ciWith, withModules } from '../../helpers/modules.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { startTestDeckhand } from '../../helpers/test-deckhand.ts';

const yaml = `${githubYaml.replace('  security: {}\n', '  security: {}\n  ops: {}\n')}deployments:\n  outsideChannel: ops\n`;

describe('a deploy made on GitHub without deckhand', () => {
  let fake: GithubFake;
  let t: Awaited<ReturnType<typeof startTestDeckhand>>;
  let deliveries = 0;
  const webhook = async (event: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    return t.app.inject({
      method: 'POST',
      url: '/webhooks/github',
      payload: body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': `outside-${++deliveries}`,
        'x-hub-signature-256': await signGithubPayload(webhookSecret, body),
      },
    });
  };
  before(async () => {
    fake = await startAppFake();
    t = await startTestDeckhand({
      yaml,
      env: { GITHUB_API_URL: fake.url, GITHUB_TOKEN: 'ghp_test', GITHUB_WEBHOOK_SECRET: webhookSecret },
      modules: withModules({
        ci: [ciWith(githubSystem, githubAdapterFactory({ findRun: { attempts: 5, intervalMs: 20 } }))],
      }),
      timeoutMs: 15_000,
    });
  });
  after(async () => {
    await t.deckhand.close();
    await fake.close();
  });

  it('is recorded, told to the configured channel once, and marked in /ci envs', async () => {
    const repo = fake.repos.get('org/app');
    const workflow = repo?.workflows.get('deploy.yml');
    assert.ok(repo && workflow);
    // Someone ran the deploy workflow on GitHub by hand: GitHub knows the run, deckhand does not.
    const id = 990_001;
    fake.runs.push({
      id,
      repo: 'org/app',
      path: '.github/workflows/deploy.yml',
      workflow_id: workflow.id,
      head_branch: 'v1.1.0',
      head_sha: repo.tags.get('v1.1.0') as string,
      event: 'workflow_dispatch',
      status: 'in_progress',
      conclusion: null,
      created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      html_url: `https://github.example.com/org/app/actions/runs/${id}`,
      jobs: [],
    });
    const status = inApp(example('deployment_status', (e) => !!e.workflow_run));
    Object.assign(status.workflow_run, { id, workflow_id: workflow.id, head_branch: 'v1.1.0' });
    status.deployment_status.environment = 'production';
    status.deployment_status.state = 'in_progress';
    delete status.deployment.payload;
    assert.equal((await webhook('deployment_status', status)).statusCode, 202);
    const notice = await t.waitFor('ops', /Changed outside deckhand: production/);
    assert.match(notice.text, /github is deploying `v1\.1\.0` to `production` \(run #\d+\)/);
    // GitHub delivers the state again (a retry with a new delivery id): nobody is told twice.
    assert.equal((await webhook('deployment_status', status)).statusCode, 202);
    const done = inApp(
      example('workflow_run', (e) => (e.workflow_run as { conclusion?: string })?.conclusion === 'success'),
    );
    Object.assign(done.workflow_run, {
      id,
      path: '.github/workflows/deploy.yml',
      workflow_id: workflow.id,
      head_branch: 'v1.1.0',
      head_sha: repo.tags.get('v1.1.0'),
      status: 'completed',
      conclusion: 'success',
    });
    done.action = 'completed';
    assert.equal((await webhook('workflow_run', done)).statusCode, 202);
    await t.deckhand.handled();
    await eventually(
      async () => (await t.deckhand.stores.deployments.current('production'))?.version === 'v1.1.0',
      'the outside deploy is live in production',
    );
    await t.say('/ci envs');
    const envs = await t.waitFor('general', /changed outside deckhand: github deployed `v1\.1\.0`/);
    assert.match(envs.text, /production: `v1\.1\.0`.* via github/);
    const told = (await t.messages('ops')).filter((m) =>
      /Changed outside deckhand/.test(m.text + (m.blocks?.header ?? '')),
    );
    assert.equal(told.length, 1, 'told once');
  });
});
