/** Microsoft Teams under the parity suite: activities with Bot Framework tokens, the Bot Connector faked. */
import { type FakeActivity, startTeamsFake } from '../../fakes/teams-api.ts';
import {
  type Channel,
  PEOPLE,
  type Person,
  type PlatformSession,
  type Running,
  type SeenMessage,
  type StartPlatform,
} from '../platform.ts';

const APP = '00000000-0000-4000-8000-00000000d0c4';
const userId = (person: Person) => `00000000-0000-4000-8000-0000000000${String(PEOPLE.indexOf(person) + 10)}`;
const channelId = (channel: Channel) => `19:${channel}@thread.tacv2`;

/** Adaptive Card markdown to plain text. */
const plain = (text: string) => text.replace(/\\(.)/g, '$1').replace(/\*\*|[*`]/g, '');

type Block = { type?: string; text?: string; facts?: { title: string; value: string }[] };
function read(a: Pick<FakeActivity, 'text' | 'attachments'>) {
  const lines: string[] = [];
  if (a.text) lines.push(a.text);
  for (const card of a.attachments ?? []) {
    for (const b of (card.content.body ?? []) as Block[]) {
      if (b.text) lines.push(b.text);
      for (const f of b.facts ?? []) lines.push(`${f.title}: ${f.value}`);
    }
  }
  const actions = (a.attachments ?? []).flatMap((c) => c.content.actions ?? []).filter((x) => x.verb);
  return { text: plain(lines.join('\n')), actions };
}

export const startTeams: StartPlatform = async () => {
  const fake = await startTeamsFake({ appId: APP, appPassword: 'parity-secret' });
  return {
    name: 'teams',
    userId,
    channelId,
    yaml: 'teams: {}',
    env: fake.env,
    stop: () => fake.close(),
    connect({ app }: Running): PlatformSession {
      let n = 0;
      const send = async (activity: object) => {
        const res = await app.inject({
          method: 'POST',
          url: '/teams/messages',
          payload: activity,
          headers: { authorization: `Bearer ${await fake.mint()}` },
        });
        if (res.statusCode !== 200) throw new Error(`activity → ${res.statusCode} ${res.body}`);
      };
      const base = (person: Person, channel: Channel) => ({
        id: `parity-${++n}`,
        channelId: 'msteams',
        serviceUrl: fake.serviceUrl,
        from: { id: `29:${person}`, name: person, aadObjectId: userId(person) },
        recipient: { id: `28:${APP}`, name: 'deckhand' },
        conversation: { id: channelId(channel), conversationType: 'channel' },
      });
      const seen = (a: FakeActivity): SeenMessage => {
        const { text, actions } = read(a);
        return {
          id: a.id,
          ...(a.replyToId ? { threadId: a.replyToId } : {}),
          text,
          buttons: actions.map((x) => x.title),
        };
      };
      return {
        async say(person, channel, line) {
          await send({
            ...base(person, channel),
            type: 'message',
            text: `<at>deckhand</at> ${line.replace(/^\//, '')}`,
          });
        },
        async messages(channel) {
          return fake.activitiesIn(channelId(channel)).map(seen);
        },
        async click(person, channel, message, label) {
          const raw = fake.activities.get(message.id);
          const action = raw && read(raw).actions.find((x) => x.title === label);
          if (!action?.verb) throw new Error(`no ${label} button on Teams message ${message.id}`);
          await send({
            ...base(person, channel),
            type: 'invoke',
            name: 'adaptiveCard/action',
            replyToId: message.id,
            value: { action: { type: 'Action.Execute', verb: action.verb, data: { actionId: action.verb } } },
          });
        },
      };
    },
  };
};
