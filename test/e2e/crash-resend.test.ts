/**
 * No reply sent twice across a crash. A `deckhand start` child is told (the test-only
 * DECKHAND_TEST_KILL_AFTER_POST) to SIGKILL itself right after a platform accepted a post and
 * before the outbox recorded it; it is started again on the same data, finds the message in doubt
 * and looks it up (Slack: message metadata; Mattermost: post props; Discord: the post's nonce;
 * the web chat: its own store) instead of posting it again. Each platform's fake then holds the
 * message exactly once. (Teams cannot look a message up: docs/platforms.md says so.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { signSlackRequest } from '../../src/chat/slack/verify.ts';
import { KILL_AFTER_POST, killAfterPost } from '../../src/server/faults.ts';
import { startDiscordFake } from '../fakes/discord-api.ts';
import { startMattermostFake } from '../fakes/mattermost-api.ts';
import { startSlackFake } from '../fakes/slack-api.ts';
import { eventually } from '../helpers/recording-sender.ts';
import { slackText } from '../helpers/slack-deckhand.ts';
import { type Child, kill, startChild, stop } from './crash-child.ts';

const KILL = KILL_AFTER_POST;
const BUILDS_DISCORD = '700000000000000002';

/** A build from the web chat, its card in `ci-builds` on `builds` (a platform's channel entry). */
const yaml = (builds: string, section: string) => `
database: { dataDir: data }
repositories:
  app: { url: data/demo-repo, seedDemo: true }
people:
  - { id: alice, name: Alice, chat: { webchat: alice, slack: U-alice } }
channels:
  general: {}
  ci-builds: { ${builds} }
commands:
  build: { pipeline: build }
pipelines:
  build: { repository: app, steps: [{ name: compile, run: ./scripts/build.sh }] }
notifications:
  - { kind: build, branch: main, channels: [ci-builds] }
policy: { allowEveryone: true }
${section}
`;

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type Query = <T>(sql: string) => T;

/**
 * Starts deckhand set to die after its first post on `platform`, makes it post (`trigger`), waits
 * for it to die, counts what the platform holds, starts it again without the fault and waits until
 * the outbox is empty. Returns the counts before and after the restart.
 */
async function crashAndRestart(o: {
  platform: string;
  config: string;
  env: Record<string, string>;
  trigger: (child: Child) => Promise<void>;
  count: (query: Query) => number;
}): Promise<{ before: number; after: number; inDoubt: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), `deckhand-resend-${o.platform}-`));
  dirs.push(dir);
  const file = path.join(dir, 'deckhand.yaml');
  writeFileSync(file, o.config);
  const log = path.join(dir, 'deckhand.log');
  const query: Query = (sql) => {
    const db = new Database(path.join(dir, 'data', 'deckhand.db'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).get() as never;
    } finally {
      db.close();
    }
  };
  const first = await startChild(file, { ...o.env, [KILL]: o.platform }, log);
  try {
    await o.trigger(first);
    await eventually(
      () => first.process.signalCode !== null,
      `deckhand to kill itself after a ${o.platform} post`,
      30_000,
    );
  } catch (error) {
    // A child left running would keep this test file from ever ending.
    if (first.process.signalCode === null) await kill(first);
    throw error;
  }
  assert.equal(first.process.signalCode, 'SIGKILL');
  const before = o.count(query);

  const second = await startChild(file, o.env, log);
  try {
    await eventually(
      () => query<{ n: number }>("select count(*) as n from outbox where status = 'pending'").n === 0,
      'the outbox to be empty after the restart',
      60_000,
    );
    const inDoubt = query<{ n: number }>(
      `select count(*) as n from outbox where in_doubt = 1 and status = 'delivered' and platform = '${o.platform}'`,
    ).n;
    return { before, after: o.count(query), inDoubt };
  } finally {
    await stop(second);
  }
}

const webchatCommand = (text: string) => async (child: Child) => {
  const res = await fetch(`${child.url}/api/webchat/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'general', user: 'alice', text }),
  });
  assert.equal(res.status, 202);
};

describe('the test-only fault', () => {
  it('is no hook at all unless DECKHAND_TEST_KILL_AFTER_POST is set, and says so when it is', () => {
    const warned: string[] = [];
    const logger = { warn: (_o: object, m?: string) => void warned.push(m ?? '') };
    assert.equal(killAfterPost({}, logger), undefined);
    assert.equal(killAfterPost({ [KILL]: '' }, logger), undefined);
    assert.deepEqual(warned, []);
    assert.equal(typeof killAfterPost({ [KILL]: 'slack' }, logger), 'function');
    assert.match(warned[0] ?? '', /test fault/);
  });
});

describe('a post in flight at a crash is not posted again', () => {
  it('web chat: its store keeps the post under its key', async () => {
    const result = await crashAndRestart({
      platform: 'webchat',
      config: yaml('slack: C-unused', ''),
      env: {},
      trigger: webchatCommand('/ci status 424242'),
      count: (query) =>
        query<{ n: number }>(
          "select count(*) as n from webchat_messages where bot = 1 and body like '%There is no run #424242%'",
        ).n,
    });
    assert.deepEqual(result, { before: 1, after: 1, inDoubt: 1 });
  });

  it("Slack: a mention's reply in flight is found in its thread by its metadata", async () => {
    const slack = await startSlackFake({ channels: ['C-m'] });
    try {
      const ts = '1700000000.000042';
      // The mention is a person's message in the channel, as Slack has it before its event.
      slack.userMessage('C-m', { ts, user: 'U-alice', text: '<@U0BOT> status 313131' });
      const secret = 'resend-signing-secret';
      const result = await crashAndRestart({
        platform: 'slack',
        config: yaml('slack: C-builds', 'slack: {}'),
        env: { SLACK_SIGNING_SECRET: secret, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: slack.url },
        trigger: async (child) => {
          const body = JSON.stringify({
            type: 'event_callback',
            event_id: 'Ev-resend-1',
            team_id: 'T1',
            event: {
              type: 'app_mention',
              user: 'U-alice',
              text: '<@U0BOT> status 313131',
              channel: 'C-m',
              ts,
            },
          });
          const at = String(Math.floor(Date.now() / 1000));
          const res = await fetch(`${child.url}/slack/events`, {
            method: 'POST',
            body,
            headers: {
              'content-type': 'application/json',
              'x-slack-request-timestamp': at,
              'x-slack-signature': signSlackRequest(secret, at, body),
            },
          });
          assert.equal(res.status, 200);
        },
        count: () =>
          slack
            .messagesIn('C-m')
            .filter((m) => m.thread_ts === ts && /There is no run #313131/.test(slackText(m))).length,
      });
      assert.deepEqual(result, { before: 1, after: 1, inDoubt: 1 });
      assert.ok(
        slack.calls.some(
          (c) => c.method === 'conversations.replies' && String(c.body.include_all_metadata) === 'true',
        ),
        'looked up in the thread, with its metadata',
      );
    } finally {
      await slack.close();
    }
  });

  it('Mattermost: a card in flight is found by the key in its props', async () => {
    const mattermost = await startMattermostFake({ channels: ['c-builds'] });
    try {
      const result = await crashAndRestart({
        platform: 'mattermost',
        config: yaml(
          'mattermost: c-builds',
          "mattermost: { actionsUrl: 'https://deckhand.test/mattermost/actions' }",
        ),
        env: {
          MATTERMOST_URL: mattermost.url,
          MATTERMOST_COMMAND_TOKEN: 'resend-command-token',
          MATTERMOST_BOT_TOKEN: 'mm-bot-token',
        },
        trigger: webchatCommand('/ci build main'),
        count: () =>
          [...mattermost.posts.values()].filter((p) => p.channel_id === 'c-builds' && !p.root_id).length,
      });
      assert.deepEqual(result, { before: 1, after: 1, inDoubt: 1 });
      assert.ok(
        mattermost.calls.some(
          (c) => c.method === 'GET' && /\/channels\/c-builds\/posts\?since=/.test(c.path),
        ),
        'looked up among the posts since the first attempt',
      );
    } finally {
      await mattermost.close();
    }
  });

  it('Discord: a card in flight is posted again under the same nonce, and Discord returns the first', async () => {
    const discord = await startDiscordFake({ channels: [BUILDS_DISCORD] });
    try {
      const result = await crashAndRestart({
        platform: 'discord',
        config: yaml(`discord: "${BUILDS_DISCORD}"`, 'discord: {}'),
        env: {
          DISCORD_APPLICATION_ID: '900000000000000001',
          DISCORD_PUBLIC_KEY: discord.publicKeyHex,
          DISCORD_BOT_TOKEN: discord.token,
          DISCORD_API_URL: discord.url,
        },
        trigger: webchatCommand('/ci build main'),
        count: () => [...discord.messages.values()].filter((m) => m.channel_id === BUILDS_DISCORD).length,
      });
      assert.deepEqual(result, { before: 1, after: 1, inDoubt: 1 });
      const creates = discord.calls.filter(
        (c) => c.method === 'POST' && c.path === `/channels/${BUILDS_DISCORD}/messages`,
      );
      assert.ok(creates.length >= 2, 'posted again after the restart, answered with the first');
    } finally {
      await discord.close();
    }
  });
});
