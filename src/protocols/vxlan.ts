
/** VXLAN header (RFC 7348 section 5): flags (I = VNI valid), 24 reserved bits, the 24-bit VNI, 8 reserved bits; an Ethernet frame follows. */
export interface VxlanLayer {
  kind: 'vxlan';
  start: number;
  end: number;
  flags: number;
  /** The VXLAN Network Identifier (meaningful when the I flag, 0x08, is set). */
  vni: number;
}

export const VXLAN_HEADER_LENGTH = 8;
export const VXLAN_PORT = 4789; // IANA, RFC 7348 section 5

export function decodeVxlan(buf: Uint8Array, offset: number, end: number): VxlanLayer | undefined {
  if (end - offset < VXLAN_HEADER_LENGTH) return undefined;
  return {
    kind: 'vxlan',
    start: offset,
    end: offset + VXLAN_HEADER_LENGTH,
    flags: buf[offset],
    vni: (buf[offset + 4] << 16) | (buf[offset + 5] << 8) | buf[offset + 6],
  };
}
