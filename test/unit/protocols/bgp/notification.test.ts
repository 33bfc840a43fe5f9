import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, describeNotification, encodeNotification } from '../../../../src/protocols/bgp';
import { hex, M } from './malformedCases';

// RFC 4271 §4.5: error code, error subcode, data.
const cases = [
  { bytes: `${M} 0015 03 04 00`, code: 4, subcode: 0, data: '', name: 'Hold Timer Expired / Unspecific (4/0)', rfc: 'RFC 4271 §6.5' },
  { bytes: `${M} 0017 03 02 01 0004`, code: 2, subcode: 1, data: '0004', name: 'OPEN Message Error / Unsupported Version Number (2/1)', rfc: 'RFC 4271 §6.2' },
  { bytes: `${M} 0015 03 03 0b`, code: 3, subcode: 11, data: '', name: 'UPDATE Message Error / Malformed AS_PATH (3/11)', rfc: 'RFC 4271 §6.3' },
  { bytes: `${M} 001e 03 06 02 08 73687574646f776e`, code: 6, subcode: 2, data: '0873687574646f776e', name: 'Cease / Administrative Shutdown (6/2)', rfc: 'RFC 4486 §4, RFC 9003 §2' },
  { bytes: `${M} 0015 03 05 02`, code: 5, subcode: 2, data: '', name: 'Finite State Machine Error / Receive Unexpected Message in OpenConfirm State (5/2)', rfc: 'RFC 6608 §4' },
  { bytes: `${M} 0015 03 06 07`, code: 6, subcode: 7, data: '', name: 'Cease / Connection Collision Resolution (6/7)', rfc: 'RFC 4486 §4' },
];

for (const c of cases) {
  test(`NOTIFICATION ${c.name} decodes, is named, and encodes back (${c.rfc})`, () => {
    const bytes = hex(c.bytes);
    const m = decodeMessage(bytes, 0, { fourOctetAs: true });
    assert.ok(m.kind === 'notification');
    assert.equal(m.notification.code, c.code);
    assert.equal(m.notification.subcode, c.subcode);
    assert.equal(Buffer.from(m.notification.data).toString('hex'), c.data);
    assert.equal(describeNotification(c.code, c.subcode), c.name);
    assert.deepEqual(encodeNotification(m.notification), bytes);
  });
}
