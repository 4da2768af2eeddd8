/** Drives a running deckhand through its web chat API, as a person in the chat would. */
import type { FastifyInstance } from 'fastify';
import { eventually } from './recording-sender.ts';

export interface ChatMessage {
  id: string;
  channel: string;
  threadId: string | null;
  author: { id: string; name: string; bot: boolean };
  text: string;
  blocks: { header?: string; status?: string } | null;
  actions: { id: string; label: string; style?: string }[];
  updatedAt: string | null;
  replyCount?: number;
}

export interface WaitForOptions {
  /** Look in this thread instead of the channel's top level. */
  thread?: string;
  timeoutMs?: number;
}

/** `defaults.timeoutMs` is how long `waitFor` waits unless told otherwise (else `eventually`'s default). */
export function webchatDriver(app: FastifyInstance, defaults: { timeoutMs?: number } = {}) {
  const say = async (text: string, user = 'alice', channel = 'general') => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/webchat/messages',
      payload: { channel, user, text },
    });
    if (res.statusCode !== 202) throw new Error(`POST /api/webchat/messages → ${res.statusCode} ${res.body}`);
    return res.json() as ChatMessage;
  };
  const messages = async (channel: string, thread?: string) => {
    const url = `/api/webchat/channels/${channel}/messages${thread ? `?thread=${thread}` : ''}`;
    return ((await app.inject({ url })).json() as { messages: ChatMessage[] }).messages;
  };
  /** Waits for a message in `channel` (or one of its threads) whose text matches. */
  const waitFor = async (channel: string, pattern: RegExp, options: WaitForOptions = {}) => {
    const { thread, timeoutMs = defaults.timeoutMs } = options;
    let found: ChatMessage | undefined;
    await eventually(
      async () => {
        found = (await messages(channel, thread)).find((m) => pattern.test(m.text));
        return found !== undefined;
      },
      `a message matching ${pattern} in #${channel}${thread ? ` thread ${thread}` : ''}`,
      timeoutMs,
    );
    return found as ChatMessage;
  };
  /** Clicks a button as `user`; `input` is the text a prompting button asks for. */
  const click = async (messageId: string, actionId: string, user = 'alice', input?: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/webchat/actions',
      payload: { messageId, actionId, user, ...(input === undefined ? {} : { input }) },
    });
    if (res.statusCode !== 202) throw new Error(`POST /api/webchat/actions → ${res.statusCode} ${res.body}`);
  };
  return { say, messages, waitFor, click };
}
