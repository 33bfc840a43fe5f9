// decodeFrame by pcap link type (tcpdump.org/linktypes.html): 1 Ethernet, 101 raw IP, 228 IPv4, 229 IPv6,
// 113 Linux cooked v1 (LINKTYPE_LINUX_SLL), 276 Linux cooked v2 (LINKTYPE_LINUX_SLL2), 0/108 BSD loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../../../src/protocols/decodeError';
import { decodeFrame, isSupportedLinkType } from '../../../src/protocols/packet';
import { hex } from './frames';

const ipv4Udp = '45 00 00 1c 00 01 00 00 40 11 00 00 c0 00 02 01 c0 00 02 02 00 44 00 43 00 08 00 00';
const ipv6Udp = `60 00 00 00 00 08 11 40 fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01 ff 02 00 00 00 00 00 00 00 00 00 00 00 01 00 02
  02 22 02 23 00 08 00 00`;

const cases: Array<{ name: string; linkType: number; bytes: Uint8Array; kinds: string[]; check?: Record<string, unknown> }> = [
  { name: 'LINKTYPE_ETHERNET (1)', linkType: 1, bytes: hex('00 11 22 33 44 55 66 77 88 99 aa bb 08 00', ipv4Udp), kinds: ['ethernet', 'ipv4', 'udp'] },
  { name: 'LINKTYPE_RAW (101) with IPv4', linkType: 101, bytes: hex(ipv4Udp), kinds: ['ipv4', 'udp'] },
  { name: 'LINKTYPE_RAW (101) with IPv6', linkType: 101, bytes: hex(ipv6Udp), kinds: ['ipv6', 'udp'], check: { src: 'fe80::1', dst: 'ff02::1:2' } },
  { name: 'LINKTYPE_IPV4 (228)', linkType: 228, bytes: hex(ipv4Udp), kinds: ['ipv4', 'udp'] },
  { name: 'LINKTYPE_IPV6 (229)', linkType: 229, bytes: hex(ipv6Udp), kinds: ['ipv6', 'udp'], check: { dstPort: 547 } },
  {
    name: 'LINKTYPE_LINUX_SLL (113): packet type 4 (outgoing), ARPHRD_ETHER, 6-byte address, protocol IPv4',
    linkType: 113,
    bytes: hex('00 04 00 01 00 06 02 00 00 00 00 01 00 00 08 00', ipv4Udp),
    kinds: ['sll', 'ipv4', 'udp'],
    check: { ethertype: 0x0800 },
  },
  {
    name: 'LINKTYPE_LINUX_SLL2 (276): protocol IPv6, interface index 3',
    linkType: 276,
    bytes: hex('86 dd 00 00 00 00 00 03 00 01 00 06 02 00 00 00 00 01 00 00', ipv6Udp),
    kinds: ['sll2', 'ipv6', 'udp'],
    check: { ethertype: 0x86dd },
  },
  { name: 'LINKTYPE_NULL (0), AF_INET in little-endian host order', linkType: 0, bytes: hex('02 00 00 00', ipv4Udp), kinds: ['loopback', 'ipv4', 'udp'] },
  { name: 'LINKTYPE_NULL (0), AF_INET6 = 30 (macOS) big-endian', linkType: 0, bytes: hex('00 00 00 1e', ipv6Udp), kinds: ['loopback', 'ipv6', 'udp'] },
  { name: 'LINKTYPE_LOOP (108), AF_INET6 = 24 in network order', linkType: 108, bytes: hex('00 00 00 18', ipv6Udp), kinds: ['loopback', 'ipv6', 'udp'] },
  { name: 'an unsupported link type (105, 802.11) gives no layers, the frame as payload', linkType: 105, bytes: hex('08 00 00 00'), kinds: [], check: { payloadStart: 0, payloadEnd: 4 } },
];

for (const c of cases) {
  test(`decodeFrame: ${c.name}`, () => {
    const p = decodeFrame(c.bytes, c.linkType);
    assert.deepEqual(p.layers.map((l) => l.kind), c.kinds);
    for (const [k, v] of Object.entries(c.check ?? {})) assert.deepEqual((p as unknown as Record<string, unknown>)[k], v, k);
    assert.equal(isSupportedLinkType(c.linkType), c.kinds.length > 0);
  });
}

test('decodeFrame honours offset and end (a frame inside a larger buffer)', () => {
  const inner = hex(ipv4Udp);
  const buf = new Uint8Array(inner.length + 10);
  buf.set(inner, 5);
  const p = decodeFrame(buf, 101, 5, 5 + inner.length);
  assert.deepEqual(p.layers.map((l) => [l.kind, l.start, l.end]), [['ipv4', 5, 25], ['udp', 25, 33]]);
});

test('a range outside the buffer is a DecodeError, not a RangeError', () => {
  assert.throws(() => decodeFrame(new Uint8Array(4), 1, 0, 10), DecodeError);
  assert.throws(() => decodeFrame(new Uint8Array(4), 1, 3, 2), DecodeError);
});

test('JSON.stringify of a decoded packet carries every field, the lazily formatted addresses included', () => {
  const p = decodeFrame(hex('00 11 22 33 44 55 66 77 88 99 aa bb 08 00', ipv4Udp), 1);
  const json = JSON.parse(JSON.stringify(p)) as { src: string; dst: string; srcPort: number; layers: Array<Record<string, unknown>> };
  assert.equal(json.src, '192.0.2.1');
  assert.equal(json.dst, '192.0.2.2');
  assert.equal(json.srcPort, 68);
  assert.deepEqual(json.layers[0], { kind: 'ethernet', start: 0, end: 14, dst: '00:11:22:33:44:55', src: '66:77:88:99:aa:bb', ethertype: 0x0800 });
  assert.equal(json.layers[1]!['src'], '192.0.2.1');
  assert.equal(json.layers[1]!['ttl'], 64);
});
