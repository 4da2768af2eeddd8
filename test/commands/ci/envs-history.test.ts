/** `/ci envs` and `/ci history`, and deploys a CI system made without deckhand. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ExternalRunUpdate } from '../../../src/core/pipeline-events.ts';
import { button, deployed, type Harness, latest, opsHarness } from './ops-harness.ts';

/** A deploy a CI system reports that deckhand did not start (as a push to a deploy workflow does). */
const outside = (over: Partial<ExternalRunUpdate>): ExternalRunUpdate => ({
  provider: 'local',
  externalId: 'ci-side-1',
  pipeline: 'p',
  kind: 'deploy',
  environment: 'production',
  ref: 'v1.2.0',
  status: 'running',
  at: new Date(),
  url: 'https://ci.test/runs/ci-side-1',
  actor: { login: 'octocat' },
  ...over,
});

describe('/ci envs and /ci history', () => {
  let h: Harness;
  before(async () => {
    h = await opsHarness();
    await deployed(h, 'staging', 'v1.0.0');
    await deployed(h, 'staging', 'v1.1.0', 'failed');
    await deployed(h, 'staging', 'v1.1.0');
  });
  after(() => h.close());

  it('lists each environment in order: version, when, by whom, via which CI system, and what waits', async () => {
    const m = await h.say('/ci envs', 'U3');
    assert.equal(m.header, 'Environments');
    const lines = (m.text ?? '').split('\n');
    assert.equal(lines[0], 'dev: nothing deployed yet');
    assert.match(
      lines[1] ?? '',
      /^staging: `v1\.1\.0` \([0-9a-f]{7}\) — \d{4}-\d\d-\d\d \d\d:\d\d UTC by @Alice via local, run #\d+$/,
    );
    assert.equal(lines[2], 'preprod: nothing deployed yet');
    assert.match(
      lines[3] ?? '',
      /^ {2}waiting to be promoted: `v1\.1\.0` \([0-9a-f]{7}\) from staging — `\/ci promote staging preprod`$/,
    );
    assert.equal(lines[4], 'production: nothing deployed yet');
  });

  it('lists an environment’s deployments, newest first, with result, duration and approvals', async () => {
    await h.say('/ci promote staging preprod');
    const card = latest(h, /Approval needed: promote staging to preprod/, 'C-approvals');
    await h.click(card.messageId, button(card.message, 'Approve'), 'U2');
    await h.finish(h.provider.triggered.at(-1)?.runId as number);
    const preprod = await h.say('/ci history preprod', 'U3');
    assert.equal(preprod.header, 'Deployments to preprod');
    assert.match(
      preprod.text ?? '',
      /^✅ `v1\.1\.0` \([0-9a-f]{7}\) succeeded — .* by @Alice, took 10ms, run #\d+ \(via local; approved by @Bob\)$/,
    );
    const staging = await h.say('/ci history staging 2', 'U3');
    const lines = (staging.text ?? '').split('\n');
    assert.equal(lines.length, 2, 'as many as asked');
    assert.match(lines[0] ?? '', /^✅ `v1\.1\.0`.* succeeded/);
    assert.match(lines[1] ?? '', /^❌ `v1\.1\.0`.* failed/);
    const none = await h.say('/ci history dev', 'U3');
    assert.equal(none.text, 'Nothing was deployed to `dev` yet.');
    const tooMany = await h.say('/ci history dev 500', 'U3');
    assert.match(tooMany.text ?? '', /n must be a whole number from 1 to 50/);
  });

  it('notices a deploy made outside deckhand: envs marks it, the configured channel is told once', async () => {
    await h.outbox.settle();
    const told = () => h.sender.sent.filter((s) => s.channel === 'C-outside' && s.op === 'post');
    const commit = { sha: 'c'.repeat(40), message: 'Release 1.2.0' };
    await h.external.handle(outside({}));
    await h.external.handle(outside({ status: 'succeeded', commit }));
    // A redelivery of the same CI run: nothing new.
    await h.external.handle(outside({ status: 'succeeded', commit }));
    await h.outbox.settle();
    assert.equal(told().length, 1, 'told once');
    const notice = told()[0]?.message;
    assert.equal(notice?.header, 'Changed outside deckhand: production');
    assert.match(
      notice?.text ?? '',
      /^local is deploying `v1\.2\.0` to `production` \(run #\d+\), started by @local:octocat on the CI side/,
    );
    assert.equal(notice?.link?.url, 'https://ci.test/runs/ci-side-1');
    const live = await h.stores.deployments.current('production');
    assert.equal(live?.version, 'v1.2.0');
    assert.equal(live?.commitSha, commit.sha);
    const envs = await h.say('/ci envs', 'U3');
    assert.match(
      envs.text ?? '',
      /production: `v1\.2\.0` \(ccccccc\) — .* by @local:octocat via local, run #\d+\n {2}⚠️ changed outside deckhand: local deployed `v1\.2\.0` \(ccccccc\) at \d{4}-\d\d-\d\d \d\d:\d\d UTC without a command here/,
    );
    const history = await h.say('/ci history production', 'U3');
    assert.match(history.text ?? '', /\(via local; outside deckhand\)$/);
  });

  it('tells nobody of a build the CI system started, nor of a deploy deckhand started', async () => {
    await h.outbox.settle();
    const before = h.sender.sent.filter((s) => s.channel === 'C-outside').length;
    await h.external.handle(
      outside({
        externalId: 'push-7',
        kind: 'build',
        environment: undefined,
        ref: 'main',
        status: 'succeeded',
      }),
    );
    await deployed(h, 'staging', 'v1.2.0');
    await h.outbox.settle();
    assert.equal(h.sender.sent.filter((s) => s.channel === 'C-outside').length, before);
  });
});
