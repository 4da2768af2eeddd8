import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { runSlackManifest as run_ } from '../../../src/chat/slack/cli.ts';
import { slackManifest } from '../../../src/chat/slack/manifest.ts';
import { loadConfig } from '../../helpers/config.ts';

interface Parsed {
  display_information: { name: string };
  features: {
    bot_user: { display_name: string };
    slash_commands: { command: string; url?: string; description: string; should_escape: boolean }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
    org_deploy_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

const manifest = (options: Parameters<typeof slackManifest>[0]) => parse(slackManifest(options)) as Parsed;

function assertHttpUrls(m: Parsed, base: string): void {
  assert.equal(m.features.slash_commands[0]?.url, `${base}/slack/commands`);
  assert.equal(m.settings.interactivity.request_url, `${base}/slack/interactions`);
  assert.equal(m.settings.event_subscriptions.request_url, `${base}/slack/events`);
  assert.equal(m.settings.socket_mode_enabled, false);
}

/** The manifest command as the command line runs it, with the built-in modules. */
const cli = { loadConfig, families: [{ root: 'ci', summary: 'CI/CD', commands: ['build'], specs: [] }] };
const runSlackManifest = (flags: Parameters<typeof run_>[1], io?: Parameters<typeof run_>[2]) =>
  run_(cli, flags, io);

describe('slackManifest', () => {
  it('HTTP mode points the command, interactivity and events at the three endpoints', () => {
    const m = manifest({ url: 'https://bot.example.com' });
    assertHttpUrls(m, 'https://bot.example.com');
    assert.equal(m.display_information.name, 'deckhand');
    assert.equal(m.features.bot_user.display_name, 'deckhand');
    const command = m.features.slash_commands[0];
    assert.equal(command?.command, '/ci');
    assert.equal(command?.description, 'Run CI/CD from chat');
    assert.equal(command?.should_escape, false);
    assert.equal(m.settings.interactivity.is_enabled, true);
    assert.equal(m.settings.org_deploy_enabled, false);
    assert.equal(m.settings.token_rotation_enabled, false);
  });

  it('asks for the scopes deckhand needs and subscribes to app_mention', () => {
    const m = manifest({ url: 'https://bot.example.com' });
    for (const scope of [
      'commands',
      'chat:write',
      'chat:write.public',
      'app_mentions:read',
      'usergroups:read',
    ]) {
      assert.ok(m.oauth_config.scopes.bot.includes(scope), `missing scope ${scope}`);
    }
    assert.deepEqual(m.settings.event_subscriptions.bot_events, ['app_mention']);
  });

  it('Socket Mode has no request URLs, with or without a url', () => {
    for (const m of [manifest({ socketMode: true, url: 'https://bot.example.com' }), manifest({})]) {
      assert.equal(m.settings.socket_mode_enabled, true);
      assert.equal(m.features.slash_commands[0]?.url, undefined);
      assert.equal(m.settings.interactivity.request_url, undefined);
      assert.equal(m.settings.interactivity.is_enabled, true);
      assert.equal(m.settings.event_subscriptions.request_url, undefined);
      assert.deepEqual(m.settings.event_subscriptions.bot_events, ['app_mention']);
    }
  });

  it('takes a custom command and name', () => {
    const m = manifest({ url: 'https://bot.example.com', command: '/deploybot', name: 'Deckhand CI' });
    assert.equal(m.features.slash_commands[0]?.command, '/deploybot');
    assert.equal(m.display_information.name, 'Deckhand CI');
    assert.equal(m.features.bot_user.display_name, 'deckhand-ci');
    assert.throws(() => slackManifest({ command: 'ci' }), /not a slash command/);
  });

  it('strips a trailing slash and keeps a path prefix', () => {
    assertHttpUrls(manifest({ url: 'https://bot.example.com/' }), 'https://bot.example.com');
    assertHttpUrls(manifest({ url: 'https://bot.example.com/chatops/' }), 'https://bot.example.com/chatops');
  });

  it('refuses plain http except for localhost, and anything that is not a URL', () => {
    assert.throws(
      () => slackManifest({ url: 'http://bot.example.com' }),
      (error: Error) =>
        error.message ===
        'The URL must use https:// (http:// is accepted only for localhost), not "http://bot.example.com".',
    );
    assert.throws(() => slackManifest({ url: 'bot.example.com' }), /is not a URL/);
    assertHttpUrls(manifest({ url: 'http://localhost:3000' }), 'http://localhost:3000');
  });
});

describe('deckhand slack manifest', () => {
  const env = { ...process.env, DECKHAND_CONFIG: path.join(tmpdir(), 'deckhand-no-such-config.yaml') };

  it('prints the manifest without any config file', () => {
    const out = execFileSync(
      process.execPath,
      ['bin/deckhand.js', 'slack', 'manifest', '--url', 'https://bot.example.com'],
      { encoding: 'utf8', env },
    );
    assertHttpUrls(parse(out) as Parsed, 'https://bot.example.com');
  });

  it('reports a bad URL on stderr with exit code 2', () => {
    const result = spawnSync(
      process.execPath,
      ['bin/deckhand.js', 'slack', 'manifest', '--url', 'http://bot.example.com'],
      { encoding: 'utf8', env },
    );
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /must use https:\/\//);
  });

  it('takes the URL, command and mode from the config', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deckhand-manifest-'));
    try {
      const file = path.join(dir, 'deckhand.yaml');
      writeFileSync(file, 'server: { publicUrl: "https://bot.example.com/" }\nslack: { command: /ship }\n');
      const run = async (
        flags: Parameters<typeof runSlackManifest>[0],
        extra: Record<string, string> = {},
      ) => {
        let out = '';
        const code = await runSlackManifest(flags, {
          out: (t) => (out += t),
          err: () => {},
          env: { ...extra },
        });
        assert.equal(code, 0);
        return parse(out) as Parsed;
      };
      const http = await run({ config: file });
      assertHttpUrls(http, 'https://bot.example.com');
      assert.equal(http.features.slash_commands[0]?.command, '/ship');
      assert.equal((await run({}, { DECKHAND_CONFIG: file })).features.slash_commands[0]?.command, '/ship');
      const socket = await run({ config: file }, { SLACK_APP_TOKEN: 'xapp-1-test' });
      assert.equal(socket.settings.socket_mode_enabled, true);
      assertHttpUrls(
        await run({ config: file, url: 'https://bot.example.com/other' }),
        'https://bot.example.com/other',
      );

      let err = '';
      const missing = path.join(dir, 'missing.yaml');
      const code = await runSlackManifest(
        { config: missing },
        { out: () => {}, err: (t) => (err += t), env: {} },
      );
      assert.equal(code, 2);
      assert.match(err, /file not found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
