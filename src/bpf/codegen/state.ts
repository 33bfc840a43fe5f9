/**
 * What the compiler knows while it walks the expression from left to right, as libpcap's compiler_state does:
 * where the link-layer header, its type field and its payload are. `vlan`, `mpls`, `pppoes` and `geneve` move
 * them for everything to their right (savefile semantics: tags are in the packet, as `tcpdump -r` sees them).
 * After `geneve` the offsets are no longer constants: the Geneve header has a variable length, so each offset is
 * a scratch register (set at run time) plus a constant, as libpcap's bpf_abs_offset is.
 */
import {
  BPF_ABS, BPF_ADD, BPF_ALU, BPF_AND, BPF_B, BPF_H, BPF_IND, BPF_K, BPF_LD, BPF_LDX, BPF_LSH, BPF_MEM, BPF_MEMWORDS, BPF_MISC,
  BPF_MSH, BPF_TAX, BPF_W, BPF_X, stmt, type Instruction,
} from '../instruction';
import type { ErrorSite } from '../compileError';
import type { RegisterPlan } from './libpcapRegisters';

/** DLT_EN10MB and DLT_RAW (LINKTYPE_RAW 101 in files). */
export type LinkType = 'en10mb' | 'raw';

/** The link layer the offsets below belong to: Ethernet, PPP inside PPPoE, or raw IP. */
export type Framing = 'ethernet' | 'ppp' | 'raw';

/** An offset from the start of the packet: k, plus the value of scratch register `reg` when there is one. */
export interface Offset {
  k: number;
  reg?: number;
}

export interface CodegenState extends ErrorSite {
  linkType: LinkType;
  framing: Framing;
  /** Where the link-layer header starts (where `ether[0]` reads). */
  offLinkHeader: Offset;
  /** Where the EtherType (or PPP protocol) field is; undefined for raw IP. */
  offLinkType: Offset | undefined;
  /** Where the link-layer payload starts (the 802.2 LLC header, on 802.3 frames). */
  offLinkPayload: Offset;
  /** Offset of the network-layer header from the link-layer payload (MPLS labels add 4 each). */
  offNetwork: number;
  /**
   * The same for protocols carried in 802.2 LLC without SNAP (libpcap's off_nl_nosnap): OSI's NLPID follows
   * DSAP, SSAP and control, 3 bytes into an 802.3 frame's payload; 0 inside PPP.
   */
  offNetworkNoSnap: number;
  /** MPLS labels seen so far. */
  mplsDepth: number;
  /**
   * Right after `geneve` (libpcap's is_geneve): the payload may be Ethernet or not, so Ethernet address tests
   * first check that there is an inner Ethernet header.
   */
  afterGeneve: boolean;
  /** Scratch registers from this one up hold offsets (Geneve's); arithmetic uses those below. */
  scratchLimit: number;
  /**
   * Whether libpcap would optimise the program: not once `geneve` is in it (its offset code has a jump inside a
   * block, gen_geneve_offsets), and then it never refuses the program as rejecting every packet.
   */
  libpcapOptimises: boolean;
  /** Value an accepting return gives: the snap length. */
  snaplen: number;
  /** The stores labtel mirrors into Geneve's registers, as libpcap's register allocation makes them. */
  libpcapRegisters: RegisterPlan;
}

export const ETHER_HEADER_LENGTH = 14;
export const ETHER_TYPE_OFFSET = 12;
/** An 802.2 LLC header without SNAP: DSAP, SSAP, control (IEEE 802.2 clause 3). */
export const LLC_HEADER_LENGTH = 3;

export function initialState(linkType: LinkType, source: string, snaplen: number, libpcapRegisters: RegisterPlan): CodegenState {
  const ethernet = linkType === 'en10mb';
  return {
    source,
    linkType,
    framing: ethernet ? 'ethernet' : 'raw',
    offLinkHeader: { k: 0 },
    offLinkType: ethernet ? { k: ETHER_TYPE_OFFSET } : undefined,
    offLinkPayload: { k: ethernet ? ETHER_HEADER_LENGTH : 0 },
    offNetwork: 0,
    offNetworkNoSnap: ethernet ? LLC_HEADER_LENGTH : 0,
    mplsDepth: 0,
    afterGeneve: false,
    scratchLimit: BPF_MEMWORDS,
    libpcapOptimises: true,
    snaplen,
    libpcapRegisters,
  };
}

/** `off` moved by `by` bytes. */
export function plus(off: Offset, by: number): Offset {
  return off.reg === undefined ? { k: off.k + by } : { k: off.k + by, reg: off.reg };
}

/** Where the network-layer header starts, plus `by`. */
export const networkOffset = (s: CodegenState, by = 0): Offset => plus(s.offLinkPayload, s.offNetwork + by);

/** Where a protocol carried in 802.2 LLC without SNAP starts (OSI's NLPID), plus `by`. */
export const noSnapNetworkOffset = (s: CodegenState, by = 0): Offset => plus(s.offLinkPayload, s.offNetworkNoSnap + by);

const SIZE_CODES = { 1: BPF_B, 2: BPF_H, 4: BPF_W } as const;

/** `ld{b,h,}` of size bytes at an absolute offset. */
export function loadAbsolute(offset: number, size: 1 | 2 | 4): Instruction {
  return stmt(BPF_LD | SIZE_CODES[size] | BPF_ABS, offset);
}

/** Loads size bytes at `off` into A: `ld [k]`, or `ldx M[reg]; ld [x + k]` (libpcap's gen_load_absoffsetrel). */
export function load(off: Offset, size: 1 | 2 | 4): Instruction[] {
  if (off.reg === undefined) return [loadAbsolute(off.k, size)];
  return [stmt(BPF_LDX | BPF_MEM, off.reg), stmt(BPF_LD | SIZE_CODES[size] | BPF_IND, off.k)];
}

/**
 * X = where the IPv4 payload starts, less the payload's constant part: `ldxb 4*([off]&0xf)`, or with a
 * variable offset, the header length added to the register (libpcap's gen_loadx_iphdrlen).
 */
export function loadIpv4HeaderLength(s: CodegenState): Instruction[] {
  const net = networkOffset(s);
  if (net.reg === undefined) return [stmt(BPF_LDX | BPF_B | BPF_MSH, net.k)];
  return [
    stmt(BPF_LDX | BPF_MEM, net.reg), stmt(BPF_LD | BPF_B | BPF_IND, net.k), stmt(BPF_ALU | BPF_AND | BPF_K, 0xf),
    stmt(BPF_ALU | BPF_LSH | BPF_K, 2), stmt(BPF_ALU | BPF_ADD | BPF_X, 0), stmt(BPF_MISC | BPF_TAX, 0),
  ];
}

/** Loads size bytes at `by` into the IPv4 payload (the transport header): X from loadIpv4HeaderLength, then `ld [x + k]`. */
export function loadAfterIpv4(s: CodegenState, by: number, size: 1 | 2 | 4): Instruction[] {
  return [...loadIpv4HeaderLength(s), stmt(BPF_LD | SIZE_CODES[size] | BPF_IND, networkOffset(s, by).k)];
}
