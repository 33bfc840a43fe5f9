/**
 * Link-layer tests: the protocol type of what follows (libpcap's gen_linktype: the EtherType on Ethernet, or
 * for values up to 1500 an 802.3 frame with an 802.2 LLC header and that SAP, with SNAP or Novell's raw 802.3
 * for AppleTalk and IPX; the PPP protocol inside PPPoE; the IP version inside MPLS or on raw IP), Ethernet
 * addresses, and link-layer broadcast and multicast.
 */
import { BPF_ALU, BPF_AND, BPF_JEQ, BPF_JGT, BPF_JSET, BPF_LD, BPF_LDX, BPF_MEM, BPF_X, stmt } from '../instruction';
import { compileError } from '../compileError';
import type { Range } from '../ast';
import { and, FALSE, not, or, test, type Predicate } from '../predicate';
import { load, networkOffset, plus, type CodegenState, type Offset } from './state';

export const ETHERTYPE = {
  IP: 0x0800, ARP: 0x0806, RARP: 0x8035, IPV6: 0x86dd, MPLS: 0x8847, PPPOED: 0x8863, PPPOES: 0x8864,
  /** Xerox NS IDP. */
  NS: 0x0600,
  /** DEC MOP dump/load, MOP remote console, DECnet phase IV, LAT, SCA (DEC's assignments). */
  MOPDL: 0x6001, MOPRC: 0x6002, DN: 0x6003, LAT: 0x6004, SCA: 0x6007,
  ATALK: 0x809b, AARP: 0x80f3, IPX: 0x8137,
  /** Transparent Ethernet bridging: what Geneve carries when its payload is an Ethernet frame. */
  TEB: 0x6558,
} as const;

/** 802.2 LLC SAPs (IEEE 802 numbering) that stand for protocols in pcap-filter. */
export const LLCSAP = { IP: 0x06, SPANNING_TREE: 0x42, SNAP: 0xaa, IPX: 0xe0, NETBEUI: 0xf0, ISONS: 0xfe } as const;

/** Largest 802.3 length; a type field up to this is a length and the frame carries 802.2 LLC (IEEE 802.3 clause 3.2.6). */
export const ETHERMTU = 1500;
/** SAPs that always use 802.2 encapsulation, compared as DSAP and SSAP together (libpcap). */
const LLCSAP_BOTH = new Set<number>([LLCSAP.IP, LLCSAP.ISONS, LLCSAP.NETBEUI]);
/** Novell's "raw 802.3" IPX: the IPX checksum 0xffff where the LLC header would be. */
const NOVELL_RAW = 0xffff;
/** The SNAP organisation codes libpcap expects: Apple's for AppleTalk, 0 (an EtherType follows) for the rest. */
const OUI_APPLE = 0x080007;
const OUI_ETHERTYPE = 0x000000;
/** LLC control field value of an unnumbered information frame, as SNAP uses. */
const LLC_UI = 0x03;
/**
 * PPP protocol numbers for the EtherTypes and SAPs that have one (libpcap's ethertype_to_ppptype; RFC 1332 IP,
 * RFC 5072 IPv6, RFC 1762 DECnet, RFC 1378 AppleTalk, RFC 1764 XNS IDP, RFC 1377 OSI, RFC 3518 bridging PDUs,
 * RFC 1552 IPX). Others are compared as they are.
 */
const PPP_TYPES = new Map<number, number>([
  [ETHERTYPE.IP, 0x0021], [ETHERTYPE.IPV6, 0x0057], [ETHERTYPE.DN, 0x0027], [ETHERTYPE.ATALK, 0x0029], [ETHERTYPE.NS, 0x0025],
  [LLCSAP.ISONS, 0x0023], [LLCSAP.SPANNING_TREE, 0x0031], [LLCSAP.IPX, 0x002b],
]);
const IP_VERSION_MASK = 0xf0;

/** `ldb [off]; and #mask; jeq #value`. */
export function maskedByte(off: Offset, mask: number, value: number): Predicate {
  return test([...load(off, 1), stmt(BPF_ALU | BPF_AND, mask)], BPF_JEQ, value);
}

/** The size-byte value at `off` equals `value`. */
export function equals(off: Offset, size: 1 | 2 | 4, value: number): Predicate {
  return test(load(off, size), BPF_JEQ, value);
}

/** The IP version nibble at the network header (raw IP, and under MPLS). */
function ipVersion(s: CodegenState, etherType: number): Predicate {
  if (etherType === ETHERTYPE.IP) return maskedByte(networkOffset(s), IP_VERSION_MASK, 0x40);
  if (etherType === ETHERTYPE.IPV6) return maskedByte(networkOffset(s), IP_VERSION_MASK, 0x60);
  return FALSE;
}

/** The Ethernet type/length field is a length: an 802.3 frame, whose payload starts with 802.2 LLC. */
export function isLlcFrame(s: CodegenState): Predicate {
  return not(test(load(s.offLinkType!, 2), BPF_JGT, ETHERMTU));
}

/**
 * An LLC header with SNAP (IEEE 802-2001 clause 10.3): SAPs 0xAA, control UI, then the OUI and the type,
 * compared as two words, the last first (libpcap's gen_snap).
 */
function snap(s: CodegenState, oui: number, type: number): Predicate {
  const head = ((LLCSAP.SNAP << 24) | (LLCSAP.SNAP << 16) | (LLC_UI << 8) | (oui >>> 16)) >>> 0;
  const tail = (((oui & 0xffff) << 16) | type) >>> 0;
  return and(equals(plus(s.offLinkPayload, 4), 4, tail), equals(s.offLinkPayload, 4, head));
}

/** libpcap's gen_ether_linktype: Ethernet II types, 802.2 SAPs, and the encapsulations of AppleTalk and IPX. */
function etherLinkType(s: CodegenState, type: number): Predicate {
  const typeField = (): Predicate => equals(s.offLinkType!, 2, type);
  const llc = s.offLinkPayload;
  if (LLCSAP_BOTH.has(type)) return and(isLlcFrame(s), equals(llc, 2, (type << 8) | type));
  switch (type) {
    case LLCSAP.IPX: {
      // Ethernet II with the IPX type, or 802.3 with SNAP, with an 802.2 IPX DSAP, or Novell's raw 802.3.
      const in8023 = or(snap(s, OUI_ETHERTYPE, ETHERTYPE.IPX), equals(llc, 1, LLCSAP.IPX), equals(llc, 2, NOVELL_RAW));
      return or(equals(s.offLinkType!, 2, ETHERTYPE.IPX), and(isLlcFrame(s), in8023));
    }
    case ETHERTYPE.ATALK:
    case ETHERTYPE.AARP: {
      // EtherTalk phase 1 uses the type field; phase 2 is 802.3 with SNAP (Apple's OUI for AppleTalk).
      const viaSnap = snap(s, type === ETHERTYPE.ATALK ? OUI_APPLE : OUI_ETHERTYPE, type);
      return or(typeField(), and(isLlcFrame(s), viaSnap));
    }
    default:
      if (type <= ETHERMTU) return and(isLlcFrame(s), equals(llc, 1, type));
      return typeField();
  }
}

/**
 * Whether the packet's next protocol is `etherType` (an EtherType, or an LLC SAP up to 1500), where the
 * compiler stands. Inside MPLS only IPv4 and IPv6 can be recognised (libpcap's gen_mpls_linktype).
 */
export function linkType(s: CodegenState, etherType: number, range?: Range): Predicate {
  if (s.mplsDepth > 0) {
    if (etherType !== ETHERTYPE.IP && etherType !== ETHERTYPE.IPV6) {
      if (range) throw compileError(s, range, 'unsupported protocol over mpls');
      return FALSE;
    }
    // The label before the network header has its bottom-of-stack bit set (RFC 3032 section 2.1).
    return and(maskedByte(networkOffset(s, -2), 0x01, 0x01), ipVersion(s, etherType));
  }
  if (s.framing === 'raw') return ipVersion(s, etherType);
  if (s.framing === 'ppp') return equals(s.offLinkType!, 2, PPP_TYPES.get(etherType) ?? etherType);
  return etherLinkType(s, etherType);
}

/**
 * After `geneve`, Ethernet address tests need an Ethernet frame inside: the inner link-layer header and payload
 * are not at the same place (libpcap's gen_geneve_ll_check). TRUE elsewhere.
 */
export function innerEthernet(s: CodegenState): Predicate | undefined {
  if (!s.afterGeneve || s.offLinkHeader.reg === undefined || s.offLinkPayload.reg === undefined) return undefined;
  return not(test([stmt(BPF_LD | BPF_MEM, s.offLinkHeader.reg), stmt(BPF_LDX | BPF_MEM, s.offLinkPayload.reg)], BPF_JEQ | BPF_X, 0));
}

/** An Ethernet address at `off`: its last four bytes, then its first two (libpcap's order). */
function macAt(off: Offset, mac: number[]): Predicate {
  const low = ((mac[2]! << 24) | (mac[3]! << 16) | (mac[4]! << 8) | mac[5]!) >>> 0;
  return and(equals(plus(off, 2), 4, low), equals(off, 2, (mac[0]! << 8) | mac[1]!));
}

export type SimpleDirection = 'src' | 'dst' | 'src or dst' | 'src and dst';

/** `ether [src|dst] host MAC`. */
export function etherHost(s: CodegenState, mac: number[], dir: SimpleDirection): Predicate {
  const src = (): Predicate => macAt(plus(s.offLinkHeader, 6), mac);
  const dst = (): Predicate => macAt(s.offLinkHeader, mac);
  let p: Predicate;
  switch (dir) {
    case 'src': p = src(); break;
    case 'dst': p = dst(); break;
    case 'src and dst': p = and(src(), dst()); break;
    case 'src or dst': p = or(src(), dst()); break;
  }
  const inner = innerEthernet(s);
  return inner ? and(inner, p) : p;
}

/** `ether broadcast`: the destination is ff:ff:ff:ff:ff:ff. */
export function etherBroadcast(s: CodegenState): Predicate {
  return etherHost(s, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 'dst');
}

/** `ether multicast`: the destination's group bit (IEEE 802 section 8.2) is set. */
export function etherMulticast(s: CodegenState): Predicate {
  const p = test(load(s.offLinkHeader, 1), BPF_JSET, 0x01);
  const inner = innerEthernet(s);
  return inner ? and(inner, p) : p;
}
