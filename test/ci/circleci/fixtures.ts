/** The CircleCI projects and deckhand config the CircleCI tests share, and an adapter on the fake. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CircleciAdapterOptions, createCircleciAdapter } from '../../../src/ci/circleci/index.ts';
import type { ExternalRunUpdate } from '../../../src/core/pipeline-events.ts';
import { Redactor } from '../../../src/core/redact.ts';
import type { DedupeStore } from '../../../src/core/store.ts';
import { type CircleciFake, type FakeProject, startCircleciFake } from '../../fakes/circleci-api.ts';
import { memoryIntake } from '../../helpers/adapter-context.ts';
import { parseConfig } from '../../helpers/config.ts';
import { quietLogger } from '../../helpers/recording-sender.ts';

export const token = 'cci-test-token';
export const webhookSecret = 'cci-webhook-secret';

/** `gh/org/app`: config.yml runs `deploy` when `deploy_env` is given, `build-test` otherwise. */
export const projects = (): FakeProject[] => [
  {
    slug: 'gh/org/app',
    parameters: ['deckhand_run', 'deploy_env', 'deploy_version', 'requested_by', 'action'],
    workflows: [
      { name: 'build-test', jobs: [{ name: 'build' }, { name: 'test' }], when: (p) => !p.deploy_env },
      {
        name: 'deploy',
        jobs: [{ name: 'build' }, { name: 'test' }, { name: 'hold', type: 'approval' }, { name: 'release' }],
        when: (p) => Boolean(p.deploy_env),
      },
    ],
  },
  { slug: 'circleci/Org1d/Proj1d', workflows: [{ name: 'build', jobs: [{ name: 'unit-tests' }] }] },
];

/** deckhand.yaml for the tests; `extra` is appended (e.g. notifications, webchat). */
export function configYaml(apiUrl: string, extra = ''): string {
  return `
database: { dataDir: data }
repositories:
  app: { url: https://git.example.com/org/app.git, defaultBranch: main, circleci: gh/org/app }
  lab: { url: https://git.example.com/org/lab.git, circleci: circleci/Org1d/Proj1d }
# No grants: everyone listed may run everything (the grants themselves are tested in test/core).
policy: { allowEveryone: true }
people:
  - { id: alice, name: Alice, chat: { webchat: alice }, emails: [alice@example.com] }
  - { id: bob, name: Bob, chat: { webchat: bob }, emails: [bob@example.com] }
commands:
  build: { pipeline: build }
  deploy: { pipeline: deploy }
  rollback: { pipeline: deploy }
pipelines:
  build:
    provider: circleci
    repository: app
    circleci: { parameters: { deckhand_run: run_id } }
  deploy:
    provider: circleci
    repository: app
    circleci:
      parameters: { deploy_env: environment, deploy_version: version, requested_by: requested_by, action: "=deploy" }
      approvalJob: hold
  lab:
    provider: circleci
    repository: lab
environments:
  - { name: staging, order: 1 }
  - { name: production, order: 2, protected: true }
providers:
  circleci: { apiUrl: "${apiUrl}" }
${extra}`;
}

/** Remembers keys in memory, as the SQLite store does on disk. */
export class MemoryDedupe implements DedupeStore {
  private readonly seen = new Set<string>();
  async claim(source: string, key: string): Promise<boolean> {
    const k = `${source}\u0000${key}`;
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    return true;
  }
  async known(source: string, keys: readonly string[]): Promise<Set<string>> {
    return new Set(keys.filter((key) => this.seen.has(`${source}\u0000${key}`)));
  }
  async prune(): Promise<number> {
    return 0;
  }
}

/** The adapter on a fresh fake, with every update it delivers recorded. */
export async function startAdapter(options: CircleciAdapterOptions = { pollIntervalMs: 0 }) {
  const fake: CircleciFake = await startCircleciFake({ projects: projects(), tokens: [token] });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deckhand-circleci-'));
  const env = { CIRCLECI_TOKEN: token, CIRCLECI_WEBHOOK_SECRET: webhookSecret };
  const config = parseConfig(configYaml(fake.url), path.join(dir, 'deckhand.yaml'), env);
  const updates: ExternalRunUpdate[] = [];
  const adapter = createCircleciAdapter(
    {
      config,
      env,
      onUpdate: async (update) => {
        updates.push(update);
      },
      apply: async (update) => {
        updates.push(update);
      },
      onAlert: async () => undefined, // CircleCI sends no security alerts
      dedupe: new MemoryDedupe(),
      intake: memoryIntake(),
      onEvent: async () => undefined,
      logger: quietLogger,
      clock: { now: () => new Date() },
      redactor: new Redactor(),
    },
    options,
  );
  const close = async () => {
    await adapter.stop?.();
    await fake.close();
  };
  return { fake, adapter, provider: adapter.provider, updates, config, close };
}

/** A run spec as the core builds it. */
export function spec(over: {
  runId?: number;
  kind?: 'build' | 'test' | 'deploy' | 'rollback';
  pipeline?: string;
  ref?: string;
  params?: Record<string, string>;
}) {
  const kind = over.kind ?? 'build';
  const ref = over.ref ?? 'main';
  const params =
    over.params ??
    (kind === 'build' || kind === 'test'
      ? { branch: ref, requested_by: 'alice' }
      : { version: ref, environment: 'staging', requested_by: 'alice' });
  return { runId: over.runId ?? 1, kind, pipeline: over.pipeline ?? kind, ref, params };
}
