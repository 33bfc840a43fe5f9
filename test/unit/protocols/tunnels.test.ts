// Encapsulations: VXLAN (RFC 7348 section 5, UDP 4789) with its inner Ethernet frame, MPLS label stacks
// (RFC 3032 2.1; payload guessed from the first nibble), GRE (RFC 2784, key/sequence RFC 2890, Transparent
// Ethernet Bridging 0x6558), PPPoE sessions (RFC 2516 section 4 with PPP protocol-field compression, RFC 1661 6.5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../../../src/protocols/decodeError';
import { decodePacket } from '../../../src/protocols/packet';
import { LayerCase, hex, layerCaseTests } from './frames';

const eth = (type: string) => `00 11 22 33 44 55 66 77 88 99 aa bb ${type}`;
function ipv4(totalLength: number, protocol: number, src = 'c0 00 02 01', dst = 'c0 00 02 02'): string {
  return `45 00 ${totalLength.toString(16).padStart(4, '0')} 00 01 00 00 40 ${protocol.toString(16).padStart(2, '0')} 00 00 ${src} ${dst}`;
}
const innerTcp = '00 50 c3 51 00 00 00 01 00 00 00 00 50 18 01 00 00 00 00 00  # TCP 80 -> 50001, PSH+ACK';

const cases: LayerCase[] = [
  {
    name: 'VXLAN (VNI 0x123456) on UDP 4789 with an inner Ethernet/IPv4/TCP frame: the 5-tuple is the inner one',
    first: 'ethernet',
    bytes: hex(
      eth('08 00'),
      ipv4(20 + 8 + 8 + 14 + 40, 17),
      'd4 31 12 b5 00 46 00 00           # UDP 54321 -> 4789, length 70',
      '08 00 00 00 12 34 56 00           # VXLAN: I flag, VNI 0x123456',
      '02 00 00 00 00 0a 02 00 00 00 00 0b 08 00',
      ipv4(40, 6, 'cb 00 71 01', 'cb 00 71 02'),
      innerTcp,
    ),
    kinds: ['ethernet', 'ipv4', 'udp', 'vxlan', 'ethernet', 'ipv4', 'tcp'],
    layers: { 3: { start: 42, end: 50, flags: 0x08, vni: 0x123456 }, 4: { start: 50, dst: '02:00:00:00:00:0a', src: '02:00:00:00:00:0b' } },
    packet: { src: '203.0.113.1', dst: '203.0.113.2', srcPort: 80, dstPort: 50001, protocol: 6 },
  },
  {
    name: 'MPLS two labels (42, then 7 bottom of stack) over IPv4',
    first: 'ethernet',
    bytes: hex(eth('88 47'), '00 02 a0 40  00 00 75 3f  # label 42 TC 0 TTL 64; label 7 TC 2 S TTL 63', ipv4(40, 6), innerTcp),
    kinds: ['ethernet', 'mpls', 'mpls', 'ipv4', 'tcp'],
    layers: {
      1: { start: 14, end: 18, label: 42, trafficClass: 0, bottomOfStack: false, ttl: 64 },
      2: { start: 18, end: 22, label: 7, trafficClass: 2, bottomOfStack: true, ttl: 63 },
    },
    packet: { ethertype: 0x8847, srcPort: 80, protocol: 6 },
  },
  {
    name: 'MPLS over IPv6 (first nibble 6)',
    first: 'ethernet',
    bytes: hex(
      eth('88 47'),
      '00 01 01 40',
      '60 00 00 00 00 08 11 40 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02',
      '00 35 00 35 00 08 00 00',
    ),
    kinds: ['ethernet', 'mpls', 'ipv6', 'udp'],
    layers: { 1: { label: 16, bottomOfStack: true } },
  },
  {
    name: 'MPLS payload with first nibble 0 (pseudowire control word): stops after the stack',
    first: 'ethernet',
    bytes: hex(eth('88 47'), '00 01 01 40', '00 00 00 00 00 11 22 33'),
    kinds: ['ethernet', 'mpls'],
    packet: { truncated: false, payloadStart: 18 },
  },
  {
    name: 'GRE with key and sequence number (RFC 2890) carrying IPv4',
    first: 'ipv4',
    bytes: hex(ipv4(20 + 12 + 40, 47), '30 00 08 00 00 00 00 2a 00 00 00 05  # K S, proto IPv4, key 42, seq 5', ipv4(40, 6, 'cb 00 71 01', 'cb 00 71 02'), innerTcp),
    kinds: ['ipv4', 'gre', 'ipv4', 'tcp'],
    layers: { 1: { start: 20, end: 32, flags: 0x3000, version: 0, protocol: 0x0800, key: 42, sequence: 5, checksum: undefined } },
    packet: { src: '203.0.113.1', protocol: 6, srcPort: 80, ethertype: 0x0800 },
  },
  {
    name: 'GRE with checksum carrying Transparent Ethernet Bridging (0x6558)',
    first: 'ipv4',
    bytes: hex(ipv4(20 + 8 + 14 + 40, 47), '80 00 65 58 ab cd 00 00', '02 00 00 00 00 0a 02 00 00 00 00 0b 08 00', ipv4(40, 6), innerTcp),
    kinds: ['ipv4', 'gre', 'ethernet', 'ipv4', 'tcp'],
    layers: { 1: { checksum: 0xabcd, end: 28, protocol: 0x6558 } },
  },
  {
    name: 'PPPoE session with a compressed (1-byte) PPP protocol field, IPv4 inside',
    first: 'ethernet',
    bytes: hex(eth('88 64'), '11 00 00 05 00 29 21', ipv4(40, 6), innerTcp),
    kinds: ['ethernet', 'pppoe', 'ipv4', 'tcp'],
    layers: { 1: { start: 14, end: 21, sessionId: 5, length: 41, pppProtocol: 0x21 } },
  },
  {
    name: 'PPPoE session with a 2-byte PPP protocol field (0x0057, IPv6) cut after the IPv6 version',
    first: 'ethernet',
    bytes: hex(eth('88 64'), '11 00 00 06 00 2a 00 57', '60 00 00 00'),
    kinds: ['ethernet', 'pppoe'],
    layers: { 1: { end: 22, pppProtocol: 0x57 } },
    packet: { truncated: true, truncatedIn: 'ipv6' },
  },
];

layerCaseTests(cases);

test('GRE version 2 does not exist: DecodeError', () => {
  assert.throws(() => decodePacket(hex(ipv4(28, 47), '00 02 08 00 00 00 00 00'), 'ipv4'), DecodeError);
});
