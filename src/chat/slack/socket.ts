/** Slack over Socket Mode: envelopes from the SDK's SocketModeClient, handed to the same handlers as HTTP. */
import { LogLevel, type Logger as SdkLogger, SocketModeClient } from '@slack/socket-mode';
import {
  type AppsConnectionsOpenResponse,
  ErrorCode,
  type WebAPIPlatformError,
  type WebAPIRequestError,
} from '@slack/web-api';
import { errorId } from '../../core/errors.ts';
import { failureOf } from '../../modules/connection.ts';
import type { AckBody, EventCallback, SlackHandlers, SlashCommandBody } from './handlers-types.ts';
import { blockActions, parseEventCallback, parseSlashCommand } from './parse.ts';

/** The logger the socket writes to (pino-shaped). */
export interface SlackSocketLogger {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

/** Options for {@link createSlackSocket}. */
export interface SlackSocketOptions {
  /** The app-level token (`xapp-…`, scope `connections:write`). */
  appToken: string;
  /** Web API base URL (ends with `/api/`); Slack's own by default. */
  apiUrl?: string;
  handlers: SlackHandlers;
  logger: SlackSocketLogger;
  /** Pong deadline in ms (SDK default 5000); the SDK also waits this long, times the failures, to reconnect. */
  clientPingTimeoutMs?: number;
}

/** A Socket Mode connection to Slack. */
export interface SlackSocket {
  /** Connects; resolves once Slack's `hello` arrived, rejects with a readable error when refused. */
  start(): Promise<void>;
  /** Disconnects cleanly (no reconnect afterwards). */
  stop(): Promise<void>;
  /** Whether a connection is open and greeted right now. */
  readonly connected: boolean;
  /** Why it stopped reconnecting after a drop (until `start()` connects again), else undefined. */
  gaveUp(): string | undefined;
}

/** The ack body sent when the command handler throws: the user sees it, the details go to the log under its id. */
export const slackSocketFailureReply = (id: string): AckBody => ({
  response_type: 'ephemeral',
  text: `Something went wrong; the error is logged (error id ${id}).`,
});

/** What the SDK's `slack_event` hands over for every envelope. */
interface Envelope {
  ack(response?: object): Promise<void>;
  envelope_id: string;
  type: string;
  body: unknown;
  retry_num?: number;
  retry_reason?: string;
}

/** The SDK's logger interface, forwarding warnings and errors only (its info and debug are chatter). */
function sdkLogger(logger: SlackSocketLogger): SdkLogger {
  const text = (msgs: unknown[]) => msgs.map(String).join(' ');
  return {
    debug() {},
    info() {},
    warn: (...msgs) => logger.warn({ component: 'slack-socket-mode' }, text(msgs)),
    error: (...msgs) => logger.error({ component: 'slack-socket-mode' }, text(msgs)),
    setLevel() {},
    getLevel: () => LogLevel.WARN,
    setName() {},
  };
}

/** Turns a failed SDK start into an error that says what to fix. */
function startError(err: unknown): Error {
  if (err instanceof Error && 'code' in err && err.code === ErrorCode.PlatformError) {
    const code = (err as WebAPIPlatformError).data.error;
    return new Error(
      `Slack refused apps.connections.open (${code}); check the app-level token (xapp-…, scope connections:write)`,
      { cause: err },
    );
  }
  if (err instanceof Error && 'code' in err && err.code === ErrorCode.RequestError) {
    const original = (err as WebAPIRequestError).original;
    return new Error(
      `Slack Socket Mode could not connect: the Slack Web API is unreachable (${failureOf(original)})`,
      { cause: err },
    );
  }
  if (err === undefined) return new Error('Slack Socket Mode closed before the connection was greeted');
  const detail = err instanceof Error ? err.message : String(err);
  return new Error(`Slack Socket Mode could not connect: ${detail}`, { cause: err });
}

/** Creates the Socket Mode transport; nothing connects before `start()`. */
export function createSlackSocket(options: SlackSocketOptions): SlackSocket {
  const { handlers, logger } = options;
  let client: SocketModeClient | undefined;
  let connected = false;
  let offline: string | undefined;

  async function onEnvelope(e: Envelope): Promise<void> {
    const context = { envelope_id: e.envelope_id, type: e.type, retry_num: e.retry_num };
    const ack = async (payload?: object) => {
      try {
        await e.ack(payload);
        return true;
      } catch (err) {
        logger.error({ ...context, err }, 'Slack Socket Mode ack failed');
        return false;
      }
    };
    switch (e.type) {
      case 'slash_commands': {
        let reply: AckBody;
        let body: SlashCommandBody;
        try {
          body = parseSlashCommand((e.body ?? {}) as Record<string, unknown>);
        } catch (err) {
          // Acknowledged, so Slack does not send it again; the asker is told it was not understood.
          logger.warn({ ...context, reason: String(err) }, 'Slack payload refused');
          await ack({ response_type: 'ephemeral', text: 'deckhand could not read that command.' });
          return;
        }
        try {
          reply = await handlers.command(body);
        } catch (err) {
          const id = errorId();
          logger.error({ ...context, err, errorId: id }, 'Slack command handler failed');
          reply = slackSocketFailureReply(id);
        }
        await ack({ ...reply });
        return;
      }
      // Recorded first, acknowledged after: an envelope not acknowledged is sent again.
      case 'interactive':
        try {
          blockActions(e.body);
        } catch (err) {
          logger.warn({ ...context, reason: String(err) }, 'Slack payload refused');
          await ack();
          return;
        }
        await handlers.interaction(e.body).then(
          () => ack(),
          (err: unknown) => logger.error({ ...context, err }, 'Slack interaction not taken in'),
        );
        return;
      case 'events_api': {
        let callback: EventCallback;
        try {
          callback = parseEventCallback(e.body);
        } catch (err) {
          // Acknowledged, so Slack does not send it again; nothing in it could be acted on.
          logger.warn({ ...context, reason: String(err) }, 'Slack payload refused');
          await ack();
          return;
        }
        await handlers.event(callback).then(
          () => ack(),
          (err: unknown) => logger.error({ ...context, err }, 'Slack event not taken in'),
        );
        return;
      }
      default:
        if (e.envelope_id) await ack();
        logger.info(context, 'ignored a Slack Socket Mode envelope of an unhandled type');
    }
  }

  /** The SDK client, with a guard: its own reconnects call `start()` without catching a rejection. */
  function build(): SocketModeClient {
    let reconnecting = false;
    class GuardedClient extends SocketModeClient {
      override async start(): Promise<AppsConnectionsOpenResponse> {
        if (!reconnecting) return super.start();
        try {
          return await super.start();
        } catch (err) {
          const error = startError(err);
          logger.error({ err: error }, 'Slack Socket Mode could not reconnect');
          // deckhand's connection supervisor starts a new client with backoff (see gaveUp).
          if (client === this) {
            client = undefined;
            offline = error.message;
          }
          this.emit('disconnected', err); // rejects a first start() still waiting for its hello
          return { ok: false };
        }
      }
    }
    const c = new GuardedClient({
      appToken: options.appToken,
      autoReconnectEnabled: true,
      logger: sdkLogger(logger),
      clientPingTimeout: options.clientPingTimeoutMs,
      // One request per attempt: deckhand retries with its own backoff and says so, instead of
      // the SDK's default of 100 silent retries (which kept a first start waiting for minutes).
      clientOptions: {
        retryConfig: { retries: 0 },
        ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      },
    });
    c.on('slack_event', (e: Envelope) => void onEnvelope(e));
    c.on('connected', () => {
      if (client !== c) return void c.disconnect();
      connected = true;
      offline = undefined;
      logger.info({}, 'Slack Socket Mode connected');
    });
    c.on('close', () => {
      connected = false;
    });
    c.on('reconnecting', () => {
      reconnecting = true;
      logger.info({}, 'Slack Socket Mode reconnecting');
    });
    return c;
  }

  let starting: Promise<void> | undefined;
  async function connect(): Promise<void> {
    if (!options.appToken.startsWith('xapp-')) {
      throw new Error('Slack Socket Mode needs an app-level token (xapp-…), not a bot or user token');
    }
    const c = build();
    client = c;
    try {
      await c.start();
    } catch (err) {
      if (client === c) client = undefined;
      await c.disconnect().catch(() => {});
      throw startError(err);
    }
  }

  return {
    start() {
      if (client && !starting) return Promise.resolve();
      starting ??= connect().finally(() => {
        starting = undefined;
      });
      return starting;
    },
    async stop() {
      const c = client;
      client = undefined;
      connected = false;
      if (c) await c.disconnect();
    },
    get connected() {
      return connected;
    },
    gaveUp: () => offline,
  };
}
