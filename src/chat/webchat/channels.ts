/**
 * Incident channels in the web chat. A web chat channel exists once it holds a message (the page
 * lists `store.channels()` and adds any channel a live message names), so creating one posts its
 * opening message, and adding someone posts a line saying so: both under a key, so doing it again
 * keeps (and shows) them once, and the messages are the record of who was added.
 */
import type { Message } from '../../core/messages.ts';
import {
  type ChatSender,
  type Clock,
  type CreatedChannel,
  DeliveryError,
  type NewChannel,
} from '../../core/ports.ts';
import type { WebchatStore } from './message-store.ts';
import type { Publish } from './publisher.ts';

/** The names the web chat's API accepts for a channel (api-schemas.ts), lowercase as incidents name them. */
const CHANNEL_NAME = /^[a-z0-9_-]{1,80}$/;

/** Who can be added: the configured people's web chat ids and their display names. */
export interface WebchatPeople {
  people(): { id: string; name: string }[];
}

/** createChannel and invite over the transcript store; the page sees both live. */
export function webchatChannels(
  store: WebchatStore,
  publish: Publish,
  clock: Clock,
  directory: WebchatPeople,
  author: { id: string; name: string; bot: boolean },
): Required<Pick<ChatSender, 'createChannel' | 'invite'>> {
  const say = async (channel: string, key: string, message: Message) => {
    const row = await store.insert(
      { channel, threadId: null, author, body: JSON.stringify(message), key },
      clock.now(),
    );
    await publish(row, true);
  };

  const invite = async (channel: string, members: string[]): Promise<string[]> => {
    const known = new Map(directory.people().map((p) => [p.id, p.name]));
    const notAdded: string[] = [];
    for (const member of new Set(members)) {
      const name = known.get(member);
      if (name === undefined) {
        notAdded.push(member);
        continue;
      }
      await say(channel, `webchat-member:${channel}:${member}`, {
        status: 'info',
        text: `${name} was added to #${channel}.`,
      });
    }
    return notAdded;
  };

  return {
    async createChannel(spec: NewChannel): Promise<CreatedChannel> {
      if (!CHANNEL_NAME.test(spec.name))
        throw new DeliveryError(
          `"${spec.name}" is not a web chat channel name: lowercase letters, digits, "-" and "_", at most 80 characters.`,
          undefined,
          true,
        );
      await say(spec.name, `webchat-channel:${spec.name}`, {
        header: `#${spec.name}`,
        status: 'info',
        ...(spec.topic ? { text: spec.topic } : {}),
        context: ['Channel opened by deckhand'],
      });
      return { channel: spec.name, notAdded: await invite(spec.name, spec.members) };
    },
    invite,
  };
}
