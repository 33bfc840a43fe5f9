/**
 * `geneve [VNI]` (libpcap's gen_geneve): UDP to port 6081 over IPv4 or IPv6 carrying a Geneve version 0 header
 * (RFC 8926 section 3.4), with that VNI if given. Everything after it looks inside: the Geneve header has a
 * variable length (6 bits of option length in 4-byte units after an 8-byte base), so the offsets of what
 * follows are computed at run time into three scratch registers —
 * - the link-layer header: the end of the Geneve header;
 * - the link-layer type: the inner EtherType when Geneve's protocol type is 0x6558 (an Ethernet frame inside),
 *   else Geneve's protocol type field itself (an EtherType for what follows, RFC 8926 section 3.4);
 * - the link-layer payload: after the inner Ethernet header, or right after the Geneve header.
 * The registers are taken from the top of scratch memory, leaving the low ones to arithmetic
 * (libpcapRegisters.ts: geneveRegisters, and what they hold on packets that are not Geneve).
 */
import type { KeywordNode } from '../ast';
import { compileError } from '../compileError';
import {
  BPF_ADD, BPF_ALU, BPF_AND, BPF_B, BPF_H, BPF_IMM, BPF_IND, BPF_JEQ, BPF_K, BPF_LD, BPF_LDX, BPF_MEM, BPF_MEMWORDS, BPF_MISC, BPF_MUL, BPF_ST,
  BPF_STX, BPF_TXA, BPF_X, stmt, type Instruction,
} from '../instruction';
import { and, effect, or, test, type Predicate } from '../predicate';
import { IPPROTO, IPV6_HEADER_LENGTH } from './ip';
import { GENEVE_REGISTERS, geneveRegisters } from './libpcapRegisters';
import { ETHERTYPE } from './link';
import { portsOver } from './port';
import { load, loadAfterIpv4, loadIpv4HeaderLength, networkOffset, type CodegenState } from './state';

/** The IANA-assigned Geneve port (RFC 8926 section 3.3). */
const GENEVE_PORT = 6081;
const UDP_HEADER_LENGTH = 8;
const GENEVE_BASE_LENGTH = 8;
const VERSION_MASK = 0xc0;
const OPTION_LENGTH_MASK = 0x3f;
const OPTION_LENGTH_UNIT = 4;
const PROTOCOL_TYPE_OFFSET = 2;
/** The VNI is the top 24 bits of the second word. */
const VNI_OFFSET = 4;
const VNI_MASK = 0xffffff00;
const MAX_VNI = 0xffffff;
const ETHER_TYPE_OFFSET = 12;
const ETHER_HEADER_LENGTH = 14;

export function geneve(s: CodegenState, node: KeywordNode): Predicate {
  const vni = node.argument?.number;
  if (vni !== undefined && vni > MAX_VNI) throw compileError(s, node.argument!.range, `Geneve VNI ${vni} greater than maximum ${MAX_VNI}`);
  if (s.scratchLimit < GENEVE_REGISTERS) throw compileError(s, node.range, 'too many registers needed to evaluate expression');
  const { type, header, payload } = geneveRegisters((BPF_MEMWORDS - s.scratchLimit) / GENEVE_REGISTERS);

  // The Geneve header's checks, the UDP payload loaded as the IP version dictates.
  const checks = (family: 'ip' | 'ip6', loadGeneve: (by: number, size: 1 | 4) => Instruction[]): Predicate => {
    const parts = [
      portsOver(s, family, [IPPROTO.UDP], { lo: GENEVE_PORT, hi: GENEVE_PORT }, 'dst'),
      test([...loadGeneve(0, 1), stmt(BPF_ALU | BPF_AND, VERSION_MASK)], BPF_JEQ, 0),
    ];
    if (vni !== undefined) parts.push(test([...loadGeneve(VNI_OFFSET, 4), stmt(BPF_ALU | BPF_AND, VNI_MASK)], BPF_JEQ, (vni << 8) >>> 0));
    return and(...parts);
  };
  const udpPayload = networkOffset(s, UDP_HEADER_LENGTH).k;
  // Where the Geneve header starts, stored (for now) in the type register.
  const overIpv4 = and(
    checks('ip', (by, size) => loadAfterIpv4(s, UDP_HEADER_LENGTH + by, size)),
    effect([...loadIpv4HeaderLength(s), stmt(BPF_MISC | BPF_TXA, 0), stmt(BPF_ALU | BPF_ADD | BPF_K, udpPayload), stmt(BPF_ST, type)]),
  );
  const ipv6Payload = networkOffset(s, IPV6_HEADER_LENGTH + UDP_HEADER_LENGTH);
  const startAfterIpv6 = ipv6Payload.reg === undefined
    ? [stmt(BPF_LD | BPF_IMM, ipv6Payload.k)]
    : [stmt(BPF_LD | BPF_MEM, ipv6Payload.reg), stmt(BPF_ALU | BPF_ADD | BPF_K, ipv6Payload.k)];
  const overIpv6 = and(
    checks('ip6', (by, size) => load(networkOffset(s, IPV6_HEADER_LENGTH + UDP_HEADER_LENGTH + by), size)),
    effect([...startAfterIpv6, stmt(BPF_ST, type)]),
  );

  // X = the Geneve header; type = its protocol type field; header = its end; then A = the protocol type.
  const common = [
    stmt(BPF_LDX | BPF_MEM, type), stmt(BPF_MISC | BPF_TXA, 0), stmt(BPF_ALU | BPF_ADD | BPF_K, PROTOCOL_TYPE_OFFSET), stmt(BPF_ST, type),
    stmt(BPF_LD | BPF_B | BPF_IND, 0), stmt(BPF_ALU | BPF_AND | BPF_K, OPTION_LENGTH_MASK), stmt(BPF_ALU | BPF_MUL | BPF_K, OPTION_LENGTH_UNIT),
    stmt(BPF_ALU | BPF_ADD | BPF_K, GENEVE_BASE_LENGTH), stmt(BPF_ALU | BPF_ADD | BPF_X, 0), stmt(BPF_ST, header),
    stmt(BPF_LD | BPF_H | BPF_IND, PROTOCOL_TYPE_OFFSET),
  ];
  // An Ethernet frame inside: its type field and its payload; otherwise the payload follows the Geneve header.
  const ethernetInside = effect([
    stmt(BPF_LD | BPF_MEM, header), stmt(BPF_ALU | BPF_ADD | BPF_K, ETHER_TYPE_OFFSET), stmt(BPF_ST, type),
    stmt(BPF_ALU | BPF_ADD | BPF_K, ETHER_HEADER_LENGTH - ETHER_TYPE_OFFSET), stmt(BPF_ST, payload),
  ]);
  const nothingInside = effect([stmt(BPF_LDX | BPF_MEM, header), stmt(BPF_STX, payload)]);
  const offsets = or(and(test(common, BPF_JEQ, ETHERTYPE.TEB), ethernetInside), nothingInside);

  s.scratchLimit -= GENEVE_REGISTERS;
  s.framing = 'ethernet';
  s.offLinkHeader = { k: 0, reg: header };
  s.offLinkType = { k: 0, reg: type };
  s.offLinkPayload = { k: 0, reg: payload };
  s.offNetwork = 0;
  s.afterGeneve = true;
  s.libpcapOptimises = false;
  return and(or(overIpv4, overIpv6), offsets);
}
