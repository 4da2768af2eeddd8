/**
 * `npm run bench:compare -- <git-ref> [rounds] [ack|ingest…]`: the ack and ingest benchmarks (or
 * those named) on <ref> and on this tree, in turns, in one run on one machine, so a busy moment of the machine falls on both alike.
 * <ref> is checked out in a temporary worktree that shares this tree's node_modules and takes this
 * tree's load generators (every bench file but those assembling deckhand, which follow each tree's
 * own API). Prints each figure's median on both and their ratio, and writes them to
 * bench/results.json as `compare`.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireQuietMachine } from './lib/quiet.ts';
import type { Results } from './lib/report.ts';
import { round } from './lib/stats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const [ref, roundsArg, ...named] = process.argv.slice(2);
const sections = named.length ? named : ['ack', 'ingest'];
if (!ref || sections.some((s) => s !== 'ack' && s !== 'ingest')) {
  console.error('Usage: npm run bench:compare -- <git-ref> [rounds] [ack|ingest…]');
  process.exit(2);
}
const rounds = Number(roundsArg) || 3;
requireQuietMachine();

/** The figures compared: higher is better for each. */
const allFigures: Record<string, (r: Results) => number> = {
  ack_rps: (r) => r.ack.rps,
  ack_ratio_to_signed_baseline: (r) => r.ack.ratio_to_signed_baseline,
  ack_ratio_to_baseline: (r) => r.ack.ratio_to_baseline,
  ingest_events_per_s: (r) => r.ingest.events_per_s,
  ingest_processed_events_per_s: (r) => r.ingest.processed_events_per_s,
};
const figures = Object.fromEntries(
  Object.entries(allFigures).filter(([name]) => sections.some((s) => name.startsWith(`${s}_`))),
);

/** Copies this tree's bench files into `dir`, but not those that assemble deckhand. */
function overlayBench(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) overlayBench(source, target);
    else if (entry.name.endsWith('.ts') && !readFileSync(source, 'utf8').includes('src/server/deckhand.ts'))
      cpSync(source, target);
  }
}

function benchIn(dir: string): Results {
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...sections], {
    cwd: dir,
    // The turns themselves load the machine; it was checked quiet once, before the first.
    env: { ...process.env, BENCH_ALLOW_LOAD: '1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const results = JSON.parse(readFileSync(path.join(dir, 'bench/results.json'), 'utf8')) as Results;
  for (const name of sections)
    if (results[name]?.error) throw new Error(`${name} failed in ${dir}: ${results[name].error}`);
  return results;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const worktree = mkdtempSync(path.join(os.tmpdir(), 'deckhand-compare-'));
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' }).toString().trim();
const commit = git('rev-parse', '--short', ref);
git('worktree', 'add', '--detach', worktree, ref);
try {
  symlinkSync(path.join(root, 'node_modules'), path.join(worktree, 'node_modules'));
  overlayBench(here, path.join(worktree, 'bench'));
  const seen: Record<'before' | 'after', Record<string, number[]>> = { before: {}, after: {} };
  for (let i = 1; i <= rounds; i++) {
    for (const [side, dir] of [
      ['before', worktree],
      ['after', root],
    ] as const) {
      console.log(`\nround ${i} of ${rounds}: ${side === 'before' ? commit : 'this tree'}`);
      const results = benchIn(dir);
      for (const [name, read] of Object.entries(figures))
        seen[side][name] = [...(seen[side][name] ?? []), read(results)];
    }
  }
  const rows = Object.keys(figures).map((name) => {
    const before = median(seen.before[name] ?? []);
    const after = median(seen.after[name] ?? []);
    return { name, before, after, ratio: round(after / before, 3) };
  });
  console.log(`\nMedians of ${rounds} rounds, ${commit} (before) and this tree (after), in turns:\n`);
  console.log('| figure | before | after | after / before |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.before} | ${r.after} | ${r.ratio} |`);
  const file = path.join(here, 'results.json');
  const results = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as Results;
  results.compare = {
    before: commit,
    rounds,
    figures: Object.fromEntries(rows.map((r) => [r.name, { ...r, name: undefined }])),
    runs: seen,
    measured_at: new Date().toISOString(),
  };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
} finally {
  git('worktree', 'remove', '--force', worktree);
}
