/** A real deckhand with Slack over HTTP, its Web API pointed at the local Slack fake. */
import { signSlackRequest } from '../../src/chat/slack/verify.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack-api.ts';
import { startTestDeckhand } from './test-deckhand.ts';

export const signingSecret = 'test-signing-secret';

const yaml = `
database: { dataDir: data }
repositories:
  app: { url: data/demo-repo, seedDemo: true }
people:
  - { id: alice, name: Alice, chat: { slack: U-alice } }
  - { id: bob, name: Bob, roles: [release-manager], chat: { slack: U-bob } }
roles:
  release-manager: {}
# No grants: everyone listed may run everything (the grants themselves are tested in test/core).
policy: { allowEveryone: true }
channels:
  general: { slack: C-general }
  ci-builds: { slack: C-builds }
  deployments: { slack: C-deploys }
commands:
  build: { pipeline: build }
  deploy: { pipeline: deploy }
  rollback: { pipeline: deploy }
pipelines:
  build: { repository: app, steps: [{ name: install, run: ./scripts/install.sh }, { name: compile, run: ./scripts/build.sh }] }
  deploy: { repository: app, steps: [{ name: release, run: ./scripts/deploy.sh }] }
environments:
  - { name: staging, order: 1 }
  - { name: production, order: 2 }
notifications:
  - { kind: build, channels: [ci-builds] }
  - { kind: [deploy, rollback], channels: [deployments] }
webchat: { enabled: false }
slack: { usergroups: { S-releasers: [release-manager] } }
`;

export async function startSlackDeckhand(options: { fake?: SlackFake; appToken?: string } = {}) {
  const fake = options.fake ?? (await startSlackFake({ channels: ['C-general', 'C-builds', 'C-deploys'] }));
  // An app token means Socket Mode, with no signing secret and no HTTP endpoints.
  const { deckhand, config } = await startTestDeckhand({
    yaml,
    env: options.appToken
      ? { SLACK_APP_TOKEN: options.appToken, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.url }
      : { SLACK_SIGNING_SECRET: signingSecret, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.url },
  });
  // Seed the demo repository and its mirror now, so the first command is not the slow one.
  await deckhand.providers.get('local')?.listBranches('build');

  /** Sends a body to an endpoint, signed as Slack signs it unless told otherwise. */
  const send = (
    url: string,
    body: string,
    opts: {
      contentType?: string;
      timestamp?: number;
      signature?: string;
      headers?: Record<string, string>;
    } = {},
  ) => {
    const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    return deckhand.app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: {
        'content-type': opts.contentType ?? 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': opts.signature ?? signSlackRequest(signingSecret, ts, body),
        ...opts.headers,
      },
    });
  };
  let triggers = 0;
  const command = (text: string, user = 'U-alice', channel = 'C-general') =>
    send(
      '/slack/commands',
      new URLSearchParams({
        command: '/ci',
        text,
        user_id: user,
        user_name: user.toLowerCase(),
        channel_id: channel,
        team_id: 'T1',
        response_url: 'https://hooks.slack.test/commands/1',
        // Slack gives each invocation its own trigger id.
        trigger_id: `${++triggers}.2.3`,
      }).toString(),
    );
  const click = (actionId: string, channel: string, ts: string, user = 'U-alice') =>
    send(
      '/slack/interactions',
      new URLSearchParams({
        payload: JSON.stringify({
          type: 'block_actions',
          user: { id: user },
          channel: { id: channel },
          container: { type: 'message', message_ts: ts, channel_id: channel },
          message: { ts },
          actions: [{ action_id: actionId, block_id: 'b', value: actionId, action_ts: '1' }],
          response_url: 'https://hooks.slack.test/actions/1',
          trigger_id: `${++triggers}.2.3`,
          api_app_id: 'A1',
        }),
      }).toString(),
    );
  const event = (callback: object, headers: Record<string, string> = {}) =>
    send('/slack/events', JSON.stringify(callback), { contentType: 'application/json', headers });
  const close = async () => {
    await deckhand.close();
    if (!options.fake) await fake.close();
  };
  return { fake, deckhand, config, send, command, click, event, close };
}

/** The text of a Slack message, blocks and attachments included, for matching. */
export function slackText(
  message: { text?: string; blocks?: unknown[]; attachments?: unknown[] } | undefined,
): string {
  return message ? JSON.stringify([message.text, message.blocks, message.attachments]) : '';
}
