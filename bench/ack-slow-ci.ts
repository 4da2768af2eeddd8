/**
 * Ack under a slow CI system: the same `/ci status` load (50 connections), while every call to the
 * CI system takes 5 s and `/ci build main` arrives ten times a second, each calling it. Acks must not
 * wait for the CI system: status stays fast, and builds are answered within the ack window with
 * what happens next (their result follows in the channel).
 */
import { startServer } from './lib/child.ts';
import { benchSlackFake, tempDir } from './lib/config.ts';
import { benchSeconds, measure } from './lib/load.ts';
import { signedCommand } from './lib/slack.ts';
import { latencySummary, round } from './lib/stats.ts';

export const slowCiMs = 5000;

export interface AckSlowCiResult {
  /** p99 of the status acks (the same load as `ack`) while the builds wait on the CI system. */
  p99_ms: number;
  /** The latest ack of all, builds included. */
  max_ms: number;
  /** p99 over every ack, status and builds pooled (builds are about 1 % of them). */
  pooled_p99_ms: number;
  status_rps: number;
  builds: number;
  build_p50_ms: number;
  build_max_ms: number;
  failed: number;
  ci_call_ms: number;
  /** The longest the server's event loop was late while loaded. */
  event_loop_delay_max_ms: number;
}

/** `/ci build main` every 100 ms for `seconds`, each answered on its own connection; latencies in ms. */
async function buildStream(url: string, seconds: number): Promise<{ samples: number[]; failed: number }> {
  const samples: number[] = [];
  let failed = 0;
  const sent: Promise<void>[] = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const request = signedCommand('build main');
    const started = performance.now();
    sent.push(
      fetch(`${url}/slack/commands`, {
        method: 'POST',
        headers: request.headers as Record<string, string>,
        body: request.body as string,
      })
        .then(async (res) => {
          await res.text();
          if (res.status === 200) samples.push(performance.now() - started);
          else failed++;
        })
        .catch(() => {
          failed++;
        }),
    );
    await new Promise((r) => setTimeout(r, 100));
  }
  await Promise.all(sent);
  return { samples, failed };
}

export async function ackSlowCi(): Promise<AckSlowCiResult> {
  const fake = await benchSlackFake(['C-general', 'C-builds', 'C-deploys']);
  const server = await startServer('deckhand', {
    dir: tempDir('ack-slow-ci'),
    slackUrl: fake.url,
    seedRuns: 200,
    slowCiMs,
  });
  try {
    const seconds = benchSeconds(10);
    await measure({ url: server.url, requests: [signedCommand('status')], durationS: 1, warmupS: 0 });
    await server.ask({ type: 'lag' });
    const [status, builds] = await Promise.all([
      measure({ url: server.url, requests: [signedCommand('status')], durationS: seconds, warmupS: 0 }),
      buildStream(server.url, seconds),
    ]);
    const lag = await server.ask<{ p99_ms: number; max_ms: number }>({ type: 'lag' });
    const all = [...(status.samples ?? []), ...builds.samples];
    const mix = latencySummary(all);
    const b = latencySummary(builds.samples);
    return {
      p99_ms: status.p99_ms,
      max_ms: mix.max_ms,
      pooled_p99_ms: mix.p99_ms,
      status_rps: status.rps,
      builds: b.count,
      build_p50_ms: b.p50_ms,
      build_max_ms: b.max_ms,
      failed: status.failed + builds.failed,
      ci_call_ms: slowCiMs,
      event_loop_delay_max_ms: round(lag.max_ms, 1),
    };
  } finally {
    await server.stop();
    await fake.close();
  }
}
