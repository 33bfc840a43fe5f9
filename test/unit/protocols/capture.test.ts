// Capture files: pcap (draft-ietf-opsawg-pcap: file header section 4, records section 5; both byte orders,
// micro- and nanosecond magic) and pcapng (draft-ietf-opsawg-pcapng: SHB 4.1, IDB 4.2 with if_tsresol and
// if_tsoffset, EPB 4.3, SPB 4.4, unknown blocks skipped by length), read from bytes written out here and
// from a file as a stream; malformed files are DecodeErrors at their file offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CapturedPacket, parseCapture, readCapture } from '../../../src/protocols/capture';
import { CaptureWriter, encodeCapture } from '../../../src/protocols/captureWriter';
import { DecodeError } from '../../../src/protocols/decodeError';
import { hex } from './frames';

const frame = 'de ad be ef 01';

const pcapCases: Array<{ name: string; bytes: Uint8Array; timestampNs: bigint; linkType: number }> = [
  {
    name: 'little-endian, microseconds (magic d4 c3 b2 a1)',
    bytes: hex(
      'd4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 ff ff 00 00 01 00 00 00',
      '00 5e d0 b2 40 e2 01 00 05 00 00 00 3c 00 00 00', // 3000000000 s, 123456 µs, caplen 5, len 60
      frame,
    ),
    timestampNs: 3_000_000_000_123_456_000n,
    linkType: 1,
  },
  {
    name: 'big-endian, microseconds (magic a1 b2 c3 d4)',
    bytes: hex('a1 b2 c3 d4 00 02 00 04 00 00 00 00 00 00 00 00 00 00 ff ff 00 00 00 65', 'b2 d0 5e 00 00 01 e2 40 00 00 00 05 00 00 00 3c', frame),
    timestampNs: 3_000_000_000_123_456_000n,
    linkType: 101,
  },
  {
    name: 'little-endian, nanoseconds (magic 4d 3c b2 a1)',
    bytes: hex('4d 3c b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 ff ff 00 00 71 00 00 00', '00 5e d0 b2 15 cd 5b 07 05 00 00 00 3c 00 00 00', frame),
    timestampNs: 3_000_000_000_123_456_789n,
    linkType: 113,
  },
  {
    name: 'big-endian, nanoseconds (magic a1 b2 3c 4d), FCS bits above the link type ignored',
    bytes: hex('a1 b2 3c 4d 00 02 00 04 00 00 00 00 00 00 00 00 00 00 ff ff 14 00 01 14', 'b2 d0 5e 00 07 5b cd 15 00 00 00 05 00 00 00 3c', frame),
    timestampNs: 3_000_000_000_123_456_789n,
    linkType: 276,
  },
];

for (const c of pcapCases) {
  test(`pcap ${c.name}: one packet with its timestamp, lengths and link type`, () => {
    const packets = [...parseCapture(c.bytes)];
    assert.equal(packets.length, 1);
    const p = packets[0]!;
    assert.equal(p.timestampNs, c.timestampNs);
    assert.deepEqual([...p.data], [...hex(frame)]);
    assert.equal(p.originalLength, 60);
    assert.equal(p.linkType, c.linkType);
    assert.equal(p.interfaceId, 0);
    assert.equal(p.data.buffer, c.bytes.buffer, 'the packet is a view, not a copy');
  });
}

/** A little-endian pcapng section: SHB, IDB 0 (Ethernet, µs), IDB 1 (raw IP, if_tsresol 9, if_tsoffset 10 s), an NRB, EPBs, an SPB. */
const pcapngLittle = hex(
  '0a 0d 0d 0a 1c 00 00 00 4d 3c 2b 1a 01 00 00 00 ff ff ff ff ff ff ff ff 1c 00 00 00', // SHB, no options
  '01 00 00 00 14 00 00 00 01 00 00 00 00 00 04 00 14 00 00 00', // IDB 0: Ethernet, snaplen 262144
  `01 00 00 00 2c 00 00 00 65 00 00 00 00 00 00 00
   09 00 01 00 09 00 00 00                                        # if_tsresol = 9 (ns)
   0e 00 08 00 0a 00 00 00 00 00 00 00                            # if_tsoffset = 10 s
   00 00 00 00 2c 00 00 00`,
  '04 00 00 00 10 00 00 00 00 00 00 00 10 00 00 00', // Name Resolution Block, empty: skipped
  `06 00 00 00 28 00 00 00 00 00 00 00 00 00 00 00 40 42 0f 00 05 00 00 00 05 00 00 00
   de ad be ef 01 00 00 00 28 00 00 00`, // EPB if 0: 1000000 µs
  `06 00 00 00 24 00 00 00 01 00 00 00 00 00 00 00 15 cd 5b 07 04 00 00 00 40 00 00 00
   45 00 00 40 24 00 00 00`, // EPB if 1: 123456789 ns + 10 s offset, caplen 4 of 64
  '03 00 00 00 14 00 00 00 03 00 00 00 aa bb cc 00 14 00 00 00', // SPB: 3 bytes on interface 0
);

test('pcapng little-endian: interfaces with their link types, if_tsresol and if_tsoffset; NRB skipped; SPB on interface 0', () => {
  const packets = [...parseCapture(pcapngLittle)];
  assert.deepEqual(
    packets.map((p) => [p.interfaceId, p.linkType, p.timestampNs, p.originalLength, [...p.data]]),
    [
      [0, 1, 1_000_000_000n, 5, [0xde, 0xad, 0xbe, 0xef, 0x01]],
      [1, 101, 10_123_456_789n, 64, [0x45, 0x00, 0x00, 0x40]],
      [0, 1, 0n, 3, [0xaa, 0xbb, 0xcc]],
    ],
  );
});

test('pcapng big-endian section with if_tsresol 2^-10 (high bit set) and an obsolete Packet Block', () => {
  const bytes = hex(
    '0a 0d 0d 0a 00 00 00 1c 1a 2b 3c 4d 00 01 00 00 ff ff ff ff ff ff ff ff 00 00 00 1c',
    '00 00 00 01 00 00 00 1c 00 01 00 00 00 00 ff ff 00 09 00 01 8a 00 00 00 00 00 00 1c', // IDB: tsresol 0x8a
    '00 00 00 06 00 00 00 24 00 00 00 00 00 00 00 00 00 00 0c 00 00 00 00 02 00 00 00 02 ab cd 00 00 00 00 00 24', // 3072 ticks = 3 s
    '00 00 00 02 00 00 00 24 00 00 00 00 00 00 00 00 00 00 04 00 00 00 00 01 00 00 00 01 ee 00 00 00 00 00 00 24', // OPB: 1 s
  );
  const packets = [...parseCapture(bytes)];
  assert.deepEqual(
    packets.map((p) => [p.timestampNs, [...p.data]]),
    [
      [3_000_000_000n, [0xab, 0xcd]],
      [1_000_000_000n, [0xee]],
    ],
  );
});

test('a second pcapng section (other byte order) starts a new list of interfaces', () => {
  const little = encodeCapture([{ timestampNs: 5n * 10n ** 9n, data: Uint8Array.of(1) }], { format: 'pcapng', linkType: 101 });
  const big = hex(
    '0a 0d 0d 0a 00 00 00 1c 1a 2b 3c 4d 00 01 00 00 ff ff ff ff ff ff ff ff 00 00 00 1c',
    '00 00 00 01 00 00 00 14 00 e4 00 00 00 00 ff ff 00 00 00 14', // IDB: LINKTYPE_IPV4
    '00 00 00 06 00 00 00 24 00 00 00 00 00 00 00 00 00 00 00 07 00 00 00 01 00 00 00 01 45 00 00 00 00 00 00 24',
  );
  const both = new Uint8Array([...little, ...big]);
  assert.deepEqual(
    [...parseCapture(both)].map((p) => [p.linkType, p.interfaceId, p.timestampNs]),
    [
      [101, 0, 5_000_000_000n],
      [228, 0, 7_000n],
    ],
  );
});

const malformed: Array<{ name: string; bytes: Uint8Array; offset: number }> = [
  { name: 'neither magic', bytes: hex('00 01 02 03 04 05 06 07'), offset: 0 },
  { name: 'pcap version 3', bytes: hex('d4 c3 b2 a1 03 00 04 00 00 00 00 00 00 00 00 00 ff ff 00 00 01 00 00 00'), offset: 4 },
  {
    name: 'pcap file cut inside the second record',
    bytes: hex('d4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 ff ff 00 00 01 00 00 00', '00 00 00 00 00 00 00 00 01 00 00 00 01 00 00 00 aa', '00 00 00 00 00 00 00 00 08 00 00 00'),
    offset: 41,
  },
  {
    name: 'pcap record of 1 GiB',
    bytes: hex('d4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 ff ff 00 00 01 00 00 00', '00 00 00 00 00 00 00 00 00 00 00 40 00 00 00 40'),
    offset: 32,
  },
  { name: 'pcapng block length not a multiple of 4', bytes: hex('0a 0d 0d 0a 1d 00 00 00 4d 3c 2b 1a 01 00 00 00'), offset: 4 },
  { name: 'pcapng byte-order magic wrong', bytes: hex('0a 0d 0d 0a 1c 00 00 00 4d 3c 2b 1b 01 00 00 00 ff ff ff ff ff ff ff ff 1c 00 00 00'), offset: 8 },
  {
    name: 'pcapng trailing length differs',
    bytes: hex('0a 0d 0d 0a 1c 00 00 00 4d 3c 2b 1a 01 00 00 00 ff ff ff ff ff ff ff ff 20 00 00 00'),
    offset: 24,
  },
  {
    name: 'pcapng EPB for an undescribed interface',
    bytes: hex(
      '0a 0d 0d 0a 1c 00 00 00 4d 3c 2b 1a 01 00 00 00 ff ff ff ff ff ff ff ff 1c 00 00 00',
      '06 00 00 00 20 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 20 00 00 00',
    ),
    offset: 36,
  },
  {
    name: 'pcapng EPB captured length past its block',
    bytes: hex(
      '0a 0d 0d 0a 1c 00 00 00 4d 3c 2b 1a 01 00 00 00 ff ff ff ff ff ff ff ff 1c 00 00 00',
      '01 00 00 00 14 00 00 00 01 00 00 00 00 00 04 00 14 00 00 00',
      '06 00 00 00 20 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 09 00 00 00 09 00 00 00 20 00 00 00',
    ),
    offset: 68,
  },
  { name: 'empty file', bytes: new Uint8Array(0), offset: 0 },
];

for (const c of malformed) {
  test(`malformed capture is a DecodeError at file offset ${c.offset}: ${c.name}`, () => {
    assert.throws(
      () => [...parseCapture(c.bytes)],
      (e: unknown) => e instanceof DecodeError && e.offset === c.offset,
    );
  });
}

function packetsForWriting(n: number, size: (i: number) => number): Array<{ timestampNs: bigint; data: Uint8Array; originalLength: number; interfaceId: number; linkType: number }> {
  return Array.from({ length: n }, (_, i) => {
    const data = new Uint8Array(size(i));
    for (let j = 0; j < data.length; j++) data[j] = (i * 31 + j) & 0xff;
    return { timestampNs: 1_700_000_000_000_000_000n + BigInt(i) * 1_234_567n, data, originalLength: data.length + (i % 3), interfaceId: i % 2, linkType: i % 2 ? 101 : 1 };
  });
}

function summary(p: Omit<CapturedPacket, 'fileOffset'>): string {
  return `${p.timestampNs} ${p.interfaceId} ${p.linkType} ${p.originalLength} ${Buffer.from(p.data).toString('base64')}`;
}

test('encodeCapture → parseCapture round trip: pcap µs truncates to µs, pcap ns and pcapng keep ns, pcapng keeps interfaces', () => {
  const packets = packetsForWriting(50, (i) => 40 + i);
  const ethernetOnly = packets.map((p) => ({ ...p, interfaceId: 0, linkType: 1 }));
  const micro = [...parseCapture(encodeCapture(ethernetOnly, { format: 'pcap' }))];
  assert.deepEqual(micro.map((p) => p.timestampNs), ethernetOnly.map((p) => (p.timestampNs / 1000n) * 1000n));
  const nano = [...parseCapture(encodeCapture(ethernetOnly, { format: 'pcap', nanosecond: true, littleEndian: false }))];
  assert.deepEqual(nano.map(summary), ethernetOnly.map((p) => summary(p)));
  const ng = [...parseCapture(encodeCapture(packets, { format: 'pcapng', nanosecond: true }))];
  assert.deepEqual(ng.map(summary), packets.map((p) => summary(p)));
});

test('a pcap writer refuses a packet of another link type', () => {
  assert.throws(() => encodeCapture([{ timestampNs: 0n, data: new Uint8Array(1), linkType: 101 }], { format: 'pcap', linkType: 1 }), RangeError);
});

test('readCapture streams a file larger than its read buffer, records across refills and larger than a refill, and packets stay valid', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'labtel-capture-'));
  try {
    // ~3.5 MiB: packets of 1…1500 bytes, plus one 2.5 MiB record (larger than the 1 MiB read chunk).
    const packets = packetsForWriting(3000, (i) => (i === 1500 ? 2_500_000 : 1 + ((i * 7919) % 1500)));
    for (const format of ['pcap', 'pcapng'] as const) {
      const file = path.join(dir, `big.${format}`);
      const writer = new CaptureWriter(file, { format, nanosecond: true, snaplen: 4_000_000 });
      for (const p of packets) writer.write(format === 'pcap' ? { ...p, interfaceId: 0, linkType: 1 } : p);
      await writer.close();
      const read: CapturedPacket[] = [];
      for await (const p of readCapture(file)) read.push(p);
      assert.equal(read.length, packets.length, format);
      // Compared after the whole file was read: early packets' views survived the buffer refills.
      assert.deepEqual(
        read.map(summary),
        packets.map((p) => summary(format === 'pcap' ? { ...p, interfaceId: 0, linkType: 1 } : p)),
        format,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readCapture yields every whole packet, then a DecodeError at the offset of a record cut short', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'labtel-capture-'));
  try {
    const whole = encodeCapture(packetsForWriting(3, () => 10).map((p) => ({ ...p, linkType: 1, interfaceId: 0 })), { format: 'pcap' });
    const file = path.join(dir, 'cut.pcap');
    writeFileSync(file, whole.subarray(0, whole.length - 4));
    const seen: CapturedPacket[] = [];
    await assert.rejects(
      (async () => {
        for await (const p of readCapture(file)) seen.push(p);
      })(),
      (e: unknown) => e instanceof DecodeError && e.offset === 24 + 2 * 26,
    );
    assert.equal(seen.length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('5,000 mutated capture files (pcap and pcapng, bytes replaced and cut): packets or a DecodeError, nothing else', () => {
  const packets = packetsForWriting(8, (i) => 20 + i * 3);
  const files = [
    encodeCapture(packets.map((p) => ({ ...p, interfaceId: 0, linkType: 1 })), { format: 'pcap' }),
    encodeCapture(packets, { format: 'pcapng', nanosecond: true }),
    pcapngLittle,
  ];
  let x = 0x5eed;
  const next = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), x >>> 8);
  let errors = 0;
  for (let i = 0; i < 5000; i++) {
    const source = files[i % files.length]!;
    const bytes = source.slice(0, next() % 4 === 0 ? next() % (source.length + 1) : source.length);
    for (let f = 1 + (next() % 4); f > 0 && bytes.length; f--) bytes[next() % bytes.length] = next() & 0xff;
    try {
      for (const p of parseCapture(bytes)) assert.ok(p.data.byteOffset + p.data.length <= bytes.byteOffset + bytes.length);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw new Error(`input ${i}: threw ${String(err)}`, { cause: err });
      assert.ok(err.offset >= 0 && err.offset <= bytes.length, `input ${i}: offset ${err.offset}`);
      errors++;
    }
  }
  assert.ok(errors > 500, `${errors} errors`);
});
