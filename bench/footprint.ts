/**
 * Footprint: the real CLI (`node bin/deckhand.js start --config …`, running the bundle
 * `npm run build` writes) on a fresh data folder, timed
 * from spawn until `GET /readyz` answers 200; then its resident memory once idle. Three starts;
 * the median start time is reported.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchEnv, benchSlackFake, tempDir, writeBenchConfig } from './lib/config.ts';
import { percentile, round } from './lib/stats.ts';

export interface FootprintResult {
  ready_ms: number;
  ready_ms_all: number[];
  idle_rss_mb: number;
}

const cli = fileURLToPath(new URL('../bin/deckhand.js', import.meta.url));

/** Resident memory of a process in MB, from /proc (Linux) or `ps`. */
function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // not Linux: ask ps
  }
  const kb = Number(spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim());
  return kb > 0 ? kb / 1024 : Number.NaN;
}

/** Starts deckhand against Slack's fake at `slackUrl` and times it until /readyz answers 200. */
async function startOnce(slackUrl: string): Promise<{ readyMs: number; child: ChildProcess; url: string }> {
  const dir = tempDir('footprint');
  const config = writeBenchConfig(dir);
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'start', '--config', config], {
    // Ready means Slack answered auth.test: a Slack that cannot be reached is not ready.
    env: { ...process.env, ...benchEnv({ slack: slackUrl }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`deckhand exited with ${code}: ${output}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const address = /"address":"(http:\/\/[^"]+)"/.exec(output)?.[1];
      if (address) resolve(address);
    });
  });
  for (;;) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    if (res?.status === 200) break;
    if (performance.now() - started > 30_000) {
      child.kill('SIGKILL');
      throw new Error(`not ready after 30 s: /readyz said ${res ? await res.text() : 'nothing'}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { readyMs: performance.now() - started, child, url };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** What `npm run build` does: the bundle `bin/deckhand.js` runs when it is fresh. */
function build(): void {
  const built = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`npm run build failed: ${built.stderr}`);
}

export async function footprint(): Promise<FootprintResult> {
  // Measured as deployed: the bundle, not the sources compiled by tsx on every start.
  build();
  const slack = await benchSlackFake(['C-general', 'C-builds', 'C-deploys']);
  const times: number[] = [];
  let rss = Number.NaN;
  for (let i = 0; i < 3; i++) {
    const { readyMs, child } = await startOnce(slack.url);
    times.push(round(readyMs, 0));
    if (i === 2) {
      // Idle: started, nothing asked of it for a few seconds.
      await new Promise((r) => setTimeout(r, 3000));
      rss = rssMb(child.pid as number);
    }
    await stop(child);
  }
  await slack.close();
  return { ready_ms: percentile(times, 50), ready_ms_all: times, idle_rss_mb: round(rss, 1) };
}
