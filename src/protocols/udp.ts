import { DecodeError } from './decodeError';

/** UDP header (RFC 768). */
export interface UdpLayer {
  kind: 'udp';
  start: number;
  end: number;
  srcPort: number;
  dstPort: number;
  /** Length in bytes, header and data; 0 only in an IPv6 jumbogram (RFC 2675 section 4). */
  length: number;
  checksum: number;
}

export const UDP_HEADER_LENGTH = 8;

/** Decodes the 8-byte UDP header; undefined when it does not fit; DecodeError when the length is 1…7. */
export function decodeUdp(buf: Uint8Array, offset: number, end: number): UdpLayer | undefined {
  if (end - offset < UDP_HEADER_LENGTH) return undefined;
  const length = (buf[offset + 4] << 8) | buf[offset + 5];
  if (length !== 0 && length < UDP_HEADER_LENGTH) {
    throw new DecodeError('udp', offset + 4, `length ${length} is less than the 8-byte header`);
  }
  return {
    kind: 'udp',
    start: offset,
    end: offset + UDP_HEADER_LENGTH,
    srcPort: (buf[offset] << 8) | buf[offset + 1],
    dstPort: (buf[offset + 2] << 8) | buf[offset + 3],
    length,
    checksum: (buf[offset + 6] << 8) | buf[offset + 7],
  };
}
