import { formatMac } from './addresses';
import { u16 } from './bytes';

/** Ethernet II header (IEEE 802.3 clause 3.2.6 / RFC 894): destination, source, EtherType. */
export interface EthernetLayer {
  kind: 'ethernet';
  start: number;
  end: number;
  dst: string;
  src: string;
  /** The Type/Length field: ≥ 0x0600 an EtherType; ≤ 1500 an IEEE 802.3 length (an LLC frame follows). */
  ethertype: number;
}

export const ETHERNET_HEADER_LENGTH = 14;

/** Smallest value of the Type/Length field that is an EtherType rather than a length (IEEE 802.3 3.2.6). */
export const MIN_ETHERTYPE = 0x0600;

/** Decodes the 14-byte Ethernet II header at `offset`; undefined when fewer than 14 bytes remain before `end`. */
export function decodeEthernet(buf: Uint8Array, offset: number, end: number): EthernetLayer | undefined {
  if (end - offset < ETHERNET_HEADER_LENGTH) return undefined;
  return {
    kind: 'ethernet',
    start: offset,
    end: offset + ETHERNET_HEADER_LENGTH,
    dst: formatMac(buf, offset),
    src: formatMac(buf, offset + 6),
    ethertype: u16(buf, offset + 12),
  };
}
