/** A deckhand in this process whose pipelines run nowhere: the events are fed to it directly. */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import type { PipelineEvent } from '../../src/core/pipeline-events.ts';
import type { CiProvider } from '../../src/core/ports.ts';
import { createDeckhand, type Deckhand } from '../../src/server/deckhand.ts';
import { parseConfig } from '../../test/helpers/config.ts';
import { benchEnv, branchFor, tempDir, writeBenchConfig } from './config.ts';

/** A CI provider that accepts every run and reports nothing; the benchmark plays its events. */
const silentCi: CiProvider = {
  name: 'local',
  trigger: async (spec) => ({ externalId: `ci-${spec.runId}` }),
  cancel: async () => false,
  listBranches: async () => ['main'],
};

/**
 * deckhand with a chat platform (Slack unless told; its env points at the platform's fake) and
 * `channels` routed channels, workers started.
 */
export async function inProcessDeckhand(
  name: string,
  slackUrl: string,
  channels: number,
  platform?: { name: string; env: Record<string, string>; channelId?: (channel: string) => string },
): Promise<Deckhand> {
  const dir = tempDir(name);
  const env = platform?.env ?? benchEnv({ slack: slackUrl });
  const file = writeBenchConfig(dir, {
    channels,
    platform: platform?.name,
    channelId: platform?.channelId,
    // Discord ids are numbers.
    userId:
      platform?.name === 'discord'
        ? (u) => (u === 'U-alice' ? '800000000000000001' : '800000000000000002')
        : undefined,
  });
  const config = parseConfig(readFileSync(file, 'utf8'), file, env);
  const deckhand = await createDeckhand({ config, env, logger: pino({ level: 'silent' }) });
  deckhand.providers.set('local', silentCi);
  await deckhand.startWorkers();
  return deckhand;
}

/** Starts a build of the branch routed to channel `channel` (nobody waits for a reply). */
export async function startRun(deckhand: Deckhand, channel: number): Promise<number> {
  const run = await deckhand.runs.start({
    kind: 'build',
    pipeline: 'build',
    ref: branchFor(channel),
    requestedBy: 'alice',
    source: { platform: '', channel: '' },
  });
  return run.id;
}

export const jobName = (n: number) => `job-${n}`;

/** A run of `jobs` jobs, each started then finished, as its CI system reports it. */
export function runEvents(runId: number, jobs: number): PipelineEvent[] {
  const at = new Date();
  const steps = Array.from({ length: jobs }, (_, i) => jobName(i + 1));
  const events: PipelineEvent[] = [{ type: 'run.started', runId, at, steps }];
  for (let i = 0; i < jobs; i++) {
    const name = jobName(i + 1);
    events.push({ type: 'step.started', runId, at, step: { index: i, name, status: 'running' } });
    events.push({
      type: 'step.finished',
      runId,
      at,
      step: { index: i, name, status: 'succeeded', durationMs: 1000 + i },
    });
  }
  events.push({ type: 'run.finished', runId, at, status: 'succeeded', durationMs: 60_000 });
  return events;
}
