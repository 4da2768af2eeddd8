/**
 * One rule for credentials: a platform or CI system that runs needs every credential it uses, in
 * the shape its vendor issues; start refuses while any is missing or malformed, listing them all
 * (the variable or key and the shape expected), never a value.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinModules } from '../../src/modules/builtin.ts';
import { credentialProblems, StartupError } from '../../src/server/startup-checks.ts';
import { loadConfig } from '../helpers/config.ts';
import { deckhandWithLogs, writeConfig } from './startup-helpers.ts';

const people = `
database: { dataDir: data }
people:
  - { id: alice, name: Alice, roles: [developer] }
roles:
  developer:
    allow:
      - { commands: [status] }
`;

/** The problems `start` would list for this config and environment. */
async function problems(yaml: string, env: Record<string, string>): Promise<string[]> {
  const config = await loadConfig(writeConfig(people + yaml), env);
  return credentialProblems(config, env, builtinModules);
}

const guid = '00000000-0000-4000-8000-00000000d0c4';

describe('credentials: one rule for every module', () => {
  it('start refuses, listing every missing or malformed credential at once and no value', async () => {
    const env = { SLACK_BOT_TOKEN: 'xoxp-a-user-token-0001', TEAMS_APP_PASSWORD: 'pw-0001' };
    const refused = await deckhandWithLogs(
      `${people}slack: {}\nteams: {}\nproviders:\n  github: {}\n  gitlab: {}\n`,
      env,
    ).then(
      () => assert.fail('deckhand started'),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof StartupError);
    assert.equal(
      refused.message,
      [
        'cannot start: 8 credentials are missing or malformed.',
        '  - SLACK_BOT_TOKEN is not a bot token starting xoxb-',
        "  - SLACK_SIGNING_SECRET and SLACK_APP_TOKEN are not set: one of them, the app's signing secret (HTTP) or an app-level token starting xapp- (Socket Mode) (or slack.signingSecret / slack.appToken)",
        "  - TEAMS_APP_ID is not set: the bot's Microsoft App ID, a GUID like 00000000-0000-0000-0000-000000000000 (or teams.appId)",
        '  - GITHUB_TOKEN is not set: a token that may run workflows (or providers.github.token), or a GitHub App: GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY',
        '  - GITHUB_WEBHOOK_SECRET is not set: the secret of the webhook that reports runs to deckhand (e.g. openssl rand -hex 32) (or providers.github.webhookSecret)',
        '  - GITLAB_URL is not set: the GitLab instance as an http(s) URL, e.g. https://gitlab.example.com (or providers.gitlab.url)',
        '  - GITLAB_TOKEN is not set: an access token with the api scope (or providers.gitlab.token)',
        '  - GITLAB_WEBHOOK_TOKEN is not set: the secret token of the webhook that reports pipelines to deckhand (e.g. openssl rand -hex 32) (or providers.gitlab.webhookToken)',
        'Set each in the environment (or in the config key named) and start again.',
      ].join('\n'),
    );
    for (const value of Object.values(env)) assert.ok(!refused.message.includes(value));
  });

  it('Slack: the bot token missing; an app token of the wrong kind', async () => {
    assert.deepEqual(await problems('slack: {}', { SLACK_SIGNING_SECRET: 's' }), [
      'SLACK_BOT_TOKEN is not set: a bot token starting xoxb- (or slack.botToken)',
    ]);
    assert.deepEqual(await problems('slack: {}', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-1' }), [
      'SLACK_APP_TOKEN is not an app-level token starting xapp-',
    ]);
    assert.deepEqual(
      await problems('slack: {}', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }),
      [],
    );
    // Not run, not checked.
    assert.deepEqual(await problems('slack: { enabled: false }', {}), []);
  });

  it('Teams: a missing app id and a malformed one, from the variable or the key', async () => {
    assert.deepEqual(await problems('teams: {}', { TEAMS_APP_PASSWORD: 'pw' }), [
      "TEAMS_APP_ID is not set: the bot's Microsoft App ID, a GUID like 00000000-0000-0000-0000-000000000000 (or teams.appId)",
    ]);
    assert.deepEqual(
      await problems('teams: {}', { TEAMS_APP_ID: 'deckhand-bot', TEAMS_APP_PASSWORD: 'pw' }),
      ["TEAMS_APP_ID is not the bot's Microsoft App ID, a GUID like 00000000-0000-0000-0000-000000000000"],
    );
    assert.deepEqual(await problems("teams: { appId: 'deckhand-bot' }", { TEAMS_APP_PASSWORD: 'pw' }), [
      "teams.appId is not the bot's Microsoft App ID, a GUID like 00000000-0000-0000-0000-000000000000",
    ]);
    assert.deepEqual(await problems('teams: {}', { TEAMS_APP_ID: guid }), [
      "TEAMS_APP_PASSWORD is not set: a client secret of the bot's app registration (or teams.appPassword)",
    ]);
    assert.deepEqual(await problems('teams: {}', { TEAMS_APP_ID: guid, TEAMS_APP_PASSWORD: 'pw' }), []);
  });

  it('GitHub: a token or a well-formed App, and the webhook secret', async () => {
    const secret = { GITHUB_WEBHOOK_SECRET: 'w' };
    assert.deepEqual(await problems('providers: { github: {} }', { GITHUB_TOKEN: 't', ...secret }), []);
    assert.deepEqual(
      await problems('providers: { github: {} }', {
        GITHUB_APP_ID: 'deckhand',
        GITHUB_APP_PRIVATE_KEY: 'not a key',
        ...secret,
      }),
      [
        "GITHUB_APP_ID is not the GitHub App's numeric id (App settings → About)",
        'GITHUB_APP_PRIVATE_KEY is not a PEM private key (-----BEGIN RSA PRIVATE KEY----- …) generated for the App',
      ],
    );
    assert.deepEqual(await problems('providers: { github: {} }', { GITHUB_APP_ID: '4242', ...secret }), [
      'GITHUB_APP_PRIVATE_KEY is not set: a PEM private key (-----BEGIN RSA PRIVATE KEY----- …) generated for the App (or providers.github.privateKey)',
    ]);
    assert.deepEqual(await problems('providers: { github: {} }', { GITHUB_TOKEN: 't' }), [
      'GITHUB_WEBHOOK_SECRET is not set: the secret of the webhook that reports runs to deckhand (e.g. openssl rand -hex 32) (or providers.github.webhookSecret)',
    ]);
  });

  it('Discord, Mattermost, Jenkins and CircleCI: the same rule', async () => {
    assert.deepEqual(
      await problems('discord: {}', {
        DISCORD_APPLICATION_ID: 'deckhand',
        DISCORD_PUBLIC_KEY: 'abc',
        DISCORD_BOT_TOKEN: 't',
      }),
      [
        "DISCORD_APPLICATION_ID is not the application's id, a snowflake of 17 to 20 digits",
        "DISCORD_PUBLIC_KEY is not the application's public key, 64 hex digits",
      ],
    );
    assert.deepEqual(
      await problems("mattermost: { actionsUrl: 'https://deckhand.test/mattermost/actions' }", {
        MATTERMOST_URL: 'chat.example.com',
      }),
      [
        'MATTERMOST_URL is not the Mattermost server as an http(s) URL, e.g. https://chat.example.com',
        "MATTERMOST_BOT_TOKEN is not set: the bot account's access token (or mattermost.botToken)",
        'MATTERMOST_COMMAND_TOKEN is not set: the slash command token (several separated by commas) (or mattermost.commandToken)',
      ],
    );
    assert.deepEqual(
      await problems('providers: { jenkins: {} }', { JENKINS_URL: 'https://ci.example.com' }),
      [
        'JENKINS_USER is not set: the user whose API token deckhand uses (or providers.jenkins.user)',
        "JENKINS_TOKEN is not set: an API token of JENKINS_USER (not a password; the user's Security page) (or providers.jenkins.token)",
      ],
    );
    // The Notification plugin's token is optional (polling follows the builds): not asked for.
    assert.deepEqual(
      await problems('providers: { jenkins: {} }', {
        JENKINS_URL: 'https://ci.example.com',
        JENKINS_USER: 'u',
        JENKINS_TOKEN: 't',
      }),
      [],
    );
    assert.deepEqual(await problems('providers: { circleci: {} }', {}), [
      'CIRCLECI_TOKEN is not set: a personal API token (User Settings → Personal API Tokens) (or providers.circleci.token)',
    ]);
  });
});

describe('Mattermost buttons need a public URL', () => {
  const env = {
    MATTERMOST_URL: 'https://chat.example.com',
    MATTERMOST_BOT_TOKEN: 'b',
    MATTERMOST_COMMAND_TOKEN: 'c',
  };
  const load = (yaml: string) => loadConfig(writeConfig(people + yaml), env);

  it('refuses no server.publicUrl, and one on loopback, naming the key', async () => {
    await assert.rejects(load('mattermost: {}\n'), (error: Error) => {
      assert.match(
        error.message,
        /yaml:\d+:\d+: mattermost: Mattermost buttons call deckhand back at server\.publicUrl, which is not set \(they would point at localhost\); set server\.publicUrl to the address Mattermost reaches deckhand at, or mattermost\.actionsUrl/,
      );
      return true;
    });
    for (const url of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000'])
      await assert.rejects(load(`server: { publicUrl: '${url}' }\nmattermost: {}\n`), (error: Error) => {
        assert.match(
          error.message,
          /yaml:\d+:\d+: server\.publicUrl: server\.publicUrl .* is a loopback address: Mattermost's buttons would call their own machine/,
        );
        return true;
      });
  });

  it('accepts a public address, or an actionsUrl chosen on purpose', async () => {
    await load("server: { publicUrl: 'https://deckhand.example.com' }\nmattermost: {}\n");
    await load("mattermost: { actionsUrl: 'http://localhost:3000/mattermost/actions' }\n");
    await load("server: { publicUrl: 'http://localhost:3000' }\nmattermost: { enabled: false }\n");
  });
});
