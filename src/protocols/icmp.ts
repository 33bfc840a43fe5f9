import { formatIpv4 } from './addresses';
import { CHECKSUM_OK, onesComplementSum } from './internetChecksum';
import type { DecodedPacket } from './packet';

/**
 * ICMP header (RFC 792): type, code, checksum and the 4-byte "rest of header". For Echo (8) / Echo Reply (0),
 * Timestamp (13/14) and Information (15/16) that word is an identifier and a sequence number; for a Redirect
 * (5) the gateway's address; for Parameter Problem (12) a pointer (first byte); for Destination Unreachable
 * code 4, "fragmentation needed and DF set", the next-hop MTU (RFC 1191 section 4, low 16 bits).
 *
 * The error messages (3 Destination Unreachable, 4 Source Quench, 5 Redirect, 11 Time Exceeded, 12 Parameter
 * Problem) carry the internet header and first 64 bits of data of the datagram that caused them: the packet
 * dispatcher decodes that into `quoted`, a packet of its own, so the outer packet's 5-tuple stays the ICMP one.
 */
export interface IcmpLayer {
  kind: 'icmp';
  start: number;
  end: number;
  type: number;
  code: number;
  checksum: number;
  identifier: number | undefined;
  sequence: number | undefined;
  /** Redirect (type 5): the gateway to send to instead, at byte 4. */
  gateway: string | undefined;
  /** Parameter Problem (type 12): the octet of the quoted header where the problem was found. */
  pointer: number | undefined;
  /** Destination Unreachable, fragmentation needed (type 3 code 4): the next-hop MTU. */
  mtu: number | undefined;
  /** Error messages: the quoted datagram (IP header and the start of its payload), decoded. */
  quoted: DecodedPacket | undefined;
}

export const ICMP_HEADER_LENGTH = 8;

const ICMP_DESTINATION_UNREACHABLE = 3;
const ICMP_REDIRECT = 5;
const ICMP_PARAMETER_PROBLEM = 12;
/** Destination Unreachable code 4: fragmentation needed and DF set (RFC 1191 section 4 adds the MTU). */
const CODE_FRAGMENTATION_NEEDED = 4;

function hasIdentifier(type: number): boolean {
  return type === 0 || type === 8 || (type >= 13 && type <= 16);
}

/** True for the error messages whose body quotes the offending datagram (RFC 792; RFC 1122 section 3.2.2). */
export function isIcmpError(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

/**
 * Decodes an ICMP header; undefined when not even type, code and checksum (4 bytes) fit. The layer always
 * spans 8 bytes; when only 4…7 are there its `end` lies past the bytes and the rest-of-header fields are left out.
 */
export function decodeIcmp(buf: Uint8Array, offset: number, end: number): IcmpLayer | undefined {
  if (end - offset < 4) return undefined;
  const type = buf[offset];
  const code = buf[offset + 1];
  const whole = end - offset >= ICMP_HEADER_LENGTH;
  const full = whole && hasIdentifier(type);
  return {
    kind: 'icmp',
    start: offset,
    end: offset + ICMP_HEADER_LENGTH,
    type,
    code,
    checksum: (buf[offset + 2] << 8) | buf[offset + 3],
    identifier: full ? ((buf[offset + 4] << 8) | buf[offset + 5]) : undefined,
    sequence: full ? ((buf[offset + 6] << 8) | buf[offset + 7]) : undefined,
    gateway: whole && type === ICMP_REDIRECT ? formatIpv4(buf, offset + 4) : undefined,
    pointer: whole && type === ICMP_PARAMETER_PROBLEM ? buf[offset + 4] : undefined,
    mtu: whole && type === ICMP_DESTINATION_UNREACHABLE && code === CODE_FRAGMENTATION_NEEDED ? (buf[offset + 6] << 8) | buf[offset + 7] : undefined,
    quoted: undefined,
  };
}

/**
 * Whether the ICMP checksum is right (RFC 792: over the whole message), the message being
 * buf[layer.start, messageEnd) by its IP header's length; undefined when the bytes end before it
 * (`bytesEnd`: a capture or a sampled header cut it), as it cannot be verified then.
 */
export function icmpChecksumValid(buf: Uint8Array, layer: IcmpLayer, messageEnd: number, bytesEnd = buf.length): boolean | undefined {
  if (messageEnd > bytesEnd || messageEnd < layer.start + 4) return undefined;
  return onesComplementSum(buf, layer.start, messageEnd) === CHECKSUM_OK;
}
