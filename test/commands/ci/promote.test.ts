/** `/ci promote` and the configured order: what it refuses and why, break-glass, the deploy's gates. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toPlainText } from '../../../src/core/messages.ts';
import { button, deployed, type Harness, latest, opsHarness } from './ops-harness.ts';

describe('/ci promote and the order of environments', () => {
  let h: Harness;
  before(async () => {
    h = await opsHarness();
    await deployed(h, 'dev', 'v1.0.0');
    await deployed(h, 'staging', 'v1.0.0');
    await deployed(h, 'dev', 'v1.1.0');
  });
  after(() => h.close());

  const refusals: { name: string; text: string; says: RegExp }[] = [
    {
      name: 'a promote of a version that skipped staging',
      text: '/ci promote dev production',
      says: /^`v1\.1\.0` has not succeeded in `staging`, which comes before `production` \(deployments\.after\)\. Deploy it there first: `\/ci deploy staging v1\.1\.0`\. To go ahead anyway, ask for a break-glass approval from sre: add `--break-glass "why"` to the command\.$/,
    },
    {
      name: 'a deploy of a version that skipped staging',
      text: '/ci deploy production v1.2.0',
      says: /^`v1\.2\.0` has not succeeded in `staging`.*--break-glass/,
    },
    {
      name: 'a promote from where nothing is live',
      text: '/ci promote preprod production',
      says: /^Nothing to promote: `preprod` has no successful deployment yet\.$/,
    },
    {
      name: 'a promote to the same environment',
      text: '/ci promote staging staging',
      says: /^Promote from one environment to another, not `staging` to itself\.$/,
    },
    {
      name: 'a promote to an unknown environment',
      text: '/ci promote staging prod',
      says: /^Unknown environment `prod`\. Did you mean `production`\?/,
    },
  ];
  for (const r of refusals) {
    it(`refuses ${r.name}, saying why and how`, async () => {
      const count = h.provider.triggered.length;
      const m = await h.say(r.text);
      assert.equal(m.status, 'error');
      assert.match(m.text ?? '', r.says);
      assert.equal(h.provider.triggered.length, count, 'nothing runs');
    });
  }

  it('tells whether the order refuses a command without a break-glass', async () => {
    const gated = (command: string, args: Record<string, string>) => ({
      family: 'ci',
      command,
      args,
      environment: args.environment,
    });
    assert.equal(
      await h.core.gates.outOfOrder(gated('promote', { from: 'dev', environment: 'production' })),
      true,
    );
    assert.equal(
      await h.core.gates.outOfOrder(gated('promote', { from: 'staging', environment: 'production' })),
      false,
    );
    assert.equal(
      await h.core.gates.outOfOrder(gated('deploy', { environment: 'production', version: 'v1.0.0' })),
      false,
    );
    assert.equal(
      await h.core.gates.outOfOrder(gated('deploy', { environment: 'dev', version: 'v1.2.0' })),
      false,
    );
    assert.equal(
      await h.core.gates.outOfOrder(gated('promote', { from: 'preprod', environment: 'production' })),
      false,
    );
  });

  it('audits an out-of-order refusal as denied by the order', async () => {
    await h.say('/ci promote dev production');
    const [entry] = await h.stores.audit.recent(1);
    assert.equal(entry?.decision, 'denied:order');
  });

  it('promotes what staging runs to production, as a deploy of that version', async () => {
    const m = await h.say('/ci promote staging production');
    assert.notEqual(m.status, 'error', m.text);
    const spec = h.provider.triggered.at(-1);
    assert.equal(spec?.ref, 'v1.0.0');
    assert.equal(spec?.params.environment, 'production');
    assert.equal(spec?.kind, 'deploy');
    await h.finish(spec?.runId as number);
    assert.equal((await h.stores.deployments.current('production'))?.version, 'v1.0.0');
    const again = await h.say('/ci promote staging production');
    assert.match(
      again.text ?? '',
      /`production` already runs `v1\.0\.0`, as `staging` does: nothing to promote\./,
    );
  });

  it('holds a promote where approvals hold a deploy (the default commands count it as one)', async () => {
    const count = h.provider.triggered.length;
    const m = await h.say('/ci promote staging preprod');
    assert.match(m.header ?? '', /^Waiting for approval: promote staging to preprod/);
    const card = latest(h, /Approval needed: promote staging to preprod/, 'C-approvals');
    assert.match(toPlainText(card.message), /Version: `v1\.0\.0`/);
    assert.equal(h.provider.triggered.length, count);
    await h.click(card.messageId, button(card.message, 'Approve'), 'U2');
    assert.equal(h.provider.triggered.length, count + 1);
    assert.equal(h.provider.triggered.at(-1)?.params.environment, 'preprod');
  });

  it('asks for a break-glass approval to go out of order, and runs once it is given', async () => {
    const count = h.provider.triggered.length;
    const m = await h.say('/ci promote dev production --break-glass "hotfix for the outage"');
    assert.match(m.header ?? '', /^Waiting for approval: promote dev to production/);
    assert.match(m.text ?? '', /1 approval from sre for the break-glass/);
    assert.doesNotMatch(toPlainText(m), /changed nothing/, 'the order is what the break-glass is for');
    const card = latest(h, /Break-glass approval needed: promote dev to production/, 'C-approvals');
    const text = toPlainText(card.message);
    assert.match(text, /Out of order: `v1\.1\.0` has not succeeded in `staging`/);
    assert.match(text, /Reason given: hotfix for the outage/);
    assert.doesNotMatch(text, /Frozen by/);
    assert.match(text, /From `v1\.0\.0` to `v1\.1\.0`\./);
    assert.equal(h.provider.triggered.length, count, 'nothing runs before the approval');
    const own = await h.click(card.messageId, button(card.message, 'Approve'), 'U1');
    assert.match(own.text ?? '', /cannot approve your own request/);
    await h.click(card.messageId, button(card.message, 'Approve'), 'U2');
    assert.equal(h.provider.triggered.length, count + 1);
    assert.equal(h.provider.triggered.at(-1)?.ref, 'v1.1.0');
    assert.equal(h.provider.triggered.at(-1)?.params.environment, 'production');
  });
});
