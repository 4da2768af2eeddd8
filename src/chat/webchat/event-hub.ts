/** Server-Sent Events fan-out: every open page gets each new or updated message. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Streams that fall this far behind are dropped; the page reconnects and reloads. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** The live stream of message events. */
export interface EventHub {
  /** Takes over a raw response and keeps it open as an event stream. */
  attach(request: IncomingMessage, response: ServerResponse): void;
  /** Sends one named event with a JSON payload to every open stream. */
  broadcast(event: string, data: unknown): void;
  /** Number of open streams. */
  readonly size: number;
  /** Ends every stream and refuses new ones. */
  close(): void;
}

/** Builds a hub that writes a heartbeat comment every `heartbeatMs` so proxies keep streams open. */
export function createEventHub(options: { heartbeatMs?: number } = {}): EventHub {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const clients = new Set<ServerResponse>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const drop = (response: ServerResponse) => {
    clients.delete(response);
    if (!response.writableEnded) response.end();
    if (clients.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  const write = (response: ServerResponse, chunk: string) => {
    if (response.writableLength > MAX_BUFFERED_BYTES) return drop(response);
    response.write(chunk);
  };

  return {
    attach(request, response) {
      if (closed) {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'The server is shutting down; try again shortly.' }));
        return;
      }
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      response.write('retry: 2000\n: connected\n\n');
      clients.add(response);
      request.on('close', () => drop(response));
      response.on('close', () => drop(response));
      response.on('error', () => drop(response));
      if (!timer) {
        timer = setInterval(() => {
          for (const client of clients) write(client, ': heartbeat\n\n');
        }, heartbeatMs);
        timer.unref();
      }
    },
    broadcast(event, data) {
      // JSON.stringify never emits a raw newline, so the payload fits on one `data:` line.
      const chunk = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      for (const client of clients) write(client, chunk);
    },
    get size() {
      return clients.size;
    },
    close() {
      closed = true;
      for (const client of [...clients]) drop(client);
    },
  };
}
