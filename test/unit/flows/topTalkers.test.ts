import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TopTalkers, type RankBy } from '../../../src/flows/topTalkers';
import type { FlowRecord } from '../../../src/flows/flowRecord';
import { bidirectionalKey } from '../../../src/flows/flowKey';
import { bookHeapCases } from './bookHeapCases';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

function record(src: string, sport: number, dst: string, dport: number, proto: number, frameLength = 1000, rate = 1): FlowRecord {
  return {
    timeReceivedNs: 0, samplerAddress: '192.0.2.1', sequenceNum: 1, samplingRate: rate, inIf: 1, outIf: 2,
    srcAddr: src, dstAddr: dst, srcPort: sport, dstPort: dport, proto, etype: 0x0800,
    bytes: frameLength * rate, packets: rate,
  };
}

// The book's table again, this time through TopTalkers ranking by samples (the book's Count):
// startCount records push the flow, timesSeen more records are the book's `update`.
for (const c of bookHeapCases) {
  test(`the book's heap case "${c.name}" ranks the same through TopTalkers by samples`, () => {
    const clock = manualClock();
    const tt = new TopTalkers({ windowSeconds: 10, by: 'samples', maxFlows: 100, clock: clock.now });
    for (const f of c.flows) for (let j = 0; j < f.startCount + f.timesSeen; j++) tt.addKeyed(f.key, 100, 1);
    const rows = tt.top(10);
    assert.equal(rows.length, c.flows.length);
    for (const f of c.flows) {
      const at = rows.findIndex((r) => r.key === f.key);
      assert.equal(at, f.wantPosition, `${f.key} position`);
      assert.equal(rows[at]!.samples, f.wantCount, `${f.key} count`);
    }
  });
}

test('ties rank the flow seen first higher, whatever order the counts arrived in', () => {
  const clock = manualClock();
  const tt = new TopTalkers({ windowSeconds: 10, by: 'bytes', maxFlows: 10, clock: clock.now });
  tt.addKeyed('first', 100, 1);
  tt.addKeyed('second', 300, 1);
  tt.addKeyed('third', 300, 1);
  tt.addKeyed('first', 200, 1);
  assert.deepEqual(tt.top(3).map((r) => r.key), ['first', 'second', 'third']);
});

test('updates that reorder: a flow overtaking others moves up, and the heap follows every step', () => {
  const clock = manualClock();
  const tt = new TopTalkers({ windowSeconds: 10, by: 'packets', maxFlows: 10, clock: clock.now });
  tt.addKeyed('a', 0, 5);
  tt.addKeyed('b', 0, 4);
  tt.addKeyed('c', 0, 3);
  assert.deepEqual(tt.top(3).map((r) => r.key), ['a', 'b', 'c']);
  tt.addKeyed('c', 0, 3); // c: 6
  assert.deepEqual(tt.top(3).map((r) => r.key), ['c', 'a', 'b']);
  tt.addKeyed('b', 0, 10); // b: 14
  assert.deepEqual(tt.top(3).map((r) => [r.key, r.packets]), [['b', 14], ['c', 6], ['a', 5]]);
  assert.deepEqual(tt.top(1).map((r) => r.key), ['b']);
});

test('at maxFlows the least recently seen flow is evicted and counted', () => {
  const clock = manualClock();
  const tt = new TopTalkers({ windowSeconds: 10, by: 'bytes', maxFlows: 3, clock: clock.now });
  tt.addKeyed('a', 1000, 1);
  tt.addKeyed('b', 10, 1);
  tt.addKeyed('c', 10, 1);
  tt.addKeyed('a', 1, 1); // a is now the most recent; b is the least recent
  tt.addKeyed('d', 5, 1);
  assert.deepEqual(tt.top(10).map((r) => r.key).sort(), ['a', 'c', 'd']);
  assert.equal(tt.stats().evictions, 1);
  tt.addKeyed('b', 1, 1); // b comes back as a new flow and evicts c
  assert.deepEqual(tt.top(10).map((r) => [r.key, r.bytes]).sort(), [['a', 1001], ['b', 1], ['d', 5]]);
  assert.equal(tt.stats().evictions, 2);
  assert.equal(tt.stats().flows, 3);
});

test('window expiry: a flow that stopped falls out, one that goes on stays with only its recent traffic', () => {
  const clock = manualClock();
  // 8 s window in 4 epochs of 2 s.
  const tt = new TopTalkers({ windowSeconds: 8, by: 'bytes', maxFlows: 10, clock: clock.now });
  tt.addKeyed('stopped', 5000, 1);
  tt.addKeyed('steady', 1000, 1);
  for (let s = 1; s <= 7; s++) { clock.advance(1000); tt.addKeyed('steady', 1000, 1); }
  // t = 7 s: epochs 0..3 are in the window, everything is still there.
  assert.deepEqual(tt.top(5).map((r) => [r.key, r.bytes]), [['steady', 8000], ['stopped', 5000]]);
  clock.advance(1000); // t = 8 s: epoch 4 begins, epoch 0 (t 0..2 s) leaves the window
  const rows = tt.top(5);
  assert.deepEqual(rows.map((r) => [r.key, r.bytes, r.samples]), [['steady', 6000, 6]]);
  assert.equal(tt.stats().expirations, 1);
  assert.equal(tt.stats().flows, 1);
  clock.advance(60_000); // long silence: everything leaves
  assert.deepEqual(tt.top(5), []);
  assert.equal(tt.stats().flows, 0);
  assert.deepEqual(tt.totals().bytes, 0);
});

test('bidirectional merge: A→B and B→A records count as one flow', () => {
  const clock = manualClock();
  const tt = new TopTalkers({ windowSeconds: 10, by: 'bytes', maxFlows: 10, clock: clock.now });
  tt.add(record('203.0.113.0', 60087, '203.0.113.252', 8888, 17, 1000, 10));
  tt.add(record('203.0.113.252', 8888, '203.0.113.0', 60087, 17, 100, 10));
  const rows = tt.top(10);
  assert.equal(rows.length, 1);
  assert.deepEqual([rows[0]!.a, rows[0]!.b, rows[0]!.proto], [{ addr: '203.0.113.0', port: 60087 }, { addr: '203.0.113.252', port: 8888 }, 17]);
  assert.equal(rows[0]!.bytes, 11_000);
  assert.equal(rows[0]!.packets, 20);
  assert.equal(rows[0]!.samples, 2);
});

test('the protocol separates flows: UDP 53 and TCP 53 between the same hosts are two rows', () => {
  const clock = manualClock();
  const tt = new TopTalkers({ windowSeconds: 10, by: 'samples', maxFlows: 10, clock: clock.now });
  tt.add(record('198.51.100.1', 40000, '198.51.100.2', 53, 17));
  tt.add(record('198.51.100.2', 53, '198.51.100.1', 40000, 6));
  tt.add(record('198.51.100.1', 0, '198.51.100.2', 0, 1));
  const rows = tt.top(10);
  assert.deepEqual(rows.map((r) => r.proto).sort((x, y) => x - y), [1, 6, 17]);
});

test('rates and shares: estimated bit/s over the time the window covers, share of all traffic in it', () => {
  const clock = manualClock();
  const tt = new TopTalkers({ windowSeconds: 10, by: 'bytes', maxFlows: 10, clock: clock.now });
  // 10 s of traffic: flow x at 900 kbit/s, y at 600 kbit/s, z at 400 kbit/s (the book's profile),
  // one sample every 100 ms per flow with sampling rate 10.
  const flows = [['198.51.100.253', 900_000], ['198.51.100.252', 600_000], ['198.51.100.251', 400_000]] as const;
  for (let step = 0; step < 100; step++) {
    for (const [dst, bps] of flows) {
      const bytesPer100ms = bps / 8 / 10;
      tt.add(record('198.51.100.1', 5201, dst, 40000, 17, bytesPer100ms / 10, 10));
    }
    clock.advance(100);
  }
  // Now t = 10 s: epoch 4 (of 2.5 s) has just begun and epoch 0 has left, so the window covers
  // t = 2.5 .. 10 s: 7.5 s of traffic over a 7.5 s span.
  const rows = tt.top(3);
  assert.deepEqual(rows.map((r) => r.b.addr), ['198.51.100.253', '198.51.100.252', '198.51.100.251']);
  for (const [i, [, bps]] of flows.entries()) {
    assert.ok(Math.abs(rows[i]!.bitsPerSecond - bps) / bps < 0.001, `row ${i}: ${rows[i]!.bitsPerSecond} vs ${bps}`);
    assert.ok(Math.abs(rows[i]!.share - bps / 1_900_000) < 1e-9);
  }
  const totals = tt.totals();
  assert.equal(totals.spanMs, 7500);
  assert.equal(rows.reduce((s, r) => s + r.share, 0).toFixed(9), '1.000000000');
});

test('share counts evicted traffic in the total: it happened even if the flow is no longer tracked', () => {
  const clock = manualClock();
  const tt = new TopTalkers({ windowSeconds: 10, by: 'bytes', maxFlows: 1, clock: clock.now });
  tt.addKeyed('gone', 300, 1);
  tt.addKeyed('kept', 100, 1);
  const rows = tt.top(5);
  assert.deepEqual(rows.map((r) => [r.key, r.share]), [['kept', 0.25]]);
});

test('a clock that steps back does not break the window', () => {
  const clock = manualClock();
  const tt = new TopTalkers({ windowSeconds: 4, by: 'bytes', maxFlows: 10, clock: clock.now });
  tt.addKeyed('a', 1, 1);
  clock.advance(3000);
  tt.addKeyed('a', 1, 1);
  clock.advance(-2500);
  tt.addKeyed('a', 1, 1);
  assert.equal(tt.top(1)[0]!.bytes, 3);
});

test('an unbounded window (offline final ranking) never expires; rates are over the time since startMs', () => {
  const clock = manualClock(1_700_000_000_000); // a capture's clock, in ms
  const tt = new TopTalkers({ windowSeconds: Infinity, by: 'bytes', maxFlows: 10, clock: clock.now, startMs: 1_700_000_000_000 });
  tt.addKeyed('early', 1_000_000, 1);
  clock.advance(3_600_000);
  tt.addKeyed('late', 500_000, 1);
  const rows = tt.top(5);
  assert.deepEqual(rows.map((r) => r.key), ['early', 'late']);
  assert.equal(tt.totals().spanMs, 3_600_000);
  assert.equal(rows[0]!.bitsPerSecond, (1_000_000 * 8) / 3600);
  assert.equal(tt.stats().expirations, 0);
});

test('options are checked', () => {
  const clock = manualClock();
  assert.throws(() => new TopTalkers({ windowSeconds: 0, by: 'bytes', maxFlows: 1, clock: clock.now }), /window/);
  assert.throws(() => new TopTalkers({ windowSeconds: 1, by: 'bytes', maxFlows: 0, clock: clock.now }), /maxFlows/);
  assert.throws(() => new TopTalkers({ windowSeconds: 1, by: 'bytes', maxFlows: 1, buckets: 0, clock: clock.now }), /buckets/);
});

/**
 * The obvious model, recomputed from scratch on every query: every record kept with its epoch;
 * a flow's value is the sum of its records in the last `buckets` epochs; flows with nothing in the
 * window are dropped; at maxFlows the flow whose last record is oldest is dropped (with its history).
 */
class NaiveTalkers {
  private readonly flows = new Map<string, { created: number; lastSeen: number; recs: { epoch: number; bytes: number; packets: number }[] }>();
  private seq = 0;
  evictions = 0;
  constructor(private readonly by: RankBy, private readonly maxFlows: number, private readonly buckets: number) {}

  private expire(epoch: number): void {
    for (const [k, f] of this.flows) {
      f.recs = f.recs.filter((r) => r.epoch > epoch - this.buckets);
      if (f.recs.length === 0) this.flows.delete(k);
    }
  }

  add(key: string, bytes: number, packets: number, epoch: number): void {
    this.expire(epoch);
    let f = this.flows.get(key);
    if (!f) {
      if (this.flows.size >= this.maxFlows) {
        let oldest: string | undefined;
        let at = Infinity;
        for (const [k, g] of this.flows) if (g.lastSeen < at) { at = g.lastSeen; oldest = k; }
        this.flows.delete(oldest!);
        this.evictions++;
      }
      f = { created: this.seq, lastSeen: this.seq, recs: [] };
      this.flows.set(key, f);
    }
    f.lastSeen = this.seq++;
    f.recs.push({ epoch, bytes, packets });
  }

  top(n: number, epoch: number): [string, number][] {
    this.expire(epoch);
    const value = (f: { recs: { bytes: number; packets: number }[] }): number =>
      f.recs.reduce((s, r) => s + (this.by === 'bytes' ? r.bytes : this.by === 'packets' ? r.packets : 1), 0);
    return [...this.flows.entries()]
      .map(([k, f]) => ({ k, v: value(f), c: f.created }))
      .sort((x, y) => y.v - x.v || x.c - y.c)
      .slice(0, n)
      .map(({ k, v }) => [k, v]);
  }
}

for (const by of ['bytes', 'packets', 'samples'] as const) {
  test(`10,000 random operations: top(n) by ${by} equals a full sort of the naive model`, () => {
    let seed = by.length * 7919;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed % n;
    };
    const clock = manualClock(5_000);
    const windowSeconds = 6;
    const buckets = 3;
    const epochMs = (windowSeconds * 1000) / buckets;
    const maxFlows = 40;
    const tt = new TopTalkers({ windowSeconds, by, maxFlows, buckets, clock: clock.now });
    const naive = new NaiveTalkers(by, maxFlows, buckets);
    const epoch = (): number => Math.floor((clock.now() - 5_000) / epochMs);
    let checks = 0;
    for (let op = 0; op < 10_000; op++) {
      const r = rnd(100);
      if (r < 80) {
        // Skewed keys so that some flows are heavy, many are light, and eviction happens.
        const k = rnd(4) === 0 ? rnd(8) : rnd(120);
        const src = `198.51.100.${k}`;
        const forward = rnd(2) === 0;
        const key = bidirectionalKey(forward ? src : '203.0.113.9', forward ? 1000 + k : 80, forward ? '203.0.113.9' : src, forward ? 80 : 1000 + k, 6);
        const bytes = 64 + rnd(1500);
        const packets = 1 + rnd(10);
        tt.addKeyed(key, bytes, packets);
        naive.add(key, bytes, packets, epoch());
      } else if (r < 95) {
        clock.advance(rnd(4) === 0 ? rnd(3 * epochMs) : rnd(200));
      } else {
        const n = 1 + rnd(15);
        const got = tt.top(n).map((row) => [row.key, by === 'bytes' ? row.bytes : by === 'packets' ? row.packets : row.samples]);
        assert.deepEqual(got, naive.top(n, epoch()), `op ${op}`);
        checks++;
      }
    }
    assert.deepEqual(tt.top(maxFlows).map((row) => row.key), naive.top(maxFlows, epoch()).map(([k]) => k));
    assert.equal(tt.stats().evictions, naive.evictions);
    assert.ok(checks > 300 && naive.evictions > 50, `exercised: ${checks} checks, ${naive.evictions} evictions`);
  });
}
