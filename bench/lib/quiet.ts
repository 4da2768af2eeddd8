/** Figures from a busy machine say little: a benchmark run starts only on a quiet one. */
import os from 'node:os';

/** Exits (2) when the 1-minute load average is above 1, unless BENCH_ALLOW_LOAD is set. */
export function requireQuietMachine(): void {
  const [load1] = os.loadavg();
  if ((load1 ?? 0) <= 1 || process.env.BENCH_ALLOW_LOAD) return;
  console.error(
    `The 1-minute load average is ${load1?.toFixed(2)}: benchmarks need a quiet machine. Wait, or set BENCH_ALLOW_LOAD=1.`,
  );
  process.exit(2);
}
