/** A GitLab adapter built outside deckhand: the fake behind it, updates collected, an in-memory dedupe. */
import type { CiAdapterContext } from '../../../src/ci/adapter.ts';
import { gitlabAdapterFactory } from '../../../src/ci/gitlab/index.ts';
import { parseConfig } from '../../../src/config/load.ts';
import type { ExternalRunUpdate } from '../../../src/core/pipeline-events.ts';
import type { DedupeStore } from '../../../src/core/store.ts';
import type { GitlabFake } from '../../fakes/gitlab-api.ts';
import { quietLogger } from '../../helpers/recording-sender.ts';

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

/** A dedupe store in memory. */
export function memoryDedupe(): DedupeStore {
  const seen = new Set<string>();
  return {
    async claim(source, key) {
      const k = `${source}\u0000${key}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    },
    async prune() {
      return 0;
    },
  };
}

/** The adapter with its context; `updates` collects what it reports (after `before`, when given). */
export function gitlabAdapterFor(
  fake: GitlabFake,
  env: Record<string, string | undefined> = {},
  before?: (update: ExternalRunUpdate) => Promise<void>,
) {
  const updates: ExternalRunUpdate[] = [];
  const context: CiAdapterContext = {
    config: parseConfig(yaml, '/tmp/deckhand-gitlab-test/deckhand.yaml', {}),
    env: { GITLAB_URL: fake.url, GITLAB_TOKEN: TOKEN, GITLAB_WEBHOOK_TOKEN: WEBHOOK_TOKEN, ...env },
    onUpdate: async (u) => {
      await before?.(u);
      updates.push(u);
    },
    onAlert: async () => undefined,
    dedupe: memoryDedupe(),
    logger: quietLogger,
    clock: { now: () => new Date() },
  };
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
