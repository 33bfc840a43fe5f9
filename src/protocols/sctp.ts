
/** SCTP common header (RFC 9260 section 3.1); the chunks after it are left in place. */
export interface SctpLayer {
  kind: 'sctp';
  start: number;
  end: number;
  srcPort: number;
  dstPort: number;
  verificationTag: number;
  checksum: number;
}

export const SCTP_COMMON_HEADER_LENGTH = 12;

export function decodeSctp(buf: Uint8Array, offset: number, end: number): SctpLayer | undefined {
  if (end - offset < SCTP_COMMON_HEADER_LENGTH) return undefined;
  return {
    kind: 'sctp',
    start: offset,
    end: offset + SCTP_COMMON_HEADER_LENGTH,
    srcPort: (buf[offset] << 8) | buf[offset + 1],
    dstPort: (buf[offset + 2] << 8) | buf[offset + 3],
    verificationTag: ((buf[offset + 4] << 24) | (buf[offset + 5] << 16) | (buf[offset + 6] << 8) | buf[offset + 7]) >>> 0,
    checksum: ((buf[offset + 8] << 24) | (buf[offset + 9] << 16) | (buf[offset + 10] << 8) | buf[offset + 11]) >>> 0,
  };
}
