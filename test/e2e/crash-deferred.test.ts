/**
 * A Discord command deferred before a crash is still answered in place after the restart. The
 * child's GitHub is a server that never answers, so two commands outlast Discord's 3 seconds and
 * are deferred (type 5), their interaction tokens kept sealed; the child is killed with SIGKILL
 * and started again against a GitHub that answers. The replayed commands' replies go where the
 * user waits: the whole answer edits the deferred message (`@original`) through the interaction's
 * webhook; a run's reply removes it and is posted with the bot token. No token is ever on disk in
 * clear, nor in the log.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { startAppFake } from '../ci/github/helpers.ts';
import { type DiscordFake, snowflake, startDiscordFake } from '../fakes/discord-api.ts';
import type { GithubFake } from '../fakes/github-api.ts';
import { eventually } from '../helpers/recording-sender.ts';
import { type Child, kill, startChild, stop } from './crash-child.ts';

const APP = '900000000000000001';
const ALICE = '800000000000000001';
const GENERAL = '700000000000000001';

const yaml = `
database: { dataDir: data }
repositories:
  app: { url: https://github.example.com/org/app.git, github: org/app }
people:
  - { id: alice, name: Alice, chat: { discord: "${ALICE}" } }
channels:
  general: { discord: "${GENERAL}" }
commands:
  build: { pipeline: build }
pipelines:
  build:
    provider: github
    repository: app
    github: { workflow: build.yml, inputs: { branch: branch, requested_by: requested_by, deckhand_run: run_id } }
webchat: { enabled: false }
policy: { allowEveryone: true }
discord: {}
`;

/** Every file under `dir`, as bytes. */
function filesUnder(dir: string): { file: string; bytes: Buffer }[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [{ file, bytes: readFileSync(file) }];
  });
}

describe('a deferred Discord answer across a restart', () => {
  let dir: string;
  let discord: DiscordFake;
  let github: GithubFake;
  let silent: http.Server;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'deckhand-deferred-'));
    discord = await startDiscordFake({ channels: [GENERAL] });
    github = await startAppFake();
    // A GitHub that takes requests and never answers: commands that ask it outlast 3 seconds.
    silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    silent.closeAllConnections();
    silent.close();
    await discord.close();
    await github.close();
    // DECKHAND_KEEP keeps the data folder and the child's log for a look after a failure.
    if (process.env.DECKHAND_KEEP) console.error(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  it('edits the deferred message with the reply, or removes it for a run, after SIGKILL and a restart', async () => {
    const file = path.join(dir, 'deckhand.yaml');
    writeFileSync(file, yaml);
    const log = path.join(dir, 'deckhand.log');
    const env = (githubUrl: string) => ({
      DISCORD_APPLICATION_ID: APP,
      DISCORD_PUBLIC_KEY: discord.publicKeyHex,
      DISCORD_BOT_TOKEN: discord.token,
      DISCORD_API_URL: discord.url,
      GITHUB_API_URL: githubUrl,
      GITHUB_TOKEN: 'ghp_test',
      GITHUB_WEBHOOK_SECRET: 'deferred-webhook-secret',
    });
    const tokens = {
      missing: `itoken-${randomBytes(24).toString('hex')}`,
      build: `itoken-${randomBytes(24).toString('hex')}`,
    };
    const interaction = (token: string, branch: string) =>
      JSON.stringify({
        id: snowflake(),
        application_id: APP,
        type: 2,
        token,
        channel_id: GENERAL,
        member: { user: { id: ALICE, username: 'alice' }, roles: [] },
        data: {
          id: '1',
          name: 'ci',
          type: 1,
          options: [{ type: 1, name: 'build', options: [{ type: 3, name: 'branch', value: branch }] }],
        },
      });
    const send = async (child: Child, body: string) => {
      const res = await fetch(`${child.url}/discord/interactions`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...discord.signed(body) },
      });
      return (await res.json()) as { type: number };
    };

    const first = await startChild(
      file,
      env(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`),
      log,
    );
    const answers = await Promise.all([
      send(first, interaction(tokens.missing, 'no-such-branch')),
      send(first, interaction(tokens.build, 'main')),
    ]);
    assert.deepEqual(
      answers.map((a) => a.type),
      [5, 5],
      'both deferred once on disk',
    );
    // What Discord shows for a deferred answer: a "thinking" message each.
    const thinking = {
      missing: discord.deferred(tokens.missing, GENERAL),
      build: discord.deferred(tokens.build, GENERAL),
    };
    await kill(first);

    const second = await startChild(file, env(github.url), log);
    try {
      await eventually(
        () =>
          (discord.messages.get(thinking.missing.id)?.edits ?? 0) > 0 &&
          !discord.messages.has(thinking.build.id),
        'the deferred answers given after the restart',
        60_000,
      );
      const edited = discord.messages.get(thinking.missing.id);
      assert.match(JSON.stringify(edited?.embeds), /Branch 'no.*branch' not found/);
      assert.equal(edited?.flags, 0, 'no longer thinking');
      assert.ok(discord.webhookEdits.some((e) => e.token === tokens.missing));
      const query = (q: string) => {
        const db = new Database(path.join(dir, 'data', 'deckhand.db'), { readonly: true });
        try {
          return db.prepare(q).get() as { n: number };
        } finally {
          db.close();
        }
      };
      await eventually(
        () => query("select count(*) as n from outbox where status = 'pending'").n === 0,
        'the outbox to be empty',
        60_000,
      );
      // The run's reply went to the channel with the bot token, once; the answer only in place.
      const inChannel = discord.messagesIn(GENERAL).filter((m) => m.channel_id === GENERAL);
      const text = (m: (typeof inChannel)[number]) => JSON.stringify([m.content, m.embeds]);
      assert.equal(inChannel.filter((m) => /Build of `main`/.test(text(m))).length, 1);
      assert.equal(inChannel.filter((m) => /not found/.test(text(m))).length, 1, 'only the edited one');
      // The removed one is forgotten; the edited one is kept (sealed) until it expires, so a crash
      // before the outbox's record of the edit edits again instead of posting.
      assert.equal(query('select count(*) as n from deferred_answers').n, 1);
    } finally {
      await stop(second);
    }
    for (const { file: f, bytes } of filesUnder(dir))
      for (const token of Object.values(tokens))
        assert.equal(
          bytes.includes(token),
          false,
          `${path.relative(dir, f)} holds an interaction token in clear`,
        );
  });
});
