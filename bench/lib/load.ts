/** Load with autocannon, latency taken per response (fractional ms) rather than from its histogram. */
import autocannon from 'autocannon';
import { latencySummary, round } from './stats.ts';

export interface LoadOptions {
  url: string;
  /** One request, or several that each connection cycles through. */
  requests: autocannon.Request[];
  connections?: number;
  /** Seconds of measured load (after `warmupS` seconds not counted). */
  durationS?: number;
  warmupS?: number;
  /** Status codes that count as answered (default 200). */
  ok?: (status: number) => boolean;
  /** Send exactly this many requests instead of loading for `durationS`. */
  amount?: number;
  /** Requests per second from all connections together (default: as fast as answered). */
  overallRate?: number;
  /** Where to add the measured latencies too (to pool several loads). */
  samples?: number[];
}

export interface LoadResult {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  answered: number;
  /** Answers with another status, and connection errors or timeouts. */
  failed: number;
  duration_s: number;
  /** Every measured latency, in milliseconds. */
  samples?: number[];
  /** Answered during the warm-up (not measured). */
  warmup_answered: number;
}

/** Seconds of load for each measurement: `BENCH_DURATION` or `fallback`. */
export function benchSeconds(fallback: number): number {
  const set = Number(process.env.BENCH_DURATION);
  return Number.isFinite(set) && set > 0 ? set : fallback;
}

async function fire(o: LoadOptions, durationS: number, samples?: number[]) {
  let answered = 0;
  let failed = 0;
  const ok = o.ok ?? ((s: number) => s === 200);
  let finished: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finished = (error) => (error ? reject(error) : resolve());
  });
  const options = {
    url: o.url,
    connections: o.connections ?? 50,
    duration: durationS,
    requests: o.requests,
    timeout: 10,
    ...(o.overallRate ? { overallRate: o.overallRate } : {}),
    ...(o.amount ? { amount: o.amount } : {}),
  };
  const instance = autocannon(options, (error) => finished(error));
  const started = performance.now();
  // autocannon notices it is done on its one-second tick: time the load to its last answer.
  let last = started;
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    last = performance.now();
    if (ok(status)) {
      answered++;
      samples?.push(ms);
    } else failed++;
  });
  instance.on('reqError', () => failed++);
  await done;
  return { answered, failed, seconds: (last - started) / 1000 };
}

/** Warms the server up, then measures `durationS` seconds at full load. */
export async function measure(o: LoadOptions): Promise<LoadResult> {
  const warmup = o.warmupS ?? 2;
  const warm = warmup > 0 ? await fire(o, warmup) : undefined;
  const samples: number[] = [];
  const { answered, failed, seconds } = await fire(o, o.durationS ?? benchSeconds(10), samples);
  const { p50_ms, p99_ms, max_ms } = latencySummary(samples);
  if (o.samples) for (const ms of samples) o.samples.push(ms);
  return {
    rps: round(answered / seconds, 0),
    p50_ms,
    p99_ms,
    max_ms,
    answered,
    failed,
    duration_s: round(seconds),
    samples,
    warmup_answered: warm?.answered ?? 0,
  };
}
