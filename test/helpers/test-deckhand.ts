/**
 * A real deckhand for tests, built by the production assembly from a config file in a temp folder
 * and the built-in modules (some swapped for test ones), driven through its web chat API. Restarting
 * on the same folder (`dir`) is how tests stand in for a crash: what the first process acknowledged
 * is all the second one finds.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DestinationStream } from 'pino';
import pino from 'pino';
import { builtinModules } from '../../src/modules/builtin.ts';
import { configExtensions, type DeckhandModules } from '../../src/modules/index.ts';
import { createDeckhand } from '../../src/server/deckhand.ts';
import { loadConfig } from './config.ts';
import { webchatDriver } from './webchat-driver.ts';

export interface TestDeckhandOptions {
  /** The config file's text. */
  yaml: string;
  /** The environment its `${…}` and conventional secrets come from. */
  env?: Record<string, string>;
  /** The modules (the built-in ones by default). */
  modules?: DeckhandModules;
  /** A folder to start in: the one an earlier deckhand ran in, for a restart. */
  dir?: string;
  /** Start the workers (default true); without them nothing taken in is handled. */
  workers?: boolean;
  /** Where logs go (default: nowhere). */
  logStream?: DestinationStream;
  /** How long the web chat driver waits for what a test expects (default 20 s). */
  timeoutMs?: number;
}

export async function startTestDeckhand(o: TestDeckhandOptions) {
  const dir = o.dir ?? mkdtempSync(path.join(os.tmpdir(), 'deckhand-test-'));
  writeFileSync(path.join(dir, 'deckhand.yaml'), o.yaml);
  const env = o.env ?? {};
  const modules = o.modules ?? builtinModules;
  const extensions = configExtensions(modules);
  const config = await loadConfig(path.join(dir, 'deckhand.yaml'), env, { extensions });
  const logger = o.logStream ? undefined : pino({ level: 'silent' });
  const deckhand = await createDeckhand({
    config,
    env,
    ...(logger ? { logger } : { logStream: o.logStream }),
    modules,
  });
  if (o.workers !== false) await deckhand.startWorkers();
  const { app } = deckhand;
  const chat = webchatDriver(app, { timeoutMs: o.timeoutMs });
  return { deckhand, config, app, dir, env, ...chat };
}

/**
 * The last step of a crash test: a deckhand started on the crashed one's data handles what that
 * one acknowledged, and the run ends `status`, its card saying so in `channel`.
 */
export async function appliedAfterRestart(
  restarted: {
    deckhand: {
      handled(): Promise<void>;
      runs: { get(id: number): Promise<{ status: string } | undefined> };
    };
    waitFor(channel: string, pattern: RegExp): Promise<unknown>;
    close(): Promise<void>;
  },
  run: { id: number; status: string; card: RegExp; channel: string },
): Promise<void> {
  try {
    await restarted.deckhand.handled();
    const found = await restarted.deckhand.runs.get(run.id);
    if (found?.status !== run.status)
      throw new Error(`run #${run.id} is ${found?.status} after the restart, not ${run.status}`);
    await restarted.waitFor(run.channel, run.card);
  } finally {
    await restarted.close();
  }
}
