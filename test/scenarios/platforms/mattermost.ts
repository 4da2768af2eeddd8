/** Mattermost under the parity suite: slash commands with their token, clicks as the server sends them, REST API faked. */
import { type FakePost, mattermostId, startMattermostFake } from '../../fakes/mattermost-api.ts';
import {
  CHANNELS,
  type Channel,
  type Person,
  type PlatformSession,
  type Running,
  type SeenMessage,
  type StartPlatform,
} from '../platform.ts';

const TOKEN = 'parity-command-token';
const ids = new Map<string, string>();
/** Stable Mattermost-shaped ids for the scenario's people and channels. */
const idFor = (name: string) => {
  if (!ids.has(name)) ids.set(name, mattermostId());
  return ids.get(name) as string;
};
const userId = (person: Person) => idFor(`user:${person}`);
const channelId = (channel: Channel) => idFor(`channel:${channel}`);

/** Markdown to plain text: links to labels, escapes and emphasis removed, mentions restored. */
export function plainMarkdown(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\\([\\*_~[\]()#>|!<`])/g, '$1')
    .replace(/\*\*|[*`]/g, '')
    .replace(/(^|\s)_([^_\n]+)_(?=\s|$|[.,:;])/g, '$1$2')
    .replace(/\u200b/g, '');
}

type Attachment = {
  title?: string;
  text?: string;
  footer?: string;
  fields?: { title: string; value: string }[];
  actions?: { name: string }[];
};

function read(m: { message?: string; text?: string; attachments?: Attachment[] }) {
  const lines: string[] = [];
  if (m.message ?? m.text) lines.push((m.message ?? m.text) as string);
  for (const a of m.attachments ?? []) {
    for (const t of [a.title, a.text]) if (t) lines.push(t);
    for (const f of a.fields ?? []) lines.push(`${f.title}: ${f.value}`);
    if (a.footer) lines.push(a.footer);
  }
  const buttons = (m.attachments ?? []).flatMap((a) => a.actions ?? []).map((b) => b.name);
  return { text: plainMarkdown(lines.join('\n')), buttons };
}

export const startMattermost: StartPlatform = async () => {
  const fake = await startMattermostFake({ channels: CHANNELS.map(channelId) });
  return {
    name: 'mattermost',
    userId,
    channelId,
    yaml: "mattermost: { actionsUrl: 'https://deckhand.test/mattermost/actions' }",
    env: { MATTERMOST_URL: fake.url, MATTERMOST_COMMAND_TOKEN: TOKEN, MATTERMOST_BOT_TOKEN: 'mm-bot-token' },
    stop: () => fake.close(),
    connect({ app }: Running): PlatformSession {
      let n = 0;
      const answers: (SeenMessage & { channel: string })[] = [];
      const seen = (p: FakePost): SeenMessage => {
        const { text, buttons } = read({
          message: p.message,
          attachments: p.props.attachments as Attachment[],
        });
        return { id: p.id, ...(p.root_id ? { threadId: p.root_id } : {}), text, buttons };
      };
      return {
        async say(person, channel, line) {
          const res = await app.inject({
            method: 'POST',
            url: '/mattermost/commands',
            payload: fake.slashCommand({
              token: TOKEN,
              userId: userId(person),
              userName: person,
              channelId: channelId(channel),
              line,
            }),
            headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Token ${TOKEN}` },
          });
          if (res.statusCode !== 200) throw new Error(`slash command → ${res.statusCode} ${res.body}`);
          if (!res.body) return;
          const body = JSON.parse(res.body) as {
            response_type?: string;
            text?: string;
            attachments?: Attachment[];
          };
          const { text, buttons } = read(body);
          if (text.trim())
            answers.push({
              id: `answer-${++n}`,
              channel,
              text,
              buttons,
              visibleTo: body.response_type === 'in_channel' ? undefined : person,
            });
        },
        async messages(channel) {
          return [
            ...answers.filter((a) => a.channel === channel),
            ...fake.postsIn(channelId(channel)).map(seen),
          ];
        },
        async click(person, _channel, message, label) {
          const { url, body } = fake.click(userId(person), message.id, label);
          const res = await app.inject({
            method: 'POST',
            url: new URL(url).pathname,
            payload: JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          });
          if (res.statusCode !== 200) throw new Error(`click → ${res.statusCode} ${res.body}`);
        },
      };
    },
  };
};
