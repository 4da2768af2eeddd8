import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GitlabClient } from '../../../src/ci/gitlab/client.ts';
import { gitlabSettings } from '../../../src/ci/gitlab/settings.ts';
import { ProviderError } from '../../../src/core/errors.ts';
import { type GitlabFake, startGitlabFake } from '../../fakes/gitlab-api.ts';
import { parseConfig } from '../../helpers/config.ts';

const TOKEN = 'glpat-fake-token-0123456789';

describe('the GitLab client against the GitLab fake (real gitbeaker)', () => {
  let fake: GitlabFake;
  let client: GitlabClient;
  before(async () => {
    fake = await startGitlabFake({ tokens: [TOKEN] });
    fake.addProject({
      path: 'group/app',
      branches: ['main', 'develop', 'feature/a?b#c', ...Array.from({ length: 247 }, (_, i) => `topic-${i}`)],
      tags: ['v1.2.0'],
    });
    client = new GitlabClient({ url: fake.url, token: TOKEN });
  });
  after(() => fake.close());

  it('lists every branch, following GitLab pagination 100 at a time, with the project path encoded', async () => {
    fake.calls.length = 0;
    const branches = await client.branches('group/app');
    assert.equal(branches.length, 250);
    assert.ok(branches.includes('feature/a?b#c'));
    assert.deepEqual(
      fake.calls.map((c) => [c.path, c.query.get('page') ?? '1', c.query.get('per_page')]),
      [
        ['/projects/group%2Fapp/repository/branches', '1', '100'],
        ['/projects/group%2Fapp/repository/branches', '2', '100'],
        ['/projects/group%2Fapp/repository/branches', '3', '100'],
      ],
    );
    assert.equal(fake.calls[0]?.headers['private-token'], TOKEN);
  });

  it('looks refs up as tag, branch, then commit, with the name encoded as one path segment', async () => {
    assert.equal(await client.refExists('group/app', 'v1.2.0'), true);
    fake.calls.length = 0;
    assert.equal(await client.refExists('group/app', 'feature/a?b#c'), true);
    assert.deepEqual(
      fake.calls.map((c) => c.path),
      [
        '/projects/group%2Fapp/repository/tags/feature%2Fa%3Fb%23c',
        '/projects/group%2Fapp/repository/branches/feature%2Fa%3Fb%23c',
      ],
    );
    assert.equal(await client.refExists('group/app', 'a1b2c3d'), true, 'a commit');
    assert.equal(await client.refExists('group/app', 'v9.9.9'), false);
  });

  it('creates a pipeline with variables in the JSON body, never in the URL', async () => {
    fake.calls.length = 0;
    const variables = [{ key: 'DEPLOY_ENV', value: "staging'; rm -rf / #" }];
    const pipeline = await client.createPipeline('group/app', 'main', variables);
    assert.equal(pipeline.status, 'created');
    assert.match(pipeline.web_url, /\/group\/app\/-\/pipelines\/\d+$/);
    const call = fake.calls[0];
    assert.equal(call?.path, '/projects/group%2Fapp/pipeline');
    assert.deepEqual(call?.body, { ref: 'main', variables });
    assert.equal([...(call?.query.keys() ?? [])].length, 0);
  });

  const refusals: [string, () => Promise<unknown>, RegExp][] = [
    [
      'a bad token',
      () => new GitlabClient({ url: fake.url, token: 'glpat-wrong' }).branches('group/app'),
      /^GitLab answered 401 Unauthorized: check GITLAB_TOKEN\.$/,
    ],
    [
      'an unknown project',
      () => client.branches('group/missing'),
      /^GitLab answered 404 Project Not Found listing the branches of group\/missing: check the project path under repositories and GITLAB_TOKEN's access\.$/,
    ],
    [
      'an unknown ref for a pipeline',
      () => client.createPipeline('group/app', 'nope', []),
      /^GitLab answered 400 Bad Request creating a pipeline for group\/app at nope \(Reference not found\): check \.gitlab-ci\.yml/,
    ],
    [
      'an unknown project for a ref lookup',
      () => client.refExists('group/missing', 'v1'),
      /^GitLab answered 404 Project Not Found looking up 'v1' in group\/missing/,
    ],
  ];
  for (const [what, call, message] of refusals) {
    it(`says in one sentence what GitLab answered for ${what}`, async () => {
      await assert.rejects(call, (error: unknown) => {
        assert.ok(error instanceof ProviderError);
        assert.match(error.message, message);
        assert.ok(!error.message.includes(TOKEN) && !error.message.includes('glpat-wrong'));
        assert.equal(error.message.split(/\.\s/).length, 1, 'one sentence');
        return true;
      });
    });
  }

  it('names the refusal of a play and what to check', async () => {
    fake.failNext('POST /projects/:id/jobs/:job_id/play', {
      status: 403,
      body: { message: '403 Forbidden' },
    });
    await assert.rejects(client.playJob('group/app', 1, 'deploy'), {
      message:
        "GitLab answered 403 Forbidden playing job 'deploy' of group/app: check that GITLAB_TOKEN has the api scope and at least the Developer role (Maintainer for protected branches and environments).",
    });
  });

  it('says when the address answers with a web page instead of the API', async () => {
    fake.failNext('GET /projects/:id/repository/branches', {
      status: 404,
      body: '<!DOCTYPE html><html>Not here</html>',
    });
    await assert.rejects(client.branches('group/app'), {
      message: `${fake.url} answered 404 Not Found with a web page, not GitLab's API: check GITLAB_URL.`,
    });
  });

  it('says GitLab could not be reached, naming GITLAB_URL', async () => {
    const closed = await startGitlabFake();
    await closed.close();
    const offline = new GitlabClient({ url: closed.url, token: TOKEN });
    await assert.rejects(offline.branches('group/app'), {
      message: `Could not reach GitLab at ${closed.url} (ECONNREFUSED): check GITLAB_URL.`,
    });
  });

  it('says what to set when GitLab is not configured', async () => {
    await assert.rejects(new GitlabClient({ url: fake.url }).branches('group/app'), /set GITLAB_TOKEN/);
    await assert.rejects(new GitlabClient({ token: TOKEN }).branches('group/app'), /set GITLAB_URL/);
  });
});

describe('GitLab settings', () => {
  const config = parseConfig('{}', '/tmp/deckhand-gitlab-settings/deckhand.yaml', {});
  it('read the conventional environment variables, and tolerate a pasted API URL', () => {
    const s = gitlabSettings(config, {
      GITLAB_URL: 'https://gitlab.example.com/api/v4/',
      GITLAB_TOKEN: 't',
      GITLAB_WEBHOOK_TOKEN: 'w',
    });
    assert.deepEqual(s, { url: 'https://gitlab.example.com', token: 't', webhookToken: 'w' });
  });
  it('prefer providers.gitlab in deckhand.yaml', () => {
    const own = parseConfig(
      'providers: { gitlab: { url: "https://ci.example.com/gitlab", token: a, webhookToken: b } }',
      '/tmp/deckhand-gitlab-settings/deckhand.yaml',
      {},
    );
    assert.deepEqual(gitlabSettings(own, { GITLAB_URL: 'https://other.example.com', GITLAB_TOKEN: 'x' }), {
      url: 'https://ci.example.com/gitlab',
      token: 'a',
      webhookToken: 'b',
    });
  });
});
