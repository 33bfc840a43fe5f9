
/**
 * ICMPv6 header (RFC 4443 section 2.1): type, code, checksum. Echo Request (128) and Reply (129) carry an
 * identifier and sequence number (RFC 4443 4.1/4.2); the layer then spans 8 bytes, otherwise 4 (the
 * message body, e.g. Neighbor Discovery fields, is payload).
 */
export interface Icmpv6Layer {
  kind: 'icmpv6';
  start: number;
  end: number;
  type: number;
  code: number;
  checksum: number;
  identifier: number | undefined;
  sequence: number | undefined;
}

export function decodeIcmpv6(buf: Uint8Array, offset: number, end: number): Icmpv6Layer | undefined {
  if (end - offset < 4) return undefined;
  const type = buf[offset];
  const echo = type === 128 || type === 129;
  const full = echo && end - offset >= 8;
  return {
    kind: 'icmpv6',
    start: offset,
    end: offset + (echo ? 8 : 4),
    type,
    code: buf[offset + 1],
    checksum: (buf[offset + 2] << 8) | buf[offset + 3],
    identifier: full ? ((buf[offset + 4] << 8) | buf[offset + 5]) : undefined,
    sequence: full ? ((buf[offset + 6] << 8) | buf[offset + 7]) : undefined,
  };
}
