import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProviderError } from '../../src/core/errors.ts';
import { toPlainText } from '../../src/core/messages.ts';
import { createHarness } from '../helpers/core-harness.ts';

type Harness = Awaited<ReturnType<typeof createHarness>>;

describe('/ci commands through the core', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('suggests the closest command for a typo', async () => {
    const m = await h.say('/ci biuld main');
    assert.equal(m.status, 'error');
    assert.match(m.text ?? '', /Unknown command `biuld`\. Did you mean `\/ci build`\?/);
  });

  it('answers only /ci', async () => {
    assert.match(
      (await h.say('/deploy prod')).text ?? '',
      /I only know `\/ci` and `\/incident` and `\/oncall` commands/,
    );
  });

  it('names the real branches when a branch does not exist', async () => {
    const m = await h.say('/ci build feature-x');
    assert.equal(m.text, "Branch 'feature-x' not found. Available branches: main, develop, release/1.0.");
    assert.equal(h.provider.triggered.length, 0);
  });

  it('lists environments for an unknown one', async () => {
    const m = await h.say('/ci deploy prod v1.0.0');
    assert.match(
      m.text ?? '',
      /Unknown environment `prod`\. Did you mean `production`\? Environments: staging, production\./,
    );
  });

  it('refuses a version that is not in the repository', async () => {
    const m = await h.say('/ci deploy staging v9.9.9');
    assert.match(m.text ?? '', /Version 'v9\.9\.9' not found/);
  });

  it('denies unknown people politely, says how to get access, and audits it', async () => {
    const m = await h.say('/ci build main', 'U-stranger');
    assert.match(
      m.text ?? '',
      /I don't know you yet \(test user `U-stranger`\).*people.*chat: \{ test: U-stranger \}/,
    );
    const [entry] = await h.stores.audit.recent(1);
    assert.equal(entry?.decision, 'denied:unknown-user');
    assert.equal(entry?.platformUser, 'U-stranger');
    assert.equal(h.provider.triggered.length, 0);
  });

  it('builds: immediate reply, routed run message updated in place, thread details, final reply', async () => {
    const before = h.sender.sent.length;
    const m = await h.say('/ci build develop');
    assert.match(m.text ?? '', /^Build of `develop` triggered by @Alice — run #(\d+)$/);
    const spec = h.provider.triggered.at(-1);
    assert.equal(spec?.ref, 'develop');
    assert.deepEqual(spec?.params, { requested_by: 'alice', branch: 'develop' });
    const queued = h.sender.sent.filter((s) => s.channel === 'C-builds').at(-1);
    assert.equal(
      queued?.message.link?.url,
      `https://ci.test/runs/${spec?.runId}`,
      'the card links to the CI run at once',
    );
    await h.finish(spec?.runId as number);
    const sent = h.sender.sent.slice(before);
    const runPosts = sent.filter((s) => s.channel === 'C-builds' && !s.threadId && s.op === 'post');
    assert.equal(runPosts.length, 1, 'one message per run in the routed channel');
    const updates = sent.filter((s) => s.channel === 'C-builds' && s.op === 'update');
    assert.ok(updates.length >= 1);
    assert.match(toPlainText(updates.at(-1)?.message ?? {}), /Build #\d+ succeeded[\s\S]*Branch: develop/);
    const thread = sent.filter((s) => s.threadId === runPosts[0]?.messageId);
    assert.equal(thread.length, 1);
    assert.match(thread[0]?.message.header ?? '', /Step 1: s succeeded/);
    const replyUpdate = sent.filter((s) => s.channel === 'C-general' && s.op === 'update').at(-1);
    assert.match(replyUpdate?.message.text ?? '', /run #\d+ succeeded/);
    assert.equal(sent.filter((s) => s.channel === 'C-deploys').length, 0, 'builds do not go to deploys');
  });

  it('records every command in the audit log with its decision and outcome', async () => {
    await h.say('/ci status');
    const [entry] = await h.stores.audit.recent(1);
    assert.equal(entry?.kind, 'command');
    assert.equal(entry?.actor, 'alice');
    assert.equal(entry?.text, '/ci status');
    assert.deepEqual(entry?.command, { command: 'status', args: {}, family: 'ci' });
    assert.equal(entry?.decision, 'allowed');
  });

  it('deploys, then rolls back to the previous successful version, twice', async () => {
    for (const v of ['v1.0.0', 'v1.1.0', 'v1.2.0']) {
      await h.say(`/ci deploy staging ${v}`);
      await h.finish(h.provider.triggered.at(-1)?.runId as number);
    }
    const failed = await h.say('/ci deploy staging main');
    assert.match(failed.text ?? '', /Deploy of `main` to `staging`/);
    await h.finish(h.provider.triggered.at(-1)?.runId as number, 'failed');

    const first = await h.say('/ci rollback staging');
    assert.match(first.text ?? '', /Rollback of `staging` to `v1\.1\.0`/);
    assert.equal(h.provider.triggered.at(-1)?.params.version, 'v1.1.0');
    await h.finish(h.provider.triggered.at(-1)?.runId as number);

    const second = await h.say('/ci rollback staging');
    assert.match(second.text ?? '', /to `v1\.0\.0`/);
    await h.finish(h.provider.triggered.at(-1)?.runId as number);

    assert.match(
      (await h.say('/ci rollback staging')).text ?? '',
      /Nothing to roll back to: `staging` runs `v1\.0\.0`/,
    );
    assert.match((await h.say('/ci rollback production')).text ?? '', /no successful deployment yet/);
    const status = await h.say('/ci status');
    assert.match(status.text ?? '', /staging: `v1\.0\.0`/);
    assert.match(status.text ?? '', /production: nothing deployed yet/);
  });

  it('rolls a branch deployment back to the commit that was live, not the branch head', async () => {
    await h.say('/ci deploy production main');
    await h.finish(h.provider.triggered.at(-1)?.runId as number, 'succeeded', 'aaaaaaa111111111');
    await h.say('/ci deploy production main');
    await h.finish(h.provider.triggered.at(-1)?.runId as number, 'succeeded', 'bbbbbbb222222222');
    const m = await h.say('/ci rollback production');
    assert.match(m.text ?? '', /Rollback of `production` to `aaaaaaa11111`/);
    assert.equal(h.provider.triggered.at(-1)?.ref, 'aaaaaaa11111');
    await h.finish(h.provider.triggered.at(-1)?.runId as number, 'succeeded', 'aaaaaaa111111111');
  });

  it('tests a suite on a branch, with the default suite when none is given', async () => {
    await h.say('/ci test integration --branch develop');
    assert.deepEqual(h.provider.triggered.at(-1)?.params, {
      requested_by: 'alice',
      branch: 'develop',
      suite: 'integration',
    });
    await h.say('/ci test');
    assert.equal(h.provider.triggered.at(-1)?.params.suite, 'unit');
    assert.match(
      (await h.say('/ci test smoke')).text ?? '',
      /Unknown test suite `smoke`\. Suites: unit, integration\./,
    );
  });

  it('shows one run in detail', async () => {
    const m = await h.say('/ci status 1');
    assert.match(m.header ?? '', /^Build #1 /);
    assert.match((await h.say('/ci status 999')).text ?? '', /There is no run #999/);
  });

  it('help is generated from every command module', async () => {
    const m = await h.say('/ci help');
    for (const name of ['build', 'test', 'deploy', 'rollback', 'status', 'help']) {
      assert.match(m.text ?? '', new RegExp(`\`/ci ${name}`));
    }
    assert.match(m.text ?? '', /`\/ci deploy <environment> \[version\] \[--break-glass <reason>\]`/);
    const one = await h.say('/ci help deploy');
    assert.match(one.text ?? '', /Examples: `\/ci deploy staging`/);
    assert.equal((await h.say('/ci')).header, '/ci commands');
  });

  it('a Cancel click cancels the run and is audited; a Run again click starts a new run', async () => {
    await h.say('/ci build main');
    const runId = h.provider.triggered.at(-1)?.runId as number;
    const click = await h.core.handleAction({
      platform: 'test',
      userId: 'U2',
      channel: 'C-builds',
      messageId: 'x',
      actionId: `cancel:${runId}`,
    });
    assert.match(click.message.text ?? '', new RegExp(`Run #${runId} cancelled by @Bob`));
    assert.deepEqual(h.provider.cancelled, [runId]);
    await h.outbox.settle();
    const card = h.sender.sent
      .filter((s) => s.channel === 'C-builds' && s.message.header?.startsWith(`Build #${runId} `))
      .at(-1);
    assert.equal(card?.message.buttons, undefined, 'the Cancel button disappears once clicked');
    assert.ok(card?.message.context?.includes('Cancel requested by @Bob'));
    const [entry] = await h.stores.audit.recent(1);
    assert.equal(entry?.kind, 'action');
    assert.equal(entry?.actor, 'bob');
    await h.finish(runId, 'failed');
    const again = await h.core.handleAction({
      platform: 'test',
      userId: 'U1',
      channel: 'C-builds',
      messageId: 'x',
      actionId: `rerun:${runId}`,
    });
    assert.match(again.message.text ?? '', /Build of `main` triggered by @Alice — run #/);
    assert.equal(h.provider.triggered.at(-1)?.ref, 'main');
    await h.outbox.settle();
    const old = h.sender.sent.filter((s) => s.message.header === `Build #${runId} failed`).at(-1);
    assert.equal(old?.message.buttons, undefined, 'Run again disappears once clicked');
    assert.match(old?.message.context?.join('\n') ?? '', /Run again by @Alice — run #\d+/);
    const stranger = await h.core.handleAction({
      platform: 'test',
      userId: 'U9',
      channel: 'C',
      messageId: 'x',
      actionId: `rerun:${runId}`,
    });
    assert.match(stranger.message.text ?? '', /don't know you/);
  });

  it("answers in the thread a command was typed in, and a click in the clicked message's thread", async () => {
    await h.outbox.settle();
    const sent = h.sender.sent.length;
    await h.core.handleCommand({
      platform: 'test',
      userId: 'U1',
      channel: 'C-general',
      threadId: 'm1',
      text: '/ci help',
    });
    await h.core.handleAction({
      platform: 'test',
      userId: 'U1',
      channel: 'C-builds',
      messageId: 'm2',
      actionId: 'cancel:424242',
    });
    await h.outbox.settle();
    const replies = h.sender.sent.slice(sent).map((s) => [s.channel, s.threadId]);
    assert.deepEqual(replies, [
      ['C-general', 'm1'],
      ['C-builds', 'm2'],
    ]);
  });

  it('reports a provider that cannot start the run, in the run and the reply', async () => {
    h.provider.failTrigger = new Error('runner is full');
    const reply = await h.say('/ci build main');
    h.provider.failTrigger = undefined;
    assert.equal(reply.status, 'error');
    assert.equal(reply.text, 'local could not start it: runner is full');
    const [run] = await h.runs.recent(1);
    assert.equal(run?.status, 'failed');
    assert.match(run?.reason ?? '', /could not start it: runner is full/);
    const [entry] = await h.stores.audit.recent(2).then((e) => e.filter((x) => x.kind === 'command'));
    assert.match(
      entry?.outcome ?? '',
      /^error: local could not start it/,
      'the command is audited as failed',
    );
  });

  it('says in one sentence when the CI system refuses, and audits the command as failed', async () => {
    h.provider.failTrigger = new ProviderError('GitLab answered 401 Unauthorized: check GITLAB_TOKEN.', 401);
    const reply = await h.say('/ci deploy staging v1.0.0');
    h.provider.failTrigger = undefined;
    assert.equal(reply.text, 'GitLab answered 401 Unauthorized: check GITLAB_TOKEN.');
    const entries = await h.stores.audit.recent(5);
    const command = entries.find((e) => e.kind === 'command');
    assert.equal(command?.outcome, 'error: GitLab answered 401 Unauthorized: check GITLAB_TOKEN.');
    const [deployment] = await h.stores.deployments.history('staging', 1);
    assert.equal(deployment?.result, 'failed');
  });
});
