import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startJenkinsFake } from '../../fakes/jenkins-api.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { failingBuild, jenkinsWithJobs, notification, startJenkinsDeckhand } from './jenkins-deckhand.ts';

type Deckhand = Awaited<ReturnType<typeof startJenkinsDeckhand>>;

const runIdOf = (text: string) => Number(/run #(\d+)/.exec(text)?.[1]);

describe('Jenkins end to end: web chat → deckhand → Jenkins fake, followed by polling', () => {
  let d: Deckhand;
  before(async () => {
    d = await startJenkinsDeckhand();
  });
  after(() => d.close());

  it('answers an unknown branch with the branches of the multibranch project', async () => {
    await d.say('/ci build feature-x');
    await d.waitFor(
      'general',
      /Branch 'feature-x' not found\. Available branches: main, develop, release\/1\.0\./,
    );
    assert.ok(!d.fake.calls.some((c) => c.method === 'POST'), 'nothing was triggered');
  });

  it('/ci build main: queued → build #1 → polled to FAILURE; card names stage and step, log tail in its thread', async () => {
    d.fake.script('apps/app', failingBuild);
    await d.say('/ci build main');
    const reply = await d.waitFor('general', /Build of `main` triggered by @Alice — run #\d+ failed/);
    const runId = runIdOf(reply.text);
    assert.match(
      reply.text,
      /Stage 'Test' failed at step 'Shell Script' \(npm test\): script returned exit code 1\./,
    );

    const trigger = d.fake.calls.find((c) => c.method === 'POST' && c.url.endsWith('/buildWithParameters'));
    assert.equal(trigger?.url, '/job/apps/job/app/job/main/buildWithParameters');
    assert.deepEqual(trigger?.form, { REQUESTED_BY: 'alice', DECKHAND_RUN: String(runId) });
    assert.ok(
      d.fake.calls.filter((c) => c.url.startsWith('/queue/item/')).length >= 3,
      'the queue item was polled until it became a build',
    );

    const card = await d.waitFor('ci-builds', new RegExp(`Build #${runId} failed`));
    assert.match(card.text, /Commit: 3f2c1ab/);
    assert.match(card.text, /Speed up checkout/);
    assert.match(card.text, /Commit author: @Alice/);
    assert.ok(card.text.includes(`${d.fake.url}/job/apps/job/app/job/main/1/`), 'links the Jenkins build');
    assert.equal(card.blocks?.status, 'failed');

    const run = await d.deckhand.runs.get(runId);
    assert.equal(run?.externalId, 'apps/app/main#1');
    assert.deepEqual(
      run?.steps.map((s) => [s.name, s.status]),
      [
        ['Build', 'succeeded'],
        ['Test', 'failed'],
      ],
    );
    const tail = await d.waitFor('ci-builds', /Last lines of `Test`/, { thread: card.id });
    assert.match(tail.text, /not ok 3 - checkout flow/);
    assert.match(tail.text, /Finished: FAILURE/);
    assert.ok(tail.text.includes(`${d.fake.url}/job/apps/job/app/job/main/1/console`), 'links the full log');
    assert.ok(
      d.fake.calls.some((c) => c.url.includes('/logText/progressiveText?start=0')),
      'the log came through progressiveText',
    );
  });

  it('/ci deploy staging v1.2.0 on a freestyle job passes the values as parameters only', async () => {
    d.fake.script('apps/deploy', {
      result: 'SUCCESS',
      runningPolls: 1,
      log: ['deploying', 'Finished: SUCCESS'],
    });
    await d.say('/ci deploy staging v1.2.0');
    const reply = await d.waitFor(
      'general',
      /Deploy of `v1\.2\.0` to `staging` triggered by @Alice — run #\d+ succeeded/,
    );
    const trigger = d.fake.calls.find((c) => c.method === 'POST' && c.job === 'apps/deploy');
    assert.equal(trigger?.url, '/job/apps/job/deploy/buildWithParameters');
    assert.deepEqual(trigger?.form, { VERSION: 'v1.2.0', TARGET_ENV: 'staging' });
    await d.waitFor('deployments', new RegExp(`Deploy #${runIdOf(reply.text)} to staging succeeded`));
  });
});

describe('Jenkins end to end, finished by the Notification plugin', () => {
  let d: Deckhand;
  before(async () => {
    const fake = await jenkinsWithJobs();
    fake.queuePolls = 0;
    // Polling is slow here, so whatever finishes the run is the webhook.
    d = await startJenkinsDeckhand({ fake, pollInterval: '1h' });
  });
  after(async () => {
    await d.close();
    await d.fake.close();
  });

  it('STARTED then COMPLETED: the run ends failed with the stage, the log tail and the author', async () => {
    d.fake.script('apps/app', { ...failingBuild, hold: true });
    await d.say('/ci build main');
    const reply = await d.waitFor('general', /Build of `main` triggered by @Alice — run #\d+/);
    const runId = runIdOf(reply.text);
    await eventually(
      async () => (await d.deckhand.runs.get(runId))?.externalId === 'apps/app/main#1',
      'the build number',
    );

    assert.equal((await d.notify(notification('apps/app/main', 1, 'STARTED'))).statusCode, 202);
    await eventually(
      async () => (await d.deckhand.runs.get(runId))?.status === 'running',
      'the run to be running',
    );

    const forged = await d.notify(notification('apps/app/main', 1, 'COMPLETED', 'SUCCESS'), {
      token: 'wrong',
    });
    assert.equal(forged.statusCode, 401);
    assert.equal(forged.body, '');

    d.fake.complete('apps/app/main', 1);
    const completed = notification('apps/app/main', 1, 'COMPLETED', 'FAILURE');
    assert.equal((await d.notify(completed, { header: true })).statusCode, 202);
    const again = await d.notify(completed);
    assert.equal(again.statusCode, 200, 'a repeated delivery is taken no more');
    assert.match(again.json().ignored, /already delivered/);

    const card = await d.waitFor('ci-builds', new RegExp(`Build #${runId} failed`));
    assert.match(card.text, /Stage 'Test' failed at step 'Shell Script'/);
    assert.match(card.text, /Commit author: @Alice/);
    await d.waitFor('ci-builds', /Last lines of `Test`[\s\S]*not ok 3 - checkout flow/, { thread: card.id });

    // FINALIZED carries the same result: accepted (a new phase), and the run stays as it ended.
    assert.equal((await d.notify(notification('apps/app/main', 1, 'FINALIZED', 'FAILURE'))).statusCode, 202);
    const audit = await d.deckhand.stores.audit.recent(50);
    assert.equal(audit.filter((a) => a.kind === 'run.finished' && a.runId === runId).length, 1);
  });

  it('records a build started on the Jenkins side; ignores jobs no pipeline runs', async () => {
    const unknown = await d.notify(notification('other/job', 4, 'STARTED'));
    assert.equal(unknown.statusCode, 200);
    assert.deepEqual(unknown.json(), { ignored: 'no deckhand pipeline runs this job' });

    d.fake.script('apps/app', { ...failingBuild, result: 'SUCCESS', stages: [], hold: false });
    assert.equal((await d.notify(notification('apps/app/develop', 7, 'STARTED'))).statusCode, 202);
    await eventually(async () => {
      const runs = await d.deckhand.runs.recent(10);
      return runs.some((r) => r.externalId === 'apps/app/develop#7' && r.ref === 'develop');
    }, 'a run recorded for the build started in Jenkins');
  });
});

describe('Jenkins unreachable or refusing credentials', () => {
  it('an unreachable Jenkins: the reply says where and what to check; the audit says error', async () => {
    const gone = await startJenkinsFake();
    const url = gone.url;
    await gone.close();
    const d = await startJenkinsDeckhand({ fake: await jenkinsWithJobs(), env: { JENKINS_URL: url } });
    try {
      await d.say('/ci build main');
      const sentence = `Could not reach Jenkins at ${url} (ECONNREFUSED): check JENKINS_URL.`;
      await d.waitFor('general', new RegExp(sentence.replace(/[.()/]/g, '\\$&')));
      await eventually(async () => {
        const audit = await d.deckhand.stores.audit.recent(10);
        return audit.some((a) => a.kind === 'command' && a.outcome === `error: ${sentence}`);
      }, 'the audit entry');
    } finally {
      await d.close();
      await d.fake.close();
    }
  });

  it('a wrong API token: "Jenkins answered 401 Unauthorized", in the reply and the audit', async () => {
    const d = await startJenkinsDeckhand({ env: { JENKINS_TOKEN: 'not-the-token' } });
    try {
      await d.say('/ci deploy staging v1.0.0');
      const sentence = 'Jenkins answered 401 Unauthorized: check JENKINS_USER and JENKINS_TOKEN.';
      await d.waitFor('general', /Jenkins answered 401 Unauthorized: check JENKINS_USER and JENKINS_TOKEN\./);
      await eventually(async () => {
        const audit = await d.deckhand.stores.audit.recent(10);
        return audit.some((a) => a.kind === 'command' && a.outcome === `error: ${sentence}`);
      }, 'the audit entry');
      assert.ok(d.fake.calls.every((c) => c.status === 401));
    } finally {
      await d.close();
    }
  });
});
