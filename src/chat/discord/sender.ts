/**
 * The Discord ChatSender: posts and edits with the bot token through `@discordjs/rest`; run
 * details go into a thread started from the card. The REST client neither waits nor retries: a
 * rate limit comes back to the outbox as a DeliveryError with Discord's wait, so it paces the
 * channel and keeps its order.
 */
import { createHash } from 'node:crypto';
import { DiscordAPIError, REST } from '@discordjs/rest';
import { type RESTPostAPIChannelMessageResult, Routes } from 'discord-api-types/v10';
import type { Message } from '../../core/messages.ts';
import { type ChatSender, plainChat } from '../../core/ports.ts';
import type { ReplyTo } from '../../core/store.ts';
import { discordChannels } from './channels.ts';
import { toDeliveryError } from './errors.ts';
import { renderDiscord } from './render.ts';

/** Discord's JSON error codes deckhand acts on (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json). */
const UNKNOWN_CHANNEL = 10003;
const THREAD_EXISTS = 160004;

export { toDeliveryError } from './errors.ts';

/** A post's nonce: at most 25 characters, the same for the same key. */
const nonceOf = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 25);

/** Edits or removes an interaction's deferred answer through its webhook (no bot token needed). */
export function interactionWebhook(rest: REST, applicationId: string) {
  const original = (token: string) => Routes.webhookMessage(applicationId, token, '@original');
  return {
    /** Resolves with the edited message (its `id` is the message's). */
    async edit(token: string, body: object): Promise<unknown> {
      return rest.patch(original(token), { body, auth: false });
    },
    async remove(token: string): Promise<void> {
      await rest.delete(original(token), { auth: false });
    },
  };
}

export function createDiscordSender(o: {
  token: string;
  apiUrl?: string;
  /** Puts a command's reply where its deferred answer waits, when one does (deferred.ts). */
  placeAnswer?: (answer: ReplyTo, channel: string, message: Message) => Promise<string | undefined>;
  /** The category incident channels are created under; without it, incidents use a thread. */
  incidentCategory?: string;
  logger?: { warn(obj: object, msg?: string): void };
}): ChatSender & { rest: REST } {
  const rest = new REST({
    version: '10',
    ...(o.apiUrl ? { api: o.apiUrl } : {}),
    retries: 0,
    timeout: 30_000,
    // Never sleep on a bucket here: the outbox waits, and other channels go on meanwhile.
    rejectOnRateLimit: () => true,
  }).setToken(o.token);

  const create = (channel: string, message: Message, key?: string) =>
    rest.post(Routes.channelMessages(channel), {
      body: {
        ...renderDiscord(message),
        // With enforce_nonce, Discord returns the message already posted under this nonce in the
        // last few minutes instead of posting it again: a retry after a crash is not a duplicate.
        ...(key ? { nonce: nonceOf(key), enforce_nonce: true } : {}),
      },
    }) as Promise<RESTPostAPIChannelMessageResult>;

  /** Cards this process has started a thread on (a hint: Discord is asked again when unsure). */
  const threaded = new Set<string>();
  const startThread = async (channel: string, card: string) => {
    try {
      await rest.post(Routes.threads(channel, card), {
        body: { name: 'Details', auto_archive_duration: 1440 },
      });
    } catch (error) {
      if (!(error instanceof DiscordAPIError) || error.code !== THREAD_EXISTS) throw error;
    }
    if (threaded.size > 10_000) threaded.clear();
    threaded.add(card);
  };

  /** A reply in a card's thread: the thread has the card's id, and is started on first use. */
  const reply = async (channel: string, card: string, message: Message, key?: string) => {
    if (!threaded.has(card)) await startThread(channel, card);
    try {
      return await create(card, message, key);
    } catch (error) {
      // The thread was deleted since: start it again once.
      if (!(error instanceof DiscordAPIError) || error.code !== UNKNOWN_CHANNEL) throw error;
      threaded.delete(card);
      await startThread(channel, card);
      return create(card, message, key);
    }
  };

  return {
    platform: 'discord',
    // Ephemeral answers are the interaction's response; modals are not used.
    capabilities: {
      ...plainChat,
      threads: true,
      updates: true,
      ephemeral: true,
      createChannels: o.incidentCategory !== undefined,
      userGroups: true,
    },
    rest,
    ...(o.incidentCategory
      ? discordChannels(rest, o.incidentCategory, o.logger ?? { warn: () => undefined })
      : {}),
    async post(address, message, options = {}) {
      if (options.answer && !address.threadId && o.placeAnswer) {
        const placed = await o.placeAnswer(options.answer, address.channel, message);
        if (placed !== undefined) return { messageId: placed };
      }
      try {
        if (!address.threadId) return { messageId: (await create(address.channel, message, options.key)).id };
        const card = address.threadId.split('/')[0] as string;
        const posted = await reply(address.channel, card, message, options.key);
        // A message in a thread lives in the thread's channel: its id says which, for updates.
        return { messageId: `${card}/${posted.id}` };
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
    async update(address, messageId, message) {
      try {
        const [thread, id] = messageId.includes('/') ? messageId.split('/') : [address.channel, messageId];
        await rest.patch(Routes.channelMessage(thread as string, id as string), {
          body: renderDiscord(message),
        });
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
  };
}
