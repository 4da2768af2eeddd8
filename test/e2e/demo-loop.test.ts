import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { demoDir, startDemo } from '../helpers/demo-deckhand.ts';

type Demo = Awaited<ReturnType<typeof startDemo>>;

describe('the whole loop on the demo: web chat → commands → local runner → notifications', () => {
  let demo: Demo;
  let dir: string;
  before(async () => {
    dir = demoDir();
    demo = await startDemo(dir);
  });
  after(() => demo.deckhand.close());

  it('/ci build main runs the real pipeline; its thread shows each step; the reply ends succeeded', async () => {
    await demo.say('/ci build main');
    const reply = await demo.waitFor('general', /Build of `main` triggered by @Alice — run #\d+ succeeded/);
    const runId = /run #(\d+)/.exec(reply.text)?.[1];
    const card = await demo.waitFor('ci-builds', new RegExp(`Build #${runId} succeeded`));
    assert.match(card.text, /Branch: main/);
    assert.match(card.text, /Triggered by: @Alice/);
    assert.match(card.text, /Commit: [0-9a-f]{7}/);
    assert.match(card.text, new RegExp(`/runs/${runId}/log`));
    assert.equal(card.blocks?.status, 'succeeded');
    assert.deepEqual(card.actions, [], 'no Cancel button once finished');
    const thread = await demo.messages('ci-builds', card.id);
    assert.deepEqual(
      thread.map((m) => /Step \d+: (\w+) (\w+)/.exec(m.text)?.slice(1)),
      [
        ['install', 'succeeded'],
        ['compile', 'succeeded'],
      ],
    );
    const general = await demo.messages('general');
    assert.ok(
      !general.some((m) => /Build #\d+ succeeded/.test(m.text)),
      'the run card goes to #ci-builds, not #general',
    );
    const log = await demo.app.inject({ url: `/runs/${runId}/log` });
    assert.equal(log.statusCode, 200);
    assert.match(log.body, /=== Step 2: compile \(succeeded\) ===/);
  });

  it('/ci test integration on develop reports the failing test by name', async () => {
    await demo.say('/ci test integration --branch develop');
    const card = await demo.waitFor('tests', /Test #\d+ \(integration\) failed/);
    assert.match(card.text, /Failed tests \(1 of 3\):\n• integration › checkout flow/);
    assert.deepEqual(
      card.actions.map((a) => a.label),
      ['Run again'],
    );
    const thread = await demo.messages('tests', card.id);
    assert.match(thread.at(-1)?.text ?? '', /Step 2: test failed \(exit 1\)/);
    await demo.say('/ci test unit --branch develop');
    await demo.waitFor('tests', /Test #\d+ \(unit\) succeeded[\s\S]*3 tests passed/);
  });

  it('/ci deploy staging then /ci rollback staging restores the previous version on disk', async () => {
    const versionFile = path.join(demo.config.paths.dataDir, 'environments', 'staging', 'VERSION');
    await demo.say('/ci deploy staging v1.1.0');
    await demo.waitFor('deployments', /Deploy #\d+ to staging succeeded[\s\S]*Version: v1\.1\.0/);
    assert.equal(readFileSync(versionFile, 'utf8').trim(), 'v1.1.0');
    await demo.say('/ci deploy staging v1.2.0');
    await demo.waitFor('deployments', /Deploy #\d+ to staging succeeded[\s\S]*Version: v1\.2\.0/);
    assert.equal(readFileSync(versionFile, 'utf8').trim(), 'v1.2.0');
    await demo.say('/ci rollback staging');
    // A rollback asks its requester to confirm; the run's reply follows in the prompt's thread.
    const prompt = await demo.waitFor('general', /Confirm: roll back staging/);
    await demo.click(prompt.id, prompt.actions.find((a) => a.label === 'Confirm')?.id ?? '');
    await demo.waitFor(
      'general',
      /Rollback of `staging` to `v1\.1\.0` triggered by @Alice — run #\d+ succeeded/,
      {
        thread: prompt.id,
      },
    );
    assert.equal(readFileSync(versionFile, 'utf8').trim(), 'v1.1.0');
    const status = await demo.say('/ci status');
    assert.ok(status);
    await demo.waitFor('general', /staging: `v1\.1\.0`/);
  });

  it('answers mistakes with the real branch list and the environment list', async () => {
    await demo.say('/ci build feature-x');
    await demo.waitFor(
      'general',
      /Branch 'feature-x' not found\. Available branches: main, develop, release\/1\.0\./,
    );
    await demo.say('/ci deploy qa');
    await demo.waitFor('general', /Unknown environment `qa`\. Environments: staging, production\./);
  });

  it('keeps user text out of the shell', async () => {
    await demo.say('/ci build "$(touch pwned)"');
    await demo.waitFor('general', /is not a valid branch name/);
    await demo.say('/ci deploy staging "v1;touch pwned"');
    await demo.waitFor('general', /not a valid version|not found/);
    assert.throws(() => readFileSync(path.join(dir, 'pwned')));
  });
});
