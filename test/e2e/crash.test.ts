/**
 * kill -9 loses nothing and repeats nothing visible. A `deckhand start` child with the web chat,
 * Slack (against the Slack fake) and GitHub webhooks takes 300 mixed commands, mentions and CI
 * deliveries; it is killed with SIGKILL once half of them are acknowledged (a count, not a time)
 * and started again on the same data. Then every acknowledged command and mention is answered
 * exactly once, every acknowledged delivery is applied, and every run ends in a final state.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { signSlackRequest } from '../../src/chat/slack/verify.ts';
import { signGithubPayload } from '../../src/ci/github/index.ts';
import { example, inApp, startAppFake } from '../ci/github/helpers.ts';
import type { GithubFake } from '../fakes/github-api.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack-api.ts';
import { eventually } from '../helpers/recording-sender.ts';
import { slackText } from '../helpers/slack-deckhand.ts';
import { type Child, kill, startChild, stop } from './crash-child.ts';

const signingSecret = 'crash-signing-secret';
const webhookSecret = 'crash-webhook-secret';

/** CI runs go to ten channels by branch: Slack takes about a message a second per channel. */
const branches = Array.from({ length: 10 }, (_, i) => `b${i}`);

const yaml = `
database: { dataDir: data }
repositories:
  app: { url: data/demo-repo, seedDemo: true, github: org/app }
people:
  - { id: alice, name: Alice, chat: { webchat: alice, slack: U-alice }, emails: [alice@example.com] }
channels:
  general: { slack: C-general }
  ci-builds: { slack: C-builds }
${branches.map((b) => `  ci-${b}: { slack: C-${b} }`).join('\n')}
commands:
  build: { pipeline: build }
pipelines:
  build: { repository: app, steps: [{ name: compile, run: ./scripts/build.sh }] }
  ci: { provider: github, repository: app, github: { workflow: build.yml } }
notifications:
  - { kind: build, branch: main, channels: [ci-builds] }
${branches.map((b) => `  - { kind: build, branch: ${b}, channels: [ci-${b}] }`).join('\n')}
# No grants: everyone listed may run everything (the grants themselves are tested in test/core).
policy: { allowEveryone: true }
slack: {}
`;

type Item =
  | { kind: 'webchat'; text: string; expect?: RegExp }
  | { kind: 'slash'; text: string; trigger: string; expect: RegExp }
  | { kind: 'mention'; text: string; channel: string; ts: string; eventId: string; expect: RegExp }
  | { kind: 'ci'; run: number; delivery: string };

/** 100 web chat commands (10 of them builds), 60 slash commands, 60 mentions, 80 CI deliveries, interleaved. */
function items(): Item[] {
  const list: Item[] = [];
  for (let i = 0; i < 100; i++) {
    if (i % 10 === 0) list.push({ kind: 'webchat', text: '/ci build main' });
    else if (i % 2 === 0)
      list.push({
        kind: 'webchat',
        text: `/ci status ${90_000 + i}`,
        expect: new RegExp(`There is no run #${90_000 + i}\\.`),
      });
    else
      list.push({
        kind: 'webchat',
        text: `/ci biuld${i}`,
        expect: new RegExp(`Unknown command \`biuld${i}\``),
      });
  }
  for (let i = 0; i < 60; i++)
    list.push({
      kind: 'slash',
      text: `status ${80_000 + i}`,
      trigger: `crash.${i}.t`,
      expect: new RegExp(`There is no run #${80_000 + i}\\.`),
    });
  for (let i = 0; i < 60; i++)
    list.push({
      kind: 'mention',
      text: `<@U0BOT> status ${70_000 + i}`,
      // Slack takes about a message a second per channel: the answers are spread over ten.
      channel: `C-m${i % 10}`,
      ts: `1700000000.${String(i).padStart(6, '0')}`,
      eventId: `Ev-crash-${i}`,
      expect: new RegExp(`There is no run #${70_000 + i}\\.`),
    });
  for (let i = 0; i < 80; i++) list.push({ kind: 'ci', run: 600_000 + i, delivery: `crash-ci-${i}` });
  // Interleaved the same way every time (a fixed stride over the list).
  return list.map((_, i) => list[(i * 7) % list.length] as Item);
}

/** A completed workflow_run for a run started on GitHub's side. */
function workflowRun(run: number, branch: string) {
  const payload = inApp(example('workflow_run', (e) => e.workflow_run?.conclusion === 'success'));
  Object.assign(payload.workflow_run, {
    id: run,
    path: '.github/workflows/build.yml',
    head_branch: branch,
    status: 'completed',
    conclusion: 'success',
  });
  payload.action = 'completed';
  return payload;
}

async function send(url: string, item: Item): Promise<{ status: number; body: string }> {
  const post = async (pathname: string, body: string, headers: Record<string, string>) => {
    const res = await fetch(`${url}${pathname}`, { method: 'POST', body, headers });
    return { status: res.status, body: await res.text() };
  };
  const slack = (body: string, type: string) => {
    const ts = String(Math.floor(Date.now() / 1000));
    return {
      'content-type': type,
      'x-slack-request-timestamp': ts,
      'x-slack-signature': signSlackRequest(signingSecret, ts, body),
    };
  };
  switch (item.kind) {
    case 'webchat':
      return post(
        '/api/webchat/messages',
        JSON.stringify({ channel: 'general', user: 'alice', text: item.text }),
        {
          'content-type': 'application/json',
        },
      );
    case 'slash': {
      const body = new URLSearchParams({
        command: '/ci',
        text: item.text,
        user_id: 'U-alice',
        user_name: 'alice',
        channel_id: 'C-general',
        team_id: 'T1',
        trigger_id: item.trigger,
      }).toString();
      return post('/slack/commands', body, slack(body, 'application/x-www-form-urlencoded'));
    }
    case 'mention': {
      const body = JSON.stringify({
        type: 'event_callback',
        event_id: item.eventId,
        team_id: 'T1',
        event: { type: 'app_mention', user: 'U-alice', text: item.text, channel: item.channel, ts: item.ts },
      });
      return post('/slack/events', body, slack(body, 'application/json'));
    }
    case 'ci': {
      const body = JSON.stringify(workflowRun(item.run, branches[item.run % branches.length] as string));
      return post('/webhooks/github', body, {
        'content-type': 'application/json',
        'x-github-event': 'workflow_run',
        'x-github-delivery': item.delivery,
        'x-hub-signature-256': await signGithubPayload(webhookSecret, body),
      });
    }
  }
}

const acked = (item: Item, status: number) =>
  item.kind === 'webchat'
    ? status === 202
    : item.kind === 'ci'
      ? status === 202 || status === 200
      : status === 200;

/** The web chat's whole #general, top level, oldest first. */
async function webchatMessages(
  url: string,
): Promise<{ id: string; text: string; author: { bot: boolean } }[]> {
  const all: { id: string; text: string; author: { bot: boolean } }[] = [];
  for (;;) {
    const after = all.at(-1)?.id;
    const res = await fetch(`${url}/api/webchat/channels/general/messages${after ? `?after=${after}` : ''}`);
    const { messages } = (await res.json()) as { messages: typeof all };
    if (messages.length === 0) return all;
    all.push(...messages);
  }
}

describe('kill -9 loses nothing and repeats nothing visible', () => {
  let dir: string;
  let slack: SlackFake;
  let github: GithubFake;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'deckhand-crash-'));
    writeFileSync(path.join(dir, 'deckhand.yaml'), yaml);
    const mentions = Array.from({ length: 10 }, (_, i) => `C-m${i}`);
    const ci = branches.map((b) => `C-${b}`);
    slack = await startSlackFake({ channels: ['C-general', 'C-builds', ...mentions, ...ci] });
    github = await startAppFake();
  });
  after(async () => {
    await slack.close();
    await github.close();
    // DECKHAND_KEEP keeps the data folder and the child's log for a look after a failure.
    if (process.env.DECKHAND_KEEP) console.error(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  it('300 commands, mentions and CI deliveries, SIGKILL halfway, a restart: each acknowledged one once', async () => {
    const env = {
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: slack.url,
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: 'ghp_crash',
      GITHUB_WEBHOOK_SECRET: webhookSecret,
    };
    const file = path.join(dir, 'deckhand.yaml');
    const log = path.join(dir, 'deckhand.log');
    const all = items();
    // A mention is a person's message in the channel before it is an event: a reply in flight at
    // the crash is looked for in its thread (conversations.replies needs the thread's parent).
    for (const item of all)
      if (item.kind === 'mention')
        slack.userMessage(item.channel, { ts: item.ts, user: 'U-alice', text: item.text });
    const answers = new Map<Item, { status: number; body: string }>();
    const failed = new Set<Item>();
    let next = 0;
    let child: Child = await startChild(file, env, log);

    /** Sends items, a few at a time, until `stopAt` are acknowledged or none are left. */
    const pump = async (stopAt: number) => {
      const ackedCount = () => [...answers].filter(([item, a]) => acked(item, a.status)).length;
      const lane = async () => {
        while (next < all.length && ackedCount() < stopAt) {
          const item = all[next++] as Item;
          try {
            answers.set(item, await send(child.url, item));
          } catch {
            failed.add(item); // in flight when the process died: nobody knows whether it was taken
          }
        }
      };
      await Promise.all(Array.from({ length: 6 }, lane));
    };

    await pump(150);
    await kill(child);
    const ackedBefore = [...answers].filter(([item, a]) => acked(item, a.status)).length;
    assert.ok(
      ackedBefore >= 150 && next < all.length,
      `killed halfway: ${ackedBefore} acknowledged of ${next} sent`,
    );

    child = await startChild(file, env, log);
    try {
      await pump(all.length);
      // A CI system retries what it did not hear back about; people do not retype commands.
      for (const item of failed) if (item.kind === 'ci') answers.set(item, await send(child.url, item));
      for (const [item, a] of answers)
        if (item.kind === 'ci') assert.ok(acked(item, a.status), `delivery ${a.status}`);

      // Done when nothing is left to handle or send and no run is still going.
      const sqlite = path.join(dir, 'data', 'deckhand.db');
      await eventually(
        () => {
          const db = new Database(sqlite, { readonly: true, fileMustExist: true });
          try {
            const count = (q: string) => (db.prepare(q).get() as { n: number }).n;
            return (
              count('select count(*) as n from intake') === 0 &&
              count("select count(*) as n from outbox where status = 'pending'") === 0 &&
              count("select count(*) as n from runs where status in ('queued', 'running')") === 0
            );
          } finally {
            db.close();
          }
        },
        'everything taken in to be handled, sent and finished',
        120_000,
      );

      const ok = [...answers].filter(([item, a]) => acked(item, a.status)).map(([item, a]) => ({ item, a }));
      const chat = (await webchatMessages(child.url)).filter((m) => m.author.bot);
      const general = slack.messagesIn('C-general');
      const problems: string[] = [];
      const once = (what: string, n: number, mustBe: boolean) => {
        if (n > 1 || (mustBe && n !== 1)) problems.push(`${what}: answered ${n} times`);
      };
      for (const item of all) {
        const took = ok.some((o) => o.item === item);
        if (item.kind === 'webchat' && item.expect) {
          const re = item.expect;
          once(item.text, chat.filter((m) => re.test(m.text)).length, took);
        } else if (item.kind === 'mention') {
          const re = item.expect;
          const thread = slack
            .messagesIn(item.channel)
            .filter((m) => m.thread_ts === item.ts && re.test(slackText(m)));
          once(`mention ${item.text}`, thread.length, took);
        } else if (item.kind === 'slash') {
          // Answered in the ack, or (replayed after a crash) posted: one or the other, once.
          const re = item.expect;
          const inline = took && re.test(answers.get(item)?.body ?? '') ? 1 : 0;
          once(`/ci ${item.text}`, inline + general.filter((m) => re.test(slackText(m))).length, took);
        }
      }
      // Builds: each run's reply posted once; every acknowledged build has one.
      const buildReplies = chat.filter((m) => /Build of `main` triggered by @Alice — run #\d+/.test(m.text));
      const runs = buildReplies.map((m) => /run #(\d+)/.exec(m.text)?.[1]);
      assert.equal(new Set(runs).size, runs.length, `a build reply twice: ${runs.join(', ')}`);
      const ackedBuilds = ok.filter((o) => o.item.kind === 'webchat' && !o.item.expect).length;
      assert.ok(
        buildReplies.length >= ackedBuilds,
        `${buildReplies.length} build replies for ${ackedBuilds} builds`,
      );
      assert.deepEqual(problems, []);

      // Every delivery applied, each CI run recorded once, every run final.
      const db = new Database(sqlite, { readonly: true });
      try {
        const ciRuns = db
          .prepare("select external_id as id, status from runs where provider = 'github'")
          .all() as { id: string; status: string }[];
        assert.equal(ciRuns.length, 80, 'one run per CI run, none twice');
        assert.ok(ciRuns.every((r) => r.status === 'succeeded'));
        const open = db
          .prepare("select count(*) as n from runs where status in ('queued', 'running')")
          .get() as { n: number };
        assert.equal(open.n, 0);
      } finally {
        db.close();
      }
    } finally {
      await stop(child);
    }
  });
});
