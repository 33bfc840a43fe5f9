/**
 * `npm run fuzz`: 1,000,000 mutated sFlow datagrams (or FUZZ_COUNT) through the decoder, seeded (FUZZ_SEED)
 * so a failure replays. Each input is decoded completely (raw headers down to L4) from a window of a larger
 * buffer and again after the bytes around the window change; the result must be the same, and the only
 * exception allowed is DecodeError. Prints the counts per outcome and per mutation.
 */
import { checkWindowed, corpusSeeds, hexOf, mutate, prng, type Mutation, type Outcome } from './sflowMutator';

const count = Number(process.env.FUZZ_COUNT ?? 1_000_000);
const seed = Number(process.env.FUZZ_SEED ?? 20261125);
const rand = prng(seed);
const seeds = corpusSeeds();
const outcomes: Record<Outcome, number> = { decoded: 0, 'decoded-with-errors': 0, 'decode-error': 0 };
const byMutation: Partial<Record<Mutation, number>> = {};
let slowest = 0;
const started = process.hrtime.bigint();
for (let i = 0; i < count; i++) {
  const { input, kind } = mutate(rand, seeds);
  const t0 = process.hrtime.bigint();
  let outcome: Outcome;
  try {
    outcome = checkWindowed(rand, input);
  } catch (e) {
    console.error(`input ${i} (seed ${seed}, ${kind}) failed: ${(e as Error).stack}\n${hexOf(input)}`);
    process.exit(1);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (ms > slowest) slowest = ms;
  outcomes[outcome]++;
  byMutation[kind] = (byMutation[kind] ?? 0) + 1;
  if ((i + 1) % 100_000 === 0) console.log(`${i + 1} inputs…`);
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({ inputs: count, seed, corpusDatagrams: seeds.length, outcomes, byMutation, slowestMs: slowest, seconds }, null, 2));
