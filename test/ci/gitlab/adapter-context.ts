/** A GitLab adapter built outside deckhand: the fake behind it, updates collected, an in-memory dedupe. */
import { gitlabAdapterFactory } from '../../../src/ci/gitlab/index.ts';
import type { ExternalRunUpdate } from '../../../src/core/pipeline-events.ts';
import type { GitlabFake } from '../../fakes/gitlab-api.ts';
import { recordingAdapterContext } from '../../helpers/adapter-context.ts';
import { parseConfig } from '../../helpers/config.ts';

export const TOKEN = 'glpat-fake-token-0123456789';
export const WEBHOOK_TOKEN = 'gitlab-hook-secret-42';

export const yaml = `
repositories:
  app: { url: https://gitlab.example.com/group/app.git, gitlab: group/app }
  tools: { url: https://gitlab.example.com/ops/tools.git, gitlab: ops/tools }
commands:
  build: { pipeline: build }
  deploy: { pipeline: deploy }
pipelines:
  build:
    provider: gitlab
    repository: app
    gitlab:
      variables: { BRANCH: branch, REQUESTED_BY: requested_by, DECKHAND_RUN: run_id, CHANNEL: "=stable", SUITE: suite }
  deploy:
    provider: gitlab
    repository: app
    timeout: 2s
    gitlab: { job: deploy, variables: { DEPLOY_ENV: environment, DEPLOY_VERSION: version } }
  quick-deploy:
    provider: gitlab
    repository: app
    timeout: 300ms
    gitlab: { job: deploy }
  tools: { provider: gitlab, repository: tools }
`;

/** The adapter with its context; `updates` collects what it reports (after `before`, when given). */
export function gitlabAdapterFor(
  fake: GitlabFake,
  env: Record<string, string | undefined> = {},
  before?: (update: ExternalRunUpdate) => Promise<void>,
) {
  const { context, updates } = recordingAdapterContext(
    parseConfig(yaml, '/tmp/deckhand-gitlab-test/deckhand.yaml', {}),
    { GITLAB_URL: fake.url, GITLAB_TOKEN: TOKEN, GITLAB_WEBHOOK_TOKEN: WEBHOOK_TOKEN, ...env },
    before,
  );
  const adapter = gitlabAdapterFactory({ play: { intervalMs: 10, maxIntervalMs: 40 }, timeoutMs: 5_000 })(
    context,
  );
  return { adapter, context, updates };
}

/** The project layout both test projects use: build, test, then a manual deploy. */
export const ci = [
  { name: 'compile', stage: 'build' },
  { name: 'rspec', stage: 'test' },
  { name: 'deploy', stage: 'deploy', when: 'manual' as const, initial: 'created' },
];
