import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttrFlag, attributeValueEnd, attributeValueStart, BgpError, decodeMessage, encodeProbe, encodeUpdate, findAttribute,
  Origin, PROBE_ATTRIBUTE_FLAGS, SegmentType, type PathAttributes,
} from '../../../../src/protocols/bgp';
import { seededRandom } from '../../../helpers/seededRandom';
import { hex, M } from './malformedCases';

const probeValue = encodeProbe({ layout: 'v1', source: 'host-2', destination: '', timestampNs: 1_700_000_000_123_456_789n, sequence: 7n });

function update(attributes: PathAttributes, nlri = ['100.64.0.1/32'], withdrawn: string[] = []): Uint8Array {
  return encodeUpdate({ withdrawn, nlri, attributes }, { fourOctetAs: true });
}

const wellKnown = { origin: Origin.Incomplete, asPath: [{ type: SegmentType.AsSequence, asns: [65004, 65001, 65000] }], nextHop: '203.0.113.2' };

for (const [name, message, type] of [
  ['the probe after the well-known attributes, as a prober sends it', update({ ...wellKnown, unknown: [{ flags: PROBE_ATTRIBUTE_FLAGS, type: 42, value: probeValue }] }), 42],
  ['with Partial set, as FRR passes it on (RFC 4271 §4.3)', update({ ...wellKnown, unknown: [{ flags: PROBE_ATTRIBUTE_FLAGS | AttrFlag.Partial, type: 42, value: probeValue }] }), 42],
  ['among MED, LOCAL_PREF, communities and another unknown attribute', update({ ...wellKnown, med: 5, localPref: 100, communities: [0xfde80001], unknown: [{ flags: 0xc0, type: 99, value: Uint8Array.of(1, 2, 3) }, { flags: PROBE_ATTRIBUTE_FLAGS, type: 42, value: probeValue }] }), 42],
  ['a value over 255 octets (extended length)', update({ ...wellKnown, unknown: [{ flags: PROBE_ATTRIBUTE_FLAGS, type: 255, value: new Uint8Array(300).fill(7) }] }), 255],
  ['with withdrawn routes and several NLRI', update({ ...wellKnown, unknown: [{ flags: PROBE_ATTRIBUTE_FLAGS, type: 42, value: probeValue }] }, ['100.64.0.1/32', '198.51.100.0/24', '0.0.0.0/0'], ['203.0.113.0/25']), 42],
  ['a well-known attribute, ORIGIN', update(wellKnown), 1],
] as Array<[string, Uint8Array, number]>) {
  test(`findAttribute: ${name} is where decodeUpdate finds it`, () => {
    const at = findAttribute(message, type);
    assert.ok(at >= 0, `found at ${at}`);
    assert.equal(message[at + 1], type);
    const m = decodeMessage(message, 0, { fourOctetAs: true });
    assert.equal(m.kind, 'update');
    if (m.kind !== 'update' || type === 1) return;
    const decoded = m.update.attributes.unknown!.find((a) => a.type === type)!;
    assert.equal(decoded.flags, message[at]);
    assert.equal(attributeValueStart(message, at), decoded.value.byteOffset - message.byteOffset);
    assert.equal(attributeValueEnd(message, at) - attributeValueStart(message, at), decoded.value.length);
  });
}

// Probe attribute 42 with a 3-octet value; ORIGIN, AS_PATH, NEXT_HOP as in malformedCases.
const ORIGIN = '40 01 01 02';
const AS_PATH = '40 02 06 02 01 0000fdec';
const NEXT_HOP = '40 03 04 cb007102';
const PROBE = 'c0 2a 03 b70101';
/** An UPDATE with `body`; its header's length is the message's unless `length` says otherwise. */
function msg(body: string, length?: number): Uint8Array {
  const b = hex(body);
  const l = length ?? 19 + b.length;
  return hex(`${M} ${l.toString(16).padStart(4, '0')} 02 ${Buffer.from(b).toString('hex')}`);
}

test('findAttribute: the hand-made UPDATE that the cases below break is found, and decodes', () => {
  const message = msg(`0000 001a ${ORIGIN} ${AS_PATH} ${NEXT_HOP} ${PROBE} 20 64400001`);
  assert.equal(findAttribute(message, 42), 23 + 4 + 9 + 7);
  assert.equal(decodeMessage(message, 0, { fourOctetAs: true }).kind, 'update');
});

for (const [name, message] of [
  ['absent', msg(`0000 0014 ${ORIGIN} ${AS_PATH} ${NEXT_HOP} 20 64400001`)],
  ['a KEEPALIVE, not an UPDATE', hex(`${M} 0013 04`)],
  ['the header length is not the message\'s', msg(`0000 001a ${ORIGIN} ${AS_PATH} ${NEXT_HOP} ${PROBE} 20 64400001`, 60)],
  ['withdrawn routes run past the message', msg('00ff 0000')],
  ['the path attributes run past the message', msg(`0000 00ff ${ORIGIN} ${AS_PATH} ${NEXT_HOP} ${PROBE} 20 64400001`)],
  ['an attribute\'s length runs past the path attributes (RFC 7606 §4)', msg(`0000 001a ${ORIGIN} ${AS_PATH} ${NEXT_HOP} c0 2a 09 b70101 20 64400001`)],
  ['an attribute header cut short', msg(`0000 0016 ${ORIGIN} ${AS_PATH} ${NEXT_HOP} c0 2a 20 64400001`)],
  ['an NLRI prefix longer than 32 bits (RFC 7606 §5.3)', msg(`0000 001a ${ORIGIN} ${AS_PATH} ${NEXT_HOP} ${PROBE} 21 64400001`)],
  ['an NLRI prefix\'s octets run past the message', msg(`0000 001a ${ORIGIN} ${AS_PATH} ${NEXT_HOP} ${PROBE} 20 644000`)],
  ['a withdrawn prefix longer than 32 bits', msg(`0005 28 c6336400 001a ${ORIGIN} ${AS_PATH} ${NEXT_HOP} ${PROBE} 20 64400001`)],
  ['an unrecognised well-known attribute (RFC 4271 §6.3)', msg(`0000 001e ${ORIGIN} ${AS_PATH} ${NEXT_HOP} 40 63 01 00 ${PROBE} 20 64400001`)],
  ['MP_UNREACH_NLRI present (its errors reset the session, RFC 7606 §7.11)', msg(`0000 0020 ${ORIGIN} ${AS_PATH} ${NEXT_HOP} 80 0f 03 000101 ${PROBE} 20 64400001`)],
] as Array<[string, Uint8Array]>) {
  test(`findAttribute: -1 when ${name}`, () => {
    assert.equal(findAttribute(message, 42), -1);
  });
}

test('findAttribute: the first of two probe attributes, the one decodeUpdate keeps (RFC 7606 §3 (g))', () => {
  const message = msg(`0000 0020 ${ORIGIN} ${AS_PATH} ${NEXT_HOP} ${PROBE} c0 2a 03 b70102 20 64400001`);
  const at = findAttribute(message, 42);
  assert.equal(at, 23 + 4 + 9 + 7);
  const m = decodeMessage(message, 0, { fourOctetAs: true });
  assert.ok(m.kind === 'update');
  assert.deepEqual([...m.update.attributes.unknown![0]!.value], [0xb7, 1, 1]);
});

test('findAttribute: on 20000 mutated probe UPDATEs, whatever it finds decodeUpdate keeps, at the same place, without resetting the session', () => {
  const base = update({ ...wellKnown, med: 10, communities: [0xfde80001, 0xfde80002], unknown: [{ flags: PROBE_ATTRIBUTE_FLAGS | AttrFlag.Partial, type: 42, value: probeValue }] }, ['100.64.0.1/32', '198.51.100.0/24']);
  const next = seededRandom(42);
  let found = 0;
  let declined = 0;
  for (let i = 0; i < 20000; i++) {
    const m = Uint8Array.from(base);
    // 1 to 3 octets changed anywhere past the marker, lengths included; the header length kept true half the time.
    for (let k = 1 + Math.floor(next() * 3); k > 0; k--) m[16 + Math.floor(next() * (m.length - 16))] = Math.floor(next() * 256);
    if (next() < 0.5) { m[16] = m.length >>> 8; m[17] = m.length & 0xff; }
    const at = findAttribute(m, 42);
    if (at < 0) { declined++; continue; }
    found++;
    let decoded;
    try {
      decoded = decodeMessage(m, 0, { fourOctetAs: true });
    } catch (e) {
      assert.ok(e instanceof BgpError);
      assert.fail(`mutation ${i}: found at ${at}, but decoding resets the session: ${e.message} (${Buffer.from(m).toString('hex')})`);
    }
    assert.equal(decoded.kind, 'update', `mutation ${i}`);
    if (decoded.kind !== 'update') continue;
    const kept = decoded.update.attributes.unknown?.find((a) => a.type === 42);
    assert.ok(kept, `mutation ${i}: found at ${at}, decodeUpdate kept no attribute 42 (${Buffer.from(m).toString('hex')})`);
    assert.equal(kept.value.byteOffset - m.byteOffset, attributeValueStart(m, at), `mutation ${i}`);
    assert.equal(kept.value.length, attributeValueEnd(m, at) - attributeValueStart(m, at), `mutation ${i}`);
  }
  // Both kinds happened: the property was checked, and mutations did reach the framing.
  assert.ok(found > 2000 && declined > 2000, `found ${found}, declined ${declined}`);
});
