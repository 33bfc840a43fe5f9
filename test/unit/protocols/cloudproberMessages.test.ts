import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';
import { repoRoot } from '../../helpers/corpus';
import { DecodeError } from '../../../src/protocols/decodeError';
import {
  decodeProbeReply, decodeProbeRequest, encodeProbeReply, encodeProbeRequest, type ProbeReply, type ProbeRequest,
} from '../../../src/protocols/cloudprober/messages';

// The independent implementation: protobufjs, from the .proto text of Cloudprober's schema.
const schema = protobuf.parse(readFileSync(path.join(repoRoot, 'test/fixtures/cloudprober/server.proto'), 'utf8')).root;
const PbRequest = schema.lookupType('cloudprober.ProbeRequest');
const PbReply = schema.lookupType('cloudprober.ProbeReply');
const PbRequestWithExtras = schema.lookupType('cloudprober.ProbeRequestWithExtras');

const toObject = { longs: Number, defaults: false, arrays: true } as const;

const requests: { name: string; req: ProbeRequest }[] = [
  { name: 'first request, no options', req: { requestId: 1, timeLimit: 1000, options: [] } },
  { name: 'varint boundaries 127/128', req: { requestId: 127, timeLimit: 128, options: [] } },
  { name: 'largest int32', req: { requestId: 2147483647, timeLimit: 2147483647, options: [] } },
  { name: 'negative int32s (10-byte varints)', req: { requestId: -1, timeLimit: -2147483648, options: [] } },
  { name: 'zero values are still written (proto2 required)', req: { requestId: 0, timeLimit: 0, options: [] } },
  {
    name: 'options, empty and non-ASCII strings',
    req: { requestId: 42, timeLimit: 5000, options: [{ name: 'responder', value: 'host-1' }, { name: '', value: '' }, { name: 'ünï', value: '💡 probe' }] },
  },
  { name: 'a long option value (2-byte length)', req: { requestId: 7, timeLimit: 10, options: [{ name: 'blob', value: 'x'.repeat(300) }] } },
];

for (const { name, req } of requests) {
  test(`ProbeRequest "${name}": same bytes as protobufjs, and each side decodes the other`, () => {
    const mine = encodeProbeRequest(req);
    const theirs = PbRequest.encode(PbRequest.fromObject(req)).finish();
    assert.deepEqual(Buffer.from(mine).toString('hex'), Buffer.from(theirs).toString('hex'));
    assert.deepEqual(decodeProbeRequest(theirs), req);
    assert.deepEqual(PbRequest.toObject(PbRequest.decode(mine), toObject), req);
  });
}

const replies: { name: string; reply: ProbeReply }[] = [
  { name: 'payload only', reply: { requestId: 1, payload: 'bgp_ping_rtt_ms{device="host-1"} 12.5' } },
  { name: 'error only', reply: { requestId: 2, errorMessage: 'no responder answered' } },
  { name: 'neither', reply: { requestId: 300 } },
  { name: 'both, empty strings present', reply: { requestId: -5, errorMessage: '', payload: '' } },
  { name: 'multi-line payload', reply: { requestId: 9, payload: 'a 1\nb{x=y} 2\n' } },
];

for (const { name, reply } of replies) {
  test(`ProbeReply "${name}": same bytes as protobufjs, and each side decodes the other`, () => {
    const mine = encodeProbeReply(reply);
    const theirs = PbReply.encode(PbReply.fromObject(reply)).finish();
    assert.equal(Buffer.from(mine).toString('hex'), Buffer.from(theirs).toString('hex'));
    assert.deepEqual(decodeProbeReply(theirs), reply);
    assert.deepEqual(PbReply.toObject(PbReply.decode(mine), toObject), reply);
  });
}

test('unknown fields of every wire type (varint, fixed64, fixed32, bytes, message, zigzag) are skipped', () => {
  const extended = PbRequestWithExtras.encode(PbRequestWithExtras.fromObject({
    requestId: 11, timeLimit: 250, options: [{ name: 'a', value: 'b' }],
    extraVarint: 2 ** 40, extraFixed64: 12345678, extraFixed32: 7, extraBytes: Buffer.from([1, 2, 3]),
    extraMessage: { requestId: 3, payload: 'p' }, extraNegative: -99,
  })).finish();
  assert.deepEqual(decodeProbeRequest(extended), { requestId: 11, timeLimit: 250, options: [{ name: 'a', value: 'b' }] });
});

test('a deprecated group (wire types 3/4) in an unknown field is skipped', () => {
  // field 9 start-group, inside it field 1 varint 5, field 9 end-group; then the required fields.
  const bytes = Uint8Array.from([0x4b, 0x08, 0x05, 0x4c, 0x08, 0x01, 0x10, 0x02]);
  assert.deepEqual(decodeProbeRequest(bytes), { requestId: 1, timeLimit: 2, options: [] });
});

test('a known field with another wire type is treated as unknown, as protobuf-go does', () => {
  // request_id as a length-delimited field (skipped), then as a varint.
  const bytes = Uint8Array.from([0x0a, 0x01, 0x00, 0x08, 0x03, 0x10, 0x04]);
  assert.deepEqual(decodeProbeRequest(bytes), { requestId: 3, timeLimit: 4, options: [] });
});

const malformed: { name: string; bytes: number[]; decode: (b: Uint8Array) => unknown; offset: number; reason: RegExp }[] = [
  { name: 'empty request: request_id missing', bytes: [], decode: decodeProbeRequest, offset: 0, reason: /request_id/ },
  { name: 'time_limit missing', bytes: [0x08, 0x01], decode: decodeProbeRequest, offset: 0, reason: /time_limit/ },
  { name: 'varint cut short', bytes: [0x08, 0x81], decode: decodeProbeRequest, offset: 1, reason: /past the end/ },
  { name: 'varint of 11 bytes', bytes: [0x08, ...Array(10).fill(0xff), 0x01], decode: decodeProbeRequest, offset: 1, reason: /longer than 10/ },
  { name: 'option length past the end', bytes: [0x08, 0x01, 0x10, 0x01, 0x1a, 0x05, 0x0a], decode: decodeProbeRequest, offset: 5, reason: /runs past the end/ },
  { name: 'option without value', bytes: [0x08, 0x01, 0x10, 0x01, 0x1a, 0x03, 0x0a, 0x01, 0x61], decode: decodeProbeRequest, offset: 6, reason: /value \(2\)/ },
  { name: 'field number 0', bytes: [0x00, 0x01], decode: decodeProbeRequest, offset: 0, reason: /field number 0/ },
  { name: 'wire type 7', bytes: [0x0f], decode: decodeProbeRequest, offset: 1, reason: /wire type 7/ },
  { name: 'unknown fixed64 cut short', bytes: [0x29, 1, 2, 3], decode: decodeProbeRequest, offset: 1, reason: /fixed64/ },
  { name: 'group without its end', bytes: [0x4b, 0x08, 0x05], decode: decodeProbeRequest, offset: 1, reason: /no end/ },
  { name: 'reply payload past the end', bytes: [0x08, 0x01, 0x1a, 0x09, 0x61], decode: decodeProbeReply, offset: 3, reason: /runs past the end/ },
  { name: 'reply without request_id', bytes: [0x1a, 0x00], decode: decodeProbeReply, offset: 0, reason: /request_id/ },
];

for (const c of malformed) {
  test(`malformed: ${c.name} is a DecodeError at byte ${c.offset}`, () => {
    assert.throws(() => c.decode(Uint8Array.from(c.bytes)), (e: unknown) => {
      assert.ok(e instanceof DecodeError, String(e));
      assert.equal(e.offset, c.offset, e.message);
      assert.match(e.reason, c.reason);
      return true;
    });
  });
}

test('every truncation of a valid request, and 20,000 random byte strings, decode or throw DecodeError only', () => {
  const req = { requestId: 77, timeLimit: 900, options: [{ name: 'responder', value: 'host-3' }, { name: 'k', value: 'v' }] };
  const whole = encodeProbeRequest(req);
  let cutAtFieldEnd = 0;
  for (let n = 0; n < whole.length; n++) {
    // A cut at a field boundary after the required fields is a valid, shorter message.
    try {
      const got = decodeProbeRequest(whole.subarray(0, n));
      assert.deepEqual(got, { ...req, options: req.options.slice(0, got.options.length) }, `truncated to ${n}`);
      cutAtFieldEnd++;
    } catch (e) {
      assert.ok(e instanceof DecodeError, `truncated to ${n}: ${String(e)}`);
    }
  }
  assert.equal(cutAtFieldEnd, 2); // after time_limit, after the first option
  let seed = 12345;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  for (let i = 0; i < 20_000; i++) {
    const b = Uint8Array.from({ length: rnd() % 24 }, rnd);
    for (const decode of [decodeProbeRequest, decodeProbeReply]) {
      try { decode(b); } catch (e) { assert.ok(e instanceof DecodeError, `${Buffer.from(b).toString('hex')}: ${String(e)}`); }
    }
  }
});

test('encoding refuses values the int32 fields cannot carry', () => {
  assert.throws(() => encodeProbeRequest({ requestId: 2 ** 31, timeLimit: 1, options: [] }), RangeError);
  assert.throws(() => encodeProbeReply({ requestId: 1.5 }), RangeError);
});
