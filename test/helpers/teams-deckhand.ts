/** A real deckhand with Teams, its Bot Framework endpoints pointed at the local fake. */
import { startTeamsFake, type TeamsFake } from '../fakes/teams-api.ts';
import { startTestDeckhand } from './test-deckhand.ts';

export const APP = '00000000-0000-4000-8000-00000000d0c4';
export const ALICE = '00000000-0000-4000-8000-0000000000a1';
export const GENERAL = '19:general@thread.tacv2';
export const BUILDS = '19:builds@thread.tacv2';

const yaml = `
database: { dataDir: data }
repositories:
  app: { url: data/demo-repo, seedDemo: true }
people:
  - { id: alice, name: Alice, chat: { teams: "${ALICE}" } }
channels:
  general: { teams: "${GENERAL}" }
  ci-builds: { teams: "${BUILDS}" }
commands:
  build: { pipeline: build }
pipelines:
  build: { repository: app, steps: [{ name: install, run: ./scripts/install.sh }] }
notifications:
  - { kind: build, channels: [ci-builds] }
webchat: { enabled: false }
# No grants: everyone listed may run everything (the grants themselves are tested in test/core).
policy: { allowEveryone: true }
teams: {}
`;

export async function startTeamsDeckhand() {
  const fake: TeamsFake = await startTeamsFake({ appId: APP, appPassword: 'test-secret' });
  const t = await startTestDeckhand({ yaml, env: fake.env });
  await t.deckhand.providers.get('local')?.listBranches('build');
  let n = 0;
  /** A message activity from Alice in #general, as Teams sends it. */
  const message = (text: string, change: Record<string, unknown> = {}) => ({
    type: 'message',
    id: `act-${++n}-${Date.now()}`,
    channelId: 'msteams',
    serviceUrl: fake.serviceUrl,
    from: { id: '29:alice', name: 'Alice', aadObjectId: ALICE },
    recipient: { id: `28:${APP}`, name: 'deckhand' },
    conversation: { id: GENERAL, conversationType: 'channel' },
    text,
    ...change,
  });
  const send = async (activity: unknown, authorization?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/teams/messages',
      payload: activity as object,
      headers: { authorization: authorization ?? `Bearer ${await fake.mint()}` },
    });
  return {
    ...t,
    fake,
    message,
    send,
    close: async () => {
      await t.deckhand.close();
      await fake.close();
    },
  };
}
