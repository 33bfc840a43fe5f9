import { formatIpv6 } from './addresses';
import { u16, u32 } from './bytes';
import { DecodeError } from './decodeError';

/** IPv6 fixed header (RFC 8200 section 3). Extension headers that follow are layers of their own. */
export interface Ipv6Layer {
  kind: 'ipv6';
  start: number;
  end: number;
  trafficClass: number;
  flowLabel: number;
  /** Payload length in bytes (extension headers included); 0 for a jumbogram or segmentation offload. */
  payloadLength: number;
  nextHeader: number;
  hopLimit: number;
  src: string;
  dst: string;
}

export const IPV6_HEADER_LENGTH = 40;

/** Decodes the 40-byte IPv6 header; undefined when it does not fit before `end`; DecodeError if the version is not 6. */
export function decodeIpv6(buf: Uint8Array, offset: number, end: number): Ipv6Layer | undefined {
  if (end - offset < IPV6_HEADER_LENGTH) return undefined;
  const word = u32(buf, offset);
  if (word >>> 28 !== 6) throw new DecodeError('ipv6', offset, `version ${word >>> 28}, expected 6`);
  return {
    kind: 'ipv6',
    start: offset,
    end: offset + IPV6_HEADER_LENGTH,
    trafficClass: (word >>> 20) & 0xff,
    flowLabel: word & 0xfffff,
    payloadLength: u16(buf, offset + 4),
    nextHeader: buf[offset + 6],
    hopLimit: buf[offset + 7],
    src: formatIpv6(buf, offset + 8),
    dst: formatIpv6(buf, offset + 24),
  };
}
