/**
 * Start never waits on the outside world: with every platform and CI system unreachable, the port,
 * the web chat and /healthz answer at once; /readyz names each module that is not connected and
 * why; the log names it and retries with capped, jittered exponential backoff.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, describe, it } from 'node:test';
import { createSlackSocket } from '../../src/chat/slack/socket.ts';
import { backoffMs, Connections } from '../../src/server/connections.ts';
import { startSocketModeServer } from '../fakes/socket-mode-server.ts';
import { closedPort, deckhandWithLogs, until } from './startup-helpers.ts';

const people = `
people:
  - { id: alice, name: Alice, roles: [developer], chat: { slack: U-alice } }
roles:
  developer:
    allow:
      - { commands: [status] }
`;

/** Every module's credentials, well formed (shapes from each module's credentials()). */
const credentials = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-3',
  SLACK_APP_TOKEN: 'xapp-1-A1-2-3',
  TEAMS_APP_ID: '00000000-0000-4000-8000-00000000d0c4',
  TEAMS_APP_PASSWORD: 'teams-password',
  DISCORD_APPLICATION_ID: '900000000000000001',
  DISCORD_PUBLIC_KEY: 'ab'.repeat(32),
  DISCORD_BOT_TOKEN: 'discord-bot-token',
  MATTERMOST_BOT_TOKEN: 'mm-bot-token',
  MATTERMOST_COMMAND_TOKEN: 'mm-command-token',
  GITHUB_TOKEN: 'ghp_startup',
  GITHUB_WEBHOOK_SECRET: 'github-webhook-secret',
  GITLAB_TOKEN: 'glpat-startup',
  GITLAB_WEBHOOK_TOKEN: 'gitlab-webhook-token',
  JENKINS_USER: 'jenkins-user',
  JENKINS_TOKEN: 'jenkins-api-token',
  CIRCLECI_TOKEN: 'circleci-token',
};

const everyModule = ['slack', 'teams', 'discord', 'mattermost', 'github', 'gitlab', 'jenkins', 'circleci'];

describe('start with every platform and CI system unreachable', () => {
  const closers: (() => Promise<unknown>)[] = [];
  after(async () => {
    // Last opened, first closed: deckhand before the fakes it is connected to.
    for (const close of closers.reverse()) await close();
  });

  it('answers on its port at once and names each module on /readyz, retrying with capped backoff', async () => {
    const port = await closedPort();
    const at = `http://127.0.0.1:${port}`;
    const { deckhand, logs } = await deckhandWithLogs(
      `
database: { dataDir: data }
${people}
slack: {}
teams: {}
discord: {}
mattermost: { actionsUrl: 'https://deckhand.test/mattermost/actions' }
providers:
  github: { apiUrl: '${at}' }
  gitlab: { url: '${at}' }
  jenkins: { url: '${at}' }
  circleci: { apiUrl: '${at}/api/v2' }
`,
      {
        ...credentials,
        SLACK_API_URL: `${at}/api/`,
        TEAMS_TOKEN_URL: `${at}/token`,
        DISCORD_API_URL: `${at}/api`,
        MATTERMOST_URL: at,
      },
      { connectBackoff: { firstMs: 100, maxMs: 400 } },
    );
    closers.push(() => deckhand.close());

    const started = Date.now();
    const address = await deckhand.listen(0, '127.0.0.1');
    const listened = Date.now();
    // Before, Socket Mode alone kept listen() waiting for the SDK's 100 retries.
    assert.ok(listened - started < 2000, `listen() took ${listened - started} ms`);
    const health = await fetch(`${address}/healthz`);
    assert.equal(health.status, 200);
    const page = await fetch(`${address}/`);
    assert.equal(page.status, 200, 'the web chat answers');
    assert.match(await page.text(), /<html/i);
    assert.ok(Date.now() - listened < 1000, `/healthz and the web chat took ${Date.now() - listened} ms`);

    const reasons = await until('/readyz to name every module', async () => {
      const res = await fetch(`${address}/readyz`);
      const body = (await res.json()) as { reasons?: Record<string, string> };
      assert.equal(res.status, 503);
      const named = Object.keys(body.reasons ?? {});
      const failed = everyModule.every((m) => named.includes(m) && body.reasons?.[m] !== 'connecting');
      return failed ? (body.reasons as Record<string, string>) : undefined;
    });
    const where = `127\\.0\\.0\\.1:${port}`;
    const reason = (name: string) => reasons[name] ?? '';
    assert.match(reason('slack'), /^Slack Socket Mode could not connect: .*ECONNREFUSED/);
    assert.match(
      reason('teams'),
      new RegExp(`^the Teams token endpoint at http://${where} issued no token \\(ECONNREFUSED\\)$`),
    );
    assert.match(
      reason('discord'),
      new RegExp(`^the Discord API is unreachable at http://${where} \\(ECONNREFUSED\\)$`),
    );
    assert.match(
      reason('mattermost'),
      new RegExp(`^Mattermost is unreachable at http://${where} \\(ECONNREFUSED\\)$`),
    );
    for (const [name, vendor] of [
      ['github', 'GitHub'],
      ['gitlab', 'GitLab'],
      ['jenkins', 'Jenkins'],
      ['circleci', 'CircleCI'],
    ] as const)
      assert.match(
        reason(name),
        new RegExp(`^${vendor} is unreachable at http://${where} \\(ECONNREFUSED\\)$`),
      );
    const ready = (await (await fetch(`${address}/readyz`)).json()) as { checks: Record<string, boolean> };
    assert.equal(ready.checks.database, true);
    for (const m of everyModule) assert.equal(ready.checks[m], false, m);

    // The log names each one and when it tries again; the waits grow, never past the cap.
    const retries = (name: string) =>
      logs.filter((l) => l.module === name && /retrying in/.test(String(l.msg))) as {
        attempt: number;
        retryInMs: number;
        msg: string;
      }[];
    await until('four attempts at GitHub', async () => (retries('github').length >= 4 ? true : undefined));
    for (const m of everyModule) assert.ok(retries(m).length > 0, `a retry of ${m} is logged`);
    const [first, , , fourth] = retries('github');
    assert.ok(first && fourth);
    const github = retries('github');
    assert.match(first.msg, /^github is not connected: GitHub is unreachable at .*; retrying in \d+ ms$/);
    assert.deepEqual(
      github.slice(0, 4).map((l) => l.attempt),
      [1, 2, 3, 4],
    );
    assert.ok(first.retryInMs >= 50 && first.retryInMs <= 100, `first wait ${first.retryInMs}`);
    assert.ok(fourth.retryInMs >= 200 && fourth.retryInMs <= 400, `fourth wait ${fourth.retryInMs}`);
    assert.ok(
      github.every((l) => l.retryInMs <= 400),
      'capped',
    );
    // No credential reaches the log.
    const text = JSON.stringify(logs);
    for (const [name, secret] of Object.entries(credentials))
      if (/TOKEN|PASSWORD|SECRET|KEY/.test(name)) assert.ok(!text.includes(secret), `${name} in the log`);
  });

  it('turns /readyz to 200 once Slack is greeted and a CI system that was down answers', async () => {
    const slack = await startSocketModeServer();
    closers.push(() => slack.close());
    const port = await closedPort();
    const { deckhand } = await deckhandWithLogs(
      `
database: { dataDir: data }
${people}
slack: {}
providers:
  circleci: { apiUrl: 'http://127.0.0.1:${port}/api/v2' }
`,
      {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_APP_TOKEN: 'xapp-test',
        SLACK_API_URL: slack.apiUrl,
        CIRCLECI_TOKEN: 'circleci-token',
      },
      { connectBackoff: { firstMs: 100, maxMs: 200 } },
    );
    closers.push(() => deckhand.close());
    await deckhand.startWorkers();
    const readyz = async () => {
      const res = await deckhand.app.inject({ url: '/readyz' });
      return {
        status: res.statusCode,
        body: res.json() as { checks: Record<string, boolean>; reasons?: object },
      };
    };
    await until('Slack up, CircleCI down', async () => {
      const { status, body } = await readyz();
      return status === 503 && body.checks.slack && /unreachable/.test(JSON.stringify(body.reasons))
        ? true
        : undefined;
    });

    // CircleCI comes up on the port it was refused on: GET /api/v2/me answers 200.
    const seen: string[] = [];
    const circleci = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers['circle-token']}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"login":"deckhand"}');
    });
    await new Promise<void>((resolve) => circleci.listen(port, '127.0.0.1', resolve));
    closers.push(() => {
      circleci.closeAllConnections();
      return new Promise((resolve) => circleci.close(resolve));
    });
    const ready = await until('/readyz 200', async () => {
      const r = await readyz();
      return r.status === 200 ? r.body : undefined;
    });
    assert.deepEqual(ready, {
      status: 'ready',
      checks: { database: true, outbox: true, slack: true, circleci: true },
    });
    assert.equal(seen[0], 'GET /api/v2/me circleci-token');
  });
});

describe('backoff', () => {
  const b = { firstMs: 1000, maxMs: 60_000 };
  it('doubles from the first wait, with jitter between half and all of it', () => {
    assert.equal(
      backoffMs(1, b, () => 0),
      500,
    );
    assert.equal(
      backoffMs(1, b, () => 1),
      1000,
    );
    assert.equal(
      backoffMs(2, b, () => 1),
      2000,
    );
    assert.equal(
      backoffMs(4, b, () => 0.5),
      6000,
    );
  });
  it('is capped', () => {
    assert.equal(
      backoffMs(30, b, () => 1),
      60_000,
    );
    assert.equal(
      backoffMs(30, b, () => 0),
      30_000,
    );
  });
});

describe('a link its module gave up on', () => {
  const silent = { info() {}, warn() {}, error() {} };

  it('is opened again with backoff', async () => {
    let opens = 0;
    let gone = false;
    const links = new Connections({ logger: silent, backoff: { firstMs: 10, maxMs: 20 }, watchMs: 20 });
    links.add('chat', {
      open: async () => {
        opens += 1;
        gone = false;
      },
      health: () => (gone ? { down: 'the socket dropped', gone: true } : undefined),
    });
    links.start();
    try {
      await until('the first open', async () => (links.states().chat?.up ? true : undefined), 2000);
      gone = true;
      assert.deepEqual(links.states().chat, { up: false, reason: 'the socket dropped' });
      await until(
        'the second open',
        async () => (opens === 2 && links.states().chat?.up ? true : undefined),
        2000,
      );
    } finally {
      links.stop();
    }
  });

  it("Slack's socket says so when its SDK stops reconnecting, and connects again on start()", async () => {
    const server = await startSocketModeServer();
    const socket = createSlackSocket({
      appToken: 'xapp-test',
      apiUrl: server.apiUrl,
      handlers: {} as never,
      logger: silent,
      // The SDK waits this long before it reconnects.
      clientPingTimeoutMs: 300,
    });
    try {
      await socket.start();
      assert.equal(socket.gaveUp(), undefined);
      server.api.appTokens = [];
      server.disconnectAll();
      const reason = await until('the SDK to give up', async () => socket.gaveUp(), 10_000);
      assert.match(reason, /invalid_auth/);
      server.api.appTokens = ['xapp-test'];
      await socket.start();
      await until('connected again', async () => (socket.connected ? true : undefined), 5000);
      assert.equal(socket.gaveUp(), undefined);
    } finally {
      await socket.stop();
      await server.close();
    }
  });
});
