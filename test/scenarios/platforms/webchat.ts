/** The web chat under the parity suite: its own API is the platform, so there is no fake. */
import type { ChatMessage } from '../../helpers/webchat-driver.ts';
import type { PlatformSession, Running, SeenMessage, StartPlatform } from '../platform.ts';

const seen = (m: ChatMessage): SeenMessage => ({
  id: m.id,
  threadId: m.threadId ?? undefined,
  text: m.text.replace(/[`*_]/g, ''),
  buttons: m.actions.map((a) => a.label),
});

export const startWebchat: StartPlatform = async () => ({
  name: 'webchat',
  userId: (person) => person,
  channelId: (channel) => channel,
  yaml: '',
  env: {},
  stop: async () => {},
  connect({ app }: Running): PlatformSession {
    const get = async (url: string) =>
      ((await app.inject({ url })).json() as { messages: ChatMessage[] }).messages;
    const raw = async (channel: string) => {
      const top = await get(`/api/webchat/channels/${channel}/messages`);
      const replies = await Promise.all(
        top
          .filter((m) => m.replyCount)
          .map((m) => get(`/api/webchat/channels/${channel}/messages?thread=${m.id}`)),
      );
      return [...top, ...replies.flat().filter((r) => r.threadId)];
    };
    const post = async (url: string, payload: object) => {
      const res = await app.inject({ method: 'POST', url, payload });
      if (res.statusCode !== 202) throw new Error(`POST ${url} → ${res.statusCode} ${res.body}`);
    };
    return {
      say: (person, channel, text) => post('/api/webchat/messages', { channel, user: person, text }),
      messages: async (channel) => (await raw(channel)).map(seen),
      async click(person, channel, message, label) {
        const found = (await raw(channel)).find((m) => m.id === message.id);
        const action = found?.actions.find((a) => a.label === label);
        if (!action) throw new Error(`no ${label} button on message ${message.id}`);
        await post('/api/webchat/actions', { messageId: message.id, actionId: action.id, user: person });
      },
    };
  },
});
