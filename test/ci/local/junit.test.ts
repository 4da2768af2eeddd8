import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { matchFiles } from '../../../src/ci/local/glob.ts';
import { addJunitXml, emptySummary } from '../../../src/ci/local/junit.ts';
import { TailBuffer } from '../../../src/ci/local/log-tail.ts';
import { tempDir } from './helpers.ts';

describe('JUnit parsing', () => {
  test('reads <testsuites> with nested suites, failures, errors and skips', () => {
    const summary = emptySummary();
    addJunitXml(
      `<?xml version="1.0"?>
      <testsuites>
        <testsuite name="outer">
          <testcase classname="c" name="passes"/>
          <testcase name="fails"><failure message="expected 1 &amp; got 2">stack</failure></testcase>
          <testsuite name="inner">
            <testcase name="text only"><failure>first line
second line</failure></testcase>
            <testcase name="skipped"><skipped/></testcase>
          </testsuite>
        </testsuite>
        <testsuite name="other"><testcase name="errs"><error/></testcase></testsuite>
      </testsuites>`,
      summary,
    );
    assert.equal(summary.total, 5);
    assert.equal(summary.failed, 3);
    assert.equal(summary.skipped, 1);
    assert.deepEqual(summary.failures, [
      { suite: 'outer', name: 'fails', message: 'expected 1 & got 2' },
      { suite: 'inner', name: 'text only', message: 'first line' },
      { suite: 'other', name: 'errs' },
    ]);
  });

  test('reads a single <testsuite> and adds to an existing summary', () => {
    const summary = emptySummary();
    addJunitXml('<testsuite name="a"><testcase name="x"/></testsuite>', summary);
    addJunitXml(
      '<testsuite name="b"><testcase name="y"><failure message="no"/></testcase></testsuite>',
      summary,
    );
    assert.deepEqual(summary, {
      total: 2,
      failed: 1,
      skipped: 0,
      failures: [{ suite: 'b', name: 'y', message: 'no' }],
    });
  });

  test('rejects malformed or non-JUnit XML', () => {
    assert.throws(() => addJunitXml('<testsuite><testcase>', emptySummary()));
    assert.throws(() => addJunitXml('<report/>', emptySummary()), /no <testsuites>/);
  });
});

describe('matchFiles', () => {
  test('supports *, ? and ** and never leaves the root', () => {
    const tmp = tempDir();
    try {
      const root = path.join(tmp.dir, 'ws');
      for (const dir of ['reports/a/b', 'reports/c', 'other'])
        mkdirSync(path.join(root, dir), { recursive: true });
      for (const file of [
        'reports/x.xml',
        'reports/a/b/y.xml',
        'reports/c/z.txt',
        'other/w.xml',
        'top.xml',
      ]) {
        writeFileSync(path.join(root, file), '');
      }
      writeFileSync(path.join(tmp.dir, 'outside.xml'), '');
      symlinkSync(path.join(tmp.dir, 'outside.xml'), path.join(root, 'reports', 'link.xml'));
      const rel = (patterns: string[]) => matchFiles(root, patterns).map((f) => path.relative(root, f));
      assert.deepEqual(rel(['reports/*.xml']), ['reports/x.xml']);
      assert.deepEqual(rel(['reports/**/*.xml']), ['reports/a/b/y.xml', 'reports/x.xml']);
      assert.deepEqual(rel(['**/?.xml']), ['other/w.xml', 'reports/a/b/y.xml', 'reports/x.xml']);
      assert.deepEqual(rel(['*.xml', './top.xml']), ['top.xml']);
      assert.deepEqual(rel(['../*.xml', `${tmp.dir}/*.xml`]), []);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('TailBuffer', () => {
  test('keeps the last bytes and renders at most N lines', () => {
    const tail = new TailBuffer(64);
    for (let i = 0; i < 100; i++) tail.push(Buffer.from(`l${i}\n`));
    assert.ok(tail.bytes().length <= 64);
    assert.equal(tail.lines(3), 'l97\nl98\nl99');
    assert.equal(tail.lines(20, 8), 'l98\nl99');
  });
});
