import { formatIpv6, formatMac } from './addresses';
import { u32 } from './bytes';
import { CHECKSUM_OK, ipv6PseudoHeaderSum, onesComplementSum } from './internetChecksum';
import type { DecodedPacket } from './packet';

/**
 * ICMPv6 header (RFC 4443 section 2.1): type, code, checksum. Echo Request (128) and Reply (129) carry an
 * identifier and sequence number (RFC 4443 4.1/4.2); the error messages (types 1–4, section 3) a 32-bit word
 * — unused, the MTU of Packet Too Big (2), the pointer of Parameter Problem (4) — then as much of the invoking
 * packet as fits, which the packet dispatcher decodes into `quoted`. Those layers span 8 bytes. Neighbor
 * Solicitation (135) and Advertisement (136) (RFC 4861 sections 4.3, 4.4) span 24: a reserved word (NA: the
 * R, S, O flags) and the target address; their options follow as payload, read with icmpv6Options(). Other
 * messages span 4 (their body is payload).
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
  /** Neighbor Solicitation / Advertisement: the target address. */
  targetAddress: string | undefined;
  /** Neighbor Advertisement: the flags word (0x80000000 Router, 0x40000000 Solicited, 0x20000000 Override). */
  naFlags: number | undefined;
}

const ND_NEIGHBOR_SOLICITATION = 135;
const ND_NEIGHBOR_ADVERTISEMENT = 136;
/** Header, reserved/flags word and target address (RFC 4861 sections 4.3 and 4.4). */
const ND_NEIGHBOR_LENGTH = 24;
/** ND option types with a link-layer address (RFC 4861 section 4.6.1). */
export const ND_OPTION_SOURCE_LINK_ADDRESS = 1;
export const ND_OPTION_TARGET_LINK_ADDRESS = 2;

/** An ND option (RFC 4861 section 4.6): type, length in units of 8 octets, and for types 1 and 2 an Ethernet address. */
export interface NdOption {
  type: number;
  /** Length in units of 8 octets, as on the wire. */
  length: number;
  start: number;
  linkAddress: string | undefined;
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
  const neighbor = type === ND_NEIGHBOR_SOLICITATION || type === ND_NEIGHBOR_ADVERTISEMENT;
  const whole = end - offset >= 8;
  const full = echo && whole;
  const target = neighbor && end - offset >= ND_NEIGHBOR_LENGTH;
  return {
    kind: 'icmpv6',
    start: offset,
    end: offset + (neighbor ? ND_NEIGHBOR_LENGTH : echo || error ? 8 : 4),
    type,
    code: buf[offset + 1],
    checksum: (buf[offset + 2] << 8) | buf[offset + 3],
    identifier: full ? ((buf[offset + 4] << 8) | buf[offset + 5]) : undefined,
    sequence: full ? ((buf[offset + 6] << 8) | buf[offset + 7]) : undefined,
    mtu: whole && type === ICMPV6_PACKET_TOO_BIG ? u32(buf, offset + 4) : undefined,
    pointer: whole && type === ICMPV6_PARAMETER_PROBLEM ? u32(buf, offset + 4) : undefined,
    quoted: undefined,
    targetAddress: target ? formatIpv6(buf, offset + 8) : undefined,
    naFlags: whole && type === ND_NEIGHBOR_ADVERTISEMENT ? u32(buf, offset + 4) : undefined,
  };
}

/**
 * The options after a Neighbor Solicitation or Advertisement, read on demand from the layer's end up to `end`
 * (the packet's payload end). Stops at an option cut short; an option of length 0 is invalid (RFC 4861
 * section 4.6: nodes must discard the packet) and ends the list.
 */
export function icmpv6Options(buf: Uint8Array, layer: Icmpv6Layer, end: number): NdOption[] {
  const options: NdOption[] = [];
  if (layer.targetAddress === undefined) return options;
  let o = layer.end;
  while (o + 2 <= end) {
    const type = buf[o];
    const length = buf[o + 1];
    if (length === 0 || o + length * 8 > end) break;
    const hasLink = (type === ND_OPTION_SOURCE_LINK_ADDRESS || type === ND_OPTION_TARGET_LINK_ADDRESS) && length === 1;
    options.push({ type, length, start: o, linkAddress: hasLink ? formatMac(buf, o + 2) : undefined });
    o += length * 8;
  }
  return options;
}

/**
 * Whether the ICMPv6 checksum is right (RFC 4443 section 2.3: over the message and the IPv6 pseudo-header of
 * the IPv6 header starting at `ipv6Start`), the message being buf[layer.start, messageEnd); undefined when the
 * bytes end before it (`bytesEnd`).
 */
export function icmpv6ChecksumValid(buf: Uint8Array, layer: Icmpv6Layer, ipv6Start: number, messageEnd: number, bytesEnd = buf.length): boolean | undefined {
  if (messageEnd > bytesEnd || messageEnd < layer.start + 4) return undefined;
  const ICMPV6_NEXT_HEADER = 58;
  const pseudo = ipv6PseudoHeaderSum(buf, ipv6Start, messageEnd - layer.start, ICMPV6_NEXT_HEADER);
  return onesComplementSum(buf, layer.start, messageEnd, pseudo) === CHECKSUM_OK;
}
