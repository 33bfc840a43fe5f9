import { u16, u32 } from './bytes';

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
    srcPort: u16(buf, offset),
    dstPort: u16(buf, offset + 2),
    verificationTag: u32(buf, offset + 4),
    checksum: u32(buf, offset + 8),
  };
}
