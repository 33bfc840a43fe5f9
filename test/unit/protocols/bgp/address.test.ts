import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIpv6, writeIpv4, writeIpv6 } from '../../../../src/protocols/bgp';

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
