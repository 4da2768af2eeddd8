/** A `deckhand start` child process for crash tests: started, asked, and killed with SIGKILL. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';
import { eventually } from '../helpers/recording-sender.ts';

export interface Child {
  url: string;
  process: ChildProcess;
  /** Resolves when the process is gone. */
  exited: Promise<void>;
}

/** Children still running; a test that failed half-way must not leave one keeping its file alive. */
const running = new Set<ChildProcess>();
after(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `deckhand start --config file --port 0` and waits for the address it listens on. */
export async function startChild(file: string, env: Record<string, string>, log: string): Promise<Child> {
  const bin = path.resolve('bin/deckhand.js');
  const child = spawn(process.execPath, [bin, 'start', '--config', file, '--port', '0'], {
    env: { ...process.env, DECKHAND_CONFIG: '', ...env },
  });
  const out = createWriteStream(log, { flags: 'a' });
  let said = '';
  const keep = (chunk: Buffer) => {
    out.write(chunk);
    if (said.length < 100_000) said += String(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  let url: string | undefined;
  try {
    await eventually(
      () => {
        url = /"address":"(http:\/\/[^"]+)"/.exec(said)?.[1];
        return url !== undefined || child.exitCode !== null;
      },
      'deckhand to start',
      60_000,
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}; deckhand said: ${said.slice(-2000)}`);
  }
  if (!url) throw new Error(`deckhand exited (${child.exitCode}); it said: ${said.slice(-2000)}`);
  return { url, process: child, exited };
}

/** Kills the process at once, as a crash would. */
export async function kill(child: Child): Promise<void> {
  child.process.kill('SIGKILL');
  await child.exited;
}

/** Stops it as an operator would (SIGTERM), so its files are closed. */
export async function stop(child: Child): Promise<void> {
  child.process.kill('SIGTERM');
  await child.exited;
}
