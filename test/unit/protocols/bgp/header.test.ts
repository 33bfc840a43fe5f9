import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHeader, decodeMessage, encodeKeepalive, messageLength } from '../../../../src/protocols/bgp';
import { hex, M } from './malformedCases';

// RFC 4271 §4.1: marker (16 × 0xff), length, type; §4.4: a KEEPALIVE is the header alone.
const headers = [
  { name: 'KEEPALIVE', bytes: `${M} 0013 04`, length: 19, type: 4 },
  { name: 'OPEN of 29 octets', bytes: `${M} 001d 01`, length: 29, type: 1 },
  { name: 'UPDATE of 4096 octets (the maximum)', bytes: `${M} 1000 02`, length: 4096, type: 2 },
  { name: 'NOTIFICATION of 21 octets', bytes: `${M} 0015 03`, length: 21, type: 3 },
  { name: 'ROUTE-REFRESH (RFC 2918 §3)', bytes: `${M} 0017 05`, length: 23, type: 5 },
];

for (const h of headers) {
  test(`header of a ${h.name} decodes to length ${h.length}, type ${h.type} (RFC 4271 §4.1)`, () => {
    assert.deepEqual(decodeHeader(hex(h.bytes), 0), { length: h.length, type: h.type });
  });
}

test('KEEPALIVE encodes to marker, 19, 4 and decodes back (RFC 4271 §4.4)', () => {
  const k = encodeKeepalive();
  assert.equal(Buffer.from(k).toString('hex'), `${M}001304`);
  assert.deepEqual(decodeMessage(k, 0, { fourOctetAs: true }), { kind: 'keepalive', length: 19 });
});

test('messageLength waits for 19 octets, then reads the length from the header', () => {
  const k = hex(`${M} 0013 04`);
  for (let n = 0; n < 19; n++) assert.equal(messageLength(k.subarray(0, n), 0), 0);
  assert.equal(messageLength(hex(`${M} 0100 02`), 0), 256);
});

test('a header at a non-zero offset is read in place', () => {
  const buf = hex(`00 00 00 ${M} 0013 04`);
  assert.deepEqual(decodeHeader(buf, 3), { length: 19, type: 4 });
});
