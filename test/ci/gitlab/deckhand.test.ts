import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type GitlabFake, type GitlabFakeProject, startGitlabFake } from '../../fakes/gitlab-api.ts';
import type { ChatMessage } from '../../helpers/demo-deckhand.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { ci, TOKEN } from './adapter-context.ts';
import { startGitlabDeckhand } from './gitlab-deckhand.ts';
import { jobHook, pipelineHook } from './payloads.ts';

type Deckhand = Awaited<ReturnType<typeof startGitlabDeckhand>>;

describe('GitLab CI end to end: web chat → deckhand → GitLab fake → webhooks → run card', () => {
  let fake: GitlabFake;
  let project: GitlabFakeProject;
  let d: Deckhand;
  const ref = () => ({ id: project.id, path: project.path, webUrl: `${fake.url}/${project.path}` });
  before(async () => {
    fake = await startGitlabFake({ tokens: [TOKEN] });
    project = fake.addProject({
      path: 'group/app',
      branches: ['main', 'develop', 'release/1.0'],
      tags: ['v1.1.0', 'v1.2.0'],
      commits: [
        {
          sha: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
          message: 'Ship the new checkout',
          author_name: 'Bob',
          author_email: 'bob@example.com',
        },
      ],
      ci,
    });
    d = await startGitlabDeckhand(fake);
  });
  after(async () => {
    await d.close();
    await fake.close();
  });

  it('/ci build feature-x answers with the real branch list from GitLab', async () => {
    await d.say('/ci build feature-x');
    await d.waitFor(
      'general',
      /^Branch 'feature-x' not found\. Available branches: main, develop, release\/1\.0\.$/,
    );
  });

  it('/ci build main creates a pipeline with the mapped variables; webhooks move the card to succeeded', async () => {
    await d.say('/ci build main');
    const reply = await d.waitFor('general', /Build of `main` triggered by @Alice — run #\d+/);
    const runId = Number(/run #(\d+)/.exec(reply.text)?.[1]);
    const pipeline = [...fake.pipelines.values()].at(-1);
    assert.ok(pipeline);
    assert.deepEqual(pipeline.variables, [
      { key: 'DECKHAND_BRANCH', value: 'main' },
      { key: 'REQUESTED_BY', value: 'alice' },
    ]);
    const run = await d.deckhand.runs.get(runId);
    assert.equal(run?.externalId, String(pipeline.id));
    assert.equal(run?.url, `${fake.url}/group/app/-/pipelines/${pipeline.id}`);

    const jobs = (s: string[]) => [
      { id: 1, name: 'compile', stage: 'build', status: s[0] ?? 'created' },
      { id: 2, name: 'rspec', stage: 'test', status: s[1] ?? 'created' },
    ];
    const hook = (status: string, s: string[]) =>
      pipelineHook({
        project: ref(),
        id: pipeline.id,
        ref: 'main',
        status,
        stages: ['build', 'test'],
        builds: jobs(s),
      });
    assert.equal((await d.deliver('Pipeline Hook', hook('running', ['running']))).statusCode, 200);
    await d.waitFor('ci-builds', new RegExp(`Build #${runId} running`));
    await d.deliver('Pipeline Hook', hook('success', ['success', 'success']));
    const card = await d.waitFor('ci-builds', new RegExp(`Build #${runId} succeeded`));
    assert.match(card.text, new RegExp(`/group/app/-/pipelines/${pipeline.id}`));
    // Each job's detail once, in order; details waiting together are batched into one reply.
    const details = async () =>
      (await d.messages('ci-builds', card.id)).flatMap((m) =>
        [...m.text.matchAll(/Step (\d+): (\S+) (\w+)/g)].map((x) => x.slice(1)),
      );
    await eventually(async () => (await details()).length === 2, 'a thread detail per job');
    assert.deepEqual(await details(), [
      ['1', 'compile', 'succeeded'],
      ['2', 'rspec', 'succeeded'],
    ]);
    await d.waitFor('general', new RegExp(`run #${runId} succeeded`));
  });

  it('/ci deploy staging v1.2.0 plays the manual deploy job; its failure names the job and stage, quotes the log, mentions the author', async () => {
    await d.say('/ci deploy staging v1.2.0', 'bob');
    const reply = await d.waitFor(
      'general',
      /Deploy of `v1\.2\.0` to `staging` triggered by @Bob — run #\d+/,
    );
    const runId = Number(/run #(\d+)/.exec(reply.text)?.[1]);
    const pipeline = [...fake.pipelines.values()].at(-1);
    assert.ok(pipeline);
    assert.equal(pipeline.ref, 'v1.2.0');
    assert.deepEqual(pipeline.variables, [
      { key: 'DEPLOY_ENV', value: 'staging' },
      { key: 'DEPLOY_VERSION', value: 'v1.2.0' },
      { key: 'DECKHAND_RUN_ID', value: String(runId) },
    ]);
    const deploy = fake.job(pipeline.id, 'deploy');
    assert.ok(deploy);
    assert.equal(deploy.status, 'created');
    deploy.status = 'manual'; // the build and test stages passed
    await eventually(
      () => fake.job(pipeline.id, 'deploy')?.status === 'pending',
      'the manual deploy job played',
    );
    assert.ok(
      fake.calls.some(
        (c) => c.method === 'POST' && c.path === `/projects/group%2Fapp/jobs/${deploy.id}/play`,
      ),
    );

    deploy.status = 'failed';
    deploy.trace = [
      '\u001b[0Ksection_start:1768471200:step_script\r\u001b[0K\u001b[0K\u001b[36;1mExecuting "step_script" stage of the job script\u001b[0;m',
      '$ ./deploy.sh staging v1.2.0',
      `Using token ${TOKEN}`,
      ...Array.from({ length: 60 }, (_, i) => `rolling out pod ${i}`),
      'Error: readiness probe failed for checkout-7d9f',
      '\u001b[31;1mERROR: Job failed: exit code 1\u001b[0;m',
    ].join('\n');
    const commit = {
      sha: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      message: 'Ship the new checkout',
      name: 'Bob',
      email: 'bob@example.com',
    };
    const builds = (deployStatus: string) => [
      { id: 11, name: 'compile', stage: 'build', status: 'success' },
      { id: 12, name: 'rspec', stage: 'test', status: 'success' },
      { id: deploy.id, name: 'deploy', stage: 'deploy', status: deployStatus, environment: 'staging' },
    ];
    await d.deliver(
      'Pipeline Hook',
      pipelineHook({
        project: ref(),
        id: pipeline.id,
        ref: 'v1.2.0',
        status: 'running',
        builds: builds('running'),
        commit,
      }),
    );
    await d.waitFor('deployments', new RegExp(`Deploy #${runId} to staging running`));
    await d.deliver(
      'Job Hook',
      jobHook({
        project: ref(),
        pipelineId: pipeline.id,
        ref: 'v1.2.0',
        pipelineStatus: 'running',
        build: {
          id: deploy.id,
          name: 'deploy',
          stage: 'deploy',
          status: 'failed',
          failure_reason: 'script_failure',
          environment: 'staging',
        },
        commit,
      }),
    );
    await d.deliver(
      'Pipeline Hook',
      pipelineHook({
        project: ref(),
        id: pipeline.id,
        ref: 'v1.2.0',
        status: 'failed',
        builds: builds('failed'),
        commit,
      }),
    );

    const card = await d.waitFor('deployments', new RegExp(`Deploy #${runId} to staging failed`));
    assert.match(card.text, /Job 'deploy' failed at stage 'deploy': script failure\./);
    assert.match(card.text, /Commit author: @Bob/);
    assert.match(card.text, /Commit: 9f8e7d6/);
    let tail: ChatMessage | undefined;
    await eventually(async () => {
      tail = (await d.messages('deployments', card.id)).find((m) =>
        m.text.includes('Last lines of `deploy`'),
      );
      return tail !== undefined;
    }, 'the log tail in the thread');
    assert.match(
      tail?.text ?? '',
      /Error: readiness probe failed for checkout-7d9f\nERROR: Job failed: exit code 1/,
    );
    assert.ok(!tail?.text.includes(TOKEN), 'the GitLab token is redacted from the log');
    assert.ok(!tail?.text.includes('\u001b'), 'no terminal escapes');
    assert.ok((tail?.text.split('\n').length ?? 0) <= 30, 'bounded');
    assert.equal(
      (tail?.blocks as { link?: { url: string } } | null)?.link?.url,
      `${fake.url}/group/app/-/jobs/${deploy.id}`,
    );
    await d.waitFor('general', new RegExp(`run #${runId} failed`));
  });

  it('records a pipeline started on GitLab once, however many events about it arrive together', async () => {
    const id = 7777;
    const builds = [{ id: 71, name: 'compile', stage: 'build', status: 'running' }];
    const commit = {
      sha: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      message: 'Push',
      name: 'Alice',
      email: 'alice@example.com',
    };
    // The GitLab user who pushed has a public email that belongs to Alice.
    const asAlice = (body: Record<string, unknown>) => ({
      ...body,
      user: { name: 'Alice', username: 'alice.gl', email: 'alice@example.com' },
    });
    const build = builds[0] as (typeof builds)[number];
    const job = jobHook({
      project: ref(),
      pipelineId: id,
      ref: 'develop',
      pipelineStatus: 'running',
      build,
      commit,
    });
    const pipeline = pipelineHook({ project: ref(), id, ref: 'develop', status: 'running', builds, commit });
    await Promise.all([
      d.deliver('Job Hook', asAlice(job)),
      d.deliver('Pipeline Hook', asAlice(pipeline)),
      d.deliver('Pipeline Hook', asAlice(pipeline)),
    ]);
    const card = await d.waitFor('ci-builds', /Build #\d+ running[\s\S]*Branch: develop/);
    const runs = (await d.deckhand.runs.recent(20)).filter((r) => r.externalId === String(id));
    assert.equal(runs.length, 1);
    assert.equal(runs[0]?.requestedBy, 'alice', 'the GitLab user, matched to a person by email');
    assert.match(card.text, new RegExp(`Build #${runs[0]?.id} running`));
  });

  const failures: [string, Record<string, string>, (url: string) => RegExp][] = [
    [
      'rejects the token',
      { GITLAB_TOKEN: 'glpat-revoked-token-000000' },
      () => /^GitLab answered 401 Unauthorized: check GITLAB_TOKEN\.$/,
    ],
    [
      'cannot be reached',
      {},
      (url) => new RegExp(`^Could not reach GitLab at ${url} \\(ECONNREFUSED\\): check GITLAB_URL\\.$`),
    ],
  ];
  for (const [what, env, message] of failures) {
    it(`when GitLab ${what}, the reply is one sentence and the audit says error`, async () => {
      const offline = what === 'cannot be reached' ? await startGitlabFake() : undefined;
      await offline?.close();
      const url = offline?.url ?? fake.url;
      const other = await startGitlabDeckhand(fake, { ...env, GITLAB_URL: url });
      try {
        await other.say('/ci build main');
        const reply = await other.waitFor('general', /GitLab/);
        assert.match(reply.text, message(url));
        // The run's failure can reach the chat before the command's audit entry is committed.
        await eventually(async () => {
          const [entry] = await other.deckhand.stores.audit.recent(1);
          return entry?.kind === 'command' && entry.outcome === `error: ${reply.text}`;
        }, 'the audit entry');
      } finally {
        await other.close();
      }
    });
  }
});
