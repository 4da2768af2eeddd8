/**
 * `/ops` through the production assembly and the web chat: who may run what, help per person,
 * gates, the card edited in place with its thread, a pipeline step on the local runner, and argv.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { argvRecorder } from '../../core/runbooks/setup.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { startTestDeckhand } from '../../helpers/test-deckhand.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'deckhand-ops-'));
const script = argvRecorder(dir);
const out = path.join(dir, 'argv.jsonl');

const yaml = `
database: { dataDir: ./data }
repositories:
  app: { url: ./repo, seedDemo: true }
people:
  - { id: alice, name: Alice, roles: [sre] }
  - { id: bob, name: Bob, roles: [dev] }
  - { id: carol, name: Carol, roles: [lead] }
roles:
  sre: {}
  lead: {}
  dev: { allow: [{ commands: [status] }] }
channels:
  general: {}
  approvals: {}
environments:
  - { name: staging }
  - { name: production }
pipelines:
  smoke: { repository: app, steps: [{ name: check, run: "echo smoke-ok" }] }
runbooks:
  echo:
    summary: Hand a value to a program
    roles: [sre]
    args: [{ name: value, pattern: ".+" }]
    steps:
      - name: record
        command: { argv: ["${process.execPath}", "${script}", "${out}", "{{value}}"] }
  smoke:
    summary: Run the smoke tests
    roles: [sre, dev]
    environment: staging
    steps:
      - { name: smoke tests, pipeline: { name: smoke } }
  restart:
    summary: Restart a service
    roles: [sre]
    confirm: true
    args:
      - { name: service, values: [web-service, worker] }
      - { name: environment, values: [staging, production] }
    steps:
      - name: restart
        command: { argv: ["${process.execPath}", "-e", "console.log('restarted')"] }
  purge:
    summary: Purge everything
    roles: [sre]
    approvals: { count: 1, roles: [lead], channel: approvals }
    steps:
      - name: purge
        command: { argv: ["${process.execPath}", "-e", "console.log('purged')"] }
`;

describe('/ops', () => {
  let t: Awaited<ReturnType<typeof startTestDeckhand>>;
  before(async () => {
    t = await startTestDeckhand({ yaml, dir, timeoutMs: 30_000 });
  });
  after(() => t?.deckhand.close());

  it('/ops help lists the runbooks each person may run, and how to get the others', async () => {
    await t.say('/ops help', 'alice', 'help-alice');
    const mine = await t.waitFor('help-alice', /\/ops commands/);
    for (const name of ['echo', 'smoke', 'restart', 'purge'])
      assert.match(mine.text, new RegExp(`/ops ${name}`));
    await t.say('/ops help', 'bob', 'help-bob');
    const bobs = await t.waitFor('help-bob', /\/ops commands/);
    assert.match(bobs.text, /\/ops smoke/);
    assert.doesNotMatch(bobs.text, /\/ops restart/);
    assert.match(bobs.text, /Runbooks you may not run: `echo` \(sre\), `restart` \(sre\), `purge` \(sre\)/);
    assert.match(bobs.text, /Ask an admin to give you one of those roles/);
  });

  it('refuses someone without the runbook’s role, saying how to get it', async () => {
    await t.say('/ops restart web-service staging', 'bob', 'denied');
    const refusal = await t.waitFor('denied', /You may not run/);
    assert.match(refusal.text, /`\/ops restart`: it is for sre, and your roles \(dev\) are not among them/);
    assert.match(refusal.text, /under `people` in deckhand\.yaml/);
  });

  it('refuses a value the runbook does not allow, naming the allowed ones', async () => {
    await t.say('/ops restart web-servce staging', 'alice', 'values');
    const refusal = await t.waitFor('values', /Unknown service/);
    assert.match(refusal.text, /Did you mean `web-service`\?/);
  });

  it('passes shell metacharacters typed in chat to the program as one argv item', async () => {
    const value = '; rm -rf / $(id) `id` "x"';
    await t.say(`/ops echo '${value}'`, 'alice', 'argv');
    await t.waitFor('argv', /Runbook echo #\d+: succeeded/);
    const last = readFileSync(out, 'utf8').trim().split('\n').at(-1) as string;
    assert.deepEqual(JSON.parse(last).argv, [value]);
  });

  it('runs a pipeline on the local runner, editing one card in place with the detail in its thread', async () => {
    await t.say('/ops smoke', 'bob', 'smoke');
    const card = await t.waitFor('smoke', /Runbook smoke #\d+: succeeded/);
    assert.match(card.text, /1\. smoke tests — run #\d+ \(smoke at main\) succeeded/);
    const cards = (await t.messages('smoke')).filter((m) => /Runbook smoke/.test(m.text));
    assert.equal(cards.length, 1, 'one message, edited in place');
    assert.ok(card.updatedAt, 'it was edited');
    const detail = await t.waitFor('smoke', /smoke tests: succeeded/, { thread: card.id });
    assert.match(detail.text, /\/runs\/\d+\/log/);
    const id = /#(\d+)/.exec(card.text)?.[1];
    const log = await t.app.inject({ url: `/runbooks/${id}/log` });
    assert.equal(log.statusCode, 200);
    assert.match(log.body, /Runbook smoke #\d+ \(environment=staging\): succeeded/);
    let entries = await t.deckhand.stores.auditLog.recent(50);
    // The card is updated before the end is audited.
    await eventually(async () => {
      entries = await t.deckhand.stores.auditLog.recent(50);
      return entries.some((e) => e.kind === 'runbook.finished' && /"smoke"/.test(JSON.stringify(e.command)));
    }, 'the runbook’s end in the audit log');
    const finished = entries.find(
      (e) => e.kind === 'runbook.finished' && /"smoke"/.test(JSON.stringify(e.command)),
    );
    assert.deepEqual(finished?.command, {
      family: 'ops',
      command: 'smoke',
      args: { environment: 'staging' },
    });
    assert.equal(finished?.actor, 'bob');
    assert.ok(
      entries.some((e) => e.kind === 'runbook.step' && /smoke tests: succeeded/.test(e.outcome ?? '')),
    );
  });

  it('asks to confirm a runbook with confirm: true, then runs it', async () => {
    await t.say('/ops restart worker production', 'alice', 'confirm');
    const prompt = await t.waitFor('confirm', /Confirm/);
    assert.ok(prompt.actions.some((a) => a.label === 'Confirm'));
    await t.click(prompt.id, prompt.actions.find((a) => a.label === 'Confirm')?.id as string, 'alice');
    await t.waitFor('confirm', /Runbook restart #\d+: succeeded/, { thread: prompt.id });
  });

  it('holds a runbook with approvals until an approver approves', async () => {
    await t.say('/ops purge', 'alice', 'purge');
    const card = await t.waitFor('approvals', /Approval needed/);
    assert.match(card.text, /run the runbook `?purge/);
    await t.click(card.id, card.actions.find((a) => a.label === 'Approve')?.id as string, 'carol');
    // The requester's card says who approved; the runbook's card is in its thread.
    const mine = await t.waitFor('purge', /Approved: run the runbook/);
    // The web chat escapes `#` in a thread reply.
    await t.waitFor('purge', /Runbook purge \\?#\d+: succeeded/, { thread: mine.id });
  });
});
