/** Discord under the parity suite: signed slash command and button interactions, the REST API faked. */
import { type FamilyShape, familyShapes } from '../../../src/modules/index.ts';
import { type FakeDiscordMessage, snowflake, startDiscordFake } from '../../fakes/discord-api.ts';
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

const APP = '900000000000000001';
const userId = (person: Person) => `80000000000000000${PEOPLE.indexOf(person)}`;
const channelId = (channel: Channel) => `70000000000000000${CHANNELS.indexOf(channel)}`;
/** The slash command a line is typed with (`ci` for `/ci build`). */
const rootOf = (line: string) => line.split(' ')[0]?.replace(/^\//, '') ?? '';

/** Discord markdown to plain text. */
export function plainDiscord(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^-# /gm, '')
    .replace(/\\(.)/g, '$1')
    .replace(/\*\*|[*`]/g, '');
}

type Shown = Pick<FakeDiscordMessage, 'content' | 'embeds' | 'components'>;
function read(m: Shown) {
  const lines: string[] = [];
  if (m.content) lines.push(m.content);
  for (const e of m.embeds ?? []) {
    for (const t of [e.title, e.description]) if (t) lines.push(t);
    for (const f of e.fields ?? []) lines.push(`${f.name}: ${f.value}`);
    if (e.footer?.text) lines.push(e.footer.text);
  }
  const buttons = (m.components ?? []).flatMap((r) => r.components);
  return { text: plainDiscord(lines.join('\n')), buttons };
}

/** `/ci deploy production v1 --branch x` as the options Discord's client would send for it. */
/** The options Discord sends for a line, from the commands deckhand registered (the config's families). */
function options(line: string, shapes: readonly FamilyShape[]) {
  const [, sub = '', ...words] = line.split(' ');
  const spec = shapes.find((f) => f.root === rootOf(line))?.specs.find((c) => c.name === sub);
  const given: { type: 3; name: string; value: string }[] = [];
  const positional = [...(spec?.args ?? [])];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word.startsWith('--')) {
      given.push({ type: 3, name: word.slice(2), value: words[++i] ?? '' });
      continue;
    }
    const arg = positional.shift();
    if (!arg) given.push({ type: 3, name: `arg${i}`, value: word });
    else if (arg.rest) {
      given.push({ type: 3, name: arg.name, value: words.slice(i).join(' ') });
      break;
    } else given.push({ type: 3, name: arg.name, value: word });
  }
  return [{ type: 1, name: sub, options: given }];
}

export const startDiscord: StartPlatform = async () => {
  const fake = await startDiscordFake({ channels: CHANNELS.map(channelId) });
  return {
    name: 'discord',
    userId,
    channelId,
    yaml: 'discord: {}',
    env: {
      DISCORD_APPLICATION_ID: APP,
      DISCORD_PUBLIC_KEY: fake.publicKeyHex,
      DISCORD_BOT_TOKEN: fake.token,
      DISCORD_API_URL: fake.url,
    },
    stop: () => fake.close(),
    connect({ app, deckhand }: Running): PlatformSession {
      const shapes = familyShapes(deckhand.core.families.info);
      const answers: (SeenMessage & { channel: string })[] = [];
      const member = (person: Person) => ({ user: { id: userId(person), username: person }, roles: [] });
      const send = async (interaction: { id: string; [field: string]: unknown }) => {
        const body = JSON.stringify({
          application_id: APP,
          token: `token-${interaction.id}`,
          ...interaction,
        });
        const res = await app.inject({
          method: 'POST',
          url: '/discord/interactions',
          payload: body,
          headers: { 'content-type': 'application/json', ...fake.signed(body) },
        });
        if (res.statusCode !== 200) throw new Error(`interaction → ${res.statusCode} ${res.body}`);
        return JSON.parse(res.body) as { type: number; data?: Shown & { flags?: number } };
      };
      const seen = (m: FakeDiscordMessage): SeenMessage => {
        const { text, buttons } = read(m);
        const inThread = fake.threads.has(m.channel_id);
        return {
          id: m.id,
          ...(inThread ? { threadId: m.channel_id } : {}),
          text,
          buttons: buttons.map((b) => b.label),
        };
      };
      return {
        async say(person, channel, line) {
          const id = snowflake();
          const answer = await send({
            id,
            type: 2,
            channel_id: channelId(channel),
            member: member(person),
            data: { id: '1', name: rootOf(line), type: 1, options: options(line, shapes) },
          });
          // A deferred answer shows as a message Discord edits when deckhand sends the reply.
          if (answer.type === 5) fake.deferred(`token-${id}`, channelId(channel));
          if (answer.type !== 4 || !answer.data) return;
          const { text, buttons } = read(answer.data);
          answers.push({
            id: `answer-${answers.length + 1}`,
            channel,
            text,
            buttons: buttons.map((b) => b.label),
            ...((answer.data.flags ?? 0) & 64 ? { visibleTo: person } : {}),
          });
        },
        async messages(channel) {
          return [
            ...answers.filter((a) => a.channel === channel),
            ...fake.messagesIn(channelId(channel)).map(seen),
          ];
        },
        async click(person, _channel, message, label) {
          const raw = fake.messages.get(message.id);
          const button = raw && read(raw).buttons.find((b) => b.label === label);
          if (!raw || !button?.custom_id)
            throw new Error(`no ${label} button on Discord message ${message.id}`);
          const answer = await send({
            id: snowflake(),
            type: 3,
            channel_id: raw.channel_id,
            member: member(person),
            message: { id: raw.id },
            data: { custom_id: button.custom_id, component_type: 2 },
          });
          if (answer.type !== 6) throw new Error(`a click was answered ${answer.type}, not 6`);
        },
      };
    },
  };
};
