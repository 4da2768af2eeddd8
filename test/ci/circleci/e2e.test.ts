import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signCircleciBody } from '../../../src/ci/circleci/verify.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { startCircleciDeckhand } from './deckhand-harness.ts';
import { token } from './fixtures.ts';
import { jobCompleted, workflowCompleted } from './payloads.ts';

type Started = Awaited<ReturnType<typeof startCircleciDeckhand>>;

describe('CircleCI end to end: web chat → deckhand → CircleCI fake → signed webhooks → run card', () => {
  let s: Started;
  let origin: string;
  before(async () => {
    s = await startCircleciDeckhand();
    origin = new URL(s.fake.url).origin;
    s.fake.addPipeline('gh/org/app', { branch: 'release/1.0' });
    s.fake.addPipeline('gh/org/app', { branch: 'develop' }); // the newest comes first
  });
  after(() => s.close());

  const triggerBody = () =>
    s.fake.calls.filter((c) => c.method === 'POST' && c.rawPath.endsWith('/pipeline')).at(-1)?.body;

  it('answers an unknown branch with the branches CircleCI has seen', async () => {
    await s.say('/ci build feature-x');
    await s.waitFor(
      'general',
      /Branch 'feature-x' not found\. Available branches: main, develop, release\/1\.0\./,
    );
    assert.equal(triggerBody(), undefined, 'nothing was triggered');
  });

  it('/ci build main triggers with the mapped parameters; webhooks carry the card to succeeded', async () => {
    await s.say('/ci build main');
    const reply = await s.waitFor('general', /Build of `main` triggered by @Alice — run #\d+/);
    const runId = /run #(\d+)/.exec(reply.text)?.[1];
    assert.deepEqual(triggerBody(), { branch: 'main', parameters: { deckhand_run: runId } });
    const pipeline = s.fake.pipelines.at(-1);
    const id = pipeline?.id as string;
    await s.waitFor('ci-builds', new RegExp(`Build #${runId} queued`));

    s.fake.setJob(id, 'build', 'success');
    assert.equal((await s.deliver(jobCompleted(s.fake, id, 'build'))).statusCode, 202);
    await s.waitFor('ci-builds', new RegExp(`Build #${runId} running`));
    s.fake.setJob(id, 'test', 'success');
    assert.equal((await s.deliver(jobCompleted(s.fake, id, 'test'))).statusCode, 202);
    assert.equal((await s.deliver(workflowCompleted(s.fake, id))).statusCode, 202);

    const card = await s.waitFor('ci-builds', new RegExp(`Build #${runId} succeeded`));
    assert.match(card.text, /Branch: main/);
    assert.match(card.text, /Triggered by: @Alice/);
    assert.ok(
      card.text.includes(`${origin}/pipelines/github/org/app/${pipeline?.number}`),
      'links the pipeline',
    );
    assert.match(card.text, /Tune the cache/);
    await s.waitFor('general', new RegExp(`run #${runId} succeeded`));
  });

  it('/ci deploy staging v1.1.0 runs the tag; a failed job is named with its step, log and author', async () => {
    await s.say('/ci deploy staging v1.1.0');
    const reply = await s.waitFor(
      'general',
      /Deploy of `v1\.1\.0` to `staging` triggered by @Alice — run #\d+/,
    );
    const runId = /run #(\d+)/.exec(reply.text)?.[1];
    assert.deepEqual(triggerBody(), {
      tag: 'v1.1.0',
      parameters: {
        deploy_env: 'staging',
        deploy_version: 'v1.1.0',
        requested_by: 'alice',
        action: 'deploy',
      },
    });
    const id = s.fake.pipelines.at(-1)?.id as string;

    s.fake.setJob(id, 'build', 'success');
    await s.deliver(jobCompleted(s.fake, id, 'build'));
    const log = `${'yarn test\n'.repeat(60)}FAIL src/cart.test.js\n  ✕ adds an item (12 ms)\nTests: 1 failed, 41 passed\n`;
    const job = s.fake.setJob(id, 'test', 'failed', { failedStep: 'Run tests', output: log });
    await s.deliver(jobCompleted(s.fake, id, 'test'));
    const completed = workflowCompleted(s.fake, id);
    assert.equal(completed.workflow.status, 'failed');
    assert.equal((await s.deliver(completed)).statusCode, 202);

    const card = await s.waitFor('deployments', new RegExp(`Deploy #${runId} to staging failed`));
    assert.match(card.text, /Version: v1\.1\.0/);
    assert.match(card.text, /Job 'test' failed at step 'Run tests'\./);
    assert.match(card.text, /Commit author: @Alice/);
    assert.deepEqual(
      card.actions.map((a) => a.label),
      ['Run again'],
    );
    const tail = await s.waitFor('deployments', /Last lines of `test`/, { thread: card.id });
    assert.match(
      tail.text,
      /FAIL src\/cart\.test\.js\n {2}✕ adds an item \(12 ms\)\nTests: 1 failed, 41 passed/,
    );
    assert.ok(tail.text.split('\n').length < 40, 'only the last lines');
    const jobPage = `/workflows/${s.fake.workflowOf(id, 'test').id}/jobs/${job.job_number}`;
    assert.ok(tail.text.includes(jobPage), 'links the full log on CircleCI');
    await s.waitFor('general', new RegExp(`run #${runId} failed.*Job 'test' failed at step 'Run tests'\\.`));

    const forged = await s.deliver(completed, {
      signature: `v1=${signCircleciBody('not-the-secret', JSON.stringify(completed))}`,
    });
    assert.equal(forged.statusCode, 401);
    const duplicate = await s.deliver(completed);
    assert.equal(duplicate.statusCode, 200);
    assert.deepEqual(duplicate.json(), { ignored: 'duplicate delivery' });
  });

  it('a refused token is the reply, and the audit says error', async () => {
    s.fake.tokens = ['someone-elses-token'];
    try {
      await s.say('/ci build main');
      await s.waitFor('general', /^CircleCI answered 401 Unauthorized: check CIRCLECI_TOKEN\.$/);
      await s.say('/ci deploy staging v1.2.0');
      await s.waitFor(
        'general',
        /Deploy of `v1\.2\.0` to `staging`.*failed.*CircleCI answered 401 Unauthorized/,
      );
      const audit = await s.deckhand.stores.audit.recent(10);
      const build = audit.find(
        (e) => e.kind === 'command' && e.text === '/ci build main' && e.outcome?.includes('401'),
      );
      assert.equal(build?.outcome, 'error: CircleCI answered 401 Unauthorized: check CIRCLECI_TOKEN.');
      assert.ok(!JSON.stringify(audit).includes(token), 'no token in the audit log');
    } finally {
      s.fake.tokens = [token];
    }
  });

  it('an unreachable CircleCI is the reply, naming the address and the setting', async () => {
    await s.fake.close();
    await s.say('/ci build main');
    const reply = await s.waitFor('general', /Could not reach CircleCI/);
    assert.match(
      reply.text,
      new RegExp(
        `^Could not reach CircleCI at ${s.fake.url} \\((ECONNREFUSED|connection closed)\\): check CIRCLECI_API_URL\\.$`,
      ),
    );
    // The run's failure can reach the chat before the command's audit entry is committed.
    await eventually(async () => {
      const [entry] = await s.deckhand.stores.audit.recent(1);
      return entry?.outcome === `error: ${reply.text}`;
    }, 'the audit entry');
  });
});
