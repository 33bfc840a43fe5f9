// IPv4 (RFC 791 section 3.1): header fields, options, fragments (section 3.2: only the fragment at offset 0
// carries the upper-layer header), and headers that contradict themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../../../src/protocols/decodeError';
import { decodePacket } from '../../../src/protocols/packet';
import { ipv4Options, decodeIpv4 } from '../../../src/protocols/ipv4';
import { LayerCase, hex, layerCaseTests } from './frames';

const udp = '30 39 00 35 00 0c 00 00  de ad be ef  # UDP 12345 -> 53, length 12, 4 data bytes';

const cases: LayerCase[] = [
  {
    name: 'plain header: DSCP 46 / ECN 1, DF, TTL 64, UDP 203.0.113.1 -> 198.51.100.7',
    first: 'ipv4',
    bytes: hex('45 b9 00 20 12 34 40 00 40 11 ab cd cb 00 71 01 c6 33 64 07', udp),
    kinds: ['ipv4', 'udp'],
    layers: {
      0: {
        start: 0, end: 20, headerLength: 20, dscp: 46, ecn: 1, totalLength: 32, identification: 0x1234, dontFragment: true,
        moreFragments: false, fragmentOffset: 0, ttl: 64, protocol: 17, checksum: 0xabcd, src: '203.0.113.1', dst: '198.51.100.7',
      },
      1: { start: 20, end: 28, srcPort: 12345, dstPort: 53, length: 12 },
    },
    packet: { src: '203.0.113.1', dst: '198.51.100.7', protocol: 17, srcPort: 12345, dstPort: 53, payloadStart: 28, payloadEnd: 32, truncated: false },
  },
  {
    name: 'options (IHL 7): Router Alert (RFC 2113) and NOPs then End of Options, L4 after the options',
    first: 'ipv4',
    bytes: hex('47 00 00 28 00 01 00 00 01 11 00 00 c0 00 02 01 c0 00 02 02', '94 04 00 00  01 01 00 00', udp),
    kinds: ['ipv4', 'udp'],
    layers: { 0: { headerLength: 28, end: 28, optionsStart: 20 }, 1: { start: 28 } },
    packet: { srcPort: 12345 },
  },
  {
    name: 'first fragment (MF set, offset 0) carries the UDP header',
    first: 'ipv4',
    bytes: hex('45 00 00 20 00 07 20 00 40 11 00 00 c0 00 02 01 c0 00 02 02', udp),
    kinds: ['ipv4', 'udp'],
    layers: { 0: { moreFragments: true, fragmentOffset: 0 } },
    packet: { srcPort: 12345, dstPort: 53 },
  },
  {
    name: 'later fragment (offset 1480 bytes = 185 × 8): no L4 layer, no ports; the bytes are payload',
    first: 'ipv4',
    bytes: hex('45 00 00 20 00 07 00 b9 40 11 00 00 c0 00 02 01 c0 00 02 02', udp),
    kinds: ['ipv4'],
    layers: { 0: { moreFragments: false, fragmentOffset: 1480 } },
    packet: { protocol: 17, srcPort: undefined, dstPort: undefined, payloadStart: 20, payloadEnd: 32, truncated: false },
  },
  {
    name: 'total length shorter than the bytes (Ethernet padding): payload ends at the total length',
    first: 'ipv4',
    bytes: hex('45 00 00 20 00 01 00 00 40 11 00 00 c0 00 02 01 c0 00 02 02', udp, '00 00 00 00 00 00'),
    kinds: ['ipv4', 'udp'],
    packet: { payloadEnd: 32 },
  },
  {
    name: 'total length 0 (segmentation offload on the capturing host): taken as the rest of the bytes',
    first: 'ipv4',
    bytes: hex('45 00 00 00 00 01 00 00 40 06 00 00 c0 00 02 01 c0 00 02 02', '00 50 c3 50 00 00 00 01 00 00 00 00 50 10 01 00 00 00 00 00'),
    kinds: ['ipv4', 'tcp'],
    packet: { srcPort: 80, dstPort: 50000 },
  },
  {
    name: 'IPv4 in IPv4 (protocol 4, RFC 2003): the 5-tuple is the inner packet',
    first: 'ipv4',
    bytes: hex(
      '45 00 00 34 00 01 00 00 40 04 00 00 c0 00 02 01 c0 00 02 02',
      '45 00 00 20 00 02 00 00 40 11 00 00 cb 00 71 05 cb 00 71 06',
      udp,
    ),
    kinds: ['ipv4', 'ipv4', 'udp'],
    packet: { src: '203.0.113.5', dst: '203.0.113.6', protocol: 17, srcPort: 12345 },
  },
  {
    name: 'AH in IPv4 (protocol 51, RFC 4302) then UDP',
    first: 'ipv4',
    bytes: hex('45 00 00 38 00 01 00 00 40 33 00 00 c0 00 02 01 c0 00 02 02', '11 04 00 00 00 00 00 07 00 00 00 02 01 02 03 04 05 06 07 08 09 0a 0b 0c', udp),
    kinds: ['ipv4', 'ah', 'udp'],
    layers: { 1: { nextHeader: 17, length: 24, spi: 7, sequence: 2 } },
    packet: { protocol: 17, srcPort: 12345 },
  },
  {
    name: "'ip' picks IPv4 from the version nibble",
    first: 'ip',
    bytes: hex('45 00 00 20 00 01 00 00 40 11 00 00 c0 00 02 01 c0 00 02 02', udp),
    kinds: ['ipv4', 'udp'],
  },
];

layerCaseTests(cases);

test('ipv4Options lists Router Alert, two NOPs and End of Options with their byte ranges', () => {
  const bytes = hex('47 00 00 28 00 01 00 00 01 11 00 00 c0 00 02 01 c0 00 02 02', '94 04 00 00  01 01 00 00', udp);
  const l = decodeIpv4(bytes, 0, bytes.length)!;
  assert.deepEqual(ipv4Options(bytes, l), [
    { type: 0x94, start: 20, length: 4 },
    { type: 1, start: 24, length: 1 },
    { type: 1, start: 25, length: 1 },
    { type: 0, start: 26, length: 1 },
  ]);
});

test('an option whose length octet is below 2 is a DecodeError at that octet', () => {
  const bytes = hex('46 00 00 18 00 01 00 00 01 11 00 00 c0 00 02 01 c0 00 02 02', '44 01 00 00');
  const l = decodeIpv4(bytes, 0, bytes.length)!;
  assert.throws(() => ipv4Options(bytes, l), (e: unknown) => e instanceof DecodeError && e.offset === 21);
});

const contradictions: Array<{ name: string; bytes: Uint8Array; offset: number }> = [
  { name: 'IHL 4 (< 5)', bytes: hex('44 00 00 20 00 01 00 00 40 11 00 00 c0 00 02 01 c0 00 02 02', udp), offset: 0 },
  { name: 'total length 19 below the 20-byte header', bytes: hex('45 00 00 13 00 01 00 00 40 11 00 00 c0 00 02 01 c0 00 02 02', udp), offset: 2 },
  { name: 'total length 24 leaves 4 bytes for the 8-byte UDP header', bytes: hex('45 00 00 18 00 01 00 00 40 11 00 00 c0 00 02 01 c0 00 02 02', udp), offset: 20 },
  { name: 'version 6 in an IPv4 header', bytes: hex('65 00 00 20 00 01 00 00 40 11 00 00 c0 00 02 01 c0 00 02 02', udp), offset: 0 },
];

for (const c of contradictions) {
  test(`contradictory header is a DecodeError with its offset: ${c.name}`, () => {
    assert.throws(
      () => decodePacket(c.bytes, 'ipv4'),
      (e: unknown) => e instanceof DecodeError && e.offset === c.offset,
    );
  });
}

test("'ip' with a version nibble other than 4 or 6 is a DecodeError", () => {
  assert.throws(() => decodePacket(hex('50 00 00 00'), 'ip'), DecodeError);
});
