import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bidirectionalKey, decodeBidirectionalKey, FlowKeyBuilder, formatEndpoint } from '../../../src/flows/flowKey';
import { parseIpv4Words, parseIpv6Words } from '../../../src/flows/addressWords';

test('both directions of a conversation get the same key', () => {
  const ab = bidirectionalKey('203.0.113.0', 60087, '203.0.113.252', 8888, 17);
  const ba = bidirectionalKey('203.0.113.252', 8888, '203.0.113.0', 60087, 17);
  assert.equal(ab, ba);
});

test('the protocol separates conversations between the same endpoints (UDP 53 vs TCP 53)', () => {
  assert.notEqual(bidirectionalKey('198.51.100.1', 53, '198.51.100.2', 40000, 17), bidirectionalKey('198.51.100.1', 53, '198.51.100.2', 40000, 6));
});

const orderCases: { name: string; src: [string, number]; dst: [string, number]; a: string; b: string }[] = [
  { name: 'lower address first', src: ['203.0.113.252', 8888], dst: ['203.0.113.0', 60087], a: '203.0.113.0', b: '203.0.113.252' },
  { name: 'numeric, not text, order (.9 before .10)', src: ['198.51.100.10', 1], dst: ['198.51.100.9', 2], a: '198.51.100.9', b: '198.51.100.10' },
  { name: 'equal addresses: lower port first', src: ['192.0.2.1', 9000], dst: ['192.0.2.1', 80], a: '192.0.2.1', b: '192.0.2.1' },
  { name: 'IPv6 compressed forms order by value', src: ['2001:db8::10', 1], dst: ['2001:db8::2', 1], a: '2001:db8::2', b: '2001:db8::10' },
];
for (const c of orderCases) {
  test(`endpoints are ordered: ${c.name}`, () => {
    const k = decodeBidirectionalKey(bidirectionalKey(c.src[0], c.src[1], c.dst[0], c.dst[1], 6));
    assert.equal(k.a.addr, c.a);
    assert.equal(k.b.addr, c.b);
    assert.ok(k.a.addr !== k.b.addr || k.a.port <= k.b.port);
  });
}

const roundTrips: [string, number, string, number, number][] = [
  ['203.0.113.0', 60087, '203.0.113.252', 8888, 17],
  ['0.0.0.0', 0, '255.255.255.255', 65535, 255],
  ['2001:db8::1', 443, '2001:db8:0:1::5', 51234, 6],
  ['::', 0, '::1', 0, 58],
  ['fe80::1:2:3:4', 1, 'ff02::1:ff00:1', 2, 17],
  ['1:2:3:4:5:6:7:8', 5, '1:0:0:2::', 6, 132],
  ['', 0, '', 0, 0],
];
for (const [s, sp, d, dp, proto] of roundTrips) {
  test(`key decodes back to its endpoints: ${s || '(none)'}:${sp} <-> ${d || '(none)'}:${dp} proto ${proto}`, () => {
    const k = decodeBidirectionalKey(bidirectionalKey(s, sp, d, dp, proto));
    const got = new Set([`${k.a.addr}|${k.a.port}`, `${k.b.addr}|${k.b.port}`]);
    assert.deepEqual(got, new Set([`${s}|${sp}`, `${d}|${dp}`]));
    assert.equal(k.proto, proto);
  });
}

test('IPv6 text in non-canonical forms parses to the same key as the canonical form', () => {
  const canonical = bidirectionalKey('2001:db8::1', 1, '::ffff:192.0.2.1', 2, 6);
  const other = bidirectionalKey('2001:0DB8:0000:0000:0000:0000:0000:0001', 1, '0:0:0:0:0:ffff:c000:201', 2, 6);
  assert.equal(canonical, other);
});

const badV4 = ['1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', '1.2.3.4 ', 'a.b.c.d', '1234.1.1.1'];
for (const text of badV4) test(`"${text}" is not IPv4`, () => assert.equal(parseIpv4Words(text, new Uint16Array(2), 0), -1));
const badV6 = [':', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', '1:2:3:4:5:6:7', 'g::1', '1:'];
for (const text of badV6) test(`"${text}" is not IPv6`, () => assert.equal(parseIpv6Words(text, new Uint16Array(8), 0), -1));

test('endpoints print as addr:port, IPv6 in brackets', () => {
  assert.equal(formatEndpoint({ addr: '203.0.113.0', port: 60087 }), '203.0.113.0:60087');
  assert.equal(formatEndpoint({ addr: '2001:db8::1', port: 443 }), '[2001:db8::1]:443');
  assert.equal(formatEndpoint({ addr: '203.0.113.0', port: 0 }, false), '203.0.113.0');
});

// The hot path keys straight from the packet's address bytes; the text path parses addresses. Both
// must give the same key for the same conversation, whichever direction it was seen in.
const bytesCases: { name: string; src: number[]; dst: number[]; srcText: string; dstText: string }[] = [
  { name: 'IPv4', src: [203, 0, 113, 252], dst: [203, 0, 113, 0], srcText: '203.0.113.252', dstText: '203.0.113.0' },
  { name: 'IPv6', src: [0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 0x10], dst: [0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 0x02], srcText: '2001:db8::10', dstText: '2001:db8::2' },
  { name: 'IPv4-mapped IPv6', src: [...Array(10).fill(0), 0xff, 0xff, 192, 0, 2, 1], dst: [0xfe, 0x80, ...Array(13).fill(0), 1], srcText: '::ffff:192.0.2.1', dstText: 'fe80::1' },
];
for (const c of bytesCases) {
  test(`a key built from ${c.name} address bytes equals the key built from their text, in both directions`, () => {
    const buf = Uint8Array.from([0xee, ...c.src, ...c.dst, 0xee]);
    const n = c.src.length as 4 | 16;
    const b = new FlowKeyBuilder();
    b.sourceBytes(buf, 1, n);
    b.destinationBytes(buf, 1 + n, n);
    b.build(5201, 40000, 17);
    assert.equal(b.toString(), bidirectionalKey(c.srcText, 5201, c.dstText, 40000, 17));
    b.sourceBytes(buf, 1 + n, n);
    b.destinationBytes(buf, 1, n);
    b.build(40000, 5201, 17);
    assert.equal(b.toString(), bidirectionalKey(c.srcText, 5201, c.dstText, 40000, 17));
  });
}

test('a builder without addresses keys on the protocol and ports alone', () => {
  const b = new FlowKeyBuilder();
  b.noAddresses();
  assert.equal(b.build(0, 0, 0), 4);
  assert.equal(b.toString(), bidirectionalKey('', 0, '', 0, 0));
});
