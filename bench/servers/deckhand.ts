/**
 * deckhand itself, assembled as `deckhand start` assembles it (createDeckhand), on a file-backed
 * SQLite database in a temp folder, its Slack Web API and GitHub pointed at fakes in the parent.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import type { CiProvider } from '../../src/core/ports.ts';
import { createDeckhand } from '../../src/server/deckhand.ts';
import { parseConfig } from '../../test/helpers/config.ts';
import { serve, serverOptions } from '../lib/child.ts';
import { benchEnv, writeBenchConfig } from '../lib/config.ts';

export interface DeckhandServerOptions {
  dir: string;
  slackUrl: string;
  githubUrl?: string;
  /** Every call to the CI system takes this long (the local provider is replaced by a slow fake). */
  slowCiMs?: number;
  /** Finished runs and deployments to create first, so `/ci status` reads a used database. */
  seedRuns?: number;
}

const o = serverOptions<DeckhandServerOptions>();
const env = benchEnv({ slack: o.slackUrl, github: o.githubUrl });
const file = writeBenchConfig(o.dir, { github: Boolean(o.githubUrl) });
const config = parseConfig(readFileSync(file, 'utf8'), file, env);
const deckhand = await createDeckhand({
  config,
  env,
  logStream: pino.destination({ dest: path.join(o.dir, 'deckhand.log'), sync: false }),
});

if (o.slowCiMs !== undefined) {
  const ms = o.slowCiMs;
  const slow = <T>(value: T) => new Promise<T>((r) => setTimeout(() => r(value), ms));
  let next = 0;
  const provider: CiProvider = {
    name: 'local',
    trigger: () => slow({ externalId: `slow-${++next}` }),
    cancel: () => slow(true),
    listBranches: () => slow(['main', 'develop']),
    hasRef: () => slow(true),
  };
  deckhand.providers.set('local', provider);
}

if (o.seedRuns) {
  const { runs, deployments } = deckhand.stores;
  const at = new Date(Date.now() - 86_400_000);
  for (let i = 0; i < o.seedRuns; i++) {
    const deploy = i % 5 === 0;
    const run = await runs.create(
      {
        kind: deploy ? 'deploy' : 'build',
        pipeline: deploy ? 'deploy' : 'build',
        provider: 'local',
        ref: deploy ? `v1.${i}.0` : 'main',
        environment: deploy ? 'staging' : undefined,
        version: deploy ? `v1.${i}.0` : undefined,
        params: {},
        requestedBy: 'alice',
        source: { platform: 'slack', channel: 'C-general' },
      },
      at,
    );
    if (deploy) {
      await deployments.create(
        { environment: 'staging', version: `v1.${i}.0`, runId: run.id, kind: 'deploy', requestedBy: 'alice' },
        at,
      );
      await deployments.finish(run.id, 'succeeded', 'abc1234', at);
    }
    await runs.save({ ...run, status: 'succeeded', finishedAt: at, durationMs: 61_000 });
  }
}

const address = await deckhand.listen(0, '127.0.0.1');
const lag = monitorEventLoopDelay({ resolution: 5 });
lag.enable();
serve(Number(new URL(address).port), {
  rss: () => process.memoryUsage().rss,
  /** How late the event loop ran since the last ask, in ms (p99 and max), then starts afresh. */
  lag: () => {
    const seen = { p99_ms: lag.percentile(99) / 1e6, max_ms: lag.max / 1e6 };
    lag.reset();
    return seen;
  },
  stop: () => deckhand.close(),
});
