/** A local fake of Slack's Socket Mode endpoint: envelopes out, acks in, plus `apps.connections.open`. */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { type SlackFake, startSlackFake } from './slack-api.ts';

/** An ack the client sent back: `{ envelope_id, payload }`. */
export interface SocketModeAck {
  envelope_id: string;
  payload: unknown;
}

/** Options for {@link startSocketModeServer}. */
export interface SocketModeServerOptions {
  /** App-level tokens `apps.connections.open` accepts (default `['xapp-test']`). */
  appTokens?: string[];
  /** A running Web API fake to answer `apps.connections.open`; by default the server starts its own. */
  slack?: SlackFake;
}

/** A running Socket Mode fake. */
export interface SocketModeServer {
  /** The WebSocket URL `apps.connections.open` hands out. */
  readonly url: string;
  /** The Web API base URL, for the client's `slackApiUrl`. */
  readonly apiUrl: string;
  /** The Web API fake answering `apps.connections.open` (change `appTokens` there). */
  readonly api: SlackFake;
  /** Acks received, oldest first. */
  readonly acks: SocketModeAck[];
  /** Connections accepted so far (each got a `hello`). */
  readonly connectionCount: number;
  /** WebSocket pings received from clients (answered with pongs by `ws`). */
  readonly pingsReceived: number;
  /** Connections currently open. */
  readonly openConnections: number;
  /** Sends a raw envelope to the newest open connection (Slack picks one); returns its envelope_id. */
  send(envelope: Record<string, unknown>): string;
  /** Sends a `slash_commands` envelope (which accepts a response payload). */
  sendSlashCommand(body: object): string;
  /** Sends an `interactive` envelope. */
  sendInteractive(payload: object): string;
  /** Sends an `events_api` envelope; `retryAttempt` > 0 marks a redelivery. */
  sendEvent(callback: object, retryAttempt?: number): string;
  /** Resolves with the ack for `envelopeId`, or rejects after `timeoutMs`. */
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<SocketModeAck>;
  /** Resolves once `count` connections have been accepted in total, or rejects after `timeoutMs`. */
  waitForConnections(count: number, timeoutMs?: number): Promise<void>;
  /** Sends a `disconnect` frame to every open connection, asking the client to reconnect. */
  disconnectAll(reason?: string): void;
  /** Closes every connection and the servers. */
  close(): Promise<void>;
}

/** Polls `check` every few milliseconds until it returns a value, or rejects with `what` after `timeoutMs`. */
function poll<T>(check: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const tick = () => {
      const value = check();
      if (value !== undefined) return resolve(value);
      if (Date.now() > deadline)
        return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}

/** Starts the WebSocket server on 127.0.0.1 (random port) and wires `apps.connections.open` to it. */
export async function startSocketModeServer(
  options: SocketModeServerOptions = {},
): Promise<SocketModeServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/link' });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
  const ownApi = !options.slack;
  const api = options.slack ?? (await startSlackFake({ appTokens: options.appTokens ?? ['xapp-test'] }));
  api.socketUrl = url;

  const sockets: WebSocket[] = [];
  const acks: SocketModeAck[] = [];
  let connectionCount = 0;
  let pingsReceived = 0;
  const open = () => sockets.filter((s) => s.readyState === s.OPEN);

  wss.on('connection', (socket) => {
    connectionCount++;
    sockets.push(socket);
    socket.on('close', () => {
      const at = sockets.indexOf(socket);
      if (at >= 0) sockets.splice(at, 1);
    });
    socket.on('ping', () => pingsReceived++);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      try {
        const frame = JSON.parse(data.toString()) as { envelope_id?: unknown; payload?: unknown };
        if (typeof frame.envelope_id === 'string')
          acks.push({ envelope_id: frame.envelope_id, payload: frame.payload });
      } catch {
        // Slack ignores frames it cannot parse; so does the fake.
      }
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: open().length,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: 'A1' },
      }),
    );
  });

  const server: SocketModeServer = {
    url,
    apiUrl: api.url,
    api,
    acks,
    get connectionCount() {
      return connectionCount;
    },
    get pingsReceived() {
      return pingsReceived;
    },
    get openConnections() {
      return open().length;
    },
    send(envelope) {
      const socket = open().at(-1);
      if (!socket) throw new Error('no open Socket Mode connection to send to');
      const envelopeId = typeof envelope.envelope_id === 'string' ? envelope.envelope_id : randomUUID();
      socket.send(JSON.stringify({ ...envelope, envelope_id: envelopeId }));
      return envelopeId;
    },
    sendSlashCommand(body) {
      return server.send({ type: 'slash_commands', payload: body, accepts_response_payload: true });
    },
    sendInteractive(payload) {
      return server.send({ type: 'interactive', payload, accepts_response_payload: false });
    },
    sendEvent(callback, retryAttempt = 0) {
      return server.send({
        type: 'events_api',
        payload: callback,
        accepts_response_payload: false,
        retry_attempt: retryAttempt,
        retry_reason: retryAttempt > 0 ? 'timeout' : '',
      });
    },
    waitForAck(envelopeId, timeoutMs = 2000) {
      return poll(
        () => acks.find((a) => a.envelope_id === envelopeId),
        `the ack of ${envelopeId}`,
        timeoutMs,
      );
    },
    async waitForConnections(count, timeoutMs = 2000) {
      await poll(() => (connectionCount >= count ? true : undefined), `${count} connection(s)`, timeoutMs);
    },
    disconnectAll(reason = 'refresh_requested') {
      const frame = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } });
      for (const socket of open()) socket.send(frame);
    },
    async close() {
      for (const socket of [...sockets]) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      if (ownApi) await api.close();
    },
  };
  return server;
}
