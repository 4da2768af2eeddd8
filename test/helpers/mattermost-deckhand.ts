/** A real deckhand with Mattermost, its REST API pointed at the local Mattermost fake. */
import type { FastifyInstance } from 'fastify';
import { type FakePost, type MattermostFake, startMattermostFake } from '../fakes/mattermost-api.ts';
import { eventually } from './recording-sender.ts';
import { startTestDeckhand } from './test-deckhand.ts';

export const commandToken = 'test-command-token';

const yaml = `
database: { dataDir: data }
repositories:
  app: { url: data/demo-repo, seedDemo: true }
people:
  - { id: alice, name: Alice, chat: { mattermost: u-alice } }
  - { id: bob, name: Bob, chat: { mattermost: u-bob } }
roles:
  release-manager: {}
# No grants: everyone listed may run everything (the grants themselves are tested in test/core).
policy: { allowEveryone: true }
channels:
  general: { mattermost: c-general }
  ci-builds: { mattermost: c-builds }
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
# Buttons' URL: the fake never calls it; a real Mattermost needs server.publicUrl.
mattermost: { groups: { g-release: [release-manager] }, actionsUrl: 'https://deckhand.test/mattermost/actions' }
`;

export async function startMattermostDeckhand() {
  const fake: MattermostFake = await startMattermostFake({
    channels: ['c-general', 'c-builds'],
    groups: { 'u-bob': [{ id: 'g-release', name: 'release' }] },
  });
  const t = await startTestDeckhand({
    yaml,
    env: {
      MATTERMOST_URL: fake.url,
      MATTERMOST_COMMAND_TOKEN: commandToken,
      MATTERMOST_BOT_TOKEN: 'mm-bot-token',
    },
  });
  await t.deckhand.providers.get('local')?.listBranches('build');
  const app: FastifyInstance = t.app;
  /** Posts a slash command as Mattermost does; `headers` replace the defaults. */
  const command = (body: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/mattermost/commands',
      payload: body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Token ${commandToken}`,
        ...headers,
      },
    });
  const action = (body: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/mattermost/actions',
      payload: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
  /** The first post in `channel` whose text or attachments match, waiting for it. */
  const waitForPost = async (channel: string, pattern: RegExp) => {
    let found: FakePost | undefined;
    await eventually(
      () => {
        // Mentions are shown as `@\u200bName` so they notify nobody: match on the name.
        found = fake
          .postsIn(channel)
          .find((p) => pattern.test(JSON.stringify([p.message, p.props]).replace(/@\u200b/g, '')));
        return found !== undefined;
      },
      `a post matching ${pattern} in ${channel}`,
      20_000,
    );
    return found as FakePost;
  };
  return {
    ...t,
    waitForPost,
    fake,
    command,
    action,
    close: async () => {
      await t.deckhand.close();
      await fake.close();
    },
  };
}
