// L4 headers: TCP (RFC 9293 section 3.1; options MSS 3.2, window scale and timestamps RFC 7323, SACK RFC 2018),
// UDP (RFC 768), SCTP common header (RFC 9260 3.1), ICMP (RFC 792), and ARP (RFC 826).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../../../src/protocols/decodeError';
import { decodePacket } from '../../../src/protocols/packet';
import { TcpLayer, decodeTcp, tcpFlagNames, tcpOptions } from '../../../src/protocols/tcp';
import { LayerCase, hex, layerCaseTests } from './frames';

function ipv4(totalLength: number, protocol: number): string {
  return `45 00 ${totalLength.toString(16).padStart(4, '0')} 00 01 00 00 40 ${protocol.toString(16).padStart(2, '0')} 00 00 c0 00 02 0a c6 33 64 14`;
}

const tcpWithOptions = `
  c3 50 01 bb  11 22 33 44  55 66 77 88  # ports 50000 -> 443, seq, ack
  d0 12 fa f0  12 34 00 00               # data offset 13 (52 bytes), SYN+ACK, window 64240, checksum, urgent 0
  02 04 05 b4                            # MSS 1460
  04 02                                  # SACK permitted
  08 0a 00 00 00 01 00 00 00 02          # timestamps 1, 2
  01                                     # NOP
  03 03 07                               # window scale 7
  05 0a 00 00 00 10 00 00 00 20          # SACK block 16..32
  00 00                                  # End of options, padding`;

const cases: LayerCase[] = [
  {
    name: 'TCP SYN+ACK with MSS, SACK permitted, timestamps, window scale and a SACK block',
    first: 'ipv4',
    bytes: hex(ipv4(72, 6), tcpWithOptions),
    kinds: ['ipv4', 'tcp'],
    layers: {
      1: {
        start: 20, end: 72, srcPort: 50000, dstPort: 443, seq: 0x11223344, ack: 0x55667788, headerLength: 52, flags: 0x012,
        window: 64240, checksum: 0x1234, urgentPointer: 0, optionsStart: 40,
      },
    },
    packet: { srcPort: 50000, dstPort: 443, protocol: 6, payloadStart: 72, payloadEnd: 72 },
  },
  {
    name: 'TCP with all 12 flag bits: reserved, AE, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN',
    first: 'ipv4',
    bytes: hex(ipv4(40, 6), '00 16 d4 31 00 00 00 01 00 00 00 02 5f ff 00 10 00 00 00 09'),
    kinds: ['ipv4', 'tcp'],
    layers: { 1: { flags: 0xfff, urgentPointer: 9, headerLength: 20 } },
  },
  {
    name: 'UDP: ports, length, checksum; payload bounded by the UDP length',
    first: 'ipv4',
    bytes: hex(ipv4(31, 17), '00 35 c0 01 00 0b 9a bc 61 62 63'),
    kinds: ['ipv4', 'udp'],
    layers: { 1: { start: 20, end: 28, srcPort: 53, dstPort: 49153, length: 11, checksum: 0x9abc } },
    packet: { payloadStart: 28, payloadEnd: 31 },
  },
  {
    name: 'SCTP common header: ports, verification tag, CRC32c',
    first: 'ipv4',
    bytes: hex(ipv4(48, 132), '0b 59 0b 59 00 00 00 2a d0 2d a9 15  00 01 00 10 00 00 00 00 00 00 00 00 00 00 00 00'),
    kinds: ['ipv4', 'sctp'],
    layers: { 1: { srcPort: 2905, dstPort: 2905, verificationTag: 42, checksum: 0xd02da915, end: 32 } },
  },
  {
    name: 'ICMP Echo Request: identifier and sequence',
    first: 'ipv4',
    bytes: hex(ipv4(28, 1), '08 00 f7 fe 00 01 00 02'),
    kinds: ['ipv4', 'icmp'],
    layers: { 1: { type: 8, code: 0, checksum: 0xf7fe, identifier: 1, sequence: 2, start: 20, end: 28 } },
    packet: { protocol: 1, srcPort: undefined },
  },
  {
    name: 'ICMP Destination Unreachable: no identifier; the quoted IP header is payload, the 5-tuple stays outer',
    first: 'ipv4',
    bytes: hex(ipv4(56, 1), '03 03 00 00 00 00 00 00', ipv4(28, 17).replace('c0 00 02 0a', 'cb 00 71 09'), '00 35 00 35 00 08 00 00'),
    kinds: ['ipv4', 'icmp'],
    layers: { 1: { type: 3, code: 3, identifier: undefined, sequence: undefined } },
    packet: { src: '192.0.2.10', protocol: 1, payloadStart: 28, payloadEnd: 56 },
  },
  {
    name: 'ARP request, Ethernet/IPv4',
    first: 'ethernet',
    bytes: hex(
      'ff ff ff ff ff ff 02 00 00 00 00 01 08 06',
      '00 01 08 00 06 04 00 01  02 00 00 00 00 01 c0 00 02 01  00 00 00 00 00 00 c0 00 02 02',
    ),
    kinds: ['ethernet', 'arp'],
    layers: {
      1: {
        start: 14, end: 42, hardwareType: 1, protocolType: 0x0800, hardwareLength: 6, protocolLength: 4, operation: 1,
        senderHardware: '02:00:00:00:00:01', senderProtocol: '192.0.2.1', targetHardware: '00:00:00:00:00:00', targetProtocol: '192.0.2.2',
      },
    },
    packet: { src: undefined, ethertype: 0x0806 },
  },
];

layerCaseTests(cases);

test('tcpOptions reads every option with its value and byte range', () => {
  const bytes = hex(ipv4(72, 6), tcpWithOptions);
  const tcp = decodePacket(bytes, 'ipv4').layers[1] as TcpLayer;
  assert.deepEqual(tcpOptions(bytes, tcp), [
    { kind: 2, start: 40, length: 4, mss: 1460 },
    { kind: 4, start: 44, length: 2 },
    { kind: 8, start: 46, length: 10, tsVal: 1, tsEcr: 2 },
    { kind: 1, start: 56, length: 1 },
    { kind: 3, start: 57, length: 3, windowScale: 7 },
    { kind: 5, start: 60, length: 10, sack: [[16, 32]] },
    { kind: 0, start: 70, length: 1 },
  ]);
});

test('tcpFlagNames spells SYN+ACK most significant first', () => {
  assert.deepEqual(tcpFlagNames(0x012), ['ACK', 'SYN']);
  assert.deepEqual(tcpFlagNames(0x1c1), ['AE', 'CWR', 'ECE', 'FIN']);
});

test('a TCP option of length 1 (< 2) is a DecodeError at its length octet', () => {
  const bytes = hex('00 01 00 02 00 00 00 00 00 00 00 00 60 02 00 00 00 00 00 00 02 01 00 00');
  const tcp = decodeTcp(bytes, 0, bytes.length)!;
  assert.throws(() => tcpOptions(bytes, tcp), (e: unknown) => e instanceof DecodeError && e.offset === 21);
});

const contradictions: Array<{ name: string; bytes: Uint8Array; offset: number }> = [
  { name: 'TCP data offset 4 (16 bytes < 20)', bytes: hex(ipv4(40, 6), '00 16 d4 31 00 00 00 01 00 00 00 02 40 02 00 10 00 00 00 00'), offset: 32 },
  { name: 'UDP length 7 (< 8)', bytes: hex(ipv4(28, 17), '00 35 00 35 00 07 00 00'), offset: 24 },
  { name: 'TCP options past the IP total length', bytes: hex(ipv4(44, 6), '00 16 d4 31 00 00 00 01 00 00 00 02 f0 02 00 10 00 00 00 00 01 01 01 01 00 00'), offset: 20 },
];
for (const c of contradictions) {
  test(`contradictory header is a DecodeError with its offset: ${c.name}`, () => {
    assert.throws(
      () => decodePacket(c.bytes, 'ipv4'),
      (e: unknown) => e instanceof DecodeError && e.offset === c.offset,
    );
  });
}
