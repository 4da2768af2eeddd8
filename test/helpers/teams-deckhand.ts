/** A real deckhand with Teams, its Bot Framework endpoints pointed at the local fake. */
import type { DestinationStream } from 'pino';
import { startTeamsFake, type TeamsFake } from '../fakes/teams-api.ts';
import { startTestDeckhand } from './test-deckhand.ts';

export const APP = '00000000-0000-4000-8000-00000000d0c4';
export const ALICE = '00000000-0000-4000-8000-0000000000a1';
export const GENERAL = '19:general@thread.tacv2';
export const BUILDS = '19:builds@thread.tacv2';
/** People of the documented activities (test/chat/teams/fixtures.ts): Jane by her Teams id, Megan by her Entra object id. */
const JANE = '29:9e52142b-5e5e-4d7b-bb3e-e82dcf620000';
const MEGAN = '7faf8ab2-3d56-4244-b585-20c8a42ed2b8';

const yaml = `
database: { dataDir: data }
repositories:
  app: { url: data/demo-repo, seedDemo: true }
people:
  - { id: alice, name: Alice, chat: { teams: "${ALICE}" } }
  - { id: jane, name: Jane, chat: { teams: "${JANE}" } }
  - { id: megan, name: Megan, chat: { teams: "${MEGAN}" } }
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

export interface TeamsDeckhandOptions {
  /** A fake already running (a restart keeps it). */
  fake?: TeamsFake;
  /** The folder an earlier deckhand ran in (a restart). */
  dir?: string;
  /** More of deckhand.yaml's `teams:` section, and more top-level YAML. */
  teams?: string;
  extraYaml?: string;
  /** Everyone may run everything (default); false when `extraYaml` brings its own grants. */
  open?: boolean;
  env?: Record<string, string>;
  /** Where deckhand logs (nowhere by default). */
  logStream?: DestinationStream;
}

export async function startTeamsDeckhand(o: TeamsDeckhandOptions = {}) {
  const fake: TeamsFake = o.fake ?? (await startTeamsFake({ appId: APP, appPassword: 'test-secret' }));
  // Every region of the fake is on the allow-list, as smba.trafficmanager.net is by default.
  const section = [`serviceUrls: ["${fake.url}/"]`, o.teams].filter(Boolean).join(', ');
  const base = o.open === false ? yaml.replace(/^policy: \{ allowEveryone: true \}\n/m, '') : yaml;
  const text = `${base.replace('teams: {}', `teams: { ${section} }`)}${o.extraYaml ?? ''}`;
  const t = await startTestDeckhand({
    yaml: text,
    env: { ...fake.env, ...o.env },
    ...(o.dir ? { dir: o.dir } : {}),
    ...(o.logStream ? { logStream: o.logStream } : {}),
  });
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
    /** Stops deckhand but keeps the fake (for a restart on `dir`). */
    stop: () => t.deckhand.close(),
  };
}
