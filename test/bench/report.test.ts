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
    assert.match(
      table,
      /\| footprint \| start to \/readyz 200 \(the bundle `npm run build` writes\) \| 1500 ms \| ≤ 1 s \| ✗ \|/,
    );
    assert.match(table, /\| footprint \| idle RSS \| 100 MB \| ≤ 120 MB \| ✓ \|/);
    assert.match(table, /\| burst \| failed to run \| fake failed \| \| ✗ \|/);
    assert.doesNotMatch(table, /\| ack /, 'sections not run are left out');
    assert.deepEqual(targetsMet(results), { met: 2, checked: 3 });
  });

  it('reports burst per platform, and fails the target when any platform lost, doubled or came early', () => {
    const clean = {
      lost: 0,
      duplicated: 0,
      early_retries: 0,
      drain_s: 20,
      min_drain_s: 9,
      calls: 401,
      refused_429: 0,
    };
    const burst = (teams: object) => ({
      ...clean,
      events: 10000,
      platforms: { slack: clean, teams: { ...clean, ...teams } },
    });
    const ok = markdownTable({ burst: burst({}) });
    assert.match(
      ok,
      /per platform: lost .*\| slack: 0 \/ 0 \/ 0; 20 s \(9 s\); 401, 0; teams: 0 \/ 0 \/ 0.* \| ✓ \|/,
    );
    const early = markdownTable({ burst: burst({ early_retries: 3 }) });
    assert.match(early, /teams: 0 \/ 0 \/ 3.* \| ✗ \|/);
  });
});
