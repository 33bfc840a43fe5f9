import { formatMac } from './addresses';

/**
 * Ethernet II header (IEEE 802.3 clause 3.2.6 / RFC 894): destination, source, EtherType. The address strings
 * are formatted from the bytes on first read (most packets' MACs are never looked at): the bytes must stay
 * unchanged while the layer is in use.
 */
export class EthernetLayer {
  readonly kind = 'ethernet' as const;
  readonly #buf: Uint8Array;
  #dst: string | undefined = undefined;
  #src: string | undefined = undefined;
  start: number;
  end: number;
  /** The Type/Length field: ≥ 0x0600 an EtherType; ≤ 1500 an IEEE 802.3 length (an LLC frame follows). */
  ethertype: number;

  constructor(buf: Uint8Array, offset: number) {
    this.#buf = buf;
    this.start = offset;
    this.end = offset + ETHERNET_HEADER_LENGTH;
    this.ethertype = (buf[offset + 12] << 8) | buf[offset + 13];
  }

  get dst(): string {
    return (this.#dst ??= formatMac(this.#buf, this.start));
  }

  get src(): string {
    return (this.#src ??= formatMac(this.#buf, this.start + 6));
  }

  toJSON(): object {
    return { kind: this.kind, start: this.start, end: this.end, dst: this.dst, src: this.src, ethertype: this.ethertype };
  }
}

export const ETHERNET_HEADER_LENGTH = 14;

/** Smallest value of the Type/Length field that is an EtherType rather than a length (IEEE 802.3 3.2.6). */
export const MIN_ETHERTYPE = 0x0600;

/** Decodes the 14-byte Ethernet II header at `offset`; undefined when fewer than 14 bytes remain before `end`. */
export function decodeEthernet(buf: Uint8Array, offset: number, end: number): EthernetLayer | undefined {
  if (end - offset < ETHERNET_HEADER_LENGTH) return undefined;
  return new EthernetLayer(buf, offset);
}
