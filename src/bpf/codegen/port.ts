/**
 * `port` and `portrange` (libpcap's gen_port, gen_port6, gen_portrange): TCP, UDP or SCTP over IPv4 — first
 * fragments only, the transport header found with the IPv4 header length — or over IPv6, the transport header
 * right after the fixed header. Source port at offset 0, destination at 2 (RFC 793, RFC 768, RFC 9260).
 */
import { BPF_JEQ, BPF_JGE, BPF_JGT, type Instruction } from '../instruction';
import { and, not, or, test, type Predicate } from '../predicate';
import { IPPROTO, IPV6_HEADER_LENGTH, ipv4FirstFragment } from './ip';
import { equals, ETHERTYPE, linkType, type SimpleDirection } from './link';
import { load, loadAfterIpv4, networkOffset, type CodegenState } from './state';

/**
 * The transport protocols `port` looks at when none is named, in the order libpcap's code tests them: gen_port
 * or's TCP with UDP, then SCTP in front of both (gen_or puts its first operand first).
 */
export const PORT_PROTOCOLS = [IPPROTO.SCTP, IPPROTO.TCP, IPPROTO.UDP];

const IPV4_PROTOCOL_OFFSET = 9;
const IPV6_NEXT_HEADER = 6;
const SRC_PORT = 0;
const DST_PORT = 2;

export type PortMatch = { lo: number; hi: number };

/** The comparison of the 16-bit port at `load` with a port or a range. */
function portAtom(load: Instruction[], m: PortMatch): Predicate {
  if (m.lo === m.hi) return test(load, BPF_JEQ, m.lo);
  return and(test(load, BPF_JGE, m.lo), not(test(load, BPF_JGT, m.hi)));
}

function byDirection(dir: SimpleDirection, at: (offset: number) => Predicate): Predicate {
  switch (dir) {
    case 'src': return at(SRC_PORT);
    case 'dst': return at(DST_PORT);
    case 'src or dst': return or(at(SRC_PORT), at(DST_PORT));
    case 'src and dst': return and(at(SRC_PORT), at(DST_PORT));
  }
}

function ipv4Ports(s: CodegenState, protocol: number, m: PortMatch, dir: SimpleDirection): Predicate {
  const proto = equals(networkOffset(s, IPV4_PROTOCOL_OFFSET), 1, protocol);
  const ports = byDirection(dir, (off) => portAtom(loadAfterIpv4(s, off, 2), m));
  return and(proto, ipv4FirstFragment(s), ports);
}

function ipv6Ports(s: CodegenState, protocol: number, m: PortMatch, dir: SimpleDirection): Predicate {
  const proto = equals(networkOffset(s, IPV6_NEXT_HEADER), 1, protocol);
  const ports = byDirection(dir, (off) => portAtom(load(networkOffset(s, IPV6_HEADER_LENGTH + off), 2), m));
  return and(proto, ports);
}

/** `[tcp|udp|sctp] [dir] port|portrange …` over IPv6, then IPv4; `protocols` lists the transports to accept. */
export function ports(s: CodegenState, protocols: number[], m: PortMatch, dir: SimpleDirection): Predicate {
  // IPv6 first: libpcap's gencode or's gen_port6 in front of gen_port (Q_PORT, Q_PORTRANGE), and which test
  // comes first decides what its optimiser can thread and pull up, so which loads a short frame meets.
  return or(portsOver(s, 'ip6', protocols, m, dir), portsOver(s, 'ip', protocols, m, dir));
}

/** The same over one IP version only (libpcap's gen_port or gen_port6). */
export function portsOver(s: CodegenState, family: 'ip' | 'ip6', protocols: number[], m: PortMatch, dir: SimpleDirection): Predicate {
  if (family === 'ip') return and(linkType(s, ETHERTYPE.IP), or(...protocols.map((p) => ipv4Ports(s, p, m, dir))));
  return and(linkType(s, ETHERTYPE.IPV6), or(...protocols.map((p) => ipv6Ports(s, p, m, dir))));
}
