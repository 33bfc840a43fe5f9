import { u32 } from './bytes';
import type { DecodedPacket } from './packet';

/**
 * ICMPv6 header (RFC 4443 section 2.1): type, code, checksum. Echo Request (128) and Reply (129) carry an
 * identifier and sequence number (RFC 4443 4.1/4.2); the error messages (types 1–4, section 3) a 32-bit word
 * — unused, the MTU of Packet Too Big (2), the pointer of Parameter Problem (4) — then as much of the invoking
 * packet as fits, which the packet dispatcher decodes into `quoted`. Those layers span 8 bytes, others 4 (the
 * message body, e.g. Neighbor Discovery fields, is payload).
 */
export interface Icmpv6Layer {
  kind: 'icmpv6';
  start: number;
  end: number;
  type: number;
  code: number;
  checksum: number;
  identifier: number | undefined;
  sequence: number | undefined;
  /** Packet Too Big (type 2): the MTU of the next-hop link. */
  mtu: number | undefined;
  /** Parameter Problem (type 4): the octet offset in the invoking packet where the error was found. */
  pointer: number | undefined;
  /** Error messages: the invoking packet, decoded from its IPv6 header. */
  quoted: DecodedPacket | undefined;
}

const ICMPV6_PACKET_TOO_BIG = 2;
const ICMPV6_PARAMETER_PROBLEM = 4;
/** Types below 128 are errors (RFC 4443 section 2.1); 1–4 are the ones RFC 4443 defines with a quoted packet. */
export function isIcmpv6Error(type: number): boolean {
  return type >= 1 && type <= 4;
}

export function decodeIcmpv6(buf: Uint8Array, offset: number, end: number): Icmpv6Layer | undefined {
  if (end - offset < 4) return undefined;
  const type = buf[offset];
  const echo = type === 128 || type === 129;
  const error = isIcmpv6Error(type);
  const whole = end - offset >= 8;
  const full = echo && whole;
  return {
    kind: 'icmpv6',
    start: offset,
    end: offset + (echo || error ? 8 : 4),
    type,
    code: buf[offset + 1],
    checksum: (buf[offset + 2] << 8) | buf[offset + 3],
    identifier: full ? ((buf[offset + 4] << 8) | buf[offset + 5]) : undefined,
    sequence: full ? ((buf[offset + 6] << 8) | buf[offset + 7]) : undefined,
    mtu: whole && type === ICMPV6_PACKET_TOO_BIG ? u32(buf, offset + 4) : undefined,
    pointer: whole && type === ICMPV6_PARAMETER_PROBLEM ? u32(buf, offset + 4) : undefined,
    quoted: undefined,
  };
}
