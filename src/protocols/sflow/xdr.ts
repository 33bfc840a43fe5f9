/**
 * XDR helpers for sFlow v5 (RFC 4506 via sflow.org "sFlow Version 5", section "sFlow Datagram Format"):
 * every item is big-endian and 4-byte aligned, and variable-length opaques and strings are padded to a
 * multiple of 4. The hot paths (datagram, samples, the common records) write their 32-bit reads out inline;
 * these are for the rarer fields.
 */
import { formatIpv4, formatIpv6 } from '../addresses';
import { DecodeError } from '../decodeError';

/** The length of an XDR opaque or string of `n` bytes on the wire: rounded up to a multiple of 4. */
export function padded(n: number): number {
  return (n + 3) & ~3;
}

/**
 * An unsigned 64-bit counter as a number: exact up to 2^53 (9 PB of octets), which is what JSON and the
 * panels can carry; above that the low bits are rounded.
 */
export function u64(b: Uint8Array, o: number): number {
  const hi = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  const lo = ((b[o + 4] << 24) | (b[o + 5] << 16) | (b[o + 6] << 8) | b[o + 7]) >>> 0;
  return hi * 4294967296 + lo;
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** sFlow `address` type (spec "Address Types"): 0 unknown, 1 IPv4, 2 IPv6. */
export const ADDRESS_UNKNOWN = 0;
export const ADDRESS_IPV4 = 1;
export const ADDRESS_IPV6 = 2;

/** Bytes of the address value after its type word, or -1 for a type the spec does not define. */
export function addressLength(type: number): number {
  return type === ADDRESS_IPV4 ? 4 : type === ADDRESS_IPV6 ? 16 : type === ADDRESS_UNKNOWN ? 0 : -1;
}

/** An address value as text ("" for type 0, unknown). */
export function formatAddress(b: Uint8Array, type: number, o: number): string {
  return type === ADDRESS_IPV4 ? formatIpv4(b, o) : type === ADDRESS_IPV6 ? formatIpv6(b, o) : '';
}

/**
 * Reads an `address` (type word + value) at `o` that must end by `end`; returns the offset after it.
 * Throws DecodeError for an undefined type or a value cut short.
 */
export function skipAddress(what: string, b: Uint8Array, o: number, end: number): number {
  if (o + 4 > end) throw new DecodeError(what, o, `address type needs 4 bytes, ${Math.max(0, end - o)} left`);
  const type = u32(b, o);
  const n = addressLength(type);
  if (n < 0) throw new DecodeError(what, o, `address type ${type}, expected 0, 1 (IPv4) or 2 (IPv6)`);
  if (o + 4 + n > end) throw new DecodeError(what, o + 4, `address of type ${type} needs ${n} bytes, ${end - o - 4} left`);
  return o + 4 + n;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** An XDR string<> at `o` (length word, bytes, padding) that must end by `end`: its text and the offset after it. */
export function readString(what: string, b: Uint8Array, o: number, end: number): { text: string; next: number } {
  if (o + 4 > end) throw new DecodeError(what, o, `string length needs 4 bytes, ${Math.max(0, end - o)} left`);
  const n = u32(b, o);
  if (n > end - o - 4) throw new DecodeError(what, o, `string of ${n} bytes runs past the record (${end - o - 4} left)`);
  const next = o + 4 + padded(n);
  if (next > end) throw new DecodeError(what, o, `string padding runs past the record`);
  return { text: utf8.decode(b.subarray(o + 4, o + 4 + n)), next };
}
