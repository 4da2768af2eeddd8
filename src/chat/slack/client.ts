/** The Slack ChatSender: posts and updates messages through the Web API; the outbox owns retries. */
import {
  type ChatPostMessageArguments,
  type ChatUpdateArguments,
  ErrorCode,
  LogLevel,
  type Logger as SlackLogger,
  WebClient,
} from '@slack/web-api';
import type { Message } from '../../core/messages.ts';
import { type ChatAddress, type ChatSender, DeliveryError, plainChat } from '../../core/ports.ts';
import { slackChannels } from './channels.ts';
import { redactTokens, toDeliveryError } from './errors.ts';

/** What a Slack message is made of once rendered. */
export interface SlackContent {
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

/** Where the sender reports what it cannot return to the outbox. */
export interface SlackSenderLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Options for {@link createSlackSender}. */
export interface SlackSenderOptions {
  /** Bot token (`xoxb-…`). */
  token: string;
  /** Web API base URL (default Slack's); tests point it at a fake. */
  apiUrl?: string;
  logger: SlackSenderLogger;
  render: (message: Message) => SlackContent;
  /** Show thread replies that report a final status in the channel too (`reply_broadcast`). */
  broadcastFinal?: boolean;
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
/** A request that hangs this long fails, so one stuck call cannot hold a channel's queue. */
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * Slack takes about one message per second per channel (its documented limit for posting):
 * updates and thread replies wait that long after the channel's last call, and what arrives
 * meanwhile folds into them (see the outbox's PacedSender).
 */
export const slackCoalesceMs = 1000;

/**
 * Each post carries deckhand's key for it as message metadata, so a post that may have gone out
 * before a crash can be found instead of posted twice
 * (https://docs.slack.dev/messaging/message-metadata; read back with `include_all_metadata`).
 */
export const POST_METADATA = 'deckhand_post';

/**
 * A lost post is looked for among the messages since it was first attempted (a few minutes'
 * margin for clocks), a page of 200 at a time, at most five pages.
 */
const FIND_PAGE = 200;
const FIND_PAGES = 5;
const FIND_MARGIN_MS = 5 * 60_000;

/** Passes the WebClient's own warnings on at warn level; its debug output (request bodies) is dropped. */
function webClientLogger(logger: SlackSenderLogger): SlackLogger {
  const text = (parts: unknown[]) => redactTokens(parts.map(String).join(' '));
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...parts: unknown[]) => logger.warn({ slack: text(parts) }, 'Slack client warning'),
    error: (...parts: unknown[]) => logger.warn({ slack: text(parts) }, 'Slack client error'),
    setLevel: () => undefined,
    getLevel: () => LogLevel.WARN,
    setName: () => undefined,
  };
}

/** Creates the Slack sender; failures come back as DeliveryErrors, never retried here. */
export function createSlackSender(
  options: SlackSenderOptions,
): ChatSender & { client: WebClient; coalesceMs: number } {
  const { logger, render } = options;
  const client = new WebClient(options.token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    // The outbox retries, keeps each channel's order and honours Retry-After: never retry or sleep here.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: REQUEST_TIMEOUT_MS,
    logger: webClientLogger(logger),
  });

  const fail = (error: unknown, call: string, address: ChatAddress): never => {
    const data = (error as { code?: unknown; data?: { error?: unknown; response_metadata?: unknown } }) ?? {};
    if (data.code === ErrorCode.PlatformError) {
      const details = (data.data?.response_metadata as { messages?: unknown } | undefined)?.messages;
      if (details)
        logger.warn(
          { call, channel: address.channel, code: data.data?.error, details },
          'Slack refused a call',
        );
    }
    throw toDeliveryError(error);
  };

  return {
    platform: 'slack',
    // Ephemeral answers are the slash command's ack; incident channels through channels.ts.
    capabilities: {
      ...plainChat,
      threads: true,
      updates: true,
      ephemeral: true,
      modals: true,
      createChannels: true,
      userGroups: true,
    },
    ...slackChannels(client, logger),
    coalesceMs: slackCoalesceMs,
    client,
    async post(address, message, post = {}) {
      const content = render(message);
      const broadcast =
        options.broadcastFinal && address.threadId && message.status && FINAL.has(message.status);
      const args = {
        channel: address.channel,
        thread_ts: address.threadId,
        ...(broadcast ? { reply_broadcast: true } : {}),
        ...content,
        unfurl_links: false,
        ...(post.key ? { metadata: { event_type: POST_METADATA, event_payload: { key: post.key } } } : {}),
      } as ChatPostMessageArguments;
      try {
        const result = await client.chat.postMessage(args);
        // Posted but unaddressable: retrying would post it twice, so give up on it instead.
        if (!result.ts)
          throw new DeliveryError('Slack posted the message but returned no ts', undefined, true);
        return { messageId: result.ts };
      } catch (error) {
        return fail(error, 'chat.postMessage', address);
      }
    },
    // Metadata comes back only with include_all_metadata, from conversations.history and
    // conversations.replies alike (https://docs.slack.dev/reference/methods/conversations.history,
    // https://docs.slack.dev/reference/methods/conversations.replies); both page with a cursor.
    async find(address, key, since) {
      const base = {
        channel: address.channel,
        include_all_metadata: true,
        limit: FIND_PAGE,
        ...(since ? { oldest: ((since.getTime() - FIND_MARGIN_MS) / 1000).toFixed(6) } : {}),
      };
      try {
        let cursor: string | undefined;
        for (let page = 0; page < FIND_PAGES; page++) {
          const found = address.threadId
            ? await client.conversations.replies({ ...base, ts: address.threadId, cursor })
            : await client.conversations.history({ ...base, cursor });
          const mine = (found.messages ?? []).find(
            (m) =>
              m.metadata?.event_type === POST_METADATA &&
              (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key,
          );
          if (mine?.ts) return mine.ts;
          cursor = found.response_metadata?.next_cursor || undefined;
          if (!found.has_more || !cursor) return undefined;
        }
        return undefined;
      } catch (error) {
        return fail(error, address.threadId ? 'conversations.replies' : 'conversations.history', address);
      }
    },
    async update(address, messageId, message) {
      const args = { channel: address.channel, ts: messageId, ...render(message) } as ChatUpdateArguments;
      try {
        await client.chat.update(args);
      } catch (error) {
        fail(error, 'chat.update', address);
      }
    },
  };
}
