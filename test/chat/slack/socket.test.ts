import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  AckBody,
  EventCallback,
  SlackHandlers,
  SlashCommandBody,
} from '../../../src/chat/slack/handlers-types.ts';
import {
  createSlackSocket,
  type SlackSocket,
  slackSocketFailureReply,
} from '../../../src/chat/slack/socket.ts';
import { type SocketModeServer, startSocketModeServer } from '../../fakes/socket-mode-server.ts';

/** Rejects after `ms` unless `promise` settles first. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `check` until it is true, for at most `ms`. */
async function until(check: () => boolean, what: string, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A logger that keeps what it is told. */
function recordingLogger() {
  const lines: { level: string; o: object; m?: string }[] = [];
  const at = (level: string) => (o: object, m?: string) => void lines.push({ level, o, m });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** SlackHandlers that record their calls; behaviour is swappable per test. */
function recordingHandlers() {
  const calls = {
    commands: [] as SlashCommandBody[],
    interactions: [] as unknown[],
    events: [] as EventCallback[],
  };
  const behaviour = {
    command: async (_b: SlashCommandBody): Promise<AckBody> => ({
      response_type: 'in_channel',
      text: 'on it',
    }),
    interaction: async (_p: unknown): Promise<void> => {},
    event: async (_c: EventCallback): Promise<void> => {},
  };
  const handlers: SlackHandlers = {
    command(b) {
      calls.commands.push(b);
      return behaviour.command(b);
    },
    interaction(p) {
      calls.interactions.push(p);
      return behaviour.interaction(p);
    },
    event(c) {
      calls.events.push(c);
      return behaviour.event(c);
    },
  };
  return { calls, behaviour, handlers };
}

const command: SlashCommandBody = {
  command: '/deck',
  text: 'build main',
  user_id: 'U-alice',
  user_name: 'alice',
  channel_id: 'C-builds',
  team_id: 'T-fake',
  response_url: 'https://hooks.slack.test/commands/1',
  trigger_id: 'trig.1',
  api_app_id: 'A1',
};

const callback = (id: string): EventCallback => ({
  type: 'event_callback',
  event_id: id,
  team_id: 'T-fake',
  event: { type: 'app_mention', user: 'U-alice', text: '<@U-bot> status', channel: 'C-builds', ts: '1.1' },
});

describe('Slack Socket Mode', () => {
  let server: SocketModeServer;
  let socket: SlackSocket;
  const log = recordingLogger();
  const rec = recordingHandlers();

  before(async () => {
    server = await startSocketModeServer({ appTokens: ['xapp-good'] });
    socket = createSlackSocket({
      appToken: 'xapp-good',
      apiUrl: server.apiUrl,
      handlers: rec.handlers,
      logger: log,
      clientPingTimeoutMs: 300,
    });
    await within(socket.start(), 3000, 'start()');
  });

  after(async () => {
    await socket?.stop();
    await server?.close();
  });

  test('start() resolves connected, after apps.connections.open with the app token', () => {
    assert.equal(socket.connected, true);
    const open = server.api.calls.find((c) => c.method === 'apps.connections.open');
    assert.equal(open?.headers.authorization, 'Bearer xapp-good');
    assert.equal(server.connectionCount, 1);
  });

  test('a slash command reaches handlers.command and its reply is the ack payload', async () => {
    const id = server.sendSlashCommand({ ...command });
    const ack = await server.waitForAck(id);
    assert.deepEqual(rec.calls.commands.at(-1), command);
    assert.deepEqual(ack, { envelope_id: id, payload: { response_type: 'in_channel', text: 'on it' } });
  });

  test('an interactive envelope is acked, empty, once the handler has taken it in, not before', async () => {
    let release = () => {};
    let taken = false;
    rec.behaviour.interaction = async () => {
      await new Promise<void>((r) => {
        release = r;
      });
      taken = true;
    };
    const payload = {
      type: 'block_actions',
      user: { id: 'U-alice' },
      channel: { id: 'C-builds' },
      message: { ts: '1.1' },
      actions: [{ action_id: 'approve', value: 'run-1' }],
    };
    const id = server.sendInteractive(payload);
    await until(() => rec.calls.interactions.length === 1, 'the interaction handler to be called');
    await assert.rejects(server.waitForAck(id, 200), /timed out/, 'no ack while it is being taken in');
    release();
    const ack = await server.waitForAck(id);
    assert.deepEqual(ack.payload, {});
    assert.equal(taken, true);
    assert.deepEqual(rec.calls.interactions[0], payload);
    rec.behaviour.interaction = async () => undefined;
  });

  test('an events_api envelope is acked and reaches handlers.event with the event_callback', async () => {
    const id = server.sendEvent(callback('Ev1'), 1);
    const ack = await server.waitForAck(id);
    assert.deepEqual(ack.payload, {});
    await until(() => rec.calls.events.length === 1, 'the event handler to be called');
    assert.deepEqual(rec.calls.events[0], callback('Ev1'));
  });

  test('a payload without what deckhand reads is acked at once (Slack would resend it), logged with the field, and handled by nobody', async () => {
    const before = { events: rec.calls.events.length, interactions: rec.calls.interactions.length };
    const bad = { ...callback('Ev-bad'), event: { ...callback('Ev-bad').event, user: { id: 'U1' } } };
    const eventId = server.sendEvent(bad as unknown as EventCallback);
    assert.deepEqual((await server.waitForAck(eventId)).payload, {});
    const clickId = server.sendInteractive({ type: 'block_actions', actions: [{ action_id: 'approve' }] });
    assert.deepEqual((await server.waitForAck(clickId)).payload, {});
    const commandId = server.sendSlashCommand({ ...command, user_id: 'U'.repeat(200) });
    assert.match(JSON.stringify((await server.waitForAck(commandId)).payload), /could not read that command/);
    assert.equal(rec.calls.events.length, before.events);
    assert.equal(rec.calls.interactions.length, before.interactions);
    const refused = log.lines.filter((l) => l.m === 'Slack payload refused').map((l) => JSON.stringify(l));
    assert.equal(refused.length, 3);
    assert.match(refused[0] ?? '', /event\.user/);
  });

  test('a throwing handler is logged; an event it could not take in is not acked (Slack sends it again)', async () => {
    rec.behaviour.command = async () => {
      throw new Error('boom');
    };
    const id = server.sendSlashCommand({ ...command, text: 'explode' });
    const failed = (await server.waitForAck(id)).payload as { text: string };
    const errorId = /error id ([0-9a-f]{8})/.exec(failed.text)?.[1];
    assert.ok(errorId, failed.text);
    assert.deepEqual(failed, slackSocketFailureReply(errorId));
    assert.ok(
      log.lines.some((l) => JSON.stringify(l).includes(errorId) && l.level === 'error'),
      'the log line carries the same error id',
    );
    rec.behaviour.event = async () => {
      throw new Error('event boom');
    };
    const eventId = server.sendEvent(callback('Ev2'));
    await until(() => log.lines.filter((l) => l.level === 'error').length >= 2, 'both errors to be logged');
    await assert.rejects(server.waitForAck(eventId, 200), /timed out/, 'not acked: Slack retries it');
    assert.match(log.lines.find((l) => l.level === 'error')?.m ?? '', /command handler failed/);
    rec.behaviour.event = async () => undefined;
    rec.behaviour.command = async () => ({ text: 'fine again' });
    const next = server.sendSlashCommand({ ...command });
    assert.deepEqual((await server.waitForAck(next)).payload, { text: 'fine again' });
    assert.equal(socket.connected, true);
    assert.equal(server.connectionCount, 1);
  });

  test('pongs keep the connection up across several client pings', async () => {
    const seen = server.pingsReceived;
    await until(() => server.pingsReceived >= seen + 6, 'six more pings (every 100 ms)');
    assert.equal(socket.connected, true);
    assert.equal(server.connectionCount, 1);
  });

  test('after a disconnect frame the client reconnects and handles new envelopes', async () => {
    const before = server.api.calls.filter((c) => c.method === 'apps.connections.open').length;
    server.disconnectAll('refresh_requested');
    await server.waitForConnections(2, 3000);
    await until(() => socket.connected && server.openConnections === 1, 'the new connection to settle', 3000);
    assert.equal(server.api.calls.filter((c) => c.method === 'apps.connections.open').length, before + 1);
    const id = server.sendEvent(callback('Ev3'));
    await server.waitForAck(id);
    await until(() => rec.calls.events.some((e) => e.event_id === 'Ev3'), 'Ev3 to be handled');
  });
});

describe('Slack Socket Mode refusals', () => {
  let server: SocketModeServer;
  const sockets: SlackSocket[] = [];
  const open = (appToken: string, log = recordingLogger()) => {
    const s = createSlackSocket({
      appToken,
      apiUrl: server.apiUrl,
      handlers: recordingHandlers().handlers,
      logger: log,
      clientPingTimeoutMs: 300,
    });
    sockets.push(s);
    return s;
  };

  before(async () => {
    server = await startSocketModeServer({ appTokens: ['xapp-good'] });
  });

  after(async () => {
    for (const s of sockets) await s.stop();
    await server?.close();
  });

  test('a wrong app token makes start() reject with a clear error', async () => {
    const s = open('xapp-wrong');
    await assert.rejects(
      within(s.start(), 3000, 'start() with a wrong token'),
      /invalid_auth.*app-level token/,
    );
    assert.equal(s.connected, false);
    assert.equal(server.connectionCount, 0);
  });

  test('a bot token is refused before any request', async () => {
    const calls = server.api.calls.length;
    const s = open('xoxb-test');
    await assert.rejects(within(s.start(), 1000, 'start() with a bot token'), /app-level token \(xapp-/);
    assert.equal(server.api.calls.length, calls);
  });

  test('a token revoked before a reconnect is logged and does not crash the process', async () => {
    const log = recordingLogger();
    const s = open('xapp-good', log);
    await within(s.start(), 3000, 'start()');
    server.api.appTokens = [];
    server.disconnectAll();
    await until(
      () => log.lines.some((l) => /could not reconnect/.test(l.m ?? '')),
      'the refusal to be logged',
      3000,
    );
    assert.equal(s.connected, false);
  });
});
