import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Message } from '../../src/core/messages.ts';
import { parseConfig } from '../helpers/config.ts';
import { createHarness } from '../helpers/core-harness.ts';
import type { Sent } from '../helpers/recording-sender.ts';

type Harness = Awaited<ReturnType<typeof createHarness>>;

export const gatedConfig = `
repositories:
  app: { url: ./repo }
people:
  - { id: alice, name: Alice, roles: [developer], chat: { test: U1 } }
  - { id: bob, name: Bob, roles: [release-manager], chat: { test: U2 } }
  - { id: carol, name: Carol, roles: [release-manager], chat: { test: U3 } }
  - { id: dave, name: Dave, roles: [developer], chat: { test: U4 } }
  - { id: erin, name: Erin, roles: [sre], chat: { test: U5 } }
roles:
  developer: { allow: [{ commands: [build, test, status, deploy, rollback, lock] }] }
  release-manager: { allow: [{ commands: "*" }] }
  sre: { allow: [{ commands: "*" }] }
channels:
  general: { test: C-general }
  deploys: { test: C-deploys }
  approvals: { test: C-approvals }
commands:
  deploy: { pipeline: p }
  rollback: { pipeline: p }
pipelines:
  p: { repository: app, steps: [{ name: s, run: "true" }] }
environments:
  - { name: production, order: 3, protected: true, approvals: { count: 1, roles: [release-manager] } }
  - { name: qa, order: 2, approvals: { count: 2, roles: [release-manager], expiry: 10m } }
  - { name: staging, order: 1 }
approvals: { channel: approvals, expiry: 1h }
confirmations: { expiry: 2m }
freezes:
  - name: weekend
    reason: no deploys over the weekend
    timezone: Europe/Berlin
    start: "0 16 * * 5"
    end: "0 8 * * 1"
    environments: [production]
    breakGlass: { roles: [sre] }
notifications:
  - { kind: [deploy, rollback], channels: [deploys] }
`;

/** A Wednesday, 11:00 in Berlin. */
const WEDNESDAY = new Date('2026-11-25T10:00:00Z');

const posts = (h: Harness, channel: string) =>
  h.sender.sent.filter((s) => s.op === 'post' && s.channel === channel);
const latest = (h: Harness, pattern: RegExp, channel?: string): Sent => {
  const found = h.sender.sent
    .filter((s) => s.op === 'post' && (!channel || s.channel === channel))
    .reverse()
    .find((s) => pattern.test(`${s.message.header ?? ''}\n${s.message.text ?? ''}`));
  assert.ok(found, `a message matching ${pattern}`);
  return found;
};
/** The newest version of a posted message (after its updates). */
const current = (h: Harness, messageId: string): Message => {
  const versions = h.sender.sent.filter((s) => s.messageId === messageId);
  return (versions.at(-1) as Sent).message;
};
const button = (m: Message, label: string) => {
  const found = m.buttons?.find((b) => b.label === label);
  assert.ok(found, `a ${label} button on "${m.header}"`);
  return found.id;
};
const codeOf = (m: Message) => /Request ([A-Z2-9]{6})/.exec((m.context ?? []).join(' '))?.[1] ?? '';

describe('confirmations and approvals', () => {
  let h: Harness;
  let now: Date;
  beforeEach(async () => {
    now = new Date(WEDNESDAY);
    h = await createHarness(gatedConfig, { clock: { now: () => now } });
    h.provider.comparison = {
      commits: [
        { sha: 'a'.repeat(40), message: 'Fix login\n\nlong body', author: 'Alice' },
        { sha: 'b'.repeat(40), message: 'Add metrics, rotate hunter2-secret', author: 'Bob' },
      ],
      total: 2,
      url: 'https://git.test/compare/v1.0.0...v1.1.0',
    };
  });
  after(() => h?.close());

  /** Alice asks for production and confirms; returns the approvers' card. */
  const requestProduction = async (user = 'U1') => {
    const prompt = await h.say('/ci deploy production v1.1.0', user);
    assert.equal(prompt.header, 'Confirm: deploy v1.1.0 to production');
    const sent = latest(h, /^Confirm: deploy/, 'C-general');
    await h.click(sent.messageId, button(sent.message, 'Confirm'), user);
    return latest(h, /Approval needed: deploy v1\.1\.0/, 'C-approvals');
  };

  it('a production deploy asks its requester to confirm; only they can, once', async () => {
    const prompt = await h.say('/ci deploy production v1.1.0');
    assert.match(
      prompt.text ?? '',
      /@Alice, please confirm within 2 minutes\. After that it needs 1 approval from release-manager\./,
    );
    assert.equal(h.provider.triggered.length, 0, 'nothing runs before confirmation');
    const sent = latest(h, /^Confirm:/, 'C-general');
    assert.ok(sent.message.buttons?.some((b) => b.label === 'Cancel'));
    const confirmId = button(sent.message, 'Confirm');
    assert.match((await h.click(sent.messageId, confirmId, 'U2')).text ?? '', /Only @Alice can confirm/);
    await h.click(sent.messageId, confirmId, 'U1');
    assert.match((await h.click(sent.messageId, confirmId, 'U1')).text ?? '', /is closed|already confirmed/);
    assert.equal(posts(h, 'C-approvals').length, 1, 'one approval request, however many clicks');
    const card = current(h, sent.messageId);
    assert.match(card.header ?? '', /^Waiting for approval: deploy v1\.1\.0 to production/);
    assert.equal(card.buttons, undefined, 'the prompt loses its buttons');
    assert.equal(h.provider.triggered.length, 0);
  });

  it('the approval request names requester, environment, version, commits and a compare link', async () => {
    await h.say('/ci deploy production v1.0.0', 'U2');
    const first = latest(h, /^Confirm:/);
    await h.click(first.messageId, button(first.message, 'Confirm'), 'U2');
    const firstCard = latest(h, /Approval needed/, 'C-approvals');
    await h.click(firstCard.messageId, button(firstCard.message, 'Approve'), 'U3');
    await h.finish(h.provider.triggered[0]?.runId as number);
    const card = (await requestProduction()).message;
    const fields = Object.fromEntries((card.fields ?? []).map((f) => [f.label, f.value]));
    assert.equal(fields['Requested by'], '@Alice');
    assert.equal(fields.Environment, '`production`');
    assert.equal(fields.Version, '`v1.1.0`');
    assert.equal(fields['Live now'], '`v1.0.0`');
    assert.equal(fields.Needs, '1 approval from release-manager');
    assert.match(
      card.text ?? '',
      /2 commits since the live version:\n`aaaaaaa` Fix login \(Alice\)\n`bbbbbbb` Add metrics, rotate \[redacted\] \(Bob\)/,
    );
    assert.deepEqual(card.link, { label: 'Compare', url: 'https://git.test/compare/v1.0.0...v1.1.0' });
    assert.match(card.context?.join(' ') ?? '', /@Alice cannot approve their own request/);
  });

  it('the requester can never approve their own request; non-approvers cannot either', async () => {
    const prompt = await h.say('/ci deploy production v1.1.0', 'U2');
    assert.match(prompt.header ?? '', /^Confirm/);
    const sent = latest(h, /^Confirm:/);
    await h.click(sent.messageId, button(sent.message, 'Confirm'), 'U2');
    const card = latest(h, /Approval needed/, 'C-approvals');
    const approve = button(card.message, 'Approve');
    assert.match(
      (await h.click(card.messageId, approve, 'U2')).text ?? '',
      /cannot approve your own request/,
    );
    const code = codeOf(current(h, card.messageId));
    assert.match((await h.say(`/ci approve ${code}`, 'U2')).text ?? '', /cannot approve your own request/);
    assert.match(
      (await h.click(card.messageId, approve, 'U4')).text ?? '',
      /Only release-manager may approve this/,
    );
    assert.equal(h.provider.triggered.length, 0);
    await h.click(card.messageId, approve, 'U3');
    assert.equal(h.provider.triggered.length, 1);
    const done = current(h, card.messageId);
    assert.match(done.header ?? '', /^Approval: deploy/);
    assert.match(done.text ?? '', /Approved by @Carol/);
    assert.equal(done.buttons, undefined, 'Approve and Reject are gone');
    const told = latest(
      h,
      /@Bob, @Carol approved your request to deploy `v1\.1\.0` to `production`/,
      'C-general',
    );
    assert.ok(told.threadId, 'the requester is told in the thread of their request');
    const decisions = (await h.stores.audit.recent(20)).map((e) => e.decision);
    for (const d of ['held:confirm', 'confirmed', 'denied:self-approval', 'denied:not-approver', 'approved'])
      assert.ok(decisions.includes(d), `audit has ${d}: ${decisions.join(', ')}`);
  });

  it('roles the platform grants on a click (Slack user groups) count for approvers', async () => {
    const card = await requestProduction();
    const approve = button(card.message, 'Approve');
    const click = (extraRoles?: string[]) =>
      h.core.handleAction({
        platform: 'test',
        userId: 'U4',
        channel: 'C-approvals',
        messageId: card.messageId,
        actionId: approve,
        ...(extraRoles ? { extraRoles } : {}),
      });
    assert.match((await click()).message.text ?? '', /Only release-manager may approve this/);
    await click(['release-manager']);
    await h.outbox.settle();
    assert.equal(h.provider.triggered.length, 1);
    assert.match(current(h, card.messageId).text ?? '', /Approved by @Dave/);
  });

  it('N of M: two approvals from different people, a double click counts once', async () => {
    const reply = await h.say('/ci deploy qa v1.1.0');
    assert.match(reply.header ?? '', /^Waiting for approval: deploy v1\.1\.0 to qa/);
    assert.match(reply.text ?? '', /needs 2 approvals from release-manager in #approvals/);
    const card = latest(h, /Approval needed/, 'C-approvals');
    const approve = button(card.message, 'Approve');
    await h.click(card.messageId, approve, 'U2');
    assert.match((await h.click(card.messageId, approve, 'U2')).text ?? '', /already approved/);
    assert.equal(h.provider.triggered.length, 0, 'one of two is not enough');
    assert.match(
      current(h, card.messageId).fields?.find((f) => f.label === 'Needs')?.value ?? '',
      /\(1 given\)/,
    );
    await h.click(card.messageId, approve, 'U3');
    assert.equal(h.provider.triggered.length, 1);
    assert.equal(h.provider.triggered[0]?.ref, 'v1.1.0');
  });

  it('approvers clicking at the same moment, and double clicks, start exactly one deployment', async () => {
    const card = await requestProduction();
    const approve = button(card.message, 'Approve');
    const answers = await Promise.all([
      h.click(card.messageId, approve, 'U2'),
      h.click(card.messageId, approve, 'U3'),
      h.click(card.messageId, approve, 'U2'),
      h.click(card.messageId, approve, 'U3'),
    ]);
    assert.equal(h.provider.triggered.length, 1, 'one deployment');
    const refused = answers.filter((m) => m.status === 'error');
    assert.equal(refused.length, 3, answers.map((m) => m.text).join(' | '));
    assert.equal((await h.stores.runs.recent(10)).length, 1);
  });

  it('Reject asks for a reason; the requester is told it; nothing runs', async () => {
    const card = await requestProduction();
    const reject = button(card.message, 'Reject');
    assert.ok(
      card.message.buttons?.find((b) => b.label === 'Reject')?.prompt,
      'the button asks for a reason',
    );
    const asked = await h.click(card.messageId, reject, 'U2');
    assert.match(asked.text ?? '', /why\? Reject with a reason: `\/ci reject [A-Z2-9]{6} <reason>`/);
    assert.equal(current(h, card.messageId).buttons?.length, 2, 'still open');
    await h.click(card.messageId, reject, 'U2', 'the migration is not reviewed');
    const done = current(h, card.messageId);
    assert.match(done.text ?? '', /Rejected by @Bob: the migration is not reviewed/);
    assert.equal(done.buttons, undefined);
    latest(
      h,
      /@Alice, @Bob rejected your request to deploy `v1\.1\.0` to `production`: the migration is not reviewed/,
    );
    assert.match(
      (await h.click(card.messageId, button(card.message, 'Approve'), 'U3')).text ?? '',
      /is closed: rejected/,
    );
    assert.equal(h.provider.triggered.length, 0);
  });

  it('/ci reject <code> <reason> works where buttons do not', async () => {
    const reply = await h.say('/ci deploy qa v1.1.0');
    const code = codeOf(reply);
    assert.match((await h.say(`/ci reject ${code}`, 'U2')).text ?? '', /Missing <reason>/);
    await h.say(`/ci reject ${code.toLowerCase()} not today`, 'U2');
    latest(h, /@Bob rejected your request to deploy `v1\.1\.0` to `qa`: not today/);
    assert.match((await h.say('/ci approve ZZZZZZ', 'U2')).text ?? '', /There is no request `ZZZZZZ`/);
  });

  it('requests expire: a late confirmation or approval is refused and the requester is told', async () => {
    await h.say('/ci deploy production v1.1.0');
    const prompt = latest(h, /^Confirm:/);
    now = new Date(now.getTime() + 3 * 60_000);
    assert.match((await h.click(prompt.messageId, button(prompt.message, 'Confirm'))).text ?? '', /expired/);
    assert.equal(await h.core.gates.sweep(), 1);
    await h.outbox.settle();
    assert.match(current(h, prompt.messageId).header ?? '', /^Expired: deploy/);

    await h.say('/ci deploy qa v1.1.0');
    const card = latest(h, /Approval needed: deploy v1\.1\.0 to qa/, 'C-approvals');
    await h.click(card.messageId, button(card.message, 'Approve'), 'U2');
    now = new Date(now.getTime() + 11 * 60_000);
    assert.match(
      (await h.click(card.messageId, button(card.message, 'Approve'), 'U3')).text ?? '',
      /expired/,
    );
    await h.core.gates.sweep();
    await h.outbox.settle();
    assert.match(current(h, card.messageId).text ?? '', /It did not get 2 approvals/);
    latest(h, /@Alice, your request to deploy `v1\.1\.0` to `qa` expired; nothing was run\./);
    assert.equal(h.provider.triggered.length, 0);
    const expired = (await h.stores.audit.recent(10)).filter(
      (e) => e.kind === 'approval' && e.decision === 'expired',
    );
    assert.deepEqual(
      expired.map((e) => e.outcome),
      ['not approved in time', 'not confirmed in time'],
    );
  });

  it('a held command is checked again at confirmation: a lock taken meanwhile refuses it', async () => {
    await h.say('/ci rollback staging');
    const prompt = latest(h, /^Confirm: roll back staging/);
    await h.say('/ci lock staging hands off', 'U2');
    const answer = await h.click(prompt.messageId, button(prompt.message, 'Confirm'));
    assert.match(answer.text ?? '', /`staging` is locked by @Bob: hands off/);
    assert.match(current(h, prompt.messageId).header ?? '', /^Not run: roll back staging/);
    assert.equal(h.provider.triggered.length, 0);
  });

  it('"Run again" on a production deploy asks to confirm, like the command does', async () => {
    const run = await h.runs.start({
      kind: 'deploy',
      pipeline: 'p',
      ref: 'v1.0.0',
      version: 'v1.0.0',
      environment: 'production',
      requestedBy: 'bob',
      source: { platform: 'test', channel: 'C-general' },
    });
    await h.finish(run.id, 'failed');
    const before = h.provider.triggered.length;
    const rerun = await h.core.handleAction({
      platform: 'test',
      userId: 'U2',
      channel: 'C-deploys',
      messageId: 'm-run',
      actionId: `rerun:${run.id}`,
    });
    await h.outbox.settle();
    assert.equal(rerun.message.header, 'Confirm: deploy v1.0.0 to production');
    assert.equal(h.provider.triggered.length, before, 'nothing ran');
  });

  it('--break-glass where no freeze is in force changes nothing, and the reply says so', async () => {
    const m = await h.say('/ci deploy staging v1.1.0 --break-glass "just in case"');
    assert.match(m.text ?? '', /Deploy of `v1\.1\.0` to `staging`/);
    assert.match(
      m.context?.join(' ') ?? '',
      /No freeze or order is in force there: `--break-glass` changed nothing\./,
    );
  });

  it('a confirmation for an unknown command is a config error', () => {
    assert.throws(
      () =>
        parseConfig(
          gatedConfig.replace('confirmations: { expiry: 2m }', 'confirmations: { commands: [rolback] }'),
          '/tmp/x/deckhand.yaml',
          {},
        ),
      /confirmations\.commands\.0.*unknown command "rolback"; did you mean "rollback"\?/,
    );
  });

  it('--explain names the confirmation and the approvals a command would wait for', async () => {
    const m = await h.say('/ci deploy production v1.1.0 --explain');
    assert.equal(m.header, 'Would run');
    assert.match(m.text ?? '', /it would wait for your confirmation, then 1 approval from release-manager/);
    assert.match(
      m.context?.join(' ') ?? '',
      /Rule: role:developer\+confirm\+approval:environment production/,
    );
    assert.equal(posts(h, 'C-approvals').length, 0, 'nothing was held');
  });
});

describe('freeze windows with break-glass', () => {
  let h: Harness;
  let now: Date;
  before(async () => {
    // Friday 27 November 2026, 17:00 in Berlin (16:00 UTC): inside the weekend freeze.
    now = new Date('2026-11-27T16:00:00Z');
    h = await createHarness(gatedConfig, { clock: { now: () => now } });
  });
  after(() => h.close());

  it('a deploy during a freeze is refused, naming the freeze and how to break it', async () => {
    const m = await h.say('/ci deploy production v1.1.0');
    assert.match(
      m.text ?? '',
      /`production` is frozen \(weekend: Fri 16:00 – Mon 08:00 Europe\/Berlin\) until Mon 30 Nov 08:00 Europe\/Berlin: no deploys over the weekend\./,
    );
    assert.match(m.text ?? '', /break-glass approval from sre: add `--break-glass "why"`/);
    const [entry] = await h.stores.audit.recent(1);
    assert.equal(entry?.decision, 'denied:freeze:weekend');
    const explained = await h.say('/ci deploy production v1.1.0 --explain');
    assert.equal(explained.header, 'Would be refused');
    assert.match(explained.context?.join(' ') ?? '', /Rule: role:developer\+freeze:weekend/);
    assert.match((await h.say('/ci deploy staging v1.1.0')).text ?? '', /Deploy of `v1\.1\.0` to `staging`/);
  });

  it('break-glass needs the freeze role on top of the environment approvals', async () => {
    await h.say('/ci deploy production v1.1.0 --break-glass "payment outage hotfix"');
    const prompt = latest(h, /^Confirm: deploy v1\.1\.0 to production/);
    await h.click(prompt.messageId, button(prompt.message, 'Confirm'));
    const card = latest(h, /Break-glass approval needed/, 'C-approvals');
    assert.match(card.message.text ?? '', /Frozen by `weekend`\. Reason given: payment outage hotfix/);
    assert.match(
      card.message.fields?.find((f) => f.label === 'Needs')?.value ?? '',
      /1 approval from release-manager and 1 from sre for the break-glass/,
    );
    const before = h.provider.triggered.length;
    await h.click(card.messageId, button(card.message, 'Approve'), 'U2');
    assert.equal(h.provider.triggered.length, before, 'still needs sre');
    await h.click(card.messageId, button(card.message, 'Approve'), 'U5');
    assert.equal(h.provider.triggered.length, before + 1);
    assert.equal(h.provider.triggered.at(-1)?.ref, 'v1.1.0');
  });

  it('after the freeze ends (Monday 08:00 Berlin) a deploy only needs its usual gates', async () => {
    now = new Date('2026-11-30T07:00:00Z');
    const m = await h.say('/ci deploy production v1.1.0');
    assert.match(m.header ?? '', /^Confirm:/);
  });
});

describe('pending requests survive a restart', () => {
  it('a request confirmed before a restart is approved after it, and runs once', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'deckhand-gates-')), 'deckhand.db');
    const clock = { now: () => new Date(WEDNESDAY) };
    const first = await createHarness(gatedConfig, { clock, sqlite: file });
    await first.say('/ci deploy production v1.1.0');
    const prompt = latest(first, /^Confirm:/);
    await first.click(prompt.messageId, button(prompt.message, 'Confirm'));
    const code = codeOf(latest(first, /Approval needed/, 'C-approvals').message);
    assert.equal(first.provider.triggered.length, 0);
    await first.close();

    const second = await createHarness(gatedConfig, { clock, sqlite: file });
    try {
      await second.core.gates.start();
      const answer = await second.say(`/ci approve ${code}`, 'U2');
      assert.match(answer.text ?? '', /Deploy of `v1\.1\.0` to `production` triggered by @Alice/);
      assert.equal(second.provider.triggered.length, 1);
      assert.match((await second.say(`/ci approve ${code}`, 'U3')).text ?? '', /is closed/);
      assert.equal(second.provider.triggered.length, 1);
    } finally {
      await second.core.gates.stop();
      await second.close();
    }
  });
});
