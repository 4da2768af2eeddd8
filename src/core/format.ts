/** Durations: parsing `90`, `30s`, `10m`, `2h`, `1h30m` into milliseconds (config/duration.ts), and printing them back. */
export { parseDuration } from '../config/duration.ts';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return rest ? `${m}m ${rest}s` : `${m}m`;
}
