
/**
 * One VLAN tag after its TPID: an 802.1Q C-tag (TPID 0x8100) or an 802.1ad S-tag (0x88a8, or the
 * pre-standard 0x9100). IEEE 802.1Q-2018 section 9.6: the 16-bit TCI is PCP (3 bits), DEI (1), VID (12);
 * the EtherType of what follows comes next. The layer covers the TCI and that EtherType (4 bytes), as in
 * tshark and gopacket; the TPID belongs to the layer before.
 */
export interface VlanLayer {
  kind: 'vlan';
  start: number;
  end: number;
  /** The EtherType that announced this tag (0x8100, 0x88a8 or 0x9100). */
  tpid: number;
  priority: number;
  dei: boolean;
  id: number;
  ethertype: number;
}

export const VLAN_TAG_LENGTH = 4;

export function decodeVlan(buf: Uint8Array, offset: number, end: number, tpid: number): VlanLayer | undefined {
  if (end - offset < VLAN_TAG_LENGTH) return undefined;
  const tci = (buf[offset] << 8) | buf[offset + 1];
  return {
    kind: 'vlan',
    start: offset,
    end: offset + VLAN_TAG_LENGTH,
    tpid,
    priority: tci >>> 13,
    dei: (tci & 0x1000) !== 0,
    id: tci & 0x0fff,
    ethertype: (buf[offset + 2] << 8) | buf[offset + 3],
  };
}
