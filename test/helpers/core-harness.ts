/** A core wired to an in-memory store, a recording chat sender and a scripted CI provider. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { PipelineEvent } from '../../src/core/pipeline-events.ts';
import type { Clock } from '../../src/core/ports.ts';
import { createDeckhand } from '../../src/server/deckhand.ts';
import { parseConfig } from './config.ts';
import { recordingChat, scriptedCi, withModules } from './modules.ts';
import { silentLogger } from './recording-sender.ts';

export { ScriptedProvider } from './scripted-provider.ts';

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
# No grants: everyone known may run everything (policy.test.ts and others add grants instead).
policy: { allowEveryone: true }
notifications:
  - { kind: [build, test], channels: [builds] }
  - { kind: [deploy, rollback], channels: [deploys] }
`;

export interface HarnessOptions {
  /** Time as the core sees it (the real clock by default). */
  clock?: Clock;
  /** An existing database, e.g. to restart on it. */
  sqlite?: string;
  /** Changes the checked config, e.g. to what its checks refuse but the core must survive. */
  edit?: (config: ReturnType<typeof parseConfig>) => void;
  /** Collects the log lines (JSON text) instead of dropping them. */
  logs?: string[];
}

export async function createHarness(yaml = harnessConfig, options: HarnessOptions = {}) {
  const chat = recordingChat('test');
  const ci = scriptedCi();
  const modules = withModules({ chat: [chat.module], ci: [ci.module] });
  const dir = mkdtempSync(path.join(tmpdir(), 'deckhand-harness-'));
  const config = parseConfig(yaml, path.join(dir, 'deckhand.yaml'), {}, modules);
  config.paths.sqlite = options.sqlite ?? ':memory:';
  options.edit?.(config);
  const clock = options.clock ?? { now: () => new Date() };
  // A conventional secret, masked on every way out as deckhand does.
  const env = { VAULT_TOKEN: 'hunter2-secret' };
  const logs = options.logs;
  const logging = logs
    ? {
        logStream: new Writable({
          write(chunk, _encoding, done) {
            logs.push(String(chunk));
            done();
          },
        }),
      }
    : { logger: silentLogger() };
  const deckhand = await createDeckhand({ config, modules, clock, env, ...logging });
  const { core, runs, outbox, stores, notifier, external } = deckhand;
  const sender = chat.sender;
  const provider = ci.provider;
  await deckhand.startWorkers();

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
    await deckhand.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    config,
    deckhand,
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
