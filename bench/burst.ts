/**
 * Burst under rate limits: 10,000 pipeline events — 200 runs of 24 jobs across 20 channels, each
 * run started, every job started and finished, the run finished — played as fast as deckhand
 * takes them, while each platform's fake enforces its documented limit (Slack: one message per
 * second per channel) and answers 429 with Retry-After beyond it. Every run's message must end in
 * its final state, every job's detail must be in its thread, nothing twice, and no request may
 * come before its Retry-After. Run on every chat platform; the top-level figures are Slack's.
 */
import { checkChannel, type Expected } from './lib/chat-audit.ts';
import { slackChannel } from './lib/config.ts';
import { inProcessDeckhand, runEvents, startRun } from './lib/pipeline.ts';
import { benchPlatforms, type StartBenchPlatform } from './lib/platforms.ts';
import { round } from './lib/stats.ts';

export interface BurstResult {
  events: number;
  channels: number;
  runs: number;
  lost: number;
  duplicated: number;
  early_retries: number;
  /** From the first event until the last message reached the platform. */
  drain_s: number;
  /** The least time any sender could take: one message per run, at one per second per channel. */
  min_drain_s: number;
  calls: number;
  refused_429: number;
  /** How long deckhand took to take in all the events. */
  apply_s: number;
  /** The limit the platform's fake enforced. */
  limit: string;
}

const CHANNELS = 20;
const RUNS_PER_CHANNEL = 10;
const JOBS = 24;

export async function burst(): Promise<BurstResult & { platforms: Record<string, BurstResult> }> {
  const platforms: Record<string, BurstResult> = {};
  for (const start of benchPlatforms) {
    const result = await burstOn(start);
    platforms[result.name] = result.figures;
  }
  return { ...(platforms.slack as BurstResult), platforms };
}

async function burstOn(start: StartBenchPlatform): Promise<{ name: string; figures: BurstResult }> {
  const channels = Array.from({ length: CHANNELS }, (_, i) => slackChannel(i));
  const fake = await start(channels, true);
  const deckhand = await inProcessDeckhand(`burst-${fake.name}`, '', CHANNELS, fake);
  try {
    const started = performance.now();
    const runs: { runId: number; channel: number; events: ReturnType<typeof runEvents> }[] = [];
    for (let r = 0; r < RUNS_PER_CHANNEL; r++) {
      for (let c = 0; c < CHANNELS; c++) {
        const runId = await startRun(deckhand, c);
        runs.push({ runId, channel: c, events: runEvents(runId, JOBS) });
      }
    }
    // Every run advances together, one event each in turn, as a CI system under load reports.
    const perRun = (runs[0]?.events.length ?? 0) as number;
    for (let e = 0; e < perRun; e++) {
      await Promise.all(runs.map((run) => deckhand.runs.handle(run.events[e] as (typeof run.events)[0])));
    }
    const applied = performance.now();
    await deckhand.outbox.settle(600_000);
    const calls = fake.calls();
    const ok = calls.filter((c) => c.status >= 200 && c.status < 300);
    const last = Math.max(...ok.map((c) => c.at));
    const drainS = (last - (performance.timeOrigin + started)) / 1000;

    let lost = 0;
    let duplicated = 0;
    for (let c = 0; c < CHANNELS; c++) {
      const expected: Expected[] = runs
        .filter((r) => r.channel === c)
        .map((r) => ({ runId: r.runId, steps: JOBS, status: 'succeeded' }));
      const check = checkChannel(fake.messagesIn(slackChannel(c)), expected);
      lost += check.lost;
      duplicated += check.duplicated;
    }
    const figures = {
      events: runs.length * perRun,
      channels: CHANNELS,
      runs: runs.length,
      lost,
      duplicated,
      early_retries: fake.earlyRetries(),
      drain_s: round(drainS, 1),
      min_drain_s: fake.minDrainS(RUNS_PER_CHANNEL, CHANNELS),
      calls: calls.length,
      refused_429: calls.filter((c) => c.status === 429).length,
      apply_s: round((applied - started) / 1000, 1),
      limit: fake.limit,
    };
    return { name: fake.name, figures };
  } finally {
    await deckhand.close();
    await fake.close();
  }
}
