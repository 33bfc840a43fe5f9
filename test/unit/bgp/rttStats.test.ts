import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RttStats } from '../../../src/bgp/rttStats';

test('RTT statistics: totals over all samples, nearest-rank percentiles over the window', () => {
  const s = new RttStats(100);
  assert.deepEqual(s.summary(), { count: 0 });
  for (let i = 1; i <= 100; i++) s.record(i / 1000);
  assert.equal(s.count, 100);
  assert.equal(s.min, 0.001);
  assert.equal(s.max, 0.1);
  assert.ok(Math.abs(s.mean! - 0.0505) < 1e-12);
  assert.equal(s.percentile(50), 0.05);
  assert.equal(s.percentile(99), 0.099);
  assert.equal(s.percentile(100), 0.1);
  assert.equal(s.last, 0.1);
});

test('RTT statistics: the window keeps only the most recent samples for percentiles', () => {
  const s = new RttStats(4);
  for (const x of [9, 9, 9, 9, 1, 2, 3, 4]) s.record(x);
  assert.equal(s.percentile(100), 4);
  assert.equal(s.percentile(25), 1);
  assert.equal(s.max, 9);
  assert.equal(s.count, 8);
});
