/**
 * Cloudprober's external-probe server messages, hand-encoded (proto2, package cloudprober,
 * probes/external/proto/server.proto in github.com/cloudprober/cloudprober):
 *
 *   message ProbeRequest {
 *     required int32 request_id = 1;   // unique per server run, starts at 1
 *     required int32 time_limit = 2;   // ms; past it the server must send no reply
 *     message Option { required string name = 1; required string value = 2; }
 *     repeated Option options = 3;
 *   }
 *   message ProbeReply {
 *     required int32 request_id = 1;
 *     optional string error_message = 2;  // present: the probe failed
 *     optional string payload = 3;        // metric lines Cloudprober parses
 *   }
 *
 * Decoding follows the wire-format rules a Go peer (protobuf-go) follows: unknown fields are skipped,
 * a known field with an unexpected wire type is treated as unknown, the last value of a repeated
 * scalar occurrence wins, and a missing required field is an error.
 */
import { DecodeError } from '../decodeError';
import { WIRE_LEN, WIRE_VARINT, readVarint, skipField, varintSize, writeInt32Varint } from './protobufWire';

export interface ProbeOption {
  name: string;
  value: string;
}

export interface ProbeRequest {
  requestId: number;
  /** Milliseconds. */
  timeLimit: number;
  options: ProbeOption[];
}

export interface ProbeReply {
  requestId: number;
  errorMessage?: string;
  payload?: string;
}

const utf8 = new TextDecoder('utf-8');
const toUtf8 = new TextEncoder();

function readString(what: string, b: Uint8Array, offset: number, end: number): { value: string; next: number } {
  const len = readVarint(what, b, offset, end);
  if (len.value53 > end - len.next) throw new DecodeError(what, offset, `string of ${len.value53} bytes runs past the end (${end - len.next} left)`);
  const stop = len.next + len.value53;
  return { value: utf8.decode(b.subarray(len.next, stop)), next: stop };
}

function decodeOption(b: Uint8Array, start: number, end: number): ProbeOption {
  const what = 'cloudprober.ProbeRequest.Option';
  let name: string | undefined;
  let value: string | undefined;
  let at = start;
  while (at < end) {
    const tag = readVarint(what, b, at, end);
    const field = tag.value >>> 3;
    const wireType = tag.value & 7;
    if (field === 0) throw new DecodeError(what, at, 'field number 0');
    if ((field === 1 || field === 2) && wireType === WIRE_LEN) {
      const s = readString(what, b, tag.next, end);
      if (field === 1) name = s.value;
      else value = s.value;
      at = s.next;
    } else {
      at = skipField(what, b, tag.next, end, wireType, field);
    }
  }
  if (name === undefined) throw new DecodeError(what, start, 'required field name (1) is missing');
  if (value === undefined) throw new DecodeError(what, start, 'required field value (2) is missing');
  return { name, value };
}

/** Decodes a ProbeRequest from `b[offset..end)`; throws DecodeError with the byte offset when malformed. */
export function decodeProbeRequest(b: Uint8Array, offset = 0, end = b.length): ProbeRequest {
  const what = 'cloudprober.ProbeRequest';
  let requestId: number | undefined;
  let timeLimit: number | undefined;
  const options: ProbeOption[] = [];
  let at = offset;
  while (at < end) {
    const tag = readVarint(what, b, at, end);
    const field = tag.value >>> 3;
    const wireType = tag.value & 7;
    if (field === 0) throw new DecodeError(what, at, 'field number 0');
    if ((field === 1 || field === 2) && wireType === WIRE_VARINT) {
      const v = readVarint(what, b, tag.next, end);
      if (field === 1) requestId = v.value | 0;
      else timeLimit = v.value | 0;
      at = v.next;
    } else if (field === 3 && wireType === WIRE_LEN) {
      const len = readVarint(what, b, tag.next, end);
      if (len.value53 > end - len.next) throw new DecodeError(what, tag.next, `option of ${len.value53} bytes runs past the end (${end - len.next} left)`);
      options.push(decodeOption(b, len.next, len.next + len.value53));
      at = len.next + len.value53;
    } else {
      at = skipField(what, b, tag.next, end, wireType, field);
    }
  }
  if (requestId === undefined) throw new DecodeError(what, offset, 'required field request_id (1) is missing');
  if (timeLimit === undefined) throw new DecodeError(what, offset, 'required field time_limit (2) is missing');
  return { requestId, timeLimit, options };
}

/** Decodes a ProbeReply from `b[offset..end)`; throws DecodeError with the byte offset when malformed. */
export function decodeProbeReply(b: Uint8Array, offset = 0, end = b.length): ProbeReply {
  const what = 'cloudprober.ProbeReply';
  let requestId: number | undefined;
  const reply: Partial<ProbeReply> = {};
  let at = offset;
  while (at < end) {
    const tag = readVarint(what, b, at, end);
    const field = tag.value >>> 3;
    const wireType = tag.value & 7;
    if (field === 0) throw new DecodeError(what, at, 'field number 0');
    if (field === 1 && wireType === WIRE_VARINT) {
      const v = readVarint(what, b, tag.next, end);
      requestId = v.value | 0;
      at = v.next;
    } else if ((field === 2 || field === 3) && wireType === WIRE_LEN) {
      const s = readString(what, b, tag.next, end);
      if (field === 2) reply.errorMessage = s.value;
      else reply.payload = s.value;
      at = s.next;
    } else {
      at = skipField(what, b, tag.next, end, wireType, field);
    }
  }
  if (requestId === undefined) throw new DecodeError(what, offset, 'required field request_id (1) is missing');
  return { requestId, ...reply };
}

/** Checks an int32 field's value before encoding: the schema cannot carry anything else. */
function int32(name: string, v: number): number {
  if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new RangeError(`${name} must be an int32, got ${v}`);
  return v;
}

function lengthDelimitedSize(len: number): number {
  return 1 + varintSize(len) + len;
}

function writeBytes(out: Uint8Array, at: number, tag: number, bytes: Uint8Array): number {
  out[at++] = tag;
  at = writeInt32Varint(out, at, bytes.length);
  out.set(bytes, at);
  return at + bytes.length;
}

/** The protobuf bytes of a ProbeRequest (fields in number order, as protobuf-go writes them). */
export function encodeProbeRequest(req: ProbeRequest): Uint8Array {
  const id = int32('request_id', req.requestId);
  const limit = int32('time_limit', req.timeLimit);
  const opts = req.options.map((o) => ({ name: toUtf8.encode(o.name), value: toUtf8.encode(o.value) }));
  const optSizes = opts.map((o) => lengthDelimitedSize(o.name.length) + lengthDelimitedSize(o.value.length));
  let size = 1 + varintSize(id) + 1 + varintSize(limit);
  for (const s of optSizes) size += lengthDelimitedSize(s);
  const out = new Uint8Array(size);
  let at = 0;
  out[at++] = (1 << 3) | WIRE_VARINT;
  at = writeInt32Varint(out, at, id);
  out[at++] = (2 << 3) | WIRE_VARINT;
  at = writeInt32Varint(out, at, limit);
  opts.forEach((o, i) => {
    out[at++] = (3 << 3) | WIRE_LEN;
    at = writeInt32Varint(out, at, optSizes[i]!);
    at = writeBytes(out, at, (1 << 3) | WIRE_LEN, o.name);
    at = writeBytes(out, at, (2 << 3) | WIRE_LEN, o.value);
  });
  return out;
}

/** The protobuf bytes of a ProbeReply; absent optional fields are not written. */
export function encodeProbeReply(reply: ProbeReply): Uint8Array {
  const id = int32('request_id', reply.requestId);
  const err = reply.errorMessage === undefined ? undefined : toUtf8.encode(reply.errorMessage);
  const payload = reply.payload === undefined ? undefined : toUtf8.encode(reply.payload);
  let size = 1 + varintSize(id);
  if (err) size += lengthDelimitedSize(err.length);
  if (payload) size += lengthDelimitedSize(payload.length);
  const out = new Uint8Array(size);
  let at = 0;
  out[at++] = (1 << 3) | WIRE_VARINT;
  at = writeInt32Varint(out, at, id);
  if (err) at = writeBytes(out, at, (2 << 3) | WIRE_LEN, err);
  if (payload) writeBytes(out, at, (3 << 3) | WIRE_LEN, payload);
  return out;
}
