/**
 * Every HTTP endpoint under malformed, truncated, wrongly typed, oversized, forged and replayed
 * requests — correctly signed ones included: only 4xx or the platform's documented answer, never
 * a 5xx, never a generic error reply, and the process keeps serving. Deterministic (a seeded
 * generator), so a failure names a case that can be run again.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { signSlackRequest } from '../../src/chat/slack/verify.ts';
import { signCircleciBody } from '../../src/ci/circleci/verify.ts';
import { startCircleciDeckhand } from '../ci/circleci/deckhand-harness.ts';
import { webhookSecret as circleciSecret } from '../ci/circleci/fixtures.ts';
import { githubWorkflowCompleted } from '../ci/circleci/payloads.ts';
import { example, webhookSecret as githubSecret, inApp, startGithubDeckhand } from '../ci/github/helpers.ts';
import { WEBHOOK_TOKEN as gitlabToken, TOKEN } from '../ci/gitlab/adapter-context.ts';
import { startGitlabDeckhand } from '../ci/gitlab/gitlab-deckhand.ts';
import {
  webhookToken as jenkinsToken,
  notification,
  startJenkinsDeckhand,
} from '../ci/jenkins/jenkins-deckhand.ts';
import { startGitlabFake } from '../fakes/gitlab-api.ts';
import {
  type Answer,
  bodies,
  CASES_PER_ENDPOINT,
  check,
  failures,
  form,
  safeParse,
  seen,
} from '../helpers/fuzz.ts';
import { signingSecret, startSlackDeckhand } from '../helpers/slack-deckhand.ts';

describe('fuzzing every HTTP endpoint', () => {
  type Started = { close(): Promise<unknown>; inject: (o: object) => Promise<Answer> };
  const started: Started[] = [];
  after(async () => {
    for (const s of started) await s.close();
  });

  it('Slack: commands, interactions and events, signed and not', async () => {
    const s = await startSlackDeckhand();
    started.push({ close: s.close, inject: (o) => s.deckhand.app.inject(o) });
    const failed = failures(s.deckhand.stores);
    const command = {
      command: '/ci',
      text: 'status',
      user_id: 'U-alice',
      channel_id: 'C-general',
      team_id: 'T1',
      trigger_id: 'fuzz.1',
    };
    const click = {
      type: 'block_actions',
      user: { id: 'U-alice' },
      channel: { id: 'C-general' },
      message: { ts: '1.1' },
      actions: [{ action_id: 'rerun:1', value: 'x' }],
      trigger_id: 'fuzz.2',
    };
    const mention = {
      type: 'event_callback',
      event_id: 'Ev-fuzz',
      event: { type: 'app_mention', user: 'U-alice', channel: 'C-general', text: '<@U0> status', ts: '1.2' },
    };
    let n = 0;
    const endpoints: [string, string, (b: string | Buffer) => string | Buffer, unknown][] = [
      [
        '/slack/commands',
        'application/x-www-form-urlencoded',
        (b) => (typeof b === 'string' && b.startsWith('{') ? form(safeParse(b)) : b),
        command,
      ],
      [
        '/slack/interactions',
        'application/x-www-form-urlencoded',
        (b) => `payload=${encodeURIComponent(String(b))}`,
        click,
      ],
      ['/slack/events', 'application/json', (b) => b, mention],
    ];
    for (const [url, type, wrap, sample] of endpoints) {
      for (const { name, body } of bodies(sample)) {
        const payload = wrap(body);
        const timestamp = String(Math.floor(Date.now() / 1000));
        const signature = signSlackRequest(signingSecret, timestamp, String(payload));
        const headers = {
          'content-type': type,
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': signature,
        };
        const res = await s.deckhand.app.inject({ method: 'POST', url, payload, headers });
        check(`${url} ${name} (signed)`, res);
        n++;
        // The same request again (a replay), and forged.
        check(
          `${url} ${name} (replayed)`,
          await s.deckhand.app.inject({ method: 'POST', url, payload, headers }),
        );
        const forged = await s.deckhand.app.inject({
          method: 'POST',
          url,
          payload,
          headers: { ...headers, 'x-slack-signature': `v0=${'0'.repeat(64)}` },
        });
        assert.equal(forged.statusCode, 401, `${url} ${name} (forged)`);
      }
      const big = await s.deckhand.app.inject({
        method: 'POST',
        url,
        payload: 'x'.repeat(2 * 1024 * 1024),
        headers: { 'content-type': type },
      });
      assert.equal(big.statusCode, 413, `${url} oversized`);
    }
    assert.equal(n, 3 * CASES_PER_ENDPOINT);
    await s.deckhand.handled();
    assert.equal(failed(), 0, 'nothing acknowledged failed afterwards');
    for (const [url] of endpoints)
      assert.deepEqual([...(seen.get(url) ?? [])].sort(), [2, 4], `${url}: accepted and refused cases`);
    assert.equal((await s.deckhand.app.inject({ url: '/healthz' })).statusCode, 200);
    assert.equal((await s.command('help')).statusCode, 200, 'still serving');
  });

  it('the web chat API', async () => {
    const s = await startSlackDeckhand();
    started.push({ close: s.close, inject: (o) => s.deckhand.app.inject(o) });
    const endpoints: [string, unknown][] = [
      ['/api/webchat/messages', { channel: 'general', user: 'alice', text: '/ci status', clientKey: 'k1' }],
      ['/api/webchat/actions', { messageId: 1, actionId: 'rerun:1', user: 'alice' }],
    ];
    for (const [url, sample] of endpoints) {
      for (const { name, body } of bodies(sample))
        check(
          `${url} ${name}`,
          await s.deckhand.app.inject({
            method: 'POST',
            url,
            payload: body,
            headers: { 'content-type': 'application/json' },
          }),
        );
    }
    for (const url of [
      '/api/webchat/channels/%00/messages',
      '/api/webchat/channels/general/messages?before=abc&limit=-1',
      '/runs/abc/log',
      '/runs/99999999999999999999/log',
      '/web/../../etc/passwd',
    ])
      check(url, await s.deckhand.app.inject({ url }));
    await s.deckhand.handled();
    assert.equal((await s.deckhand.app.inject({ url: '/healthz' })).statusCode, 200);
  });

  it('the four CI webhooks, with their real signatures and tokens', async () => {
    const github = await startGithubDeckhand();
    const gitlabFake = await startGitlabFake({ tokens: [TOKEN] });
    const gitlab = await startGitlabDeckhand(gitlabFake);
    const jenkins = await startJenkinsDeckhand();
    const circleci = await startCircleciDeckhand();
    started.push(
      { close: github.close, inject: (o) => github.app.inject(o) },
      {
        close: async () => {
          await gitlab.close();
          await gitlabFake.close();
        },
        inject: (o) => gitlab.deckhand.app.inject(o),
      },
      { close: jenkins.close, inject: (o) => jenkins.app.inject(o) },
      { close: circleci.close, inject: (o) => circleci.deckhand.app.inject(o) },
    );
    let delivery = 0;
    const cases: [
      string,
      { app: { inject(o: object): Promise<Answer> }; handled(): Promise<void> },
      unknown,
      (b: string | Buffer) => Promise<Record<string, string>>,
    ][] = [
      [
        '/webhooks/github',
        github.deckhand,
        inApp(example('workflow_run')),
        async (b) => ({
          'x-github-event': 'workflow_run',
          'x-github-delivery': `fuzz-${++delivery}`,
          'x-hub-signature-256': `sha256=${createHmac('sha256', githubSecret).update(b).digest('hex')}`,
        }),
      ],
      [
        '/webhooks/gitlab',
        gitlab.deckhand,
        {
          object_kind: 'pipeline',
          object_attributes: { id: 7, ref: 'main', status: 'running', sha: 'a'.repeat(40) },
          project: { id: 1, path_with_namespace: 'group/app' },
        },
        async () => ({
          'x-gitlab-event': 'Pipeline Hook',
          'x-gitlab-token': gitlabToken,
          'idempotency-key': `fuzz-${++delivery}`,
        }),
      ],
      [
        `/webhooks/jenkins?token=${jenkinsToken}`,
        jenkins.deckhand,
        notification('apps/app/main', 3, 'STARTED'),
        async () => ({}),
      ],
      [
        '/webhooks/circleci',
        circleci.deckhand,
        githubWorkflowCompleted(),
        async (b) => ({
          'circleci-event-type': 'workflow-completed',
          'circleci-signature': `v1=${signCircleciBody(circleciSecret, b)}`,
        }),
      ],
    ];
    for (const [url, deckhand, sample, sign] of cases) {
      const failed = failures((deckhand as unknown as { stores: Parameters<typeof failures>[0] }).stores);
      for (const { name, body } of bodies(sample)) {
        const headers = { 'content-type': 'application/json', ...(await sign(body)) };
        check(`${url} ${name}`, await deckhand.app.inject({ method: 'POST', url, payload: body, headers }));
      }
      const big = await deckhand.app.inject({
        method: 'POST',
        url,
        payload: `"${'x'.repeat(30 * 1024 * 1024)}"`,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(big.statusCode, 413, `${url} oversized`);
      await deckhand.handled();
      assert.equal(failed(), 0, `${url}: nothing acknowledged failed afterwards`);
      assert.deepEqual([...(seen.get(url) ?? [])].sort(), [2, 4], `${url}: accepted and refused cases`);
      assert.equal((await deckhand.app.inject({ url: '/healthz' })).statusCode, 200, `${url}: still serving`);
    }
  });
});
