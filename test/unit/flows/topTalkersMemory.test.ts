import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TopTalkers } from '../../../src/flows/topTalkers';
import { bidirectionalKey } from '../../../src/flows/flowKey';

// A real collection, not an estimate: expose V8's gc for this process (same as --expose-gc).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Bytes held: the JS heap plus typed-array backing stores (which live outside it). */
function held(): number {
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const FLOWS = 1_000_000;

/** Bytes per tracked flow with FLOWS distinct flows in the window. */
function measure(addressOf: (i: number) => string): number {
  const before = held();
  const tt = new TopTalkers({ windowSeconds: 10, by: 'bytes', maxFlows: FLOWS, clock: () => 0 });
  for (let i = 0; i < FLOWS; i++) {
    tt.addKeyed(bidirectionalKey(addressOf(i), 1024 + (i % 50000), '203.0.113.9', 443, 6), 1500, 1);
  }
  const after = held();
  assert.equal(tt.stats().flows, FLOWS);
  assert.equal(tt.stats().evictions, 0);
  assert.equal(tt.top(1)[0]!.bytes, 1500); // keeps tt alive until after the measurement
  return (after - before) / FLOWS;
}

test(`memory: at most 200 bytes per tracked IPv4 flow with ${FLOWS.toLocaleString('en')} flows`, (t) => {
  const perFlow = measure((i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  t.diagnostic(`IPv4: ${perFlow.toFixed(1)} bytes per tracked flow (heapUsed + arrayBuffers, after gc)`);
  assert.ok(perFlow <= 200, `${perFlow.toFixed(1)} bytes per flow`);
});

// An IPv6 key is 20 words instead of 8: besides its slot it takes a 40-byte chunk of the long-key pool
// (flowTable.ts), so its budget is 24 bytes more.
test(`memory: at most 224 bytes per tracked IPv6 flow (20-char keys) with ${FLOWS.toLocaleString('en')} flows`, (t) => {
  const perFlow = measure((i) => `2001:db8::${((i >> 16) & 0xffff).toString(16)}:${(i & 0xffff).toString(16)}`);
  t.diagnostic(`IPv6: ${perFlow.toFixed(1)} bytes per tracked flow (heapUsed + arrayBuffers, after gc)`);
  assert.ok(perFlow <= 224, `${perFlow.toFixed(1)} bytes per flow`);
});
