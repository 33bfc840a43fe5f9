import { u16, u32 } from './bytes';

/** IPv6 extension header numbers (RFC 8200 section 4.1; AH RFC 4302) that the packet walk steps over. */
export const IPV6_HOP_BY_HOP = 0;
export const IPV6_ROUTING = 43;
export const IPV6_FRAGMENT = 44;
export const IPV6_DESTINATION_OPTIONS = 60;
export const IPV6_NO_NEXT_HEADER = 59;

/**
 * Hop-by-Hop Options (RFC 8200 4.3) or Destination Options (4.6): next header, length in 8-octet units not
 * counting the first 8, then TLV options in [optionsStart, end).
 */
export interface Ipv6OptionsLayer {
  kind: 'ipv6-hopopts' | 'ipv6-dstopts';
  start: number;
  end: number;
  nextHeader: number;
  /** Header length in bytes. */
  length: number;
  optionsStart: number;
}

/** Routing header (RFC 8200 4.4): the type-specific data is left in place in [start + 4, end). */
export interface Ipv6RoutingLayer {
  kind: 'ipv6-routing';
  start: number;
  end: number;
  nextHeader: number;
  length: number;
  routingType: number;
  segmentsLeft: number;
}

/** Fragment header (RFC 8200 4.5): only the fragment at offset 0 carries the upper-layer header. */
export interface Ipv6FragmentLayer {
  kind: 'ipv6-fragment';
  start: number;
  end: number;
  nextHeader: number;
  /** Fragment offset in bytes (the 13-bit field × 8). */
  fragmentOffset: number;
  moreFragments: boolean;
  identification: number;
}

export type Ipv6ExtensionLayer = Ipv6OptionsLayer | Ipv6RoutingLayer | Ipv6FragmentLayer;

export function isIpv6Extension(nextHeader: number): boolean {
  return (
    nextHeader === IPV6_HOP_BY_HOP ||
    nextHeader === IPV6_ROUTING ||
    nextHeader === IPV6_FRAGMENT ||
    nextHeader === IPV6_DESTINATION_OPTIONS
  );
}

/**
 * Decodes the extension header numbered `header` at `offset`; undefined when its first 8 bytes do not fit
 * before `end` (a longer header whose tail is cut has its declared `end` beyond the bytes; the caller checks).
 */
export function decodeIpv6Extension(
  buf: Uint8Array,
  offset: number,
  end: number,
  header: number,
): Ipv6ExtensionLayer | undefined {
  if (end - offset < 8) return undefined;
  const nextHeader = buf[offset];
  if (header === IPV6_FRAGMENT) {
    const word = u16(buf, offset + 2);
    return {
      kind: 'ipv6-fragment',
      start: offset,
      end: offset + 8,
      nextHeader,
      fragmentOffset: word & 0xfff8,
      moreFragments: (word & 1) !== 0,
      identification: u32(buf, offset + 4),
    };
  }
  const length = (buf[offset + 1] + 1) * 8;
  if (header === IPV6_ROUTING) {
    return {
      kind: 'ipv6-routing',
      start: offset,
      end: offset + length,
      nextHeader,
      length,
      routingType: buf[offset + 2],
      segmentsLeft: buf[offset + 3],
    };
  }
  return {
    kind: header === IPV6_HOP_BY_HOP ? 'ipv6-hopopts' : 'ipv6-dstopts',
    start: offset,
    end: offset + length,
    nextHeader,
    length,
    optionsStart: offset + 2,
  };
}
