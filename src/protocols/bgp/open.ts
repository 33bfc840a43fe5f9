import { formatIpv4, writeIpv4 } from './address';
import { capabilitiesLength, decodeCapabilities, writeCapabilities, type Capability } from './capabilities';
import { BgpError } from './errors';
import { HEADER_LENGTH, MessageType, writeHeader } from './header';

/** RFC 6793 §9: the 2-octet placeholder for an AS number that does not fit in 16 bits. */
export const AS_TRANS = 23456;

/** Optional parameter types, RFC 5492 §4 (type 1, authentication, is deprecated by RFC 5492). */
const CAPABILITIES_PARAMETER = 2;

/** RFC 4271 §4.2. */
export interface OpenMessage {
  version: number;
  /** The 2-octet My Autonomous System field (AS_TRANS when the real AS is in the 4-octet capability). */
  myAs: number;
  /** Seconds; 0 means no keepalives and no hold timer. */
  holdTime: number;
  /** BGP Identifier, dotted quad. */
  bgpId: string;
  /** Every capability from every Capabilities optional parameter, in order. */
  capabilities: Capability[];
}

/** The peer's real AS: the 4-octet AS capability's (RFC 6793 §3) or else the 2-octet field. */
export function peerAs(open: OpenMessage): number {
  for (const c of open.capabilities) if (c.kind === 'four-octet-as') return c.asn;
  return open.myAs;
}

function openError(offset: number, reason: string, subcode: number, data?: Uint8Array): BgpError {
  return new BgpError('bgp.open', offset, reason, 2, subcode, data);
}

/**
 * Decodes an OPEN body buf[offset, end) (just past the header). Checks RFC 4271 §6.2's errors that need
 * no configuration — version, hold time 1 or 2, BGP Identifier 0 (RFC 6286 §2.2), AS 0 (RFC 7607),
 * optional parameter framing and types — and leaves peer AS and identifier comparison to the session.
 * RFC 9072 extended optional parameters are understood.
 */
export function decodeOpen(buf: Uint8Array, offset: number, end: number): OpenMessage {
  if (end - offset < 10) throw new BgpError('bgp.open', offset, 'shorter than 10 octets', 1, 2);
  const version = buf[offset]!;
  if (version !== 4) {
    // §6.2: the data is the largest locally supported version below the bid (or the smallest one): 4.
    throw openError(offset, `unsupported version ${version}`, 1, Uint8Array.of(0, 4));
  }
  const myAs = (buf[offset + 1]! << 8) | buf[offset + 2]!;
  if (myAs === 0) throw openError(offset + 1, 'My Autonomous System is 0 (RFC 7607)', 2);
  const holdTime = (buf[offset + 3]! << 8) | buf[offset + 4]!;
  if (holdTime === 1 || holdTime === 2) throw openError(offset + 3, `hold time ${holdTime} is neither 0 nor ≥ 3`, 6);
  const idValue = ((buf[offset + 5]! << 24) | (buf[offset + 6]! << 16) | (buf[offset + 7]! << 8) | buf[offset + 8]!) >>> 0;
  if (idValue === 0) throw openError(offset + 5, 'BGP Identifier 0', 3);
  const bgpId = formatIpv4(buf, offset + 5);

  let optLen = buf[offset + 9]!;
  let p = offset + 10;
  let extended = false;
  // RFC 9072 §2: Non-Ext OP Len 255 and Non-Ext OP Type 255 announce 2-octet lengths.
  if (optLen === 255 && p < end && buf[p] === 255) {
    if (p + 3 > end) throw openError(p, 'extended optional parameters length runs past the message', 0);
    optLen = (buf[p + 1]! << 8) | buf[p + 2]!;
    p += 3;
    extended = true;
  }
  if (p + optLen !== end) {
    throw openError(offset + 9, `optional parameters length ${optLen} does not match the ${end - p} octets left`, 0);
  }
  const capabilities: Capability[] = [];
  const headLen = extended ? 3 : 2;
  while (p < end) {
    if (p + headLen > end) throw openError(p, 'optional parameter header runs past the parameters', 0);
    const type = buf[p]!;
    const len = extended ? (buf[p + 1]! << 8) | buf[p + 2]! : buf[p + 1]!;
    const v = p + headLen;
    if (v + len > end) throw openError(p + 1, `optional parameter length ${len} runs past the parameters`, 0);
    if (type !== CAPABILITIES_PARAMETER) throw openError(p, `unsupported optional parameter type ${type}`, 4);
    decodeCapabilities(buf, v, v + len, capabilities);
    p = v + len;
  }
  return { version, myAs, holdTime, bgpId, capabilities };
}

/** A whole OPEN message: all capabilities in one Capabilities parameter (RFC 9072 form when it exceeds 255 octets). */
export function encodeOpen(open: Omit<OpenMessage, 'version'> & { version?: number }): Uint8Array {
  const capLen = capabilitiesLength(open.capabilities);
  const extended = capLen + 2 > 255;
  const optLen = open.capabilities.length === 0 ? 0 : capLen + (extended ? 3 : 2);
  const length = HEADER_LENGTH + 10 + (extended ? 3 : 0) + optLen;
  const out = new Uint8Array(length);
  writeHeader(out, 0, length, MessageType.Open);
  let p = HEADER_LENGTH;
  out[p] = open.version ?? 4;
  out[p + 1] = open.myAs >>> 8;
  out[p + 2] = open.myAs & 0xff;
  out[p + 3] = open.holdTime >>> 8;
  out[p + 4] = open.holdTime & 0xff;
  writeIpv4(open.bgpId, out, p + 5);
  p += 9;
  if (extended) {
    out[p] = 255; out[p + 1] = 255; out[p + 2] = optLen >>> 8; out[p + 3] = optLen & 0xff;
    p += 4;
  } else {
    out[p++] = optLen;
  }
  if (optLen > 0) {
    out[p++] = CAPABILITIES_PARAMETER;
    if (extended) { out[p++] = capLen >>> 8; out[p++] = capLen & 0xff; } else out[p++] = capLen;
    writeCapabilities(open.capabilities, out, p);
  }
  return out;
}
