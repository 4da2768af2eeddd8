/**
 * Notification efficiency: a pipeline of 30 jobs reports each job started and finished (62 events
 * with the run's start and end); count the chat calls its channel gets. Each platform's fake
 * enforces its documented limit (Slack: one message per second per channel), and every call
 * counts, refused or not. Also: 10 and 60 jobs (the count must not grow with jobs), and the 30
 * jobs' events spread over 5 s instead of at once. Run on every chat platform; the top-level
 * figures are Slack's.
 */
import { checkChannel } from './lib/chat-audit.ts';
import { slackChannel } from './lib/config.ts';
import { inProcessDeckhand, runEvents, startRun } from './lib/pipeline.ts';
import { benchPlatforms, type StartBenchPlatform } from './lib/platforms.ts';

export interface NotifyResult {
  calls_per_pipeline: number;
  naive_calls: number;
  jobs: number;
  calls_by_jobs: Record<string, number>;
  /** The same 30-job pipeline with its events spread evenly over `spread_s` seconds. */
  calls_spread: number;
  spread_s: number;
  lost: number;
  duplicated: number;
  /** The limit the platform's fake enforced. */
  limit: string;
}

const variants = [
  { jobs: 30, spreadMs: 0 },
  { jobs: 10, spreadMs: 0 },
  { jobs: 60, spreadMs: 0 },
  { jobs: 30, spreadMs: 5000 },
];

export async function notify(): Promise<NotifyResult & { platforms: Record<string, NotifyResult> }> {
  const platforms: Record<string, NotifyResult> = {};
  for (const start of benchPlatforms) {
    const result = await notifyOn(start);
    platforms[result.name] = result.figures;
  }
  return { ...(platforms.slack as NotifyResult), platforms };
}

async function notifyOn(start: StartBenchPlatform): Promise<{ name: string; figures: NotifyResult }> {
  const channels = variants.map((_, i) => slackChannel(i));
  const fake = await start(channels, true);
  const deckhand = await inProcessDeckhand(`notify-${fake.name}`, '', variants.length, fake);
  try {
    const runs = await Promise.all(
      variants.map(async (v, i) => {
        const runId = await startRun(deckhand, i);
        const events = runEvents(runId, v.jobs);
        const gap = v.spreadMs / events.length;
        for (const event of events) {
          await deckhand.runs.handle(event);
          if (gap) await new Promise((r) => setTimeout(r, gap));
        }
        return { runId, events: events.length, channel: slackChannel(i), ...v };
      }),
    );
    await deckhand.outbox.settle(60_000);
    const calls = (channel: string) => fake.calls().filter((c) => c.channel === channel).length;
    let lost = 0;
    let duplicated = 0;
    for (const run of runs) {
      const check = checkChannel(fake.messagesIn(run.channel), [
        { runId: run.runId, steps: run.jobs, status: 'succeeded' },
      ]);
      lost += check.lost;
      duplicated += check.duplicated;
    }
    const [main, ten, sixty, spread] = runs as [
      (typeof runs)[0],
      (typeof runs)[0],
      (typeof runs)[0],
      (typeof runs)[0],
    ];
    const figures = {
      calls_per_pipeline: calls(main.channel),
      naive_calls: main.events,
      jobs: main.jobs,
      calls_by_jobs: { 10: calls(ten.channel), 30: calls(main.channel), 60: calls(sixty.channel) },
      calls_spread: calls(spread.channel),
      spread_s: spread.spreadMs / 1000,
      lost,
      duplicated,
      limit: fake.limit,
    };
    return { name: fake.name, figures };
  } finally {
    await deckhand.close();
    await fake.close();
  }
}
