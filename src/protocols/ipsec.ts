/**
 * IPsec headers, in IPv4 (protocol 51/50) and in an IPv6 header chain:
 * AH (RFC 4302 section 2): next header, payload length in 32-bit words minus 2, reserved, SPI, sequence
 * number, then the ICV; the upper-layer header follows in clear, so the walk goes on.
 * ESP (RFC 4303 section 2): SPI and sequence number, then encrypted payload: the walk stops there.
 */
export interface AhLayer {
  kind: 'ah';
  start: number;
  end: number;
  nextHeader: number;
  /** Header length in bytes ((payload length + 2) × 4), ICV included. */
  length: number;
  spi: number;
  sequence: number;
}

export interface EspLayer {
  kind: 'esp';
  start: number;
  end: number;
  spi: number;
  sequence: number;
}

export const IP_PROTOCOL_ESP = 50;
export const IP_PROTOCOL_AH = 51;

/** Decodes an AH header; undefined when its fixed 12 bytes do not fit (a cut ICV leaves `end` past the bytes). */
export function decodeAh(buf: Uint8Array, offset: number, end: number): AhLayer | undefined {
  if (end - offset < 12) return undefined;
  const length = (buf[offset + 1] + 2) * 4;
  return {
    kind: 'ah',
    start: offset,
    end: offset + length,
    nextHeader: buf[offset],
    length,
    spi: ((buf[offset + 4] << 24) | (buf[offset + 5] << 16) | (buf[offset + 6] << 8) | buf[offset + 7]) >>> 0,
    sequence: ((buf[offset + 8] << 24) | (buf[offset + 9] << 16) | (buf[offset + 10] << 8) | buf[offset + 11]) >>> 0,
  };
}

export function decodeEsp(buf: Uint8Array, offset: number, end: number): EspLayer | undefined {
  if (end - offset < 8) return undefined;
  return {
    kind: 'esp',
    start: offset,
    end: offset + 8,
    spi: ((buf[offset] << 24) | (buf[offset + 1] << 16) | (buf[offset + 2] << 8) | buf[offset + 3]) >>> 0,
    sequence: ((buf[offset + 4] << 24) | (buf[offset + 5] << 16) | (buf[offset + 6] << 8) | buf[offset + 7]) >>> 0,
  };
}
