/** A real deckhand with the web chat and GitLab CI, its API pointed at the local GitLab fake. */
import { gitlabAdapterFactory } from '../../../src/ci/gitlab/index.ts';
import { gitlabSystem } from '../../../src/ci/gitlab/module.ts';
import type { GitlabFake } from '../../fakes/gitlab-api.ts';
import { ciWith, withModules } from '../../helpers/modules.ts';
import { startTestDeckhand, type TestDeckhandOptions } from '../../helpers/test-deckhand.ts';
import { TOKEN, WEBHOOK_TOKEN } from './adapter-context.ts';

const yaml = `
database: { dataDir: data }
repositories:
  app: { url: https://gitlab.example.com/group/app.git, defaultBranch: main, gitlab: group/app }
# No grants: everyone listed may run everything (the grants themselves are tested in test/core).
policy: { allowEveryone: true }
people:
  - { id: alice, name: Alice, chat: { webchat: alice }, emails: [alice@example.com] }
  - { id: bob, name: Bob, chat: { webchat: bob }, emails: [bob@example.com] }
channels: { general: {}, ci-builds: {}, deployments: {} }
commands:
  build: { pipeline: build }
  deploy: { pipeline: deploy }
pipelines:
  build:
    provider: gitlab
    repository: app
    gitlab: { variables: { DECKHAND_BRANCH: branch, REQUESTED_BY: requested_by } }
  deploy:
    provider: gitlab
    repository: app
    gitlab: { job: deploy, variables: { DEPLOY_ENV: environment, DEPLOY_VERSION: version, DECKHAND_RUN_ID: run_id } }
environments:
  - { name: staging, order: 1 }
  - { name: production, order: 2 }
notifications:
  - { kind: build, channels: [ci-builds] }
  - { kind: [deploy, rollback], channels: [deployments] }
`;

/** Starts deckhand against `fake`; `env` overrides GITLAB_URL / GITLAB_TOKEN / GITLAB_WEBHOOK_TOKEN. */
export async function startGitlabDeckhand(
  fake: GitlabFake,
  env: Record<string, string> = {},
  restart: Pick<TestDeckhandOptions, 'dir' | 'workers'> = {},
) {
  const { deckhand, config, app, dir, say, messages, waitFor } = await startTestDeckhand({
    yaml,
    env: { GITLAB_URL: fake.url, GITLAB_TOKEN: TOKEN, GITLAB_WEBHOOK_TOKEN: WEBHOOK_TOKEN, ...env },
    modules: withModules({
      ci: [ciWith(gitlabSystem, gitlabAdapterFactory({ play: { intervalMs: 10, maxIntervalMs: 50 } }))],
    }),
    timeoutMs: 10_000,
    ...restart,
  });
  let delivery = 0;
  /** POSTs a webhook as GitLab sends it. */
  const deliver = (event: string, body: unknown) =>
    app.inject({
      method: 'POST',
      url: '/webhooks/gitlab',
      payload: JSON.stringify(body),
      headers: {
        'content-type': 'application/json',
        'x-gitlab-event': event,
        'x-gitlab-token': WEBHOOK_TOKEN,
        'idempotency-key': `e2e-${++delivery}`,
        'user-agent': 'GitLab/18.0.0',
      },
    });
  return { deckhand, config, dir, say, messages, waitFor, deliver, close: () => deckhand.close() };
}
