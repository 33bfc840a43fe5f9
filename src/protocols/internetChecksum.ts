/**
 * The Internet checksum (RFC 1071): the 16-bit ones' complement of the ones' complement sum of the data as
 * 16-bit words. Verifying one sums the data with its checksum in place: a correct one gives 0xffff. Used on
 * demand (labtel verifies ICMP and ICMPv6 checksums when asked, never while decoding).
 */

/** The ones' complement sum of buf[start, end) as big-endian 16-bit words (an odd last byte padded with zero), added to `sum`. */
export function onesComplementSum(buf: Uint8Array, start: number, end: number, sum = 0): number {
  let s = sum;
  let i = start;
  for (; i + 1 < end; i += 2) s += (buf[i] << 8) | buf[i + 1];
  if (i < end) s += buf[i] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** The sum of the IPv6 pseudo-header (RFC 8200 section 8.1): source, destination, upper-layer length, next header. */
export function ipv6PseudoHeaderSum(buf: Uint8Array, ipv6Start: number, upperLength: number, nextHeader: number): number {
  let s = onesComplementSum(buf, ipv6Start + 8, ipv6Start + 40);
  s += (upperLength >>> 16) + (upperLength & 0xffff) + nextHeader;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** 0xffff: what a message sums to with a correct checksum in place. */
export const CHECKSUM_OK = 0xffff;
