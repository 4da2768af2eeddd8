/** A Jenkins adapter built outside deckhand: the fake behind it, updates collected, an in-memory dedupe. */
import { jenkinsAdapter } from '../../../src/ci/jenkins/index.ts';
import type { JenkinsFake } from '../../fakes/jenkins-api.ts';
import { recordingAdapterContext } from '../../helpers/adapter-context.ts';
import { parseConfig } from '../../helpers/config.ts';
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

export function adapterFor(fake: JenkinsFake, env: Record<string, string> = {}, queueWaitMs = 2_000) {
  const { context, updates } = recordingAdapterContext(parseConfig(yaml, 'jenkins-test.yaml', {}), {
    JENKINS_URL: fake.url,
    JENKINS_USER: user,
    JENKINS_TOKEN: apiToken,
    JENKINS_WEBHOOK_TOKEN: webhookToken,
    ...env,
  });
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
