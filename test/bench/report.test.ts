import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markdownTable, targetsMet } from '../../bench/lib/report.ts';

describe('the results table', () => {
  it('shows each figure with its target and whether it was met, errors in place', () => {
    const results = {
      machine: { cores: 2, node: 'v20' },
      notify: {
        calls_per_pipeline: 3,
        naive_calls: 62,
        calls_by_jobs: { 10: 3, 30: 3, 60: 4 },
        calls_spread: 7,
      },
      footprint: { ready_ms: 1500, idle_rss_mb: 100 },
      burst: { error: 'fake failed' },
    };
    const table = markdownTable(results);
    assert.match(
      table,
      /\| notify \| chat calls per 30-job pipeline \(naive: one per event\) \| 3 \(naive 62\) \| ≤ 3 \| ✓ \|/,
    );
    assert.match(table, /\| footprint \| start to \/readyz 200 \| 1500 ms \| ≤ 1 s \| ✗ \|/);
    assert.match(table, /\| footprint \| idle RSS \| 100 MB \| ≤ 120 MB \| ✓ \|/);
    assert.match(table, /\| burst \| failed to run \| fake failed \| \| ✗ \|/);
    assert.doesNotMatch(table, /\| ack /, 'sections not run are left out');
    assert.deepEqual(targetsMet(results), { met: 2, checked: 3 });
  });
});
