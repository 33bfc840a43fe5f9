import { formatIpv4 } from './addresses';
import { DecodeError } from './decodeError';

/**
 * IPv4 header (RFC 791 section 3.1). `end` is the end of the header including options. The address strings
 * are formatted from the bytes on first read: the bytes must stay unchanged while the layer is in use.
 */
export class Ipv4Layer {
  readonly kind = 'ipv4' as const;
  readonly #buf: Uint8Array;
  #src: string | undefined = undefined;
  #dst: string | undefined = undefined;
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
  /** Options occupy [optionsStart, start + headerLength); empty when the header is 20 bytes. Read them with ipv4Options(). */
  optionsStart: number;

  constructor(buf: Uint8Array, offset: number, headerLength: number, totalLength: number) {
    const flagsFragment = (buf[offset + 6] << 8) | buf[offset + 7];
    this.#buf = buf;
    this.start = offset;
    this.end = offset + headerLength;
    this.headerLength = headerLength;
    this.dscp = buf[offset + 1] >>> 2;
    this.ecn = buf[offset + 1] & 3;
    this.totalLength = totalLength;
    this.identification = (buf[offset + 4] << 8) | buf[offset + 5];
    this.dontFragment = (flagsFragment & 0x4000) !== 0;
    this.moreFragments = (flagsFragment & 0x2000) !== 0;
    this.fragmentOffset = (flagsFragment & 0x1fff) * 8;
    this.ttl = buf[offset + 8];
    this.protocol = buf[offset + 9];
    this.checksum = (buf[offset + 10] << 8) | buf[offset + 11];
    this.optionsStart = offset + IPV4_MIN_HEADER_LENGTH;
  }

  get src(): string {
    return (this.#src ??= formatIpv4(this.#buf, this.start + 12));
  }

  get dst(): string {
    return (this.#dst ??= formatIpv4(this.#buf, this.start + 16));
  }

  /** The reserved flag (RFC 791 section 3.1, bit 0 of the flags: must be zero; RFC 3514's "evil bit"), read on demand. */
  get reservedFlag(): boolean {
    return (this.#buf[this.start + 6] & 0x80) !== 0;
  }

  toJSON(): object {
    return { ...this, src: this.src, dst: this.dst, reservedFlag: this.reservedFlag };
  }
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
  const totalLength = (buf[offset + 2] << 8) | buf[offset + 3];
  if (totalLength !== 0 && totalLength < headerLength) {
    throw new DecodeError('ipv4', offset + 2, `total length ${totalLength} is less than the header length ${headerLength}`);
  }
  return new Ipv4Layer(buf, offset, headerLength, totalLength);
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
  const headerEnd = layer.start + layer.headerLength;
  const end = Math.min(headerEnd, buf.length);
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
    if (o + length > headerEnd) throw new DecodeError('ipv4.option', o + 1, `option ${type} of length ${length} runs past the header`);
    if (o + length > end) break;
    options.push({ type, start: o, length });
    o += length;
  }
  return options;
}
