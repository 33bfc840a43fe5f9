import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeUpdate, type PathAttributes } from '../../../../src/protocols/bgp';
import { hex, M } from './malformedCases';

/** An UPDATE holding only the attributes `attrs` (hex) and no NLRI — lengths counted here, attribute bytes written out in each case. */
function updateWith(attrs: string): Uint8Array {
  const a = hex(attrs);
  const out = new Uint8Array(23 + a.length);
  out.set(hex(M));
  out[16] = out.length >> 8; out[17] = out.length & 0xff; out[18] = 2;
  out[21] = a.length >> 8; out[22] = a.length & 0xff;
  out.set(a, 23);
  return out;
}

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Attributes with PrefixList values turned into text, for comparing. */
function plain(a: PathAttributes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    if (k === 'mpReach' || k === 'mpUnreach') {
      const m = v as Record<string, unknown>;
      out[k] = Object.fromEntries(Object.entries(m).map(([kk, vv]) => [kk, vv && typeof vv === 'object' && 'toArray' in vv ? (vv as { toArray(): string[] }).toArray() : vv]));
    } else out[k] = v;
  }
  return out;
}

interface AttrCase {
  name: string; rfc: string; bytes: string; fourOctetAs: boolean; expect: PathAttributes; reencoded?: string;
  /** Errors expected beside the attribute (an MP_REACH alone lacks ORIGIN and AS_PATH: RFC 7606 §3 (d)). */
  errors?: string[];
}

const cases: AttrCase[] = [
  { name: 'ORIGIN IGP', rfc: 'RFC 4271 §4.3, §5.1.1', bytes: '40 01 01 00', fourOctetAs: true, expect: { origin: 0 } },
  { name: 'ORIGIN INCOMPLETE', rfc: 'RFC 4271 §4.3', bytes: '40 01 01 02', fourOctetAs: true, expect: { origin: 2 } },
  { name: 'AS_PATH AS_SEQUENCE of 4-octet ASNs', rfc: 'RFC 4271 §4.3, RFC 6793 §3', fourOctetAs: true,
    bytes: '40 02 0a 02 02 0000fde9 fa56ea00', expect: { asPath: [{ type: 2, asns: [65001, 4200000000] }] } },
  { name: 'AS_PATH AS_SEQUENCE and AS_SET of 2-octet ASNs', rfc: 'RFC 4271 §4.3', fourOctetAs: false,
    bytes: '40 02 0a 02 02 fde9 fdea 01 01 fdeb', expect: { asPath: [{ type: 2, asns: [65001, 65002] }, { type: 1, asns: [65003] }] } },
  { name: 'AS_PATH confederation segments', rfc: 'RFC 5065 §3', fourOctetAs: true,
    bytes: '40 02 0c 03 01 0000fde9 04 01 0000fdea', expect: { asPath: [{ type: 3, asns: [65001] }, { type: 4, asns: [65002] }] } },
  { name: 'empty AS_PATH (iBGP origination)', rfc: 'RFC 4271 §5.1.2', fourOctetAs: true, bytes: '40 02 00', expect: { asPath: [] } },
  { name: 'NEXT_HOP', rfc: 'RFC 4271 §4.3, §5.1.3', fourOctetAs: true, bytes: '40 03 04 c0000201', expect: { nextHop: '192.0.2.1' } },
  { name: 'MULTI_EXIT_DISC', rfc: 'RFC 4271 §5.1.4', fourOctetAs: true, bytes: '80 04 04 00000064', expect: { med: 100 } },
  { name: 'LOCAL_PREF', rfc: 'RFC 4271 §5.1.5', fourOctetAs: true, bytes: '40 05 04 000000c8', expect: { localPref: 200 } },
  { name: 'ATOMIC_AGGREGATE', rfc: 'RFC 4271 §5.1.6', fourOctetAs: true, bytes: '40 06 00', expect: { atomicAggregate: true } },
  { name: 'AGGREGATOR with a 2-octet AS', rfc: 'RFC 4271 §5.1.7', fourOctetAs: false,
    bytes: 'c0 07 06 fde9 c0000201', expect: { aggregator: { asn: 65001, address: '192.0.2.1' } } },
  { name: 'AGGREGATOR with a 4-octet AS', rfc: 'RFC 6793 §3', fourOctetAs: true,
    bytes: 'c0 07 08 fa56ea00 c0000201', expect: { aggregator: { asn: 4200000000, address: '192.0.2.1' } } },
  { name: 'COMMUNITIES (65001:100, NO_EXPORT)', rfc: 'RFC 1997', fourOctetAs: true,
    bytes: 'c0 08 08 fde90064 ffffff01', expect: { communities: [0xfde90064, 0xffffff01] } },
  { name: 'MP_REACH_NLRI IPv6 unicast, global and link-local next hops', rfc: 'RFC 4760 §3, RFC 2545 §3', fourOctetAs: true,
    bytes: '80 0e 35 0002 01 20 20010db8000000000000000000000001 fe800000000000000000000000000001 00  30 20010db80001  40 20010db800020003',
    expect: { mpReach: { afi: 2, safi: 1, nextHops: ['2001:db8::1', 'fe80::1'], nlri: ['2001:db8:1::/48', '2001:db8:2:3::/64'] } }, errors: ['3/3', '3/3'] },
  { name: 'MP_REACH_NLRI IPv4 unicast', rfc: 'RFC 4760 §3', fourOctetAs: true,
    bytes: '80 0e 0d 0001 01 04 c0000201 00 18 c63364', expect: { mpReach: { afi: 1, safi: 1, nextHops: ['192.0.2.1'], nlri: ['198.51.100.0/24'] } }, errors: ['3/3', '3/3'] },
  { name: 'MP_UNREACH_NLRI IPv6 unicast', rfc: 'RFC 4760 §4', fourOctetAs: true,
    bytes: '80 0f 0a 0002 01 30 20010db80001', expect: { mpUnreach: { afi: 2, safi: 1, withdrawn: ['2001:db8:1::/48'] } } },
  { name: 'AS4_PATH', rfc: 'RFC 6793 §3', fourOctetAs: false, bytes: 'c0 11 06 02 01 fa56ea00', expect: { as4Path: [{ type: 2, asns: [4200000000] }] } },
  { name: 'AS4_AGGREGATOR', rfc: 'RFC 6793 §3', fourOctetAs: false,
    bytes: 'c0 12 08 fa56ea00 c0000201', expect: { as4Aggregator: { asn: 4200000000, address: '192.0.2.1' } } },
  { name: 'LARGE_COMMUNITY', rfc: 'RFC 8092 §3', fourOctetAs: true,
    bytes: 'c0 20 0c fa56ea00 00000001 00000002', expect: { largeCommunities: [{ global: 4200000000, local1: 1, local2: 2 }] } },
  { name: 'unknown optional transitive attribute 42 with Partial set, kept with its flags', rfc: 'RFC 4271 §5, §9', fourOctetAs: true,
    bytes: 'e0 2a 03 010203', expect: { unknown: [{ flags: 0xe0, type: 42, value: hex('010203') }] } },
  { name: 'extended length honoured on decode (encode picks the short form for ≤ 255 octets)', rfc: 'RFC 4271 §4.3', fourOctetAs: true,
    bytes: 'd0 2a 0003 010203', expect: { unknown: [{ flags: 0xd0, type: 42, value: hex('010203') }] }, reencoded: 'c02a03010203' },
];

for (const c of cases) {
  test(`UPDATE attribute ${c.name} decodes and encodes back (${c.rfc})`, () => {
    const bytes = updateWith(c.bytes);
    const m = decodeMessage(bytes, 0, { fourOctetAs: c.fourOctetAs });
    assert.ok(m.kind === 'update');
    assert.deepEqual(m.update.errors.map((e) => `${e.code}/${e.subcode}`), c.errors ?? []);
    assert.deepEqual(plain(m.update.attributes), c.expect);
    // Encoding the expected attributes gives the bytes back (the decoded form too, prefixes copied as they came).
    const want = c.reencoded ?? toHex(hex(c.bytes));
    for (const attrs of [c.expect, m.update.attributes]) {
      const again = encodeUpdate({ withdrawn: [], attributes: attrs, nlri: [] }, { fourOctetAs: c.fourOctetAs });
      assert.equal(toHex(again.subarray(23)), want);
    }
  });
}

test('UPDATE with withdrawn routes, attributes and NLRI decodes each field (RFC 4271 §4.3)', () => {
  const bytes = hex(`${M} 003b 02
    0006  08 0a  18 c00002
    0014  40 01 01 00  40 02 06 02 01 0000fde9  40 03 04 c0000201
    18 c63364  19 c6336480  00`);
  const m = decodeMessage(bytes, 0, { fourOctetAs: true });
  assert.ok(m.kind === 'update');
  assert.deepEqual(m.update.withdrawn.toArray(), ['10.0.0.0/8', '192.0.2.0/24']);
  assert.deepEqual(m.update.nlri.toArray(), ['198.51.100.0/24', '198.51.100.128/25', '0.0.0.0/0']);
  assert.equal(m.update.attributes.nextHop, '192.0.2.1');
  assert.equal(m.update.action, undefined);
  assert.equal(toHex(encodeUpdate({ withdrawn: ['10.0.0.0/8', '192.0.2.0/24'], attributes: m.update.attributes, nlri: ['198.51.100.0/24', '198.51.100.128/25', '0.0.0.0/0'] }, { fourOctetAs: true })), toHex(bytes));
});

test('prefix bits beyond the length are cleared in text and on encode (RFC 4271 §4.3)', () => {
  const bytes = hex(`${M} 001b 02 0004 17 c00003 0000`); // 192.0.3.0/23 sent as c0 00 03
  const m = decodeMessage(bytes, 0, { fourOctetAs: true });
  assert.ok(m.kind === 'update');
  assert.deepEqual(m.update.withdrawn.toArray(), ['192.0.2.0/23']);
  assert.equal(toHex(encodeUpdate({ withdrawn: ['192.0.3.0/23'], attributes: {}, nlri: [] }, { fourOctetAs: true }).subarray(21, 25)), '17c00002');
});

test('encode picks the extended length for an attribute over 255 octets (RFC 4271 §4.3)', () => {
  const value = new Uint8Array(300).fill(7);
  const bytes = encodeUpdate({ withdrawn: [], attributes: { unknown: [{ flags: 0xc0, type: 42, value }] }, nlri: [] }, { fourOctetAs: true });
  assert.equal(bytes[23], 0xd0);
  assert.equal((bytes[25]! << 8) | bytes[26]!, 300);
  const m = decodeMessage(bytes, 0, { fourOctetAs: true });
  assert.ok(m.kind === 'update');
  assert.deepEqual(m.update.attributes.unknown?.[0]?.value, value);
});

test('a 2-octet session sends ASNs above 65535 as AS_TRANS 23456 in AS_PATH and AGGREGATOR (RFC 6793 §4.2.2)', () => {
  const bytes = encodeUpdate({ withdrawn: [], attributes: { asPath: [{ type: 2, asns: [65001, 4200000000] }], aggregator: { asn: 4200000000, address: '192.0.2.1' } }, nlri: [] }, { fourOctetAs: false });
  assert.equal(toHex(bytes.subarray(23)), '40020602 02fde95ba0'.replace(/ /g, '') + 'c007065ba0c0000201');
});

test('an AS_SEQUENCE of 300 ASNs is split into segments of at most 255 (RFC 4271 §4.3: 1-octet count)', () => {
  const asns = Array.from({ length: 300 }, (_, i) => 64512 + i);
  const bytes = encodeUpdate({ withdrawn: [], attributes: { asPath: [{ type: 2, asns }] }, nlri: [] }, { fourOctetAs: true });
  const m = decodeMessage(bytes, 0, { fourOctetAs: true });
  assert.ok(m.kind === 'update');
  assert.deepEqual(m.update.attributes.asPath?.map((s) => s.asns.length), [255, 45]);
  assert.deepEqual(m.update.attributes.asPath?.flatMap((s) => s.asns), asns);
});

test('encode puts MP_REACH_NLRI first (RFC 7606 §5.1)', () => {
  const bytes = encodeUpdate({ withdrawn: [], nlri: [], attributes: { origin: 0, asPath: [], mpReach: { afi: 2, safi: 1, nextHops: ['2001:db8::1'], nlri: ['2001:db8::/32'] } } }, { fourOctetAs: true });
  assert.equal(bytes[24], 14);
});

test('an UPDATE larger than 4096 octets is refused on encode (RFC 4271 §4.1)', () => {
  const nlri = Array.from({ length: 1100 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
  assert.throws(() => encodeUpdate({ withdrawn: [], attributes: {}, nlri }, { fourOctetAs: true }), RangeError);
});
