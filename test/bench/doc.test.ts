import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { currentLatest, latestResults, replaceLatest } from '../../bench/lib/report.ts';

describe('docs/performance.md', () => {
  it('shows the figures bench/results.json holds (npm run bench:doc rewrites the block)', () => {
    const results = JSON.parse(readFileSync('bench/results.json', 'utf8'));
    const doc = readFileSync('docs/performance.md', 'utf8');
    assert.equal(currentLatest(doc), latestResults(results));
  });

  it('the block is replaced in place, and a doc without markers is refused', () => {
    const doc = `a\n<!-- bench:latest (written by npm run bench from bench/results.json; do not edit) -->\nold\n<!-- /bench:latest -->\nb`;
    const out = replaceLatest(doc, 'new');
    assert.equal(currentLatest(out), 'new');
    assert.ok(out.startsWith('a\n') && out.endsWith('\nb'));
    assert.throws(() => replaceLatest('no markers', 'x'), /markers/);
  });
});
