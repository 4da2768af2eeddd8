/**
 * `npm run bench [-- name…]`: runs the benchmarks in order (all, or the ones named), writes
 * bench/results.json (sections not run keep their last results) and prints a Markdown table.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { ack } from './ack.ts';
import { ackSlowCi } from './ack-slow-ci.ts';
import { burst } from './burst.ts';
import { footprint } from './footprint.ts';
import { ingest } from './ingest.ts';
import { removeTempDirs } from './lib/config.ts';
import { requireQuietMachine } from './lib/quiet.ts';
import {
  currentLatest,
  latestResults,
  markdownTable,
  type Results,
  replaceLatest,
  targetsMet,
} from './lib/report.ts';
import { notify } from './notify.ts';

const benchmarks: Record<string, () => Promise<object>> = {
  ack,
  ack_slow_ci: ackSlowCi,
  ingest,
  notify,
  burst,
  footprint,
};

const file = fileURLToPath(new URL('results.json', import.meta.url));
const doc = fileURLToPath(new URL('../docs/performance.md', import.meta.url));

requireQuietMachine();
const names = process.argv.slice(2).map((n) => n.replace(/-/g, '_'));
const unknown = names.filter((n) => !(n in benchmarks));
if (unknown.length) {
  console.error(
    `Unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(benchmarks).join(', ')}.`,
  );
  process.exit(2);
}
const selected = names.length
  ? Object.keys(benchmarks).filter((n) => names.includes(n))
  : Object.keys(benchmarks);

const previous: Results = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
const results: Results = {
  ...previous,
  machine: {
    cores: os.availableParallelism(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model,
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    load_average_at_start: os.loadavg().map((l) => Math.round(l * 100) / 100),
    date: new Date().toISOString(),
  },
};

for (const name of selected) {
  const started = performance.now();
  process.stdout.write(`${name}… `);
  try {
    results[name] = {
      ...(await (benchmarks[name] as () => Promise<object>)()),
      measured_at: new Date().toISOString(),
    };
    console.log(`done in ${Math.round((performance.now() - started) / 1000)} s`);
  } catch (error) {
    results[name] = { error: error instanceof Error ? error.message : String(error) };
    console.log(`failed: ${results[name].error}`);
    process.exitCode = 1;
  }
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  removeTempDirs();
}

const { met, checked } = targetsMet(results);
console.log(
  `\n${results.machine.cores} cores, Node ${results.machine.node}, load average ${results.machine.load_average_at_start.join(' ')} at start\n`,
);
console.log(markdownTable(results));
console.log(`\n${met} of ${checked} targets met. Results: bench/results.json`);
// A tree without the generated block (an older ref under `bench:compare`) keeps its doc as it is.
const text = existsSync(doc) ? readFileSync(doc, 'utf8') : '';
if (currentLatest(text) !== undefined) {
  writeFileSync(doc, replaceLatest(text, latestResults(results)));
  console.log('docs/performance.md: "Latest results" rewritten from them.');
}
