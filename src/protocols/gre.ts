import { u16, u32 } from './bytes';
import { DecodeError } from './decodeError';

/**
 * GRE header: RFC 2784 section 2 (C flag, version 0, protocol type), RFC 2890 (K key and S sequence
 * number), RFC 1701 (R routing, offset and Source Route Entries), RFC 2637 section 4.1 (version 1, the
 * enhanced GRE of PPTP, with the A acknowledgment number). The protocol type is an EtherType.
 */
export interface GreLayer {
  kind: 'gre';
  start: number;
  end: number;
  /** The first 16 bits: C R K S s Recur(3) A Flags(4) Ver(3). */
  flags: number;
  version: number;
  protocol: number;
  checksum: number | undefined;
  key: number | undefined;
  sequence: number | undefined;
  acknowledgment: number | undefined;
}

const GRE_CHECKSUM = 0x8000;
const GRE_ROUTING = 0x4000;
const GRE_KEY = 0x2000;
const GRE_SEQUENCE = 0x1000;
const GRE_ACK = 0x0080;

/** Decodes a GRE header; undefined when a field it announces does not fit before `end`; DecodeError for versions other than 0 and 1. */
export function decodeGre(buf: Uint8Array, offset: number, end: number): GreLayer | undefined {
  if (end - offset < 4) return undefined;
  const flags = u16(buf, offset);
  const version = flags & 7;
  if (version > 1) throw new DecodeError('gre', offset + 1, `version ${version}; only 0 (RFC 2784) and 1 (RFC 2637) exist`);
  let o = offset + 4;
  let checksum: number | undefined;
  let key: number | undefined;
  let sequence: number | undefined;
  let acknowledgment: number | undefined;
  if (flags & (GRE_CHECKSUM | GRE_ROUTING)) {
    // RFC 1701: checksum and offset are both present when either C or R is set.
    if (end - o < 4) return undefined;
    if (flags & GRE_CHECKSUM) checksum = u16(buf, o);
    o += 4;
  }
  if (flags & GRE_KEY) {
    if (end - o < 4) return undefined;
    key = u32(buf, o);
    o += 4;
  }
  if (flags & GRE_SEQUENCE) {
    if (end - o < 4) return undefined;
    sequence = u32(buf, o);
    o += 4;
  }
  if (version === 1 && flags & GRE_ACK) {
    if (end - o < 4) return undefined;
    acknowledgment = u32(buf, o);
    o += 4;
  }
  if (flags & GRE_ROUTING) {
    // RFC 1701 section 2.1.4: Source Route Entries (family 2, SRE offset 1, SRE length 1, then the route)
    // until one with length 0.
    for (;;) {
      if (end - o < 4) return undefined;
      const sreLength = buf[o + 3];
      o += 4 + sreLength;
      if (sreLength === 0) break;
    }
  }
  return {
    kind: 'gre',
    start: offset,
    end: o,
    flags,
    version,
    protocol: u16(buf, offset + 2),
    checksum,
    key,
    sequence,
    acknowledgment,
  };
}
