/**
 * What the compiler knows while it walks the expression from left to right, as libpcap's compiler_state does:
 * where the link-layer type field and the network-layer header are. `vlan`, `mpls` and `pppoes` move them for
 * everything to their right (savefile semantics: tags are in the packet, as `tcpdump -r` sees them).
 */
import { BPF_ABS, BPF_B, BPF_H, BPF_LD, BPF_LDX, BPF_MSH, BPF_W, stmt, type Instruction } from '../instruction';
import type { ErrorSite } from '../compileError';

/** DLT_EN10MB and DLT_RAW (LINKTYPE_RAW 101 in files). */
export type LinkType = 'en10mb' | 'raw';

/** The link layer the offsets below belong to: Ethernet, PPP inside PPPoE, or raw IP. */
export type Framing = 'ethernet' | 'ppp' | 'raw';

export interface CodegenState extends ErrorSite {
  linkType: LinkType;
  framing: Framing;
  /** Offset of the link-layer header (where `ether[0]` reads). */
  offLinkHeader: number;
  /** Offset of the EtherType (or PPP protocol) field; undefined for raw IP. */
  offLinkType: number | undefined;
  /** Offset of the link-layer payload. */
  offLinkPayload: number;
  /** Offset of the network-layer header from the link-layer payload (MPLS labels add 4 each). */
  offNetwork: number;
  /** MPLS labels seen so far. */
  mplsDepth: number;
  /** Value an accepting return gives: the snap length. */
  snaplen: number;
}

export const ETHER_HEADER_LENGTH = 14;
export const ETHER_TYPE_OFFSET = 12;

export function initialState(linkType: LinkType, source: string, snaplen: number): CodegenState {
  const ethernet = linkType === 'en10mb';
  return {
    source,
    linkType,
    framing: ethernet ? 'ethernet' : 'raw',
    offLinkHeader: 0,
    offLinkType: ethernet ? ETHER_TYPE_OFFSET : undefined,
    offLinkPayload: ethernet ? ETHER_HEADER_LENGTH : 0,
    offNetwork: 0,
    mplsDepth: 0,
    snaplen,
  };
}

/** Offset of the network-layer header from the start of the packet. */
export const networkOffset = (s: CodegenState): number => s.offLinkPayload + s.offNetwork;

const SIZE_CODES = { 1: BPF_B, 2: BPF_H, 4: BPF_W } as const;

/** `ld{b,h,}` of size bytes at an absolute offset. */
export function loadAbsolute(offset: number, size: 1 | 2 | 4): Instruction {
  return stmt(BPF_LD | SIZE_CODES[size] | BPF_ABS, offset);
}

/** X = the IPv4 header's length: `ldxb 4*([off]&0xf)`. */
export function loadIpv4HeaderLength(s: CodegenState): Instruction {
  return stmt(BPF_LDX | BPF_B | BPF_MSH, networkOffset(s));
}
