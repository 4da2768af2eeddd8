/** A real deckhand on a copy of the demo config in a temp folder, driven through the web chat API. */
import { copyFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config/load.ts';
import { createDeckhand, type Deckhand } from '../../src/server/deckhand.ts';
import { eventually } from './recording-sender.ts';

export interface ChatMessage {
  id: string;
  channel: string;
  threadId: string | null;
  author: { id: string; name: string; bot: boolean };
  text: string;
  blocks: { header?: string; status?: string } | null;
  actions: { id: string; label: string; style?: string }[];
  updatedAt: string | null;
  replyCount?: number;
}

export function demoDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deckhand-e2e-'));
  copyFileSync('examples/demo/deckhand.yaml', path.join(dir, 'deckhand.yaml'));
  return dir;
}

export async function startDemo(dir: string) {
  const config = loadConfig(path.join(dir, 'deckhand.yaml'), {});
  const deckhand: Deckhand = await createDeckhand({ config, logger: pino({ level: 'silent' }) });
  await deckhand.startWorkers();
  const { app } = deckhand;

  const say = async (text: string, user = 'alice', channel = 'general') => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/webchat/messages',
      payload: { channel, user, text },
    });
    if (res.statusCode !== 202) throw new Error(`POST /api/webchat/messages → ${res.statusCode} ${res.body}`);
    return res.json() as ChatMessage;
  };
  const messages = async (channel: string, thread?: string) => {
    const url = `/api/webchat/channels/${channel}/messages${thread ? `?thread=${thread}` : ''}`;
    return ((await app.inject({ url })).json() as { messages: ChatMessage[] }).messages;
  };
  /** Waits for a message in `channel` whose text matches. */
  const waitFor = async (channel: string, pattern: RegExp, timeoutMs = 30_000) => {
    let found: ChatMessage | undefined;
    await eventually(
      async () => {
        found = (await messages(channel)).find((m) => pattern.test(m.text));
        return found !== undefined;
      },
      `a message matching ${pattern} in #${channel}`,
      timeoutMs,
    );
    return found as ChatMessage;
  };
  return { deckhand, config, app, say, messages, waitFor };
}
