import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLocalRunner, type LocalRunner } from '../../../src/ci/local/index.ts';
import { demoConfig, EventLog, tempDir } from './helpers.ts';

const pipelines = `
  chatty:
    repository: app
    timeout: 1m
    steps:
      - { name: Say A Lot!, run: 'i=0; while [ $i -lt 3000 ]; do echo "line $i of chatter"; i=$((i+1)); done; echo oops >&2' }
  reports:
    repository: app
    timeout: 1m
    junit: ['reports/**/*.xml', 'missing/*.xml']
    steps:
      - name: write
        run: |
          mkdir -p reports/deep/er
          printf '<testsuite name="broken"><testcase name="a">' > reports/bad.xml
          printf '<testsuites><testsuite name="s"><testcase name="ok"/><testcase name="skip"><skipped/></testcase><testcase name="err"><error message="boom"/></testcase></testsuite></testsuites>' > reports/deep/er/good.xml
          printf 'not xml at all' > reports/deep/notes.xml
`;

describe('local runner logs and reports', () => {
  const tmp = tempDir();
  const config = demoConfig(tmp.dir, pipelines, '  logLimit: 1024');
  const log = new EventLog();
  const warnings: object[] = [];
  let runner: LocalRunner;
  before(() => {
    runner = createLocalRunner({
      config,
      emit: log.sink,
      logger: { info: () => undefined, warn: (obj) => warnings.push(obj) },
    });
  });
  after(async () => {
    await runner.close?.();
    tmp.cleanup();
  });

  test('step logs are bounded to logLimit, keeping head and tail', async () => {
    await runner.trigger({ runId: 1, kind: 'build', pipeline: 'chatty', ref: 'main', params: {} });
    const finished = await log.finished(1);
    assert.equal(finished.status, 'succeeded', finished.reason);
    const file = runner.logFile(1, 0) ?? '';
    assert.ok(file.endsWith(path.join('run-1', '0-say-a-lot.log')), file);
    assert.ok(statSync(file).size <= 1024, `size ${statSync(file).size}`);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith('line 0 of chatter\n'));
    assert.match(text, /\n\[… \d+ bytes omitted …\]\n/);
    assert.ok(text.endsWith('line 2999 of chatter\noops\n'));
    const step = log.of(1).find((e) => e.type === 'step.finished');
    assert.ok(step?.type === 'step.finished');
    const tail = step.step.logTail ?? '';
    assert.ok(tail.endsWith('line 2999 of chatter\noops'));
    assert.ok(tail.split('\n').length <= 20 && tail.length <= 2000);
  });

  test('malformed JUnit files are skipped with a warning; good ones are summed', async () => {
    await runner.trigger({ runId: 2, kind: 'test', pipeline: 'reports', ref: 'main', params: {} });
    const finished = await log.finished(2);
    assert.equal(finished.status, 'succeeded', finished.reason);
    assert.deepEqual(finished.tests, {
      total: 3,
      failed: 1,
      skipped: 1,
      failures: [{ suite: 's', name: 'err', message: 'boom' }],
    });
    const files = warnings.map((w) => (w as { file?: string }).file).sort();
    assert.deepEqual(files, ['reports/bad.xml', 'reports/deep/notes.xml']);
  });
});
