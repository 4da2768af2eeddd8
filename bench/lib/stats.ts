/** Small numeric helpers the benchmarks share; pure, so test/bench/ can check them. */

/** The p-th percentile (0–100) by nearest rank of samples already sorted ascending; NaN when empty. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)] as number;
}

/** The p-th percentile (0–100) by nearest rank of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  return percentileOfSorted(
    [...samples].sort((a, b) => a - b),
    p,
  );
}

/** Count, p50, p99 and max of latency samples in milliseconds. */
export function latencySummary(samples: readonly number[]): {
  count: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
} {
  const sorted = Float64Array.from(samples).sort();
  const list = sorted as unknown as number[];
  return {
    count: samples.length,
    p50_ms: round(percentileOfSorted(list, 50)),
    p99_ms: round(percentileOfSorted(list, 99)),
    max_ms: round(sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN),
  };
}

/** Rounds to `digits` decimals (two by default), for numbers meant to be read. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `a / b`, rounded to three decimals; NaN when `b` is zero. */
export function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : round(a / b, 3);
}
