/** Slack under the parity suite: signed slash commands and clicks over HTTP, the Web API faked. */
import { signSlackRequest } from '../../../src/chat/slack/verify.ts';
import { type SlackFakeMessage, startSlackFake } from '../../fakes/slack-api.ts';
import {
  CHANNELS,
  type Channel,
  PEOPLE,
  type Person,
  type PlatformSession,
  type Running,
  type SeenMessage,
  type StartPlatform,
} from '../platform.ts';

const SECRET = 'parity-signing-secret';
const userId = (person: Person) => `U-${person}`;
const channelId = (channel: Channel) => `C-${channel}`;
const personOf = (id: string) => PEOPLE.find((p) => userId(p) === id);

type Block = {
  type?: string;
  text?: { text?: string } | string;
  fields?: { text?: string }[];
  elements?: Block[];
};

/** mrkdwn to plain text: links to their labels, mentions as `@U…`, no emphasis, entities decoded. */
export function plainMrkdwn(text: string): string {
  return text
    .replace(/<([^>|]+)\|([^>]+)>/g, '$2')
    .replace(/<([@#!][^>]+)>/g, '$1')
    .replace(/<([^>]+)>/g, '$1')
    .replace(/[*`~]/g, '')
    .replace(/(^|\s)_([^_\n]+)_(?=\s|$|[.,:;])/g, '$1$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The texts and buttons of Block Kit blocks, in order. */
function walk(blocks: Block[], texts: string[], buttons: { label: string; actionId: string }[]): void {
  for (const b of blocks) {
    const text = typeof b.text === 'string' ? b.text : b.text?.text;
    if (b.type === 'button') {
      buttons.push({ label: text ?? '', actionId: (b as { action_id?: string }).action_id ?? '' });
      continue;
    }
    if (text) texts.push(text);
    for (const f of b.fields ?? []) if (f.text) texts.push(f.text);
    if (b.elements) walk(b.elements, texts, buttons);
  }
}

function read(m: { text?: string; blocks?: unknown[]; attachments?: unknown[] }) {
  const texts: string[] = [];
  const buttons: { label: string; actionId: string }[] = [];
  const blocks = [
    ...((m.blocks ?? []) as Block[]),
    ...((m.attachments ?? []) as { blocks?: Block[] }[]).flatMap((a) => a.blocks ?? []),
  ];
  walk(blocks, texts, buttons);
  if (texts.length === 0 && m.text) texts.push(m.text);
  return { text: plainMrkdwn(texts.join('\n')), buttons };
}

export const startSlack: StartPlatform = async () => {
  const fake = await startSlackFake({ channels: CHANNELS.map(channelId) });
  return {
    name: 'slack',
    userId,
    channelId,
    yaml: 'slack: {}',
    env: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.url },
    stop: () => fake.close(),
    connect({ app }: Running): PlatformSession {
      let n = 0;
      /** Slash command answers, as the asker (or the channel) sees them. */
      const acks: (SeenMessage & { channel: string })[] = [];
      const send = async (url: string, body: string) => {
        const ts = String(Math.floor(Date.now() / 1000));
        const res = await app.inject({
          method: 'POST',
          url,
          payload: body,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-slack-request-timestamp': ts,
            'x-slack-signature': signSlackRequest(SECRET, ts, body),
          },
        });
        if (res.statusCode !== 200) throw new Error(`POST ${url} → ${res.statusCode} ${res.body}`);
        return res.body;
      };
      const seen = (m: SlackFakeMessage): SeenMessage => {
        const { text, buttons } = read(m);
        return { id: m.ts, threadId: m.thread_ts, text, buttons: buttons.map((b) => b.label) };
      };
      return {
        async say(person, channel, line) {
          const [command = '', ...rest] = line.split(' ');
          const body = await send(
            '/slack/commands',
            new URLSearchParams({
              command,
              text: rest.join(' '),
              user_id: userId(person),
              user_name: person,
              channel_id: channelId(channel),
              team_id: 'T1',
              response_url: 'https://hooks.slack.test/commands/1',
              trigger_id: `${++n}.parity`,
            }).toString(),
          );
          const ack = body
            ? (JSON.parse(body) as { response_type?: string; text?: string; blocks?: unknown[] })
            : {};
          const { text, buttons } = read(ack);
          if (text.trim())
            acks.push({
              id: `ack-${n}`,
              channel,
              text,
              buttons: buttons.map((b) => b.label),
              visibleTo: ack.response_type === 'in_channel' ? undefined : person,
            });
        },
        async messages(channel) {
          const posted = fake.messagesIn(channelId(channel)).map(seen);
          const ephemeral = fake.ephemerals
            .filter((e) => e.channel === channelId(channel))
            .map((e, i) => ({
              id: `ephemeral-${i}`,
              text: plainMrkdwn(e.text ?? ''),
              buttons: [],
              visibleTo: personOf(e.user),
            }));
          return [...acks.filter((a) => a.channel === channel), ...posted, ...ephemeral];
        },
        async click(person, channel, message, label) {
          const raw = fake.messagesIn(channelId(channel)).find((m) => m.ts === message.id);
          const button = raw && read(raw).buttons.find((b) => b.label === label);
          if (!button) throw new Error(`no ${label} button on Slack message ${message.id}`);
          await send(
            '/slack/interactions',
            new URLSearchParams({
              payload: JSON.stringify({
                type: 'block_actions',
                user: { id: userId(person) },
                channel: { id: channelId(channel) },
                container: { type: 'message', message_ts: message.id, channel_id: channelId(channel) },
                message: { ts: message.id },
                actions: [
                  { action_id: button.actionId, block_id: 'b', value: button.actionId, action_ts: '1' },
                ],
                response_url: 'https://hooks.slack.test/actions/1',
                trigger_id: `${++n}.parity`,
                api_app_id: 'A1',
              }),
            }).toString(),
          );
        },
      };
    },
  };
};
