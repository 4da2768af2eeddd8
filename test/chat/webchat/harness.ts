/** Test harness for the web chat: an in-memory database, a small config and a recording Inbound. */
import Fastify, { type FastifyInstance } from 'fastify';
import { createWebchatAdapter, type WebchatAdapter } from '../../../src/chat/webchat/index.ts';
import type { LoadedConfig } from '../../../src/config/load.ts';
import type { ActionRequest, CommandRequest } from '../../../src/core/inbound.ts';
import type { Intake, Receipt } from '../../../src/core/intake.ts';
import type { Clock } from '../../../src/core/ports.ts';
import type { Db } from '../../../src/store/db.ts';
import { createStores } from '../../../src/store/index.ts';
import { openSqlite } from '../../../src/store/sqlite/open.ts';
import { parseConfig } from '../../helpers/config.ts';

export const CONFIG_YAML = `
people:
  - { id: alice, name: Alice Example, chat: { webchat: alice-web } }
  - { id: bob, name: Bob }
channels:
  general: {}
  ci-builds: { webchat: builds }
webchat:
  title: Test Deck
`;

/** An intake that records every command and click it is given. */
export class RecordingIntake implements Intake {
  commands: CommandRequest[] = [];
  actions: ActionRequest[] = [];
  private waiters: (() => void)[] = [];

  async command(request: CommandRequest): Promise<Receipt> {
    this.commands.push(request);
    this.notify();
    return { duplicate: false };
  }

  async action(request: ActionRequest): Promise<Receipt> {
    this.actions.push(request);
    this.notify();
    return { duplicate: false };
  }

  async record(): Promise<boolean> {
    return true;
  }

  handle(): void {}

  /** Resolves once `predicate` holds, checking after each call; fails after a second. */
  async until(predicate: () => boolean, what = 'inbound call'): Promise<void> {
    const deadline = Date.now() + 1000;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 20);
      });
    }
  }

  private notify() {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  constructor(public current = new Date('2025-01-02T03:04:05.000Z')) {}
  now() {
    return new Date(this.current);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface Harness {
  app: FastifyInstance;
  adapter: WebchatAdapter;
  inbound: RecordingIntake;
  clock: FakeClock;
  db: Db;
  config: LoadedConfig;
}

/** Builds a fastify app with the web chat mounted at the root, as the server does. */
export async function createHarness(yaml = CONFIG_YAML): Promise<Harness> {
  const db = await openSqlite(':memory:');
  const config = parseConfig(yaml, '/tmp/x/deckhand.yaml', {});
  const clock = new FakeClock();
  const inbound = new RecordingIntake();
  const adapter = createWebchatAdapter({
    transcript: createStores(db).transcript,
    config,
    clock,
    intake: inbound,
    title: (config.sections.webchat as { title: string }).title,
  });
  const app = Fastify({ logger: false });
  await app.register(adapter.routes);
  await app.ready();
  return { app, adapter, inbound, clock, db, config };
}

/** Closes the app, the adapter and the database. */
export async function closeHarness(h: Harness): Promise<void> {
  h.adapter.close();
  await h.app.close();
  await h.db.destroy();
}

/** Posts JSON through inject and returns status and parsed body. */
export async function postJson(app: FastifyInstance, url: string, payload: unknown) {
  const response = await app.inject({ method: 'POST', url, payload: payload as object });
  return { status: response.statusCode, body: response.json() };
}

/** Lists a channel (or a thread) through the API. */
export async function list(app: FastifyInstance, channel: string, query = '') {
  const response = await app.inject({
    method: 'GET',
    url: `/api/webchat/channels/${channel}/messages${query}`,
  });
  if (response.statusCode !== 200) throw new Error(`listing failed: ${response.statusCode} ${response.body}`);
  return (response.json() as { messages: Record<string, unknown>[] }).messages;
}
