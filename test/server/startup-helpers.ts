/** For start-up tests: a port nothing listens on, a deckhand whose log lines are kept, a bounded poll. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createDeckhand, type DeckhandOptions } from '../../src/server/deckhand.ts';
import { loadConfig } from '../helpers/config.ts';

/** A port that refused connections a moment ago: a server opened on it, then closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A config file in a fresh folder; its path. */
export function writeConfig(yaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deckhand-startup-'));
  const file = path.join(dir, 'deckhand.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** A deckhand built from `yaml` and `env`, its log lines parsed into `logs`. */
export async function deckhandWithLogs(
  yaml: string,
  env: Record<string, string>,
  options: Partial<DeckhandOptions> = {},
) {
  const config = await loadConfig(writeConfig(yaml), env);
  const logs: Record<string, unknown>[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const deckhand = await createDeckhand({ config, env, logStream, ...options });
  return { deckhand, config, logs };
}

/** Polls `check` until it returns a value (not undefined), at most `ms`; the error names `what`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`waited ${ms} ms for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
