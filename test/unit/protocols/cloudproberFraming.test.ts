import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudproberFrameReader, encodeFrame } from '../../../src/protocols/cloudprober/framing';

const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

/** Bodies of every size class, some containing newlines and header-looking text. */
const bodies = [
  '', 'a', 'abc', '\n', '\n\n', '\nContent-Length: 5\n\n', 'x'.repeat(127), 'y'.repeat(128), '\u00ff'.repeat(5000),
].map(bytes);

function feed(reader: CloudproberFrameReader, stream: Uint8Array, chunkSizes: () => number): string[] {
  const out: string[] = [];
  for (let at = 0; at < stream.length;) {
    const n = Math.min(stream.length - at, Math.max(1, chunkSizes()));
    // A fresh copy per chunk, so that a body kept as a view of an old chunk would show up corrupted.
    const chunk = Uint8Array.from(stream.subarray(at, at + n));
    for (const body of reader.push(chunk)) out.push(text(body));
    chunk.fill(0x21);
    at += n;
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

test('a frame is "\\nContent-Length: N\\n\\n" then the N bytes, as serverutils.WriteMessage writes it', () => {
  assert.equal(text(encodeFrame(bytes('abc'))), '\nContent-Length: 3\n\nabc');
  assert.equal(text(encodeFrame(new Uint8Array(0))), '\nContent-Length: 0\n\n');
});

const chunkings: { name: string; sizes: () => number }[] = [
  { name: 'the whole stream in one chunk (coalesced frames)', sizes: () => 1 << 30 },
  { name: 'one byte at a time', sizes: () => 1 },
  { name: 'random chunks of 1..40 bytes', sizes: (() => { let s = 1; return () => 1 + ((s = (Math.imul(s, 48271) + 11) >>> 0) % 40); })() },
  { name: 'chunks of 7 bytes (headers split anywhere)', sizes: () => 7 },
];

for (const c of chunkings) {
  test(`frames come out whole and in order: ${c.name}`, () => {
    const reader = new CloudproberFrameReader();
    const stream = concat([...bodies, ...bodies].map(encodeFrame));
    assert.deepEqual(feed(reader, stream, c.sizes), [...bodies, ...bodies].map(text));
    assert.equal(reader.garbage, 0);
    assert.equal(reader.frames, bodies.length * 2);
    assert.ok(reader.idle);
  });
}

test('a body lying whole in one chunk is a view of the chunk, not a copy', () => {
  const chunk = encodeFrame(bytes('hello'));
  const [body] = new CloudproberFrameReader().push(chunk);
  assert.equal(body!.buffer, chunk.buffer);
  assert.equal(text(body!), 'hello');
});

const garbageCases: { name: string; between: string; garbage: number }[] = [
  { name: 'a stray line', between: 'hello\n', garbage: 1 },
  { name: 'two stray lines', between: 'log line 1\nlog line 2\n', garbage: 2 },
  { name: 'text with no newline of its own (ends at the next frame\'s leading newline)', between: 'oops', garbage: 1 },
  { name: 'a header with a non-numeric length', between: '\nContent-Length: abc\n\n', garbage: 1 },
  { name: 'a header with a negative length', between: '\nContent-Length: -1\n\n', garbage: 1 },
  { name: 'a header with no length', between: '\nContent-Length: \n\n', garbage: 1 },
  { name: 'a header with CRLF (Cloudprober does not accept "\\r")', between: '\nContent-Length: 1\r\n\r\n', garbage: 2 },
  { name: 'a header not followed by a blank line (its frame is lost)', between: '\nContent-Length: 3\nabc\n', garbage: 2 },
  { name: 'a header over the size limit', between: '\nContent-Length: 99999999999\n\n', garbage: 1 },
  { name: 'an overlong line (100 kB without a newline)', between: 'z'.repeat(100_000) + '\n', garbage: 1 },
  { name: 'binary noise with newlines', between: '\u0000\u00ff\u0001\n\u0002\u0003\n', garbage: 2 },
];

for (const c of garbageCases) {
  test(`garbage between frames is counted and skipped, the next frame still read: ${c.name}`, () => {
    for (const sizes of [() => 1 << 30, () => 1, () => 3]) {
      const reader = new CloudproberFrameReader();
      const stream = concat([encodeFrame(bytes('one')), bytes(c.between), encodeFrame(bytes('two')), encodeFrame(bytes('three'))]);
      assert.deepEqual(feed(reader, stream, sizes), ['one', 'two', 'three']);
      assert.equal(reader.garbage, c.garbage);
    }
  });
}

test('a header of a smaller maxFrameBytes is refused and the reader resynchronises', () => {
  const reader = new CloudproberFrameReader({ maxFrameBytes: 4 });
  const stream = concat([encodeFrame(bytes('12345')), encodeFrame(bytes('1234'))]);
  // The refused frame's body "12345" is then read as a line too: garbage twice, then the next frame.
  assert.deepEqual(feed(reader, stream, () => 1 << 30), ['1234']);
  assert.equal(reader.garbage, 2);
});

test('random bytes never make the reader throw, and it reads a frame afterwards', () => {
  let seed = 99;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  const reader = new CloudproberFrameReader({ maxFrameBytes: 1024 });
  for (let i = 0; i < 2000; i++) reader.push(Uint8Array.from({ length: rnd() }, () => (rnd() % 4 === 0 ? 0x0a : rnd())));
  // Whatever state the noise left, a few newlines and the declared body of any pending header
  // (at most maxFrameBytes) flush it, and the following frame is read whole.
  reader.push(bytes('\n'.repeat(1025 + 3)));
  assert.deepEqual(reader.push(encodeFrame(bytes('after the noise'))).map(text), ['after the noise']);
});
