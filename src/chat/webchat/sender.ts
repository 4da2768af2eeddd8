/** The web chat's ChatSender: the core's messages become bot rows, announced live. */
import type { Message } from '../../core/messages.ts';
import { type ChatSender, type Clock, DeliveryError, plainChat } from '../../core/ports.ts';
import type { TranscriptAuthor } from '../../core/store.ts';
import { type WebchatPeople, webchatChannels } from './channels.ts';
import { parseMessageId, type WebchatStore } from './message-store.ts';
import type { Publish } from './publisher.ts';

/** The author of every message the core sends. */
export const botAuthor: TranscriptAuthor = { id: 'deckhand', name: 'deckhand', bot: true };

/**
 * Builds the sender over the store and the live publisher; with the configured people it also
 * creates channels (an incident's) and adds people to them.
 */
export function createWebchatSender(
  store: WebchatStore,
  publish: Publish,
  clock: Clock,
  directory?: WebchatPeople,
): ChatSender {
  return {
    platform: 'webchat',
    capabilities: { ...plainChat, threads: true, updates: true, createChannels: directory !== undefined },
    ...(directory ? webchatChannels(store, publish, clock, directory, botAuthor) : {}),
    async post(address, message: Message, options = {}) {
      if (!address.channel) throw new DeliveryError('a web chat message needs a channel', undefined, true);
      const row = await store.insert(
        {
          channel: address.channel,
          threadId: await threadRoot(store, address.threadId),
          author: botAuthor,
          body: JSON.stringify(message),
          // Kept under the outbox's key: a post repeated after a crash is kept (and shown) once.
          key: options.key,
        },
        clock.now(),
      );
      await publish(row, true);
      return { messageId: String(row.id) };
    },
    async update(_address, messageId, message: Message) {
      const id = parseMessageId(messageId);
      const existing = id === undefined ? undefined : await store.get(id);
      if (id === undefined || !existing || !existing.author.bot) {
        throw new DeliveryError('message not found', undefined, true);
      }
      const row = await store.updateBody(id, JSON.stringify(message), clock.now());
      if (!row) throw new DeliveryError('message not found', undefined, true);
      await publish(row, false);
    },
  };
}

/** Replies to a reply land in the same thread, as on Slack. */
export async function threadRoot(store: WebchatStore, threadId: string | undefined): Promise<string | null> {
  if (threadId === undefined) return null;
  const id = parseMessageId(threadId);
  const parent = id === undefined ? undefined : await store.get(id);
  return parent?.threadId ?? threadId;
}
