/** A real deckhand whose pipelines run on the Jenkins fake, driven through the web chat API. */
import { jenkinsAdapter } from '../../../src/ci/jenkins/index.ts';
import { jenkinsSystem } from '../../../src/ci/jenkins/module.ts';
import { type JenkinsFake, startJenkinsFake } from '../../fakes/jenkins-api.ts';
import { ciWith, withModules } from '../../helpers/modules.ts';
import { startTestDeckhand } from '../../helpers/test-deckhand.ts';

export const user = 'deckhand';
export const apiToken = 'api-token-1234';
export const webhookToken = 'hook-secret-5678';

/** A failing Pipeline build: stage `Test` fails at its `sh` step; Alice's commit. */
export const failingBuild = {
  result: 'FAILURE' as const,
  log: [
    'Started by user deckhand',
    '[Pipeline] { (Build)',
    'compiling 42 files',
    '[Pipeline] { (Test)',
    '+ npm test',
    'not ok 3 - checkout flow',
    '# tests 3, fail 1',
    'ERROR: script returned exit code 1',
    'Finished: FAILURE',
  ],
  stages: [
    { name: 'Build', status: 'SUCCESS' },
    {
      name: 'Test',
      status: 'FAILED',
      steps: [
        {
          name: 'Shell Script',
          status: 'FAILED',
          parameterDescription: 'npm test',
          error: 'script returned exit code 1',
        },
      ],
    },
  ],
  commit: {
    sha: '3f2c1ab9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3',
    message: 'Speed up checkout',
    author: 'Alice',
    authorEmail: 'alice@example.com',
  },
};

const yaml = (pollInterval: string) => `
database: { dataDir: data }
repositories:
  app: { url: https://git.example.com/org/app.git, defaultBranch: main }
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
    provider: jenkins
    repository: app
    jenkins: { job: apps/app, parameters: { REQUESTED_BY: requested_by, DECKHAND_RUN: run_id } }
  deploy:
    provider: jenkins
    repository: app
    jenkins: { job: apps/deploy, parameters: { VERSION: version, TARGET_ENV: environment } }
environments:
  - { name: staging, order: 1 }
notifications:
  - { kind: build, channels: [ci-builds] }
  - { kind: deploy, channels: [deployments] }
providers:
  jenkins: { pollInterval: ${pollInterval} }
`;

/** A Jenkins fake with a multibranch project `apps/app` and a freestyle job `apps/deploy`. */
export async function jenkinsWithJobs(): Promise<JenkinsFake> {
  const fake = await startJenkinsFake({ users: { [user]: apiToken } });
  fake.addJob('apps/app', 'multibranch');
  fake.addBranches('apps/app', ['main', 'develop', 'release/1.0']);
  fake.addJob('apps/deploy', 'freestyle');
  return fake;
}

export interface JenkinsDeckhandOptions {
  fake?: JenkinsFake;
  /** Extra or replaced environment variables (e.g. a wrong token). */
  env?: Record<string, string>;
  /** `providers.jenkins.pollInterval` (default 25ms). */
  pollInterval?: string;
  /** Another deckhand's folder, to start again on its database. */
  dir?: string;
  /** false: as if the process died right after answering. */
  workers?: boolean;
}

export async function startJenkinsDeckhand(options: JenkinsDeckhandOptions = {}) {
  const fake = options.fake ?? (await jenkinsWithJobs());
  const { deckhand, config, app, dir, say, messages, waitFor } = await startTestDeckhand({
    yaml: yaml(options.pollInterval ?? '25ms'),
    env: {
      JENKINS_URL: fake.url,
      JENKINS_USER: user,
      JENKINS_TOKEN: apiToken,
      JENKINS_WEBHOOK_TOKEN: webhookToken,
      ...options.env,
    },
    modules: withModules({
      ci: [ciWith(jenkinsSystem, jenkinsAdapter({ queueWaitMs: 5_000, timeoutMs: 5_000 }))],
    }),
    dir: options.dir,
    workers: options.workers,
  });
  /** POSTs a Notification plugin event, with the right token unless told otherwise. */
  const notify = (
    payload: unknown,
    opts: { token?: string | null; header?: boolean; contentType?: string; raw?: string } = {},
  ) => {
    const token = opts.token === undefined ? webhookToken : opts.token;
    const query = token !== null && !opts.header ? `?token=${encodeURIComponent(token)}` : '';
    return app.inject({
      method: 'POST',
      url: `/webhooks/jenkins${query}`,
      payload: opts.raw ?? JSON.stringify(payload),
      headers: {
        'content-type': opts.contentType ?? 'application/json;charset=UTF-8',
        ...(token !== null && opts.header ? { 'x-deckhand-token': token } : {}),
      },
    });
  };
  const close = async () => {
    await deckhand.close();
    if (!options.fake) await fake.close();
  };
  return { fake, deckhand, config, app, dir, say, messages, waitFor, notify, close };
}

/** A Notification plugin payload for build `number` of `job` (a path like `apps/app/main`). */
export function notification(
  job: string,
  number: number,
  phase: string,
  status?: string,
  extra: object = {},
) {
  const url = job
    .split('/')
    .map((n) => `job/${encodeURIComponent(n)}/`)
    .join('');
  return {
    name: job.split('/').at(-1),
    display_name: job.split('/').at(-1),
    url,
    build: {
      full_url: `https://ci.example.com/${url}${number}/`,
      number,
      queue_id: 100 + number,
      phase,
      ...(status ? { status } : {}),
      url: `${url}${number}/`,
      scm: {
        url: 'https://git.example.com/org/app.git',
        branch: 'origin/main',
        commit: failingBuild.commit.sha,
        changes: [],
        culprits: [],
      },
      parameters: {},
      log: '',
      artifacts: {},
      ...extra,
    },
  };
}
