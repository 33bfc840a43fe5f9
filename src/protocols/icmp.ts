
/**
 * ICMP header (RFC 792): type, code, checksum and the 4-byte "rest of header". For Echo (8) / Echo Reply (0),
 * Timestamp (13/14) and Information (15/16) that word is an identifier and a sequence number. The message
 * body (for errors, the offending IP header) is payload: it is not decoded as layers, so the packet's
 * 5-tuple stays the outer one.
 */
export interface IcmpLayer {
  kind: 'icmp';
  start: number;
  end: number;
  type: number;
  code: number;
  checksum: number;
  identifier: number | undefined;
  sequence: number | undefined;
}

export const ICMP_HEADER_LENGTH = 8;

function hasIdentifier(type: number): boolean {
  return type === 0 || type === 8 || (type >= 13 && type <= 16);
}

/**
 * Decodes an ICMP header; undefined when not even type, code and checksum (4 bytes) fit. The layer always
 * spans 8 bytes; when only 4…7 are there its `end` lies past the bytes and the identifier is left out.
 */
export function decodeIcmp(buf: Uint8Array, offset: number, end: number): IcmpLayer | undefined {
  if (end - offset < 4) return undefined;
  const type = buf[offset];
  const full = end - offset >= ICMP_HEADER_LENGTH && hasIdentifier(type);
  return {
    kind: 'icmp',
    start: offset,
    end: offset + ICMP_HEADER_LENGTH,
    type,
    code: buf[offset + 1],
    checksum: (buf[offset + 2] << 8) | buf[offset + 3],
    identifier: full ? ((buf[offset + 4] << 8) | buf[offset + 5]) : undefined,
    sequence: full ? ((buf[offset + 6] << 8) | buf[offset + 7]) : undefined,
  };
}
