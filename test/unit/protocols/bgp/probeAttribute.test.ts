import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyProbeStamp, decodeProbe, encodeProbe, isProbeRequestFrom, PROBE_MAGIC, BOOK_PROBE_LENGTH, type Probe } from '../../../../src/protocols/bgp';
import { hex } from './malformedCases';

// The book's layout (ch10/bgp-ping/main.go): source 0–14, destination 15–29, NUL-padded ASCII,
// big-endian uint64 Unix seconds at 30–37, zero to 45.
const bookRequest = hex(`
  686f73742d32 000000000000000000
  000000000000000000000000000000
  000000006553f100
  0000000000000000`);
const bookReply = hex(`
  686f73742d32 000000000000000000
  686f73742d31 000000000000000000
  000000006553f100
  0000000000000000`);

test('book layout is 46 octets', () => {
  assert.equal(bookRequest.length, BOOK_PROBE_LENGTH);
  assert.equal(bookReply.length, BOOK_PROBE_LENGTH);
});

const cases: { name: string; bytes: Uint8Array; probe: Probe }[] = [
  { name: 'book request (destination empty)', bytes: bookRequest,
    probe: { layout: 'book', source: 'host-2', destination: '', timestampNs: 1700000000n * 1_000_000_000n, sequence: 0n } },
  { name: 'book reply (destination set by the responder)', bytes: bookReply,
    probe: { layout: 'book', source: 'host-2', destination: 'host-1', timestampNs: 1700000000n * 1_000_000_000n, sequence: 0n } },
  { name: 'v1 request', bytes: hex('b7 01 0000 0000000000000007 17979cfe362a0001 06 686f73742d32 00'),
    probe: { layout: 'v1', source: 'host-2', destination: '', timestampNs: 0x17979cfe362a0001n, sequence: 7n } },
  { name: 'v1 reply', bytes: hex('b7 01 0000 ffffffffffffffff 17979cfe362a0001 06 686f73742d32 06 686f73742d31'),
    probe: { layout: 'v1', source: 'host-2', destination: 'host-1', timestampNs: 0x17979cfe362a0001n, sequence: 0xffffffffffffffffn } },
  { name: 'v1 reply with ids beyond ASCII (UTF-8)', bytes: hex('b7 01 0000 0000000000000002 0000000000000003 07 68c3b474652d32 06 e7bd91e585b3'),
    probe: { layout: 'v1', source: 'hôte-2', destination: '网关', timestampNs: 3n, sequence: 2n } },
];

for (const c of cases) {
  test(`probe attribute, ${c.name}: decodes and encodes back`, () => {
    assert.deepEqual(decodeProbe(c.bytes, 0, c.bytes.length), c.probe);
    assert.deepEqual(encodeProbe(c.probe), c.bytes);
  });
}

test('the book timestamp keeps whole seconds only', () => {
  const bytes = encodeProbe({ layout: 'book', source: 'a', destination: '', timestampNs: 1_700_000_000_999_999_999n, sequence: 0n });
  assert.equal(decodeProbe(bytes, 0, bytes.length).timestampNs, 1_700_000_000_000_000_000n);
});

test('a book probe never starts with the v1 magic (its source id is ASCII)', () => {
  assert.ok(PROBE_MAGIC > 0x7f);
  assert.throws(() => encodeProbe({ layout: 'book', source: '\u00b7x', destination: '', timestampNs: 0n, sequence: 0n }), RangeError);
  assert.throws(() => encodeProbe({ layout: 'book', source: 'a-name-over-15-chars', destination: '', timestampNs: 0n, sequence: 0n }), RangeError);
});

const bad: { name: string; bytes: string }[] = [
  { name: 'neither layout (45 octets, no magic)', bytes: '68'.repeat(45) },
  { name: 'v1 with an unknown version', bytes: 'b7 02 0000 0000000000000001 0000000000000001 01 61 00' },
  { name: 'v1 cut inside the source id', bytes: 'b7 01 0000 0000000000000001 0000000000000001 05 6162' },
  { name: 'v1 with bytes after the destination id', bytes: 'b7 01 0000 0000000000000001 0000000000000001 01 61 00 ff' },
  { name: 'v1 with an id that is not UTF-8', bytes: 'b7 01 0000 0000000000000001 0000000000000001 01 ff 00' },
  { name: 'empty value', bytes: '' },
];
for (const b of bad) {
  test(`probe attribute ${b.name} is a DecodeError`, () => {
    const bytes = hex(b.bytes);
    assert.throws(() => decodeProbe(bytes, 0, bytes.length), (e: unknown) => e instanceof Error && e.name === 'DecodeError');
  });
}

test('a probe is read in place inside a larger buffer', () => {
  const inner = cases[3]!.bytes;
  const buf = new Uint8Array(inner.length + 10);
  buf.set(inner, 5);
  assert.deepEqual(decodeProbe(buf, 5, 5 + inner.length), cases[3]!.probe);
});

// isProbeRequestFrom answers from the octets alone what decodeProbe says: a request of that layout from
// that source. Checked against decodeProbe on every value above, for each (layout, source) asked about.
const askedAbout: Array<[Probe['layout'], string]> = [['v1', 'host-2'], ['book', 'host-2'], ['v1', 'host-1'], ['book', 'host-1'], ['v1', 'host'], ['book', 'host'], ['v1', 'hôte-2'], ['v1', 'a'], ['book', 'a'], ['v1', 'host-22']];
const values = [
  ...cases.map((k) => ({ name: k.name, bytes: k.bytes })),
  ...bad.map((b) => ({ name: b.name, bytes: hex(b.bytes) })),
  { name: 'v1 request from a UTF-8 id', bytes: encodeProbe({ layout: 'v1', source: 'hôte-2', destination: '', timestampNs: 1n, sequence: 1n }) },
  { name: 'book request from a 15-character id (no NUL after it)', bytes: encodeProbe({ layout: 'book', source: 'host-2-fifteen!', destination: '', timestampNs: 0n, sequence: 0n }) },
  { name: 'v1 request with a destination length but no id', bytes: hex('b7 01 0000 0000000000000001 0000000000000001 01 61 01') },
];
for (const c of values) {
  test(`isProbeRequestFrom, ${c.name}: true exactly when decodeProbe reads a request of that layout from that source`, () => {
    let probe: Probe | undefined;
    try { probe = decodeProbe(c.bytes, 0, c.bytes.length); } catch { probe = undefined; }
    for (const [layout, source] of [...askedAbout, ...(probe ? [[probe.layout, probe.source] as [Probe['layout'], string]] : [])]) {
      const expected = probe !== undefined && probe.destination === '' && probe.layout === layout && probe.source === source;
      const id = new TextEncoder().encode(source);
      assert.equal(isProbeRequestFrom(c.bytes, 0, c.bytes.length, layout, id), expected, `${layout} from "${source}"`);
      // In place, inside a larger buffer, as a responder reads it inside an UPDATE.
      const buf = new Uint8Array(c.bytes.length + 7).fill(0xee);
      buf.set(c.bytes, 3);
      assert.equal(isProbeRequestFrom(buf, 3, 3 + c.bytes.length, layout, id), expected, `${layout} from "${source}", in place`);
    }
  });
}

test('isProbeRequestFrom: the table above holds requests that match, so it is not only ever false', () => {
  const hits = values.filter((c) => askedAbout.some(([layout, source]) => isProbeRequestFrom(c.bytes, 0, c.bytes.length, layout, new TextEncoder().encode(source))));
  assert.deepEqual(hits.map((c) => c.name), ['book request (destination empty)', 'v1 request', 'v1 request from a UTF-8 id']);
});

for (const layout of ['v1', 'book'] as const) {
  test(`copyProbeStamp: a ${layout} stamp read from inside a larger buffer lands octet for octet`, () => {
    const request: Probe = { layout, source: 'host-2', destination: '', timestampNs: 1_700_000_001_000_000_000n, sequence: layout === 'v1' ? 99n : 0n };
    const reply: Probe = { ...request, destination: 'host-1' };
    const inside = new Uint8Array(200).fill(0xaa);
    inside.set(encodeProbe(request), 40);
    const out = encodeProbe({ ...reply, timestampNs: 0n, sequence: 0n });
    copyProbeStamp(out, 0, inside, layout, 40);
    assert.deepEqual(decodeProbe(out, 0, out.length), reply);
  });
}
