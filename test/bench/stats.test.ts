import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { latencySummary, percentile, ratio, round } from '../../bench/lib/stats.ts';

describe('benchmark statistics', () => {
  it('takes percentiles by nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted
    assert.equal(percentile(samples, 50), 50);
    assert.equal(percentile(samples, 99), 99);
    assert.equal(percentile(samples, 100), 100);
    assert.equal(percentile(samples, 0), 1);
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it('summarises latencies without changing the samples, however many', () => {
    const samples = [5, 1, 3, 2, 4];
    assert.deepEqual(latencySummary(samples), { count: 5, p50_ms: 3, p99_ms: 5, max_ms: 5 });
    assert.deepEqual(samples, [5, 1, 3, 2, 4]);
    const many = Array.from({ length: 300_000 }, (_, i) => i / 100);
    assert.equal(latencySummary(many).max_ms, 2999.99);
  });

  it('rounds and divides for reading', () => {
    assert.equal(round(1.23456), 1.23);
    assert.equal(round(1234.5, 0), 1235);
    assert.equal(ratio(7, 10), 0.7);
    assert.ok(Number.isNaN(ratio(1, 0)));
  });
});
