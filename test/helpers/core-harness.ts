/** A core wired to an in-memory store, a recording chat sender and a scripted CI provider. */
import { createHash } from 'node:crypto';
import { parseConfig } from '../../src/config/load.ts';
import { Catalog } from '../../src/core/catalog.ts';
import { Core } from '../../src/core/core.ts';
import { ExternalRuns } from '../../src/core/external-runs.ts';
import { Notifier } from '../../src/core/notify/notifier.ts';
import { Outbox } from '../../src/core/outbox.ts';
import { Directory } from '../../src/core/people.ts';
import type { PipelineEvent } from '../../src/core/pipeline-events.ts';
import { policyFromConfig } from '../../src/core/policy.ts';
import type { CiProvider, Clock, Comparison, LogTail, RunSpec } from '../../src/core/ports.ts';
import { Redactor } from '../../src/core/redact.ts';
import { RunService } from '../../src/core/runs.ts';
import { gatingFromConfig } from '../../src/server/gating.ts';
import { createAuditQueries } from '../../src/store/audit-queries.ts';
import { createStores } from '../../src/store/index.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';
import { quietLogger, RecordingSender } from './recording-sender.ts';

export const harnessConfig = `
repositories:
  app: { url: ./repo }
people:
  - { id: alice, name: Alice, chat: { test: U1 }, emails: [alice@example.com] }
  - { id: bob, name: Bob, chat: { test: U2 } }
channels:
  general: { test: C-general }
  builds: { test: C-builds }
  deploys: { test: C-deploys }
commands:
  build: { pipeline: p }
  test: { pipeline: p, suites: [unit, integration] }
  deploy: { pipeline: p }
  rollback: { pipeline: p }
pipelines:
  p: { repository: app, steps: [{ name: s, run: "true" }] }
environments:
  - { name: production, order: 2 }
  - { name: staging, order: 1 }
# Rollbacks run at once here; confirmations and approvals are tested in gates.test.ts.
confirmations: { commands: [] }
notifications:
  - { kind: [build, test], channels: [builds] }
  - { kind: [deploy, rollback], channels: [deploys] }
`;

export class ScriptedProvider implements CiProvider {
  readonly name = 'local';
  readonly triggered: RunSpec[] = [];
  readonly cancelled: number[] = [];
  branches = ['main', 'develop', 'release/1.0'];
  refs = new Set(['v1.0.0', 'v1.1.0', 'v1.2.0', 'main']);
  failTrigger: Error | undefined;
  async trigger(spec: RunSpec) {
    if (this.failTrigger) throw this.failTrigger;
    this.triggered.push(spec);
    return this.anonymous
      ? undefined
      : { externalId: `ext-${spec.runId}`, url: `https://ci.test/runs/${spec.runId}` };
  }
  async cancel(runId: number) {
    this.cancelled.push(runId);
    return true;
  }
  async listBranches() {
    return this.branches;
  }
  /** What `logTail` answers. */
  tail: LogTail | undefined;
  /** Leave the CI id out of the trigger's answer (as GitHub's dispatch without run details). */
  anonymous = false;
  async logTail(_runId: number, _externalId: string, _job?: string) {
    return this.tail;
  }
  async hasRef(_pipeline: string, ref: string) {
    return this.refs.has(ref) || this.branches.includes(ref);
  }
  /** What `compare` answers. */
  comparison: Comparison | undefined;
  async compare(_pipeline: string, _from: string, _to: string) {
    return this.comparison;
  }
}

export interface HarnessOptions {
  /** Time as the core sees it (the real clock by default). */
  clock?: Clock;
  /** An existing database, e.g. to restart on it. */
  sqlite?: string;
}

export async function createHarness(yaml = harnessConfig, options: HarnessOptions = {}) {
  const config = parseConfig(yaml, '/tmp/deckhand-harness/deckhand.yaml', {});
  const db = await openSqlite(options.sqlite ?? ':memory:');
  const stores = createStores(db);
  const sender = new RecordingSender('test');
  const provider = new ScriptedProvider();
  const providers = new Map([[provider.name, provider as CiProvider]]);
  const directory = new Directory(config.people);
  const clock = options.clock ?? { now: () => new Date() };
  // The same masking deckhand.ts applies on every way out.
  const redactor = new Redactor(['hunter2-secret']);
  const outbox = new Outbox({
    store: stores.outbox,
    senders: new Map([['test', sender]]),
    logger: quietLogger,
    redactor,
  });
  const render = {
    mention: (id: string) => directory.mention(id),
    logUrl: (id: number) => `http://deckhand.test/runs/${id}/log`,
    mentionEmail: (email: string) => directory.mentionEmail(email),
  };
  const addresses = (id: string) => {
    const channel = config.channels[id]?.test;
    return channel ? [{ platform: 'test', channel }] : [];
  };
  const notifier = new Notifier({ outbox, routes: config.notifications, addresses, render });
  const catalog = new Catalog(config, providers);
  const runs = new RunService({
    ...stores,
    notifier,
    providerFor: (p) => catalog.provider(p),
    clock,
    logger: quietLogger,
    redactor,
  });
  const external = new ExternalRuns({
    runs: stores.runs,
    service: runs,
    directory,
    commandFor: (p) => catalog.commandFor(p),
    clock,
  });
  const policy = policyFromConfig(config);
  const auditQueries = createAuditQueries(db);
  const core = new Core({
    ...stores,
    auditLog: auditQueries,
    usageStats: auditQueries,
    catalog,
    runs,
    outbox,
    directory,
    render,
    clock,
    logger: quietLogger,
    policy,
    gating: gatingFromConfig(config, { catalog, deployments: stores.deployments, addresses }),
  });
  outbox.start();

  /** Types a command as a user in #general and waits for the outbox to settle. */
  const say = async (text: string, userId = 'U1') => {
    const reply = await core.handleCommand({ platform: 'test', userId, channel: 'C-general', text });
    await outbox.settle();
    return reply.message;
  };
  /** Clicks a button on a message the recording sender holds, as `userId`. */
  const click = async (messageId: string, actionId: string, userId = 'U1', input?: string) => {
    const sent = sender.sent.find((s) => s.messageId === messageId);
    const reply = await core.handleAction({
      platform: 'test',
      userId,
      channel: sent?.channel ?? 'C-general',
      messageId,
      actionId,
      ...(input === undefined ? {} : { input }),
    });
    await outbox.settle();
    return reply.message;
  };
  /** Emits provider events for a whole run and waits for its messages. */
  const finish = async (runId: number, status: 'succeeded' | 'failed' = 'succeeded', commit?: string) => {
    // By default a ref's commit is a hash of its name: the same ref, the same commit.
    const ref = provider.triggered.find((t) => t.runId === runId)?.ref ?? '';
    const sha = commit ?? createHash('sha1').update(ref).digest('hex');
    const at = new Date();
    const events: PipelineEvent[] = [
      { type: 'run.started', runId, at, steps: ['s'], commit: { sha, message: 'Commit message' } },
      { type: 'step.started', runId, at, step: { index: 0, name: 's', status: 'running' } },
      {
        type: 'step.finished',
        runId,
        at,
        step: {
          index: 0,
          name: 's',
          status,
          exitCode: status === 'failed' ? 1 : 0,
          durationMs: 5,
          logTail: 'last line',
        },
      },
      {
        type: 'run.finished',
        runId,
        at,
        status,
        durationMs: 10,
        reason: status === 'failed' ? "Step 's' exited with code 1." : undefined,
      },
    ];
    for (const e of events) await runs.handle(e);
    await outbox.settle();
  };
  const close = async () => {
    await outbox.stop();
    await db.destroy();
  };
  return {
    config,
    db,
    stores,
    sender,
    provider,
    core,
    runs,
    external,
    notifier,
    outbox,
    say,
    click,
    finish,
    close,
  };
}
