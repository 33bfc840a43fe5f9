import { u16 } from './bytes';

/**
 * PPPoE session header (RFC 2516 section 4) and the PPP protocol field that follows it (RFC 1661 section 2):
 * version/type, code 0, session id, payload length, then the PPP protocol (0x0021 IPv4, 0x0057 IPv6).
 */
export interface PppoeLayer {
  kind: 'pppoe';
  start: number;
  end: number;
  sessionId: number;
  /** PPPoE payload length (the PPP protocol field included). */
  length: number;
  pppProtocol: number;
}

export const PPP_IPV4 = 0x0021;
export const PPP_IPV6 = 0x0057;

/**
 * Decodes the PPPoE session header and the PPP protocol field: 2 bytes, or 1 when the peers negotiated
 * Protocol-Field-Compression (RFC 1661 section 6.5: a compressed field is the low byte, which is odd).
 */
export function decodePppoe(buf: Uint8Array, offset: number, end: number): PppoeLayer | undefined {
  if (end - offset < 7) return undefined;
  const compressed = (buf[offset + 6] & 1) === 1;
  if (!compressed && end - offset < 8) return undefined;
  return {
    kind: 'pppoe',
    start: offset,
    end: offset + (compressed ? 7 : 8),
    sessionId: u16(buf, offset + 2),
    length: u16(buf, offset + 4),
    pppProtocol: compressed ? buf[offset + 6] : u16(buf, offset + 6),
  };
}
