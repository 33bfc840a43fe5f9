/**
 * Quick fuzz run in `npm test` (the long one is `npm run fuzz`, test/fuzz/run.ts): 10,000 mutated corpus
 * datagrams — bits flipped, cut short, length fields inflated, words overwritten, regions repeated, from a
 * seeded PRNG — each decoded completely from a window of a larger buffer. The decoder returns a result or
 * throws DecodeError, nothing else; never takes long; and never reads outside its input (changing the bytes
 * around the window does not change the result).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkWindowed, corpusSeeds, hexOf, mutate, prng, type Outcome } from '../../../fuzz/sflowMutator';

describe('sFlow decoder fuzz (quick)', () => {
  it('10,000 mutated corpus datagrams: a result or a DecodeError, bounded time, no reads outside the input', () => {
    const rand = prng(0x5f10);
    const seeds = corpusSeeds();
    const outcomes: Record<Outcome, number> = { decoded: 0, 'decoded-with-errors': 0, 'decode-error': 0 };
    let slowest = 0;
    for (let i = 0; i < 10_000; i++) {
      const { input, kind } = mutate(rand, seeds);
      const t0 = performance.now();
      try {
        outcomes[checkWindowed(rand, input)]++;
      } catch (e) {
        assert.fail(`input ${i} (${kind}): ${(e as Error).message}\n${hexOf(input)}`);
      }
      slowest = Math.max(slowest, performance.now() - t0);
    }
    // Every outcome is exercised, and no input took long (a hang or a runaway loop would; the bound leaves
    // room for a GC pause on a busy machine).
    for (const [k, v] of Object.entries(outcomes)) assert.ok(v > 100, `${k}: ${v}`);
    assert.ok(slowest < 2000, `slowest input took ${slowest.toFixed(1)} ms`);
  });
});
