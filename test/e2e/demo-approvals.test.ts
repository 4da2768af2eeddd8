/** The demo's production gate on the real demo config and the real local runner, through the web chat API. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ChatMessage, demoDir, startDemo } from '../helpers/demo-deckhand.ts';

type Demo = Awaited<ReturnType<typeof startDemo>>;

/** The id of a message's button, by its label. */
const button = (m: ChatMessage, label: string): string => {
  const found = m.actions.find((a) => a.label === label);
  assert.ok(found, `a ${label} button on "${m.text.split('\n')[0]}"`);
  return found.id;
};

describe('the demo: production deploys need a confirmation and a release manager', () => {
  let demo: Demo;
  let versionFile: string;
  before(async () => {
    demo = await startDemo(demoDir());
    versionFile = path.join(demo.config.paths.dataDir, 'environments', 'production', 'VERSION');
  });
  after(() => demo.deckhand.close());

  it('a viewer and a developer are refused production; nothing is held', async () => {
    await demo.say('/ci deploy production v1.1.0', 'carol');
    await demo.waitFor(
      'general',
      /You may not run `\/ci deploy` to `production`: your roles \(viewer\) do not allow it\. Roles that may: release-manager\./,
    );
    await demo.say('/ci deploy production v1.1.0', 'alice');
    await demo.waitFor('general', /your roles \(developer\) do not allow it/);
    await demo.say('/ci deploy production v1.1.0 --explain', 'bob');
    await demo.waitFor(
      'general',
      /would wait for your confirmation, then 1 approval from release-manager[\s\S]*Rule: role:release-manager\+confirm\+approval:environment production/,
    );
    assert.deepEqual(await demo.messages('approvals'), [], 'no approval request was posted');
  });

  it('Bob asks and confirms, Bob and Carol cannot approve, Dave approves, and production is deployed', async () => {
    await demo.say('/ci deploy production v1.1.0', 'bob');
    const prompt = await demo.waitFor('general', /Confirm: deploy v1\.1\.0 to production/);
    assert.match(
      prompt.text,
      /@Bob, please confirm within 2 minutes\. After that it needs 1 approval from release-manager\./,
    );
    assert.deepEqual(
      prompt.actions.map((a) => a.label),
      ['Confirm', 'Cancel'],
    );
    await demo.click(prompt.id, button(prompt, 'Confirm'), 'bob');

    const card = await demo.waitFor('approvals', /Approval needed: deploy v1\.1\.0 to production/);
    assert.match(card.text, /Requested by: @Bob/);
    assert.match(card.text, /Environment: `production`/);
    assert.match(card.text, /Needs: 1 approval from release-manager/);
    assert.match(card.text, /@Bob cannot approve their own request\./);
    assert.deepEqual(
      card.actions.map((a) => a.label),
      ['Approve', 'Reject'],
    );
    await demo.waitFor(
      'general',
      /Waiting for approval: deploy v1\.1\.0 to production[\s\S]*needs 1 approval from release-manager in #approvals/,
    );

    // The requester cannot approve their own request, and a viewer is no approver.
    await demo.click(card.id, button(card, 'Approve'), 'bob');
    await demo.waitFor('approvals', /You cannot approve your own request; someone else must\./, {
      thread: card.id,
    });
    await demo.click(card.id, button(card, 'Approve'), 'carol');
    await demo.waitFor('approvals', /Only release-manager may approve this; your roles: viewer\./, {
      thread: card.id,
    });
    assert.equal(existsSync(versionFile), false, 'nothing was deployed yet');
    assert.deepEqual(await demo.deckhand.runs.recent(5), [], 'no run was started');

    await demo.click(card.id, button(card, 'Approve'), 'dave');
    const approved = await demo.waitFor('approvals', /Approval: deploy v1\.1\.0 to production/);
    assert.equal(approved.id, card.id, 'the card is updated in place');
    assert.match(approved.text, /Approved by @Dave/);
    assert.deepEqual(approved.actions, [], 'Approve and Reject are gone');

    await demo.waitFor('deployments', /Deploy #\d+ to production succeeded[\s\S]*Version: v1\.1\.0/);
    assert.equal(readFileSync(versionFile, 'utf8').trim(), 'v1.1.0');
    // Bob is told in the thread of his request: who approved, then the run's reply, updated at its end.
    await demo.waitFor(
      'general',
      /@Bob, @Dave approved your request to deploy `v1\.1\.0` to `production`\./,
      { thread: prompt.id },
    );
    await demo.waitFor(
      'general',
      /Deploy of `v1\.1\.0` to `production` triggered by @Bob — run #\d+ succeeded/,
      { thread: prompt.id },
    );
    const decisions = (await demo.deckhand.stores.audit.recent(30)).map((e) => e.decision);
    for (const d of ['held:confirm', 'confirmed', 'denied:self-approval', 'denied:not-approver', 'approved'])
      assert.ok(decisions.includes(d), `the audit log has ${d}: ${decisions.join(', ')}`);
  });

  it('Reject asks for a reason, which the web chat sends as `input`; the requester is told it', async () => {
    await demo.say('/ci deploy production v1.2.0', 'dave');
    const prompt = await demo.waitFor('general', /Confirm: deploy v1\.2\.0 to production/);
    await demo.click(prompt.id, button(prompt, 'Confirm'), 'dave');
    const card = await demo.waitFor('approvals', /Approval needed: deploy v1\.2\.0 to production/);
    assert.match(card.text, /Requested by: @Dave/);
    assert.match(card.text, /Live now: `v1\.1\.0`/, 'the card shows what is live');
    assert.match(card.text, /2 commits since the live version:\n`[0-9a-f]{7}` Release 1\.2\.0/);
    assert.ok(
      (card.actions.find((a) => a.label === 'Reject') as { prompt?: string } | undefined)?.prompt,
      'the Reject button asks for a reason',
    );

    // A click without a reason is answered with how to give one; the request stays open.
    await demo.click(card.id, button(card, 'Reject'), 'bob');
    await demo.waitFor('approvals', /@Bob, why\? Reject with a reason: `\/ci reject [A-Z2-9]{6} <reason>`/, {
      thread: card.id,
    });
    await demo.click(card.id, button(card, 'Reject'), 'bob', 'not before the release notes are out');
    const rejected = await demo.waitFor('approvals', /Approval: deploy v1\.2\.0 to production/);
    assert.match(rejected.text, /Rejected by @Bob: not before the release notes are out/);
    assert.deepEqual(rejected.actions, []);
    await demo.waitFor(
      'general',
      /@Dave, @Bob rejected your request to deploy `v1\.2\.0` to `production`: not before the release notes are out/,
      { thread: prompt.id },
    );
    await demo.waitFor('general', /Rejected: deploy v1\.2\.0 to production/);
    assert.equal(readFileSync(versionFile, 'utf8').trim(), 'v1.1.0', 'production keeps v1.1.0');
    const deploys = (await demo.deckhand.runs.recent(10)).filter((r) => r.environment === 'production');
    assert.equal(deploys.length, 1, 'only the approved deploy ran');
  });
});
