// ICMP (RFC 792) and ICMPv6 (RFC 4443) errors quote the packet that caused them: decoded as a packet of its
// own (layer.quoted), the outer 5-tuple untouched; the rest-of-header fields (RFC 1191 MTU, redirect gateway,
// parameter-problem pointer); Neighbor Discovery targets, flags and options (RFC 4861 4.3, 4.4, 4.6.1);
// VXLAN's reserved bits (RFC 7348 section 5) and the IPv4 reserved flag (RFC 791 section 3.1).
import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { icmpChecksumValid } from '../../../src/protocols/icmp';
import { icmpv6ChecksumValid, icmpv6Options } from '../../../src/protocols/icmpv6';
import { cutTcpSequence } from '../../../src/protocols/tcp';
import { decodePacket, type DecodedPacket, type Layer } from '../../../src/protocols/packet';
import { requirePrereqs } from '../../helpers/tools';
import { assertFields, hex, type LayerCase, layerCaseTests } from './frames';
import { treesVersusTshark } from './tsharkCompare';

function ipv4(totalLength: number, protocol: number, src = 'cb 00 71 01', dst = 'c0 00 02 01'): string {
  return `45 00 ${totalLength.toString(16).padStart(4, '0')} 00 01 40 00 40 ${protocol.toString(16).padStart(2, '0')} 00 00 ${src} ${dst}`;
}
function ipv6(payload: number, next: number, src = '20010db8000000000000000000000ffe', dst = '20010db8000000000000000000000001'): string {
  return `60 00 00 00 ${payload.toString(16).padStart(4, '0')} ${next.toString(16).padStart(2, '0')} 40 ${src} ${dst}`;
}

/** 192.0.2.1 → 198.51.100.7 UDP 40000 → 33434, 520 bytes long: what the router quotes back. */
const QUOTED_UDP = ipv4(540, 17, 'c0 00 02 01', 'c6 33 64 07') + ' 9c 40 82 9a 02 08 00 00';
/** 192.0.2.1 → 198.51.100.7 TCP 50000 → 443: the first 8 bytes of its header (ports and sequence number). */
const QUOTED_TCP8 = ipv4(1020, 6, 'c0 00 02 01', 'c6 33 64 07') + ' c3 50 01 bb 00 00 ab cd';
const QUOTED_V6_UDP = ipv6(520, 17, '20010db8000000000000000000000001', '20010db80000000000000000000000b2') + ' 9c 41 82 9b 02 08 00 00';

function quotedKinds(p: DecodedPacket): string[] | undefined {
  const l = p.layers.find((x) => x.kind === 'icmp' || x.kind === 'icmpv6') as Extract<Layer, { kind: 'icmp' | 'icmpv6' }> | undefined;
  return l?.quoted?.layers.map((x) => x.kind);
}

const cases: Array<LayerCase & { quoted?: string[]; quotedPacket?: Record<string, unknown> }> = [
  {
    name: 'an ICMP port-unreachable carries the UDP header of the datagram that caused it; the 5-tuple stays the ICMP one',
    first: 'ipv4',
    bytes: hex(ipv4(56, 1), '03 03 00 00 00 00 00 00', QUOTED_UDP),
    kinds: ['ipv4', 'icmp'],
    layers: { 1: { type: 3, code: 3, mtu: undefined, gateway: undefined, pointer: undefined, end: 28 } },
    packet: { src: '203.0.113.1', dst: '192.0.2.1', protocol: 1, srcPort: undefined, payloadStart: 28, payloadEnd: 56 },
    quoted: ['ipv4', 'udp'],
    quotedPacket: { src: '192.0.2.1', dst: '198.51.100.7', protocol: 17, srcPort: 40000, dstPort: 33434, truncated: false },
  },
  {
    name: 'an ICMP time-exceeded quotes 8 bytes of TCP: the quote is cut inside the TCP header and keeps its ports',
    first: 'ipv4',
    bytes: hex(ipv4(56, 1), '0b 00 00 00 00 00 00 00', QUOTED_TCP8),
    kinds: ['ipv4', 'icmp'],
    layers: { 1: { type: 11, code: 0 } },
    quoted: ['ipv4'],
    quotedPacket: { protocol: 6, srcPort: 50000, dstPort: 443, truncated: true, truncatedIn: 'tcp' },
  },
  {
    name: 'an ICMP fragmentation-needed gives the next-hop MTU (RFC 1191 section 4)',
    first: 'ipv4',
    bytes: hex(ipv4(56, 1), '03 04 00 00 00 00 05 dc', QUOTED_UDP),
    kinds: ['ipv4', 'icmp'],
    layers: { 1: { type: 3, code: 4, mtu: 1500 } },
    quoted: ['ipv4', 'udp'],
  },
  {
    name: 'an ICMP redirect gives the gateway to use instead',
    first: 'ipv4',
    bytes: hex(ipv4(56, 1), '05 01 00 00 cb 00 71 fe', QUOTED_TCP8),
    kinds: ['ipv4', 'icmp'],
    layers: { 1: { type: 5, code: 1, gateway: '203.0.113.254', identifier: undefined } },
    quoted: ['ipv4'],
  },
  {
    name: 'an ICMP parameter problem points at the octet of the quoted header at fault',
    first: 'ipv4',
    bytes: hex(ipv4(56, 1), '0c 00 00 00 14 00 00 00', QUOTED_UDP),
    kinds: ['ipv4', 'icmp'],
    layers: { 1: { type: 12, pointer: 20 } },
    quoted: ['ipv4', 'udp'],
  },
  {
    name: 'an ICMP echo quotes nothing: its data stays payload',
    first: 'ipv4',
    bytes: hex(ipv4(36, 1), '08 00 00 00 00 07 00 01 de ad be ef de ad be ef'),
    kinds: ['ipv4', 'icmp'],
    layers: { 1: { type: 8, identifier: 7, sequence: 1, quoted: undefined } },
    packet: { payloadStart: 28, payloadEnd: 36 },
  },
  {
    name: 'an ICMP error quoted inside an ICMP error is not decoded again (as tshark does not)',
    first: 'ipv4',
    bytes: hex(ipv4(64, 1), '03 01 00 00 00 00 00 00', ipv4(56, 1, 'c0 00 02 01', 'c6 33 64 07'), '03 03 00 00 00 00 00 00', ipv4(28, 17)),
    kinds: ['ipv4', 'icmp'],
    quoted: ['ipv4', 'icmp'],
  },
  {
    name: 'an ICMP error whose quote contradicts itself (IHL 3) leaves the quote undecoded and the outer packet whole',
    first: 'ipv4',
    bytes: hex(ipv4(56, 1), '03 03 00 00 00 00 00 00', QUOTED_UDP.replace(/^45/, '43')),
    kinds: ['ipv4', 'icmp'],
    layers: { 1: { type: 3, quoted: undefined } },
    packet: { protocol: 1, truncated: false },
  },
  {
    name: 'an ICMPv6 destination unreachable carries the invoking IPv6 packet and its UDP header',
    first: 'ipv6',
    bytes: hex(ipv6(56, 58), '01 04 00 00 00 00 00 00', QUOTED_V6_UDP),
    kinds: ['ipv6', 'icmpv6'],
    layers: { 1: { type: 1, code: 4, end: 48, mtu: undefined, pointer: undefined } },
    packet: { src: '2001:db8::ffe', protocol: 58, srcPort: undefined },
    quoted: ['ipv6', 'udp'],
    quotedPacket: { src: '2001:db8::1', dst: '2001:db8::b2', srcPort: 40001, dstPort: 33435 },
  },
  {
    name: 'an ICMPv6 packet-too-big gives the MTU of the next link',
    first: 'ipv6',
    bytes: hex(ipv6(56, 58), '02 00 00 00 00 00 04 d0', QUOTED_V6_UDP),
    kinds: ['ipv6', 'icmpv6'],
    layers: { 1: { type: 2, mtu: 1232 } },
    quoted: ['ipv6', 'udp'],
  },
  {
    name: 'an ICMPv6 parameter problem points at the octet at fault',
    first: 'ipv6',
    bytes: hex(ipv6(56, 58), '04 00 00 00 00 00 00 06', QUOTED_V6_UDP),
    kinds: ['ipv6', 'icmpv6'],
    layers: { 1: { type: 4, pointer: 6 } },
    quoted: ['ipv6', 'udp'],
  },
  {
    name: 'an ICMPv6 neighbor advertisement gives its target and its router, solicited and override flags',
    first: 'ipv6',
    bytes: hex(ipv6(32, 58), '88 00 00 00 e0 00 00 00 fe 80 00 00 00 00 00 00 a8 7b e1 ff fe 76 0b f6', '02 01 aa 7b e1 76 0b f6'),
    kinds: ['ipv6', 'icmpv6'],
    layers: { 1: { type: 136, targetAddress: 'fe80::a87b:e1ff:fe76:bf6', naFlags: 0xe0000000, end: 64 } },
    packet: { payloadStart: 64, payloadEnd: 72 },
  },
  {
    name: 'VXLAN keeps the reserved bits around its VNI',
    first: 'ipv4',
    bytes: hex(ipv4(50, 17), 'c0 01 12 b5 00 1e 00 00', '08 00 00 2a 00 00 64 07', '02 00 00 00 00 01 02 00 00 00 00 02 08 06'),
    kinds: ['ipv4', 'udp', 'vxlan', 'ethernet'],
    layers: { 2: { flags: 0x08, reserved: 0x2a, vni: 100, reservedLast: 7 } },
  },
  {
    name: 'the IPv4 reserved flag is read (RFC 791: must be zero)',
    first: 'ipv4',
    bytes: hex(ipv4(28, 17).replace('40 00 40', 'c0 00 40'), '00 35 00 35 00 08 00 00'),
    kinds: ['ipv4', 'udp'],
    layers: { 0: { reservedFlag: true, dontFragment: true, moreFragments: false } },
  },
];

layerCaseTests(cases);

describe('what an ICMP error quotes', () => {
  for (const c of cases.filter((x) => x.quoted)) {
    it(`${c.name}: the quote's layers and 5-tuple`, () => {
      const p = decodePacket(c.bytes, c.first);
      assert.deepStrictEqual(quotedKinds(p), c.quoted);
      const l = p.layers.find((x) => x.kind === 'icmp' || x.kind === 'icmpv6') as Extract<Layer, { kind: 'icmp' | 'icmpv6' }>;
      if (c.quotedPacket) assertFields(l.quoted!, c.quotedPacket, 'quoted packet');
      for (const q of l.quoted!.layers) assert.ok(q.start >= l.end && q.end <= c.bytes.length, `${q.kind} lies inside the quote`);
    });
  }

  it('a neighbor advertisement\'s target link-layer address option is read on demand', () => {
    const c = cases.find((x) => x.name.includes('neighbor advertisement'))!;
    const p = decodePacket(c.bytes, c.first);
    const l = p.layers[1] as Extract<Layer, { kind: 'icmpv6' }>;
    assert.deepStrictEqual(icmpv6Options(c.bytes, l, p.payloadEnd), [{ type: 2, length: 1, start: 64, linkAddress: 'aa:7b:e1:76:0b:f6' }]);
  });

  it('a quote cut after 8 bytes of TCP still gives the sequence number (RFC 5927 4.1 checks errors against it)', () => {
    const c = cases.find((x) => x.name.includes('time-exceeded'))!;
    const l = decodePacket(c.bytes, c.first).layers[1] as Extract<Layer, { kind: 'icmp' }>;
    assert.equal(cutTcpSequence(c.bytes, l.quoted!), 0xabcd);
    assert.equal(cutTcpSequence(c.bytes, decodePacket(c.bytes, c.first)), undefined, 'the outer packet was not cut in TCP');
  });

  // RFC 1071 checksums, verified on demand: a message with its checksum right, one byte changed, one cut short.
  const echo = hex(ipv4(36, 1), '08 00 00 00 00 07 00 01 de ad be ef de ad be ef');
  const sum = (b: Uint8Array, from: number, to: number) => {
    let s = 0;
    for (let i = from; i < to; i += 2) s += (b[i]! << 8) | b[i + 1]!;
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    return ~s & 0xffff;
  };
  const fixed = Uint8Array.from(echo);
  const ck = sum(fixed, 20, 36);
  fixed[22] = ck >>> 8;
  fixed[23] = ck & 0xff;
  const checksumCases: Array<[string, Uint8Array, number, boolean | undefined]> = [
    ['an ICMP echo with its checksum right verifies', fixed, 36, true],
    ['the same echo with a byte of its data changed does not', Uint8Array.from(fixed).fill(0, 30, 31), 36, false],
    ['an ICMP message cut short cannot be verified', fixed.subarray(0, 32), 32, undefined],
  ];
  for (const [name, bytes, bytesEnd, expected] of checksumCases) {
    it(name, () => {
      const p = decodePacket(bytes, 'ipv4');
      assert.equal(icmpChecksumValid(bytes, p.layers[1] as Extract<Layer, { kind: 'icmp' }>, 36, bytesEnd), expected);
    });
  }

  it('an ICMPv6 checksum covers the pseudo-header: right as sent, wrong with the source address changed', () => {
    const c = cases.find((x) => x.name.includes('neighbor advertisement'))!;
    const b = Uint8Array.from(c.bytes);
    // The checksum of the message and pseudo-header (RFC 4443 2.3, RFC 8200 8.1), written into the message.
    let s = 0;
    const add = (from: number, to: number) => {
      for (let i = from; i < to; i += 2) s += (b[i]! << 8) | b[i + 1]!;
    };
    add(8, 40);
    s += 32 + 58;
    add(40, 72);
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    b[42] = (~s >>> 8) & 0xff;
    b[43] = ~s & 0xff;
    const l = decodePacket(b, 'ipv6').layers[1] as Extract<Layer, { kind: 'icmpv6' }>;
    assert.equal(icmpv6ChecksumValid(b, l, 0, 72), true);
    b[23] ^= 1;
    assert.equal(icmpv6ChecksumValid(b, l, 0, 72), false);
  });

  it('an ND option of length 0 ends the list (RFC 4861 4.6: such a packet is to be discarded)', () => {
    const bytes = hex(ipv6(32, 58), '87 00 00 00 00 00 00 00 fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01', '01 00 aa 7b e1 76 0b f6');
    const p = decodePacket(bytes, 'ipv6');
    assert.deepStrictEqual(icmpv6Options(bytes, p.layers[1] as Extract<Layer, { kind: 'icmpv6' }>, p.payloadEnd), []);
  });
});

test('every quote above decodes as tshark dissects it inside its ICMP error, field by field', async (t) => {
  if (!requirePrereqs(t, { tools: ['tshark'] })) return;
  assert.deepStrictEqual(await treesVersusTshark(cases.filter((c) => c.quoted)), []);
});
