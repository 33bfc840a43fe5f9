/**
 * The few pieces of the protocol-buffers wire format (protobuf.dev/programming-guides/encoding) that
 * Cloudprober's two external-probe messages need: base-128 varints, tags, length-delimited fields,
 * and skipping any field a reader does not know (wire types 0, 1, 2, 5, and 3/4 groups).
 */
import { DecodeError } from '../decodeError';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_SGROUP = 3;
export const WIRE_EGROUP = 4;
export const WIRE_I32 = 5;

/** A varint read: its low 32 bits as an unsigned number (enough for tags, lengths and int32) and where it ended. */
export interface Varint {
  /** The low 32 bits, unsigned. An int32 field is `value | 0` (negative int32s are sign-extended to 10 bytes). */
  value: number;
  /** The low 53 bits, for lengths bigger than 32 bits (always an error here, but reported exactly). */
  value53: number;
  next: number;
}

/** Reads a varint at `offset` (at most 10 bytes, §"Base 128 Varints"). */
export function readVarint(what: string, b: Uint8Array, offset: number, end: number): Varint {
  let lo = 0;
  let value53 = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    const at = offset + i;
    if (at >= end) throw new DecodeError(what, offset, 'varint runs past the end');
    const byte = b[at]!;
    if (i < 5) lo |= (byte & 0x7f) << (7 * i); // bits past 32 fall off the shift, as wanted
    if (scale < 2 ** 53) value53 += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return { value: lo >>> 0, value53, next: at + 1 };
  }
  throw new DecodeError(what, offset, 'varint longer than 10 bytes');
}

/** Offset after the field whose tag (with wire type `wireType`, field number `field`) ended at `offset`. */
export function skipField(what: string, b: Uint8Array, offset: number, end: number, wireType: number, field: number, depth = 0): number {
  switch (wireType) {
    case WIRE_VARINT:
      return readVarint(what, b, offset, end).next;
    case WIRE_I64:
      if (offset + 8 > end) throw new DecodeError(what, offset, 'fixed64 field runs past the end');
      return offset + 8;
    case WIRE_I32:
      if (offset + 4 > end) throw new DecodeError(what, offset, 'fixed32 field runs past the end');
      return offset + 4;
    case WIRE_LEN: {
      const len = readVarint(what, b, offset, end);
      if (len.value53 > end - len.next) throw new DecodeError(what, offset, `length ${len.value53} runs past the end (${end - len.next} left)`);
      return len.next + len.value53;
    }
    case WIRE_SGROUP: {
      // Deprecated groups: skip fields up to the matching end-group tag.
      if (depth > 32) throw new DecodeError(what, offset, 'groups nested too deep');
      let at = offset;
      for (;;) {
        if (at >= end) throw new DecodeError(what, offset, `group ${field} has no end`);
        const tag = readVarint(what, b, at, end);
        const wt = tag.value & 7;
        const fn = tag.value >>> 3;
        if (wt === WIRE_EGROUP) {
          if (fn !== field) throw new DecodeError(what, at, `end of group ${fn} inside group ${field}`);
          return tag.next;
        }
        at = skipField(what, b, tag.next, end, wt, fn, depth + 1);
      }
    }
    default:
      throw new DecodeError(what, offset, `wire type ${wireType} (field ${field}) is not valid here`);
  }
}

/** Bytes a varint of the unsigned 32-bit (or sign-extended 64-bit, for negative int32) value takes. */
export function varintSize(int32: number): number {
  if (int32 < 0) return 10;
  let n = 1;
  for (let v = int32 >>> 7; v !== 0; v >>>= 7) n++;
  return n;
}

/**
 * Writes an int32 as a varint at `offset`; returns the offset after it. A negative int32 is
 * sign-extended to 64 bits (10 bytes), as the encoding guide says for int32.
 */
export function writeInt32Varint(out: Uint8Array, offset: number, int32: number): number {
  let at = offset;
  if (int32 < 0) {
    let v = int32 >>> 0;
    for (let i = 0; i < 4; i++) { out[at++] = (v & 0x7f) | 0x80; v >>>= 7; }
    out[at++] = (v & 0x0f) | 0x70 | 0x80; // bits 28..31, then the sign extension (bits 32..34 set)
    for (let i = 0; i < 4; i++) out[at++] = 0xff;
    out[at++] = 0x01;
    return at;
  }
  let v = int32 >>> 0;
  while (v >= 0x80) { out[at++] = (v & 0x7f) | 0x80; v >>>= 7; }
  out[at++] = v;
  return at;
}
