/** The Mattermost ChatSender: threaded posts and in-place updates through the REST API. */
import type { Message } from '../../core/messages.ts';
import { type ChatSender, plainChat } from '../../core/ports.ts';
import { actionContext } from './actions.ts';
import { mattermostChannels } from './channels.ts';
import type { MattermostClient } from './client.ts';
import { renderMattermost } from './render.ts';

/** Where deckhand keeps its key for a post, so a post that went out before a crash is found. */
export const POST_KEY = 'deckhand_key';
/** Without a time to look from, a lost post is looked for among the channel's newest posts. */
const FIND_LIMIT = 100;
/** A lost post is looked for among posts changed since it was first attempted, less a margin for clocks. */
const FIND_MARGIN_MS = 5 * 60_000;

export function createMattermostSender(o: {
  client: MattermostClient;
  actionSecret: string;
  actionsUrl: string;
  /** The team incident channels are created in; without it, no channel creation. */
  team?: string;
  logger?: { warn(obj: object, msg?: string): void };
}): ChatSender & { coalesceMs: number } {
  const render = (channel: string, message: Message) =>
    renderMattermost(message, (action) => ({
      url: o.actionsUrl,
      context: actionContext(o.actionSecret, channel, action),
    }));
  return {
    platform: 'mattermost',
    // Ephemeral answers are the slash command's response; modals (interactive dialogs) are not used.
    capabilities: {
      ...plainChat,
      threads: true,
      updates: true,
      ephemeral: true,
      createChannels: o.team !== undefined,
      userGroups: true,
    },
    ...(o.team ? mattermostChannels(o.client, o.team, o.logger ?? { warn: () => undefined }) : {}),
    // Mattermost's rate limiter is off by default and 10/s when on: space a channel's updates a little.
    coalesceMs: 250,
    async post(address, message, options = {}) {
      const post = render(address.channel, message);
      const created = await o.client.createPost({
        channel_id: address.channel,
        message: post.message,
        ...(address.threadId ? { root_id: address.threadId } : {}),
        props: { ...post.props, ...(options.key ? { [POST_KEY]: options.key } : {}) },
      });
      return { messageId: created.id };
    },
    async update(address, messageId, message) {
      await o.client.patchPost(messageId, render(address.channel, message));
    },
    async find(address, key, since) {
      const page = since ? { since: since.getTime() - FIND_MARGIN_MS } : { perPage: FIND_LIMIT };
      const found = address.threadId
        ? await o.client.thread(address.threadId)
        : await o.client.channelPosts(address.channel, page);
      return Object.values(found.posts ?? {}).find((p) => p.props?.[POST_KEY] === key)?.id;
    },
  };
}
