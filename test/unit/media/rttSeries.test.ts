import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RttSeries } from '../../../media/rtt/series';

/** A repeatable stream of RTTs: mostly 1.6–2.2 ms, a tail of 2–14 ms (the bench's shape). */
function samples(count: number, seed = 7): number[] {
  let s = seed;
  const rnd = () => (s = (s * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: count }, () => (rnd() < 0.95 ? 1.6 + rnd() * 0.6 : 2 + rnd() * 12));
}

function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

const cases: Array<{ what: string; pushes: number; capacity: number }> = [
  { what: 'fewer samples than the capacity', pushes: 5_000, capacity: 100_000 },
  { what: 'the oldest dropped once (capacity reached)', pushes: 10_500, capacity: 10_000 },
  { what: 'the oldest dropped many times', pushes: 57_321, capacity: 10_000 },
];

for (const { what, pushes, capacity } of cases) {
  test(`RTT series keeps min, max and quantiles of the samples it holds: ${what}`, () => {
    const all = samples(pushes);
    const s = new RttSeries('host-1', capacity);
    all.forEach((v, i) => s.push(i * 100, v));
    const held = all.slice(all.length - s.n);
    assert.deepEqual(Array.from(s.rtt.subarray(0, s.n)), held, 'the newest samples, in order');
    const sorted = [...held].sort((a, b) => a - b);
    const d = s.drawable(600, 40);
    assert.equal(d.summary.count, held.length);
    assert.equal(d.summary.min, sorted[0]);
    assert.equal(d.summary.max, sorted[sorted.length - 1]);
    assert.equal(d.summary.last, held[held.length - 1]);
    for (const [q, got] of [[0.5, d.summary.p50], [0.9, d.summary.p90], [0.99, d.summary.p99]] as const) {
      const want = exactQuantile(sorted, q);
      // Fine bins are 1 % wide: the quantile is the bin's middle, within 0.5 % of the exact sample.
      assert.ok(Math.abs(got - want) / want <= 0.0051, `p${q * 100}: ${got} vs exact ${want}`);
    }
  });

  test(`RTT distribution bars hold every sample, each in its bar or the next one: ${what}`, () => {
    const all = samples(pushes, 11);
    const s = new RttSeries('host-3', capacity);
    all.forEach((v, i) => s.push(i * 100, v));
    const held = all.slice(all.length - s.n);
    const bins = 40;
    const d = s.drawable(600, bins);
    assert.equal(d.binCount.reduce((a, b) => a + b, 0), held.length, 'every sample in a bar');
    // The exact bars, and how many samples sit within 1 % of a bar's edge (the only ones that may move).
    const lo = Math.min(...held);
    const hi = Math.max(...held);
    const step = Math.log(hi / lo) / bins;
    const exact = new Array<number>(bins).fill(0);
    let nearEdge = 0;
    for (const v of held) {
      const pos = Math.log(v / lo) / step;
      exact[Math.min(bins - 1, Math.floor(pos))]!++;
      const frac = pos - Math.floor(pos);
      if (Math.min(frac, 1 - frac) * step < Math.log(1.01)) nearEdge++;
    }
    const moved = exact.reduce((sum, c, b) => sum + Math.abs(c - d.binCount[b]!), 0) / 2;
    assert.ok(moved <= nearEdge, `${moved} samples in another bar, only ${nearEdge} near an edge`);
  });
}

test("RTT series decimates to each pixel column's min and max, keeping the outliers", () => {
  const s = new RttSeries('host-1');
  for (let i = 0; i < 10_000; i++) s.push(i * 10, i === 4321 ? 99 : i === 8765 ? 0.5 : 2);
  const d = s.drawable(100, 10);
  assert.ok(d.x.length <= 200);
  assert.ok(Array.from(d.y).includes(99), 'the high outlier survives');
  assert.ok(Array.from(d.y).includes(0.5), 'the low outlier survives');
  for (let i = 1; i < d.x.length; i++) assert.ok(d.x[i]! >= d.x[i - 1]!, 'in time order');
});
