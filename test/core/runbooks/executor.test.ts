import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { argvRecorder, executor, who } from './setup.ts';

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);
const node = process.execPath;
/** Appends its second argument as a line to the file named first. */
const append = "require('node:fs').appendFileSync(process.argv[1], process.argv[2] + '\\n')";

describe('runbook executor', () => {
  it('hands arguments with shell metacharacters to the program as exact argv items and variables', async () => {
    const nasty = [
      '; rm -rf /',
      '$(id)',
      '`id`',
      '"quoted" and \'single\'',
      'line one\nline two',
      '&& touch CANARY || true',
      '| cat /etc/passwd > x',
      '*',
    ];
    const probe = await executor({});
    const script = argvRecorder(probe.dir);
    const out = path.join(probe.dir, 'argv.jsonl');
    const { service } = await executor({
      echo: {
        summary: 'echo',
        roles: ['sre'],
        args: [{ name: 'value', pattern: '[\\s\\S]+' }],
        steps: [
          {
            name: 'record',
            command: {
              argv: [node, script, out, '{{value}}', 'after'],
              env: { VALUE: '{{value}}' },
              cwd: probe.dir,
            },
          },
        ],
      },
    });
    for (const value of nasty) {
      await service.start('echo', { value }, who());
      await service.idle();
    }
    const seen = lines(out).map((l) => JSON.parse(l) as { argv: string[]; value: string });
    assert.deepEqual(
      seen.map((s) => s.argv),
      nasty.map((v) => [v, 'after']),
      'each value is one argv item, as typed',
    );
    assert.deepEqual(
      seen.map((s) => s.value),
      nasty,
    );
    assert.equal(existsSync(path.join(probe.dir, 'CANARY')), false, 'no shell ran `touch`');
  });

  it('undoes the steps already done, latest first, when a later step fails', async () => {
    const { dir } = await executor({});
    const out = path.join(dir, 'order.txt');
    const say = (word: string) => ({ command: { argv: [node, '-e', append, out, word] } });
    const { service, stores, sent } = await executor({
      deploy: {
        summary: 'three steps',
        roles: ['sre'],
        steps: [
          { name: 'a', ...say('a'), undo: say('undo a') },
          { name: 'b', ...say('b'), undo: say('undo b') },
          { name: 'c', command: { argv: [node, '-e', 'process.exit(3)'] }, undo: say('undo c') },
        ],
      },
    });
    await service.start('deploy', {}, who());
    await service.idle();
    assert.deepEqual(lines(out), ['a', 'b', 'undo b', 'undo a'], 'the failed step itself is not undone');
    const run = await stores.runbookRuns.get(1);
    assert.equal(run?.status, 'failed');
    const steps = await stores.runbookRuns.steps(1);
    assert.deepEqual(
      steps.map((s) => `${s.phase} ${s.name} ${s.status}`),
      ['step a succeeded', 'step b succeeded', 'step c failed', 'undo b succeeded', 'undo a succeeded'],
    );
    assert.equal(steps[2]?.summary, 'exit 3');
    const last = sent.at(-1);
    assert.equal(last?.op, 'update');
    assert.match(last?.message.text ?? '', /Stopped: 3\. c failed \(exit 3\)\. Undone: 2\. b, 1\. a\./);
  });

  it('stops before a step whose check fails, and undoes what ran', async () => {
    const { dir } = await executor({});
    const out = path.join(dir, 'order.txt');
    const say = (word: string) => ({ command: { argv: [node, '-e', append, out, word] } });
    const { service, stores } = await executor({
      flush: {
        summary: 'checked',
        roles: ['sre'],
        steps: [
          { name: 'a', ...say('a'), undo: say('undo a') },
          { name: 'b', ...say('b'), check: { command: { argv: [node, '-e', 'process.exit(1)'] } } },
          { name: 'c', ...say('c') },
        ],
      },
    });
    await service.start('flush', {}, who());
    await service.idle();
    assert.deepEqual(lines(out), ['a', 'undo a'], 'neither b nor c ran');
    const steps = await stores.runbookRuns.steps(1);
    assert.deepEqual(
      steps.map((s) => `${s.phase} ${s.name} ${s.status}`),
      ['step a succeeded', 'check b failed', 'undo a succeeded'],
    );
  });

  it('edits one message in place and posts each action in its thread; audits each step', async () => {
    const { service, sent, stores } = await executor({
      ping: {
        summary: 'two steps',
        roles: ['sre'],
        args: [{ name: 'region', values: ['eu-west', 'us-east'] }],
        steps: [
          { name: 'first', command: { argv: [node, '-e', 'console.log("hello from first")'] } },
          { name: 'second', pipeline: { name: 'smoke' } },
        ],
      },
    });
    const outcome = await service.start('ping', { region: 'eu-west' }, who('intake:1'));
    assert.equal(outcome.key, 'ops:1');
    assert.match(outcome.message.header ?? '', /Runbook ping #1: running/);
    await service.idle();
    const cards = sent.filter((i) => i.key === 'ops:1');
    assert.ok(cards.length >= 3);
    assert.ok(cards.every((i) => i.op === 'update' && i.channel === 'general'));
    const final = cards.at(-1)?.message;
    assert.equal(final?.status, 'succeeded');
    assert.match(final?.text ?? '', /1\. first — exit 0\n.*2\. second — run #7 \(smoke at main\) succeeded/);
    assert.deepEqual(final?.link, { label: 'Full log', url: 'http://deckhand.test/runbooks/1/log' });
    const thread = sent.filter((i) => i.threadKey === 'ops:1');
    assert.deepEqual(
      thread.map((i) => i.message.header),
      ['1. first: succeeded', '2. second: succeeded'],
    );
    assert.match(thread[0]?.message.text ?? '', /hello from first/);
    const audit = (await stores.audit.recent(10)).filter((e) => e.kind.startsWith('runbook.'));
    assert.deepEqual(
      audit.map((e) => e.kind),
      ['runbook.finished', 'runbook.step', 'runbook.step'],
    );
    assert.deepEqual(audit[0]?.command, { family: 'ops', command: 'ping', args: { region: 'eu-west' } });
    assert.match((await service.log(1)) ?? '', /=== 1\. first: succeeded — exit 0 ===\nhello from first/);
  });

  it('starts an execution once per origin, however often it is asked', async () => {
    const { dir } = await executor({});
    const out = path.join(dir, 'once.txt');
    const { service } = await executor({
      once: {
        summary: 'once',
        roles: ['sre'],
        steps: [{ name: 'a', command: { argv: [node, '-e', append, out, 'ran'] } }],
      },
    });
    const first = await service.start('once', {}, who('intake:9'));
    const again = await service.start('once', {}, who('intake:9'));
    await service.idle();
    assert.equal(first.key, again.key);
    assert.deepEqual(lines(out), ['ran']);
  });

  it('after a crash, marks the interrupted execution and never runs its steps again', async () => {
    const { dir } = await executor({});
    const out = path.join(dir, 'crash.txt');
    const say = (word: string) => ({ command: { argv: [node, '-e', append, out, word] } });
    const { service, stores, sent } = await executor({
      two: {
        summary: 'two',
        roles: ['sre'],
        steps: [
          { name: 'a', ...say('a'), undo: say('undo a') },
          { name: 'b', ...say('b') },
        ],
      },
    });
    // What a crash during step b leaves behind.
    const at = new Date('2026-12-06T11:00:00Z');
    const e = await stores.runbookRuns.create(
      { runbook: 'two', args: {}, requestedBy: 'alice', platform: 'webchat', channel: 'general' },
      at,
    );
    await stores.runbookRuns.stepStarted(e.id, { seq: 0, index: 0, phase: 'step', name: 'a' }, at);
    await stores.runbookRuns.stepFinished(e.id, 0, { status: 'succeeded', summary: 'exit 0', log: '' }, at);
    await stores.runbookRuns.stepStarted(e.id, { seq: 1, index: 1, phase: 'step', name: 'b' }, at);

    assert.equal(await service.recover(), 1);
    await service.idle();
    assert.deepEqual(lines(out), [], 'nothing ran again, no undo was run silently');
    assert.equal((await stores.runbookRuns.get(e.id))?.status, 'interrupted');
    const steps = await stores.runbookRuns.steps(e.id);
    assert.equal(steps[1]?.status, 'interrupted');
    const card = sent.at(-1);
    assert.equal(card?.key, `ops:${e.id}`);
    assert.match(
      card?.message.text ?? '',
      /Interrupted by a restart: nothing was run again and nothing was undone\. Completed: 1\. a\. In progress \(check by hand\): 2\. b\. Undo what is needed by hand\./,
    );
    assert.equal(await service.recover(), 0, 'once marked, it stays marked');
    const audit = await stores.audit.recent(5);
    assert.equal(audit[0]?.kind, 'runbook.interrupted');
  });
});
