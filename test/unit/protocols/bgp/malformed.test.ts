import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BgpError, decodeMessage } from '../../../../src/protocols/bgp';
import { hex, malformedCases } from './malformedCases';

/** The error decoding `bytes` reports: thrown (session-reset, or any error in strict RFC 4271 mode) or collected (RFC 7606). */
function firstError(bytes: Uint8Array, fourOctetAs: boolean, strict: boolean): BgpError | undefined {
  try {
    const m = decodeMessage(bytes, 0, { fourOctetAs, strict });
    return m.kind === 'update' ? m.update.errors[0] : undefined;
  } catch (e) {
    if (e instanceof BgpError) return e;
    throw e;
  }
}

test('the malformed-message table has at least 15 cases a decoder alone can judge', () => {
  assert.ok(malformedCases.filter((c) => !c.sessionOnly).length >= 15);
});

for (const c of malformedCases.filter((x) => !x.sessionOnly)) {
  test(`decoding "${c.name}" reports NOTIFICATION ${c.code}/${c.subcode}, RFC 7606 ${c.action} (${c.rfc})`, () => {
    const bytes = hex(c.bytes);
    const e = firstError(bytes, c.fourOctetAs, false);
    assert.ok(e, 'an error is reported');
    assert.equal(e.code, c.code, `code (${e.message})`);
    assert.equal(e.subcode, c.subcode, `subcode (${e.message})`);
    assert.equal(e.action, c.action, 'RFC 7606 handling');
    assert.ok(e.offset >= 0 && e.offset < bytes.length, `offset ${e.offset} inside the message`);
    if (c.data !== undefined) assert.equal(Buffer.from(e.data).toString('hex'), c.data, 'NOTIFICATION data');
    // RFC 4271 mode: the same error, now thrown, whatever its RFC 7606 class.
    const strict = firstError(bytes, c.fourOctetAs, true);
    assert.ok(strict instanceof BgpError);
    assert.deepEqual([strict.code, strict.subcode], [c.code, c.subcode]);
  });
}

test('RFC 7606 treat-as-withdraw keeps the UPDATE\'s prefixes so they can be withdrawn', () => {
  const c = malformedCases.find((x) => x.name.startsWith('UPDATE malformed AS_PATH (segment overruns, 4-octet)'))!;
  const m = decodeMessage(hex(c.bytes), 0, { fourOctetAs: true });
  assert.equal(m.kind, 'update');
  if (m.kind !== 'update') return;
  assert.equal(m.update.action, 'treat-as-withdraw');
  assert.deepEqual(m.update.nlri.toArray(), ['198.51.100.0/24']);
  assert.equal(m.update.attributes.asPath, undefined);
});

test('RFC 7606 attribute-discard drops only the bad attribute (duplicate ORIGIN: first one kept)', () => {
  const c = malformedCases.find((x) => x.name === 'UPDATE duplicate ORIGIN')!;
  const m = decodeMessage(hex(c.bytes), 0, { fourOctetAs: true });
  assert.ok(m.kind === 'update');
  assert.equal(m.update.action, 'attribute-discard');
  assert.equal(m.update.attributes.origin, 0);
  assert.equal(m.update.attributes.nextHop, '192.0.2.2');
});

test('a message cut short throws a DecodeError, never a RangeError', () => {
  const full = hex(malformedCases.find((x) => x.name === 'UPDATE duplicate ORIGIN')!.bytes);
  for (let n = 0; n < full.length; n++) {
    assert.throws(() => decodeMessage(full.subarray(0, n), 0, { fourOctetAs: true }), (e: unknown) => e instanceof Error && e.name === 'DecodeError');
  }
});
