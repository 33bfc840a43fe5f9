import { formatIpv4, formatMac } from './addresses';
import { u16 } from './bytes';

/**
 * ARP (RFC 826): hardware and protocol types and lengths, the operation, then sender and target addresses.
 * Addresses are spelled out for Ethernet/IPv4 (hardware length 6, protocol length 4), the only case met in
 * practice; other lengths are given as colon-separated hex.
 */
export interface ArpLayer {
  kind: 'arp';
  start: number;
  end: number;
  hardwareType: number;
  protocolType: number;
  hardwareLength: number;
  protocolLength: number;
  /** 1 request, 2 reply (RFC 826); 3/4 RARP (RFC 903). */
  operation: number;
  senderHardware: string;
  senderProtocol: string;
  targetHardware: string;
  targetProtocol: string;
}

const ARP_FIXED_LENGTH = 8;

function hexBytes(buf: Uint8Array, offset: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += (i === 0 ? '' : ':') + buf[offset + i].toString(16).padStart(2, '0');
  return s;
}

function hardwareAddress(buf: Uint8Array, offset: number, n: number): string {
  return n === 6 ? formatMac(buf, offset) : hexBytes(buf, offset, n);
}

function protocolAddress(buf: Uint8Array, offset: number, n: number): string {
  return n === 4 ? formatIpv4(buf, offset) : hexBytes(buf, offset, n);
}

/** Decodes an ARP packet; undefined when its fixed part or its addresses run past `end`. */
export function decodeArp(buf: Uint8Array, offset: number, end: number): ArpLayer | undefined {
  if (end - offset < ARP_FIXED_LENGTH) return undefined;
  const hlen = buf[offset + 4];
  const plen = buf[offset + 5];
  const length = ARP_FIXED_LENGTH + 2 * (hlen + plen);
  if (end - offset < length) return undefined;
  const sha = offset + ARP_FIXED_LENGTH;
  const spa = sha + hlen;
  const tha = spa + plen;
  const tpa = tha + hlen;
  return {
    kind: 'arp',
    start: offset,
    end: offset + length,
    hardwareType: u16(buf, offset),
    protocolType: u16(buf, offset + 2),
    hardwareLength: hlen,
    protocolLength: plen,
    operation: u16(buf, offset + 6),
    senderHardware: hardwareAddress(buf, sha, hlen),
    senderProtocol: protocolAddress(buf, spa, plen),
    targetHardware: hardwareAddress(buf, tha, hlen),
    targetProtocol: protocolAddress(buf, tpa, plen),
  };
}
