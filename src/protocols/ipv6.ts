import { formatIpv6 } from './addresses';
import { DecodeError } from './decodeError';

/**
 * IPv6 fixed header (RFC 8200 section 3). Extension headers that follow are layers of their own. The address
 * strings are formatted (RFC 5952) from the bytes on first read: the bytes must stay unchanged while the layer is in use.
 */
export class Ipv6Layer {
  readonly kind = 'ipv6' as const;
  readonly #buf: Uint8Array;
  #src: string | undefined = undefined;
  #dst: string | undefined = undefined;
  start: number;
  end: number;
  trafficClass: number;
  flowLabel: number;
  /** Payload length in bytes (extension headers included); 0 for a jumbogram or segmentation offload. */
  payloadLength: number;
  nextHeader: number;
  hopLimit: number;

  constructor(buf: Uint8Array, offset: number, word: number) {
    this.#buf = buf;
    this.start = offset;
    this.end = offset + IPV6_HEADER_LENGTH;
    this.trafficClass = (word >>> 20) & 0xff;
    this.flowLabel = word & 0xfffff;
    this.payloadLength = (buf[offset + 4] << 8) | buf[offset + 5];
    this.nextHeader = buf[offset + 6];
    this.hopLimit = buf[offset + 7];
  }

  get src(): string {
    return (this.#src ??= formatIpv6(this.#buf, this.start + 8));
  }

  get dst(): string {
    return (this.#dst ??= formatIpv6(this.#buf, this.start + 24));
  }

  toJSON(): object {
    return { ...this, src: this.src, dst: this.dst };
  }
}

export const IPV6_HEADER_LENGTH = 40;

/** Decodes the 40-byte IPv6 header; undefined when it does not fit before `end`; DecodeError if the version is not 6. */
export function decodeIpv6(buf: Uint8Array, offset: number, end: number): Ipv6Layer | undefined {
  if (end - offset < IPV6_HEADER_LENGTH) return undefined;
  const word = ((buf[offset] << 24) | (buf[offset + 1] << 16) | (buf[offset + 2] << 8) | buf[offset + 3]) >>> 0;
  if (word >>> 28 !== 6) throw new DecodeError('ipv6', offset, `version ${word >>> 28}, expected 6`);
  return new Ipv6Layer(buf, offset, word);
}
