import { need } from '../decodeError';
import { BgpError } from './errors';

/** RFC 4271 §4.1: 16-octet marker, 2-octet length, 1-octet type. */
export const HEADER_LENGTH = 19;
/** RFC 4271 §4.1: the largest message (RFC 8654 extended messages are not negotiated by labtel). */
export const MAX_MESSAGE_LENGTH = 4096;

/** Message types, RFC 4271 §4.1; 5 is ROUTE-REFRESH, RFC 2918 §3. */
export const MessageType = { Open: 1, Update: 2, Notification: 3, Keepalive: 4, RouteRefresh: 5 } as const;
export type MessageTypeCode = (typeof MessageType)[keyof typeof MessageType];

/** RFC 4271 §6.1: the smallest length each type may have (KEEPALIVE and ROUTE-REFRESH have an exact one). */
const minLength: Record<number, number> = { 1: 29, 2: 23, 3: 21, 4: 19, 5: 23 };

export interface BgpHeader {
  /** Total message length, header included. */
  length: number;
  type: MessageTypeCode;
}

/**
 * Decodes and checks the header at `offset` (RFC 4271 §4.1, errors §6.1): the marker must be all ones,
 * the length within 19..4096 and at least the type's minimum, the type one labtel knows.
 */
export function decodeHeader(buf: Uint8Array, offset: number, end: number = buf.length): BgpHeader {
  need('bgp.header', offset, HEADER_LENGTH, end);
  for (let i = 0; i < 16; i++) {
    if (buf[offset + i] !== 0xff) {
      throw new BgpError('bgp.header', offset + i, 'marker is not all ones', 1, 1);
    }
  }
  const length = (buf[offset + 16]! << 8) | buf[offset + 17]!;
  const type = buf[offset + 18]!;
  if (length < HEADER_LENGTH || length > MAX_MESSAGE_LENGTH) {
    throw new BgpError('bgp.header', offset + 16, `length ${length} outside 19..4096`, 1, 2, lengthField(buf, offset));
  }
  const min = minLength[type];
  if (min === undefined) {
    throw new BgpError('bgp.header', offset + 18, `unknown message type ${type}`, 1, 3, buf.subarray(offset + 18, offset + 19));
  }
  if (length < min || (type === MessageType.Keepalive && length !== HEADER_LENGTH)) {
    throw new BgpError('bgp.header', offset + 16, `length ${length} impossible for message type ${type}`, 1, 2, lengthField(buf, offset));
  }
  return { length, type: type as MessageTypeCode };
}

/** The NOTIFICATION data of a length error (RFC 4271 §6.1): made only for one, as a view per header costs. */
function lengthField(buf: Uint8Array, offset: number): Uint8Array {
  return buf.subarray(offset + 16, offset + 18);
}

const SLAB = 64 * 1024;
let slab = new ArrayBuffer(SLAB);
let slabUsed = 0;

/**
 * Zeroed room for one encoded message. A fresh Uint8Array costs a backing-store allocation each time
 * (≈ 1 µs); messages are carved instead from 64 KiB slabs that are never reused — so the room is zero
 * like a new array, and a message kept alive keeps only its slab (as Node's Buffer pool does).
 */
export function allocMessage(length: number): Uint8Array {
  if (length > SLAB / 4) return new Uint8Array(length);
  if (slabUsed + length > SLAB) {
    slab = new ArrayBuffer(SLAB);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, length);
  slabUsed += (length + 7) & ~7;
  return out;
}

/** Writes a header (marker, length, type) at `offset`. */
export function writeHeader(out: Uint8Array, offset: number, length: number, type: number): void {
  out.fill(0xff, offset, offset + 16);
  out[offset + 16] = length >>> 8;
  out[offset + 17] = length & 0xff;
  out[offset + 18] = type;
}

/** RFC 4271 §4.4: a KEEPALIVE is a bare header. */
export function encodeKeepalive(): Uint8Array {
  const out = new Uint8Array(HEADER_LENGTH);
  writeHeader(out, 0, HEADER_LENGTH, MessageType.Keepalive);
  return out;
}
