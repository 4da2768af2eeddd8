/** A real deckhand with Discord, its REST API pointed at the local Discord fake. */
import { type DiscordFake, snowflake, startDiscordFake } from '../fakes/discord-api.ts';
import { startTestDeckhand } from './test-deckhand.ts';

export const APP = '900000000000000001';
export const ALICE = '800000000000000001';
export const BOB = '800000000000000002';
export const GENERAL = '700000000000000001';
export const BUILDS = '700000000000000002';
export const RELEASERS = '600000000000000001';

const yaml = `
database: { dataDir: data }
repositories:
  app: { url: data/demo-repo, seedDemo: true }
people:
  - { id: alice, name: Alice, chat: { discord: "${ALICE}" } }
  - { id: bob, name: Bob, chat: { discord: "${BOB}" } }
roles:
  release-manager: {}
# No grants: everyone listed may run everything (the grants themselves are tested in test/core).
policy: { allowEveryone: true }
channels:
  general: { discord: "${GENERAL}" }
  ci-builds: { discord: "${BUILDS}" }
commands:
  build: { pipeline: build }
  deploy: { pipeline: deploy }
pipelines:
  build: { repository: app, steps: [{ name: install, run: ./scripts/install.sh }] }
  deploy: { repository: app, steps: [{ name: release, run: ./scripts/deploy.sh }] }
environments:
  - { name: staging, order: 1 }
  - { name: production, order: 2, protected: true, approvals: { count: 1, roles: [release-manager] } }
approvals: { channel: general }
notifications:
  - { kind: build, channels: [ci-builds] }
webchat: { enabled: false }
discord: { roles: { "${RELEASERS}": [release-manager] } }
`;

export async function startDiscordDeckhand() {
  const fake: DiscordFake = await startDiscordFake({ channels: [GENERAL, BUILDS] });
  const t = await startTestDeckhand({
    yaml,
    env: {
      DISCORD_APPLICATION_ID: APP,
      DISCORD_PUBLIC_KEY: fake.publicKeyHex,
      DISCORD_BOT_TOKEN: fake.token,
      DISCORD_API_URL: fake.url,
    },
  });
  await t.deckhand.providers.get('local')?.listBranches('build');
  /** Posts a body to the endpoint, signed as Discord signs it unless `headers` say otherwise. */
  const send = (body: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/discord/interactions',
      payload: body,
      headers: { 'content-type': 'application/json', ...fake.signed(body), ...headers },
    });
  /** A slash command interaction: `/ci <sub>` with string options. */
  const command = (
    sub: string,
    options: Record<string, string> = {},
    user = ALICE,
    roles: string[] = [],
  ) => ({
    id: snowflake(),
    application_id: APP,
    type: 2,
    token: 'interaction-token',
    channel_id: GENERAL,
    member: { user: { id: user, username: user === ALICE ? 'alice' : 'bob' }, roles },
    data: {
      id: '1',
      name: 'ci',
      type: 1,
      options: [
        {
          type: 1,
          name: sub,
          options: Object.entries(options).map(([name, value]) => ({ type: 3, name, value })),
        },
      ],
    },
  });
  const click = (
    messageId: string,
    channel: string,
    customId: string,
    user = ALICE,
    roles: string[] = [],
  ) => ({
    id: snowflake(),
    application_id: APP,
    type: 3,
    token: 'interaction-token',
    channel_id: channel,
    member: { user: { id: user }, roles },
    message: { id: messageId },
    data: { custom_id: customId, component_type: 2 },
  });
  return {
    ...t,
    fake,
    send,
    command,
    click,
    close: async () => {
      await t.deckhand.close();
      await fake.close();
    },
  };
}
