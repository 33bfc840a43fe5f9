
/** One MPLS label stack entry (RFC 3032 section 2.1): label (20 bits), traffic class (3), bottom of stack (1), TTL (8). */
export interface MplsLayer {
  kind: 'mpls';
  start: number;
  end: number;
  label: number;
  trafficClass: number;
  bottomOfStack: boolean;
  ttl: number;
}

export const MPLS_ENTRY_LENGTH = 4;

export function decodeMpls(buf: Uint8Array, offset: number, end: number): MplsLayer | undefined {
  if (end - offset < MPLS_ENTRY_LENGTH) return undefined;
  const entry = ((buf[offset] << 24) | (buf[offset + 1] << 16) | (buf[offset + 2] << 8) | buf[offset + 3]) >>> 0;
  return {
    kind: 'mpls',
    start: offset,
    end: offset + MPLS_ENTRY_LENGTH,
    label: entry >>> 12,
    trafficClass: (entry >>> 9) & 7,
    bottomOfStack: (entry & 0x100) !== 0,
    ttl: entry & 0xff,
  };
}
