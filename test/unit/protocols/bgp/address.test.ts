import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeUpdate, formatIpv6, writeIpv4, writeIpv6 } from '../../../../src/protocols/bgp';

// RFC 5952 §4: canonical IPv6 text (lower case, no leading zeros, longest run of ≥ 2 zero groups as "::").
const v6 = [
  ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
  ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
  ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
  ['::', '::'],
  ['::1', '::1'],
  ['fe80::', 'fe80::'],
  ['::ffff:192.0.2.1', '::ffff:c000:201'],
  ['2001:DB8::A', '2001:db8::a'],
];
for (const [input, canonical] of v6) {
  test(`IPv6 "${input}" round-trips to "${canonical}" (RFC 4291 §2.2, RFC 5952 §4)`, () => {
    const b = new Uint8Array(16);
    writeIpv6(input!, b, 0);
    assert.equal(formatIpv6(b, 0), canonical);
  });
}

for (const bad of ['1:2:3:4:5:6:7', '1::2::3', '12345::', 'g::', '1:2:3:4:5:6:7:8:9', ':1:2:3:4:5:6:7', '1:', '']) {
  test(`"${bad}" is not an IPv6 address`, () => assert.throws(() => writeIpv6(bad, new Uint8Array(16), 0), RangeError));
}
for (const bad of ['1.2.3', '1.2.3.256', '1.2.3.4.5', 'a.b.c.d', '1..2.3', '']) {
  test(`"${bad}" is not an IPv4 address`, () => assert.throws(() => writeIpv4(bad, new Uint8Array(4), 0), RangeError));
}

test('IPv6 prefixes read from MP_UNREACH_NLRI come out in RFC 5952 text, bits past the length cleared', () => {
  const sent = ['::/0', '2001:db8::/32', '2001:0:0:1::/64', '2001:db8::1/128', '1:0:0:2::3/128', '2001:db8:ff00::/39', '0:0:1::/48'];
  const want = ['::/0', '2001:db8::/32', '2001:0:0:1::/64', '2001:db8::1/128', '1:0:0:2::3/128', '2001:db8:fe00::/39', '0:0:1::/48'];
  const m = decodeMessage(encodeUpdate({ withdrawn: [], nlri: [], attributes: { mpUnreach: { afi: 2, safi: 1, withdrawn: sent } } }, { fourOctetAs: true }), 0, { fourOctetAs: true });
  assert.ok(m.kind === 'update');
  assert.deepEqual([...(m.update.attributes.mpUnreach!.withdrawn as Iterable<string>)], want);
});
