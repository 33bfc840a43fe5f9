// The packet decoder on damaged input: every frame of the lab's sampled link (lab-r3-eth1.pcap) and of the corpus's varied-145.pcap (when present) with bits flipped,
// bytes replaced and lengths cut, 20,000 inputs from a fixed seed. decodeFrame returns a packet or throws
// DecodeError, nothing else; every layer's byte range lies within the bytes it was given; it never reads
// outside them (the frame is decoded from a window of a larger buffer whose outside bytes are poison).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { capturePath, corpusPath, corpusSkip } from '../../helpers/corpus';
import { parseCapture } from '../../../src/protocols/capture';
import { DecodeError } from '../../../src/protocols/decodeError';
import { decodeFrame } from '../../../src/protocols/packet';

/** xorshift32: a fixed, reproducible sequence. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

test('20,000 mutated frames (the lab\'s, and the corpus\'s when present): a packet or a DecodeError, layers inside the window, nothing read outside it', () => {
  // The lab's sampled link, and the third-party varied frames when the corpus is there (always under CI).
  const files = [capturePath('lab-r3-eth1.pcap'), ...(corpusSkip ? [] : [corpusPath('bpf', 'varied-145.pcap')])];
  const frames = files.flatMap((f) => [...parseCapture(readFileSync(f))]);
  const next = rng(0x1abe1);
  const counts = { decoded: 0, truncated: 0, errors: 0 };
  const pad = 64;
  for (let i = 0; i < 20_000; i++) {
    const frame = frames[next() % frames.length]!;
    const window = new Uint8Array(frame.data.length + 2 * pad);
    window.set(frame.data, pad);
    const flips = next() % 6;
    for (let f = 0; f < flips; f++) {
      const at = pad + (next() % Math.max(1, frame.data.length));
      if (next() & 1) window[at]! ^= 1 << (next() % 8);
      else window[at] = next() & 0xff;
    }
    const end = pad + (next() % 3 === 0 ? next() % (frame.data.length + 1) : frame.data.length);
    // Poison outside [pad, end): a decoder reading there would see bytes that change what it decodes.
    const poisoned = window.slice();
    poisoned.fill(0x45, 0, pad);
    poisoned.fill(0x45, end);
    let result: string;
    try {
      const p = decodeFrame(window, 1, pad, end);
      for (const l of p.layers) assert.ok(l.start >= pad && l.start <= l.end && l.end <= end, `input ${i}: ${l.kind} [${l.start}, ${l.end}) outside [${pad}, ${end})`);
      assert.ok(p.payloadStart >= pad && p.payloadStart <= p.payloadEnd && p.payloadEnd <= end, `input ${i}: payload range`);
      result = JSON.stringify(p);
      counts.decoded++;
      if (p.truncated) counts.truncated++;
    } catch (err) {
      if (!(err instanceof DecodeError)) throw new Error(`input ${i}: threw ${String(err)}`, { cause: err });
      assert.ok(err.offset >= pad && err.offset <= end, `input ${i}: error offset ${err.offset} outside [${pad}, ${end})`);
      result = `error ${err.message}`;
      counts.errors++;
    }
    let again: string;
    try {
      again = JSON.stringify(decodeFrame(poisoned, 1, pad, end));
    } catch (err) {
      again = `error ${(err as Error).message}`;
    }
    assert.equal(again, result, `input ${i}: the bytes outside the window changed the result`);
  }
  assert.ok(counts.decoded > 10_000 && counts.truncated > 1000 && counts.errors > 50, JSON.stringify(counts));
});
