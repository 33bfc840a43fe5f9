// A seeded generator for tests that draw random inputs (fuzzed datagrams, random BPF programs and filter
// expressions): the same seed gives the same draws on every run, so a failure repeats.

/** mulberry32: a small, fast, seeded PRNG; each call gives a 32-bit unsigned integer. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** mulberry32's draws as numbers uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}
