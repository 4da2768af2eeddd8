/** A real deckhand whose pipelines run on GitHub Actions (the local fake), driven through the web chat. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { githubAdapterFactory, signGithubPayload } from '../../../src/ci/github/index.ts';
import { githubSystem } from '../../../src/ci/github/module.ts';
import type { SecurityAlert } from '../../../src/core/notify/security.ts';
import type { ExternalRunUpdate } from '../../../src/core/pipeline-events.ts';
import { Redactor } from '../../../src/core/redact.ts';
import type { DedupeStore } from '../../../src/core/store.ts';
import { type GithubFake, startGithubFake } from '../../fakes/github-api.ts';
import { memoryIntake } from '../../helpers/adapter-context.ts';
import { parseConfig } from '../../helpers/config.ts';
import { ciWith, withModules } from '../../helpers/modules.ts';
import { quietLogger } from '../../helpers/recording-sender.ts';
import { startTestDeckhand } from '../../helpers/test-deckhand.ts';

export { example, inApp, type Payload } from './examples.ts';

export const webhookSecret = 'test-webhook-secret';

export const githubYaml = `
database: { dataDir: data }
repositories:
  app: { url: https://github.example.com/org/app.git, github: org/app }
# No grants: everyone listed may run everything (the grants themselves are tested in test/core).
policy: { allowEveryone: true }
people:
  - { id: alice, name: Alice, chat: { webchat: alice }, emails: [alice@example.com] }
  - { id: bob, name: Bob, chat: { webchat: bob }, emails: [bob@example.com] }
channels:
  general: {}
  ci-builds: {}
  deployments: {}
  security: {}
commands:
  build: { pipeline: build }
  deploy: { pipeline: deploy }
  rollback: { pipeline: deploy }
pipelines:
  build:
    provider: github
    repository: app
    github:
      workflow: build.yml
      inputs: { branch: branch, requested_by: requested_by, deckhand_run: run_id, channel: "=chat" }
  deploy:
    provider: github
    repository: app
    github: { workflow: deploy.yml, inputs: { environment: environment, version: version } }
environments:
  - { name: staging, order: 1 }
  - { name: production, order: 2 }
notifications:
  - { kind: build, channels: [ci-builds] }
  - { kind: [deploy, rollback], channels: [deployments] }
  - { kind: security, channels: [security] }
`;

/** A fake GitHub with org/app: branches, a tag, and the two workflows with their inputs. */
export async function startAppFake(): Promise<GithubFake> {
  const fake = await startGithubFake();
  fake.addRepo('org/app', {
    branches: ['main', 'develop', 'release/1.0'],
    tags: ['v1.0.0', 'v1.1.0'],
    workflows: {
      'build.yml': ['branch', 'requested_by', 'deckhand_run', 'channel'],
      'deploy.yml': ['environment', 'version'],
    },
  });
  return fake;
}

let deliveries = 0;

export async function startGithubDeckhand(
  options: {
    fake?: GithubFake;
    env?: Record<string, string>;
    /** Another deckhand's folder, to start again on its database. */
    dir?: string;
    /** false: as if the process died right after answering (no journal worker, no outbox). */
    workers?: boolean;
  } = {},
) {
  const fake = options.fake ?? (await startAppFake());
  const { deckhand, config, app, dir, say, messages, waitFor } = await startTestDeckhand({
    yaml: githubYaml,
    env: {
      GITHUB_API_URL: fake.url,
      GITHUB_TOKEN: 'ghp_test',
      GITHUB_WEBHOOK_SECRET: webhookSecret,
      ...options.env,
    },
    modules: withModules({
      ci: [ciWith(githubSystem, githubAdapterFactory({ findRun: { attempts: 5, intervalMs: 20 } }))],
    }),
    dir: options.dir,
    workers: options.workers,
    timeoutMs: 15_000,
  });
  /** POSTs a payload signed as GitHub signs it (unless told otherwise) with a fresh delivery id. */
  const webhook = async (
    event: string,
    payload: unknown,
    opts: { body?: string; signature?: string; delivery?: string; contentType?: string } = {},
  ) => {
    const body = opts.body ?? JSON.stringify(payload);
    return app.inject({
      method: 'POST',
      url: '/webhooks/github',
      payload: body,
      headers: {
        'content-type': opts.contentType ?? 'application/json',
        'x-github-event': event,
        'x-github-delivery': opts.delivery ?? `delivery-${++deliveries}-${Date.now()}`,
        'x-hub-signature-256': opts.signature ?? (await signGithubPayload(webhookSecret, body)),
      },
    });
  };
  const close = async () => {
    await deckhand.close();
    if (!options.fake) await fake.close();
  };
  return { fake, deckhand, config, app, dir, say, messages, waitFor, webhook, close };
}

/** The adapter alone (no deckhand), with a clock the test moves and the updates and alerts it emits. */
export function adapterFor(fake: GithubFake, env: Record<string, string> = {}, yaml = githubYaml) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deckhand-github-'));
  writeFileSync(path.join(dir, 'deckhand.yaml'), yaml);
  const fullEnv = {
    GITHUB_API_URL: fake.url,
    GITHUB_TOKEN: 'ghp_test',
    GITHUB_WEBHOOK_SECRET: webhookSecret,
    ...env,
  };
  const config = parseConfig(yaml, path.join(dir, 'deckhand.yaml'), fullEnv);
  let now = Date.now();
  const clock = {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
  const updates: ExternalRunUpdate[] = [];
  const alerts: SecurityAlert[] = [];
  const seen = new Set<string>();
  const dedupe: DedupeStore = {
    claim: async (source, key) => {
      const fresh = !seen.has(`${source}:${key}`);
      seen.add(`${source}:${key}`);
      return fresh;
    },
    known: async (source, keys) => new Set(keys.filter((key) => seen.has(`${source}:${key}`))),
    prune: async () => 0,
  };
  const intake = memoryIntake(dedupe);
  const adapter = githubAdapterFactory({ findRun: { attempts: 5, intervalMs: 20 } })({
    config,
    env: fullEnv,
    onUpdate: async (u) => void updates.push(u),
    apply: async (u) => void updates.push(u),
    onAlert: async (a) => void alerts.push(a),
    intake,
    onEvent: async () => undefined,
    dedupe,
    logger: quietLogger,
    clock,
    redactor: new Redactor(),
  });
  return { adapter, provider: adapter.provider, clock, updates, alerts, config, intake };
}
