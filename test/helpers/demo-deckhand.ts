/** A real deckhand on a copy of the demo config in a temp folder, driven through the web chat API. */
import { copyFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createDeckhand, type Deckhand } from '../../src/server/deckhand.ts';
import { loadConfig } from './config.ts';
import { webchatDriver } from './webchat-driver.ts';

export type { ChatMessage } from './webchat-driver.ts';

export function demoDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deckhand-e2e-'));
  copyFileSync('examples/demo/deckhand.yaml', path.join(dir, 'deckhand.yaml'));
  return dir;
}

export async function startDemo(dir: string) {
  const config = await loadConfig(path.join(dir, 'deckhand.yaml'), {});
  const deckhand: Deckhand = await createDeckhand({ config, logger: pino({ level: 'silent' }) });
  await deckhand.startWorkers();
  const { app } = deckhand;

  const { say, messages, waitFor, click } = webchatDriver(app, { timeoutMs: 30_000 });
  return { deckhand, config, app, say, messages, waitFor, click };
}
