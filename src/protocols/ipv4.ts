import { formatIpv4 } from './addresses';
import { u16 } from './bytes';
import { DecodeError } from './decodeError';

/** IPv4 header (RFC 791 section 3.1). `end` is the end of the header including options. */
export interface Ipv4Layer {
  kind: 'ipv4';
  start: number;
  end: number;
  /** Header length in bytes (IHL × 4). */
  headerLength: number;
  dscp: number;
  ecn: number;
  /** Total length in bytes, header and payload; 0 (segmentation offload) is taken as "to the end of the frame". */
  totalLength: number;
  identification: number;
  dontFragment: boolean;
  moreFragments: boolean;
  /** Fragment offset in bytes (the 13-bit field × 8). */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  checksum: number;
  src: string;
  dst: string;
  /** Options occupy [start + 20, end); empty when the header is 20 bytes. Read them with ipv4Options(). */
  optionsStart: number;
}

export const IPV4_MIN_HEADER_LENGTH = 20;

/**
 * Decodes the IPv4 header at `offset`; undefined when its fixed 20 bytes do not fit before `end` (options cut
 * short are not an error here: the layer's `end` then lies beyond the bytes, and the caller notices).
 * Throws DecodeError for a header that contradicts itself: version not 4, IHL < 5, total length < IHL × 4.
 */
export function decodeIpv4(buf: Uint8Array, offset: number, end: number): Ipv4Layer | undefined {
  if (end - offset < IPV4_MIN_HEADER_LENGTH) return undefined;
  const b0 = buf[offset];
  if (b0 >>> 4 !== 4) throw new DecodeError('ipv4', offset, `version ${b0 >>> 4}, expected 4`);
  const headerLength = (b0 & 0x0f) * 4;
  if (headerLength < IPV4_MIN_HEADER_LENGTH) {
    throw new DecodeError('ipv4', offset, `header length ${headerLength} is less than 20 (IHL ${b0 & 0x0f})`);
  }
  const totalLength = u16(buf, offset + 2);
  if (totalLength !== 0 && totalLength < headerLength) {
    throw new DecodeError('ipv4', offset + 2, `total length ${totalLength} is less than the header length ${headerLength}`);
  }
  const flagsFragment = u16(buf, offset + 6);
  return {
    kind: 'ipv4',
    start: offset,
    end: offset + headerLength,
    headerLength,
    dscp: buf[offset + 1] >>> 2,
    ecn: buf[offset + 1] & 3,
    totalLength,
    identification: u16(buf, offset + 4),
    dontFragment: (flagsFragment & 0x4000) !== 0,
    moreFragments: (flagsFragment & 0x2000) !== 0,
    fragmentOffset: (flagsFragment & 0x1fff) * 8,
    ttl: buf[offset + 8],
    protocol: buf[offset + 9],
    checksum: u16(buf, offset + 10),
    src: formatIpv4(buf, offset + 12),
    dst: formatIpv4(buf, offset + 16),
    optionsStart: offset + IPV4_MIN_HEADER_LENGTH,
  };
}

/** One IPv4 option (RFC 791 section 3.1, "Options"): its type octet and where its bytes are. */
export interface Ipv4Option {
  /** The whole type octet (copied flag, class, number), e.g. 0x94 Router Alert (RFC 2113), 0x44 Timestamp. */
  type: number;
  start: number;
  /** Total length in bytes, type and length octets included (1 for End of Options List and No Operation). */
  length: number;
}

/**
 * The options of a decoded IPv4 header, read on demand (most packets have none, and most callers never look).
 * Stops at End of Options List; options cut short by the end of the buffer are left out.
 * Throws DecodeError when an option's length octet is < 2 or runs past the header.
 */
export function ipv4Options(buf: Uint8Array, layer: Ipv4Layer): Ipv4Option[] {
  const options: Ipv4Option[] = [];
  const end = Math.min(layer.end, buf.length);
  let o = layer.optionsStart;
  while (o < end) {
    const type = buf[o];
    if (type === 0) {
      options.push({ type, start: o, length: 1 });
      break;
    }
    if (type === 1) {
      options.push({ type, start: o, length: 1 });
      o++;
      continue;
    }
    if (o + 1 >= end) break;
    const length = buf[o + 1];
    if (length < 2) throw new DecodeError('ipv4.option', o + 1, `option ${type} has length ${length}, at least 2 expected`);
    if (o + length > layer.end) throw new DecodeError('ipv4.option', o + 1, `option ${type} of length ${length} runs past the header`);
    if (o + length > end) break;
    options.push({ type, start: o, length });
    o += length;
  }
  return options;
}
