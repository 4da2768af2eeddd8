/** A Jenkins adapter built outside deckhand: the fake behind it, updates collected, an in-memory dedupe. */
import type { CiAdapterContext } from '../../../src/ci/adapter.ts';
import { jenkinsAdapter } from '../../../src/ci/jenkins/index.ts';
import { parseConfig } from '../../../src/config/load.ts';
import type { ExternalRunUpdate } from '../../../src/core/pipeline-events.ts';
import type { DedupeStore } from '../../../src/core/store.ts';
import type { JenkinsFake } from '../../fakes/jenkins-api.ts';
import { quietLogger } from '../../helpers/recording-sender.ts';
import { apiToken, user, webhookToken } from './jenkins-deckhand.ts';

const yaml = `
repositories:
  app: { url: https://git.example.com/org/app.git, defaultBranch: main }
pipelines:
  build: { provider: jenkins, repository: app, jenkins: { job: apps/app, parameters: { BRANCH: branch } } }
  deploy:
    provider: jenkins
    repository: app
    jenkins: { job: apps/deploy, parameters: { VERSION: version, TARGET_ENV: environment, NOTE: "=from chat", SUITE: suite } }
  plain: { provider: jenkins, repository: app, jenkins: { job: "team a/app ü" } }
  ghost: { provider: jenkins, repository: app, jenkins: { job: apps/nope } }
providers:
  jenkins: { pollInterval: 20ms }
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

export function adapterFor(fake: JenkinsFake, env: Record<string, string> = {}, queueWaitMs = 2_000) {
  const updates: ExternalRunUpdate[] = [];
  const context: CiAdapterContext = {
    config: parseConfig(yaml, 'jenkins-test.yaml', {}),
    env: {
      JENKINS_URL: fake.url,
      JENKINS_USER: user,
      JENKINS_TOKEN: apiToken,
      JENKINS_WEBHOOK_TOKEN: webhookToken,
      ...env,
    },
    onUpdate: async (u) => {
      updates.push(u);
    },
    onAlert: async () => undefined,
    dedupe: memoryDedupe(),
    logger: quietLogger,
    clock: { now: () => new Date() },
  };
  const adapter = jenkinsAdapter({ queueWaitMs, timeoutMs: 2_000 })(context);
  return { adapter, provider: adapter.provider, updates, context };
}

/** A run spec as the core builds it. */
export function spec(pipeline: string, ref: string, params: Record<string, string> = {}, runId = 1) {
  return {
    runId,
    kind: 'build' as const,
    pipeline,
    ref,
    params: { requested_by: 'alice', branch: ref, ...params },
  };
}
