/**
 * Link-layer tests: the protocol type of what follows (libpcap's gen_linktype: the EtherType on Ethernet,
 * 802.2 LLC SAPs for values up to 1500, the PPP protocol inside PPPoE, the IP version inside MPLS or on raw IP),
 * Ethernet addresses, and link-layer broadcast and multicast.
 */
import { BPF_ALU, BPF_AND, BPF_JEQ, BPF_JGT, BPF_JSET, stmt } from '../instruction';
import { and, FALSE, not, or, test, type Predicate } from '../predicate';
import { loadAbsolute, networkOffset, type CodegenState } from './state';

export const ETHERTYPE = { IP: 0x0800, ARP: 0x0806, RARP: 0x8035, IPV6: 0x86dd, MPLS: 0x8847, PPPOED: 0x8863, PPPOES: 0x8864 } as const;
/** Largest 802.3 length; a type field up to this is a length and the frame carries 802.2 LLC (IEEE 802.3 clause 3.2.6). */
export const ETHERMTU = 1500;
/** SAPs that always use 802.2 encapsulation, compared as DSAP and SSAP together (libpcap). */
const LLCSAP_BOTH = new Set([0x06 /* IP */, 0xfe /* ISO NS */, 0xf0 /* NetBEUI */]);
/** PPP protocol numbers for the EtherTypes that have one (RFC 1332 IP, RFC 5072 IPv6, RFC 3032 MPLS). */
const PPP_TYPES = new Map<number, number>([[ETHERTYPE.IP, 0x0021], [ETHERTYPE.IPV6, 0x0057], [ETHERTYPE.MPLS, 0x0281]]);
const IP_VERSION_MASK = 0xf0;

/** `ldb [off]; and #mask; jeq #value`. */
export function maskedByte(offset: number, mask: number, value: number): Predicate {
  return test([loadAbsolute(offset, 1), stmt(BPF_ALU | BPF_AND, mask)], BPF_JEQ, value);
}

/** The IP version nibble at the network header (raw IP, and under MPLS). */
function ipVersion(s: CodegenState, etherType: number): Predicate {
  if (etherType === ETHERTYPE.IP) return maskedByte(networkOffset(s), IP_VERSION_MASK, 0x40);
  if (etherType === ETHERTYPE.IPV6) return maskedByte(networkOffset(s), IP_VERSION_MASK, 0x60);
  return FALSE;
}

/** Whether the packet's next protocol is `etherType`, where the compiler stands. */
export function linkType(s: CodegenState, etherType: number): Predicate {
  if (s.mplsDepth > 0) {
    // The label before the network header has its bottom-of-stack bit set (RFC 3032 section 2.1).
    const bottom = maskedByte(networkOffset(s) - 2, 0x01, 0x01);
    const version = ipVersion(s, etherType);
    return version === FALSE ? FALSE : and(bottom, version);
  }
  if (s.framing === 'raw') return ipVersion(s, etherType);
  const at = s.offLinkType!;
  if (s.framing === 'ppp') return test([loadAbsolute(at, 2)], BPF_JEQ, PPP_TYPES.get(etherType) ?? etherType);
  if (etherType <= ETHERMTU) {
    const isLength = not(test([loadAbsolute(at, 2)], BPF_JGT, ETHERMTU));
    const sap = LLCSAP_BOTH.has(etherType)
      ? test([loadAbsolute(at + 2, 2)], BPF_JEQ, (etherType << 8) | etherType)
      : test([loadAbsolute(at + 2, 1)], BPF_JEQ, etherType);
    return and(isLength, sap);
  }
  return test([loadAbsolute(at, 2)], BPF_JEQ, etherType);
}

/** An Ethernet address at `offset`: its last four bytes, then its first two (libpcap's order). */
function macAt(offset: number, mac: number[]): Predicate {
  const low = ((mac[2]! << 24) | (mac[3]! << 16) | (mac[4]! << 8) | mac[5]!) >>> 0;
  return and(test([loadAbsolute(offset + 2, 4)], BPF_JEQ, low), test([loadAbsolute(offset, 2)], BPF_JEQ, (mac[0]! << 8) | mac[1]!));
}

export type SimpleDirection = 'src' | 'dst' | 'src or dst' | 'src and dst';

/** `ether [src|dst] host MAC`. */
export function etherHost(s: CodegenState, mac: number[], dir: SimpleDirection): Predicate {
  const src = (): Predicate => macAt(s.offLinkHeader + 6, mac);
  const dst = (): Predicate => macAt(s.offLinkHeader, mac);
  switch (dir) {
    case 'src': return src();
    case 'dst': return dst();
    case 'src and dst': return and(src(), dst());
    case 'src or dst': return or(src(), dst());
  }
}

/** `ether broadcast`: the destination is ff:ff:ff:ff:ff:ff. */
export function etherBroadcast(s: CodegenState): Predicate {
  return etherHost(s, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 'dst');
}

/** `ether multicast`: the destination's group bit (IEEE 802 section 8.2) is set. */
export function etherMulticast(s: CodegenState): Predicate {
  return test([loadAbsolute(s.offLinkHeader, 1)], BPF_JSET, 0x01);
}
