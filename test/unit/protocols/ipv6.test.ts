// IPv6 (RFC 8200 section 3) and its extension headers walked in order (section 4: Hop-by-Hop 4.3, Routing
// 4.4, Fragment 4.5, Destination Options 4.6); only the fragment at offset 0 carries the upper-layer header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../../../src/protocols/decodeError';
import { decodePacket } from '../../../src/protocols/packet';
import { LayerCase, hex, layerCaseTests } from './frames';

/** IPv6 header: traffic class 0xb8, flow label 0x12345, given payload length and next header, hop limit 64, 2001:db8::1 -> 2001:db8:0:1::2. */
function ipv6(payloadLength: number, nextHeader: number): string {
  const plen = payloadLength.toString(16).padStart(4, '0');
  return `6b 81 23 45 ${plen} ${nextHeader.toString(16).padStart(2, '0')} 40
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
    20 01 0d b8 00 00 00 01 00 00 00 00 00 00 00 02`;
}
const udp = '04 d2 00 35 00 0c 00 00 01 02 03 04  # UDP 1234 -> 53, length 12';
const tcpSyn = `c0 00 00 b3 00 00 00 64 00 00 00 00 60 02 fa f0 00 00 00 00  # TCP 49152 -> 179 SYN, data offset 6
  02 04 05 b4                                                         # MSS 1460`;

const cases: LayerCase[] = [
  {
    name: 'fixed header fields and RFC 5952 addresses, then UDP',
    first: 'ipv6',
    bytes: hex(ipv6(12, 17), udp),
    kinds: ['ipv6', 'udp'],
    layers: {
      0: { start: 0, end: 40, trafficClass: 0xb8, flowLabel: 0x12345, payloadLength: 12, nextHeader: 17, hopLimit: 64, src: '2001:db8::1', dst: '2001:db8:0:1::2' },
    },
    packet: { src: '2001:db8::1', dst: '2001:db8:0:1::2', protocol: 17, srcPort: 1234, dstPort: 53, payloadEnd: 52 },
  },
  {
    name: 'Hop-by-Hop (Router Alert) then TCP: the packet protocol is the upper layer, 6',
    first: 'ipv6',
    bytes: hex(ipv6(32, 0), '06 00 05 02 00 00 01 00  # HBH: next TCP, len 0, Router Alert, PadN', tcpSyn),
    kinds: ['ipv6', 'ipv6-hopopts', 'tcp'],
    layers: { 1: { start: 40, end: 48, nextHeader: 6, length: 8 }, 2: { start: 48, end: 72, srcPort: 49152, dstPort: 179, flags: 0x002 } },
    packet: { protocol: 6, srcPort: 49152, dstPort: 179 },
  },
  {
    name: 'chain Hop-by-Hop → Destination Options (16 bytes) → Routing (type 4, 1 segment left) → Fragment (offset 0, M) → UDP',
    first: 'ipv6',
    bytes: hex(
      ipv6(8 + 16 + 24 + 8 + 12, 0),
      '3c 00 01 04 00 00 00 00                          # HBH: next 60 (DestOpts), PadN',
      '2b 01 01 0c 00 00 00 00 00 00 00 00 00 00 00 00  # DestOpts: next 43 (Routing), 16 bytes',
      '2c 02 04 01 00 00 00 00 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 09  # Routing: next 44, type 4 (SRH), segments left 1',
      '11 00 00 01 ca fe f0 0d                          # Fragment: next UDP, offset 0, M=1, id 0xcafef00d',
      udp,
    ),
    kinds: ['ipv6', 'ipv6-hopopts', 'ipv6-dstopts', 'ipv6-routing', 'ipv6-fragment', 'udp'],
    layers: {
      2: { start: 48, end: 64, nextHeader: 43, length: 16 },
      3: { start: 64, end: 88, nextHeader: 44, routingType: 4, segmentsLeft: 1 },
      4: { start: 88, end: 96, nextHeader: 17, fragmentOffset: 0, moreFragments: true, identification: 0xcafef00d },
      5: { start: 96, srcPort: 1234 },
    },
    packet: { protocol: 17, srcPort: 1234, dstPort: 53 },
  },
  {
    name: 'non-first fragment (offset 1232): no L4 layer, protocol from the fragment header',
    first: 'ipv6',
    bytes: hex(ipv6(20, 44), '11 00 04 d0 00 00 00 07', udp),
    kinds: ['ipv6', 'ipv6-fragment'],
    layers: { 1: { fragmentOffset: 1232, moreFragments: false, identification: 7 } },
    packet: { protocol: 17, srcPort: undefined, payloadStart: 48, payloadEnd: 60 },
  },
  {
    name: 'AH (RFC 4302: SPI 0x1000, sequence 9, 12-byte ICV) then Destination Options then UDP: the walk goes on through AH',
    first: 'ipv6',
    bytes: hex(
      ipv6(24 + 8 + 12, 51),
      '3c 04 00 00 00 00 10 00 00 00 00 09 aa aa aa aa bb bb bb bb cc cc cc cc  # AH: next 60, payload len 4 → 24 bytes',
      '11 00 01 04 00 00 00 00                                                    # DestOpts: next UDP',
      udp,
    ),
    kinds: ['ipv6', 'ah', 'ipv6-dstopts', 'udp'],
    layers: { 1: { start: 40, end: 64, nextHeader: 60, length: 24, spi: 0x1000, sequence: 9 } },
    packet: { protocol: 17, srcPort: 1234 },
  },
  {
    name: 'ESP (RFC 4303): SPI and sequence, the encrypted rest is payload',
    first: 'ipv6',
    bytes: hex(ipv6(16, 50), '00 00 20 00 00 00 00 01 de ad be ef de ad be ef'),
    kinds: ['ipv6', 'esp'],
    layers: { 1: { spi: 0x2000, sequence: 1, end: 48 } },
    packet: { protocol: 50, payloadStart: 48, payloadEnd: 56 },
  },
  {
    name: 'No Next Header (59) ends the walk',
    first: 'ipv6',
    bytes: hex(ipv6(8, 60), '3b 00 01 04 00 00 00 00'),
    kinds: ['ipv6', 'ipv6-dstopts'],
    packet: { protocol: 59, truncated: false },
  },
  {
    name: 'ICMPv6 Echo Request (RFC 4443 4.1): identifier and sequence',
    first: 'ip',
    bytes: hex(ipv6(12, 58), '80 00 12 34 ab cd 00 07 61 62 63 64'),
    kinds: ['ipv6', 'icmpv6'],
    layers: { 1: { type: 128, code: 0, checksum: 0x1234, identifier: 0xabcd, sequence: 7, start: 40, end: 48 } },
    packet: { protocol: 58, srcPort: undefined },
  },
  {
    name: 'ICMPv6 Neighbor Solicitation (type 135): the header spans the target address (RFC 4861 4.3)',
    first: 'ipv6',
    bytes: hex(ipv6(24, 58), '87 00 00 00 00 00 00 00 fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01'),
    kinds: ['ipv6', 'icmpv6'],
    layers: { 1: { type: 135, identifier: undefined, targetAddress: 'fe80::1', end: 64 } },
  },
  {
    name: 'IPv6 in IPv6 (next header 41): the 5-tuple is the inner packet',
    first: 'ipv6',
    bytes: hex(ipv6(52, 41), ipv6(12, 17).replace('00 01\n', '00 ff\n'), udp),
    kinds: ['ipv6', 'ipv6', 'udp'],
    packet: { srcPort: 1234, protocol: 17 },
  },
];

layerCaseTests(cases);

test('an extension header running past the payload length is a DecodeError', () => {
  // Payload length 8 but the Destination Options header says 16 bytes, with 16 bytes present.
  const bytes = hex(ipv6(8, 60), '11 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00');
  assert.throws(() => decodePacket(bytes, 'ipv6'), (e: unknown) => e instanceof DecodeError && e.offset === 40);
});

test('version nibble 4 in an IPv6 header is a DecodeError at byte 0', () => {
  const bytes = hex(ipv6(12, 17).replace(/^6b/, '4b'), udp);
  assert.throws(() => decodePacket(bytes, 'ipv6'), (e: unknown) => e instanceof DecodeError && e.offset === 0);
});
