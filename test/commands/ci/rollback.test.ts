/** `/ci rollback <environment> [version]`: from and to shown before anyone is asked; only versions that ran there. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toPlainText } from '../../../src/core/messages.ts';
import { button, deployed, type Harness, latest, opsHarness } from './ops-harness.ts';

describe('/ci rollback to a version', () => {
  let h: Harness;
  before(async () => {
    h = await opsHarness();
    // dev is protected: its deploys and rollbacks ask to confirm.
    await deployed(h, 'dev', 'v1.0.0');
    await deployed(h, 'dev', 'v1.1.0');
    await deployed(h, 'dev', 'v1.2.0', 'failed');
    await deployed(h, 'dev', 'v1.2.0');
  });
  after(() => h.close());

  const refusals: { name: string; text: string; says: RegExp }[] = [
    {
      name: 'a version never deployed there, listing the ones that were',
      text: '/ci rollback dev 3f2c1ab',
      says: /^`3f2c1ab` was never deployed successfully to `dev`; versions that were: `v1\.2\.0`, `v1\.1\.0`, `v1\.0\.0`\.$/,
    },
    {
      name: 'the version that is live',
      text: '/ci rollback dev v1.2.0',
      says: /^`dev` already runs `v1\.2\.0`: nothing to roll back\.$/,
    },
    {
      name: 'an environment with nothing deployed',
      text: '/ci rollback production v1.0.0',
      says: /^Nothing to roll back: `production` has no successful deployment yet\.$/,
    },
  ];
  for (const r of refusals) {
    it(`refuses ${r.name}, before anyone is asked to confirm`, async () => {
      const count = h.provider.triggered.length;
      const posts = h.sender.sent.length;
      const m = await h.say(r.text);
      assert.equal(m.status, 'error');
      assert.match(m.text ?? '', r.says);
      assert.equal(h.provider.triggered.length, count);
      assert.ok(
        h.sender.sent.slice(posts).every((s) => !s.message.header?.startsWith('Confirm:')),
        'no confirmation asked',
      );
    });
  }

  it('shows what it rolls back from and to in the confirmation, then rolls back to that version', async () => {
    const m = await h.say('/ci rollback dev v1.0.0');
    assert.equal(m.header, 'Confirm: roll back dev to v1.0.0');
    assert.match(m.text ?? '', /^From `v1\.2\.0` to `v1\.0\.0`\.\n@Alice, please confirm/);
    const count = h.provider.triggered.length;
    const prompt = latest(h, /^Confirm: roll back dev/, 'C-general');
    await h.click(prompt.messageId, button(prompt.message, 'Confirm'));
    assert.equal(h.provider.triggered.length, count + 1);
    const spec = h.provider.triggered.at(-1);
    assert.equal(spec?.kind, 'rollback');
    assert.equal(spec?.ref, 'v1.0.0');
    assert.equal(spec?.params.environment, 'dev');
    await h.finish(spec?.runId as number);
    const live = await h.stores.deployments.current('dev');
    assert.equal(live?.version, 'v1.0.0');
    assert.equal(live?.kind, 'rollback');
  });

  it('shows from and to on the approvers’ card too', async () => {
    const promoted = async (version: string) => {
      await deployed(h, 'staging', version);
      await h.say('/ci promote staging preprod');
      const card = latest(h, /Approval needed: promote staging to preprod/, 'C-approvals');
      await h.click(card.messageId, button(card.message, 'Approve'), 'U2');
      await h.finish(h.provider.triggered.at(-1)?.runId as number);
    };
    await promoted('v1.0.0');
    await promoted('v1.1.0');
    const count = h.provider.triggered.length;
    const m = await h.say('/ci rollback preprod v1.0.0');
    assert.match(m.header ?? '', /^Waiting for approval: roll back preprod to v1\.0\.0/);
    const card = latest(h, /Approval needed: roll back preprod to v1\.0\.0/, 'C-approvals');
    const text = toPlainText(card.message);
    assert.match(text, /From `v1\.1\.0` to `v1\.0\.0`\./);
    assert.match(text, /Version: `v1\.0\.0`/);
    assert.match(text, /Live now: `v1\.1\.0`/);
    assert.equal(h.provider.triggered.length, count);
    await h.click(card.messageId, button(card.message, 'Approve'), 'U2');
    assert.equal(h.provider.triggered.at(-1)?.ref, 'v1.0.0');
    assert.equal(h.provider.triggered.at(-1)?.kind, 'rollback');
  });
});
