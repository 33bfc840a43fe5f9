
/** VXLAN header (RFC 7348 section 5): flags (I = VNI valid), 24 reserved bits, the 24-bit VNI, 8 reserved bits; an Ethernet frame follows. */
export interface VxlanLayer {
  kind: 'vxlan';
  start: number;
  end: number;
  flags: number;
  /** The 24 bits after the flags, reserved in RFC 7348 (the Group Policy extension puts flags and a group id there). */
  reserved: number;
  /** The VXLAN Network Identifier (meaningful when the I flag, 0x08, is set). */
  vni: number;
  /** The last byte, reserved. */
  reservedLast: number;
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
    reserved: (buf[offset + 1] << 16) | (buf[offset + 2] << 8) | buf[offset + 3],
    vni: (buf[offset + 4] << 16) | (buf[offset + 5] << 8) | buf[offset + 6],
    reservedLast: buf[offset + 7],
  };
}
