/**
 * Mutated sFlow datagrams for fuzzing the decoder: corpus datagrams with bits flipped, cut short, length and
 * count fields inflated, words overwritten, regions repeated — all from a seeded PRNG so a failure replays.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { DecodeError } from '../../src/protocols/decodeError';
import { decodeDatagram } from '../../src/protocols/sflow';
import { capturesDir, corpusPath, corpusSkip } from '../helpers/corpus';
import { mulberry32 } from '../helpers/seededRandom';
import { corpusDatagrams } from '../unit/protocols/sflow/corpus';

/** The fuzzer's seeded draws (32-bit unsigned integers). */
export const prng = mulberry32;

/**
 * The UDP payloads of the project's own sFlow captures (test/fixtures/captures, the damaged files aside) and
 * of every third-party corpus capture (sflow/ and sflow-edge/) when present, copied out of their captures.
 */
export function corpusSeeds(): Uint8Array[] {
  const seeds: Uint8Array[] = [];
  const dirs = [capturesDir, ...(corpusSkip ? [] : [corpusPath('sflow'), corpusPath('sflow-edge')])];
  for (const dir of dirs) {
    for (const name of readdirSync(dir).filter((f) => /\.pcap(ng)?$/.test(f) && !/truncated|corrupt|r3-eth1/.test(f)).sort()) {
      // A copy as a plain Uint8Array: the capture's bytes are a Buffer, whose slice() is a view, not a copy,
      // and the mutators below rely on slice() copying.
      for (const d of corpusDatagrams(path.join(dir, name))) seeds.push(new Uint8Array(d.data.subarray(d.start, d.end)));
    }
  }
  return seeds;
}

export const MUTATIONS = ['flip-bits', 'truncate', 'inflate-length', 'overwrite-word', 'repeat-region', 'several'] as const;
export type Mutation = (typeof MUTATIONS)[number];

function mutateOnce(rand: () => number, input: Uint8Array, kind: Mutation): Uint8Array {
  const n = input.length;
  switch (kind) {
    case 'flip-bits': {
      const out = input.slice();
      const flips = 1 + (rand() % 8);
      for (let i = 0; i < flips && n > 0; i++) out[rand() % n] ^= 1 << (rand() % 8);
      return out;
    }
    case 'truncate':
      return input.slice(0, n === 0 ? 0 : rand() % n);
    case 'inflate-length': {
      // A 4-aligned word (every sFlow length and count is one) made larger: a little, a lot, or to the top.
      const out = input.slice();
      if (n < 4) return out;
      const o = (rand() % (n >>> 2)) * 4;
      const v = ((out[o] << 24) | (out[o + 1] << 16) | (out[o + 2] << 8) | out[o + 3]) >>> 0;
      const choice = rand() % 4;
      const inflated = choice === 0 ? v + 4 * (1 + (rand() % 16)) : choice === 1 ? v + 1 : choice === 2 ? 0x7fffffff + (rand() % 4) : 0xffffffff;
      out[o] = inflated >>> 24;
      out[o + 1] = inflated >>> 16;
      out[o + 2] = inflated >>> 8;
      out[o + 3] = inflated;
      return out;
    }
    case 'overwrite-word': {
      const out = input.slice();
      if (n < 4) return out;
      const o = (rand() % (n >>> 2)) * 4;
      const v = rand();
      out[o] = v >>> 24;
      out[o + 1] = v >>> 16;
      out[o + 2] = v >>> 8;
      out[o + 3] = v;
      return out;
    }
    case 'repeat-region': {
      if (n < 8) return input.slice();
      const a = (rand() % (n >>> 2)) * 4;
      const len = Math.min(n - a, 4 * (1 + (rand() % 32)));
      const at = (rand() % (n >>> 2)) * 4;
      const out = new Uint8Array(n + len);
      out.set(input.subarray(0, at), 0);
      out.set(input.subarray(a, a + len), at);
      out.set(input.subarray(at), at + len);
      return out;
    }
    case 'several': {
      let out = input;
      const k = 2 + (rand() % 3);
      for (let i = 0; i < k; i++) out = mutateOnce(rand, out, MUTATIONS[rand() % (MUTATIONS.length - 1)]);
      return out;
    }
  }
}

export function mutate(rand: () => number, seeds: Uint8Array[]): { input: Uint8Array; kind: Mutation } {
  const kind = MUTATIONS[rand() % MUTATIONS.length];
  return { input: mutateOnce(rand, seeds[rand() % seeds.length], kind), kind };
}

export type Outcome = 'decoded' | 'decoded-with-errors' | 'decode-error';

/**
 * Decodes the input fully (every sample, every record, every raw header down to L4) and gives a JSON image of
 * everything decoded, or of the DecodeError. Anything else thrown is a bug and propagates, and so is a
 * DecodeError whose offset lies outside the input.
 */
export function decodeImage(buf: Uint8Array, start: number, end: number): { outcome: Outcome; image: string } {
  const inside = (e: DecodeError): void => {
    if (!(e.offset >= start && e.offset <= end)) throw new Error(`DecodeError offset ${e.offset} outside the input [${start}, ${end}): ${e.message}`);
  };
  try {
    const dg = decodeDatagram(buf, start, end);
    for (const e of dg.errors) inside(e);
    return { outcome: dg.errors.length ? 'decoded-with-errors' : 'decoded', image: JSON.stringify(dg) };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    inside(e);
    return { outcome: 'decode-error', image: JSON.stringify({ what: e.what, offset: e.offset, reason: e.reason }) };
  }
}

/**
 * Decodes `input` from a window in the middle of a larger buffer, then again after changing every byte
 * outside the window: a decoder that reads only its input gives the same image both times. Returns the
 * outcome, or throws with the reason.
 */
export function checkWindowed(rand: () => number, input: Uint8Array): Outcome {
  const before = 1 + (rand() % 64);
  const after = 1 + (rand() % 64);
  const big = new Uint8Array(before + input.length + after);
  for (let i = 0; i < big.length; i++) big[i] = rand();
  big.set(input, before);
  const first = decodeImage(big, before, before + input.length);
  for (let i = 0; i < before; i++) big[i] = ~big[i];
  for (let i = before + input.length; i < big.length; i++) big[i] = ~big[i];
  const second = decodeImage(big, before, before + input.length);
  if (first.image !== second.image) throw new Error('the result changed when bytes outside the input changed: the decoder read outside its input');
  return first.outcome;
}

export function hexOf(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}
