/**
 * Network-layer tests (libpcap's gen_proto, gen_host, gen_host6, gen_ipfrag): the IP protocol field
 * (RFC 791 section 3.1; for IPv6 the first next header, or the one after a fragment header, RFC 8200 section 4.5),
 * IPv4/ARP/RARP and IPv6 addresses under a mask, IP broadcast and multicast.
 */
import type { Range } from '../ast';
import { BPF_ALU, BPF_AND, BPF_JEQ, BPF_JGE, BPF_JSET, stmt } from '../instruction';
import { and, foldedTest, not, or, test, type Predicate } from '../predicate';
import { equals, ETHERTYPE, linkType, type SimpleDirection } from './link';
import { load, networkOffset, type CodegenState } from './state';

export const IPPROTO = { ICMP: 1, IGMP: 2, TCP: 6, UDP: 17, IPV6_FRAGMENT: 44, ESP: 50, AH: 51, ICMPV6: 58, IGRP: 9, PIM: 103, VRRP: 112, CARP: 112, SCTP: 132 } as const;

const IPV4_PROTOCOL_OFFSET = 9;
const IPV4_FRAGMENT_OFFSET = 6;
const IPV4_FRAGMENT_MASK = 0x1fff;
const IPV4_SRC = 12;
const IPV4_DST = 16;
const IPV6_NEXT_HEADER = 6;
const IPV6_SRC = 8;
const IPV6_DST = 24;
export const IPV6_HEADER_LENGTH = 40;
/** ARP/RARP over Ethernet and IPv4 (RFC 826): sender protocol address at 14, target at 24. */
const ARP_SPA = 14;
const ARP_TPA = 24;
const IPV4_MULTICAST_FIRST_OCTET = 224;

/** A byte of the network header equals k. */
function networkByte(s: CodegenState, offset: number, k: number): Predicate {
  return equals(networkOffset(s, offset), 1, k);
}

/** `ip proto N`: IPv4 and its protocol field. */
export function ipv4Protocol(s: CodegenState, protocol: number): Predicate {
  return and(linkType(s, ETHERTYPE.IP), networkByte(s, IPV4_PROTOCOL_OFFSET, protocol));
}

/** `ip6 proto N`: IPv6 whose next header is N, or a fragment header whose next header is N. */
export function ipv6Protocol(s: CodegenState, protocol: number): Predicate {
  const direct = networkByte(s, IPV6_NEXT_HEADER, protocol);
  const afterFragment = and(networkByte(s, IPV6_NEXT_HEADER, IPPROTO.IPV6_FRAGMENT), networkByte(s, IPV6_HEADER_LENGTH, protocol));
  return and(linkType(s, ETHERTYPE.IPV6), or(direct, afterFragment));
}

/** `proto N`: either. */
export function anyIpProtocol(s: CodegenState, protocol: number): Predicate {
  return or(ipv4Protocol(s, protocol), ipv6Protocol(s, protocol));
}

/** Not a non-first IPv4 fragment: the fragment offset is 0 (RFC 791 section 3.1). */
export function ipv4FirstFragment(s: CodegenState): Predicate {
  return not(test(load(networkOffset(s, IPV4_FRAGMENT_OFFSET), 2), BPF_JSET, IPV4_FRAGMENT_MASK));
}

/** A 32-bit word at the network header, under a mask, equals value. */
function maskedWord(s: CodegenState, offset: number, value: number, mask: number): Predicate {
  const stmts = load(networkOffset(s, offset), 4);
  if (mask >>> 0 !== 0xffffffff) stmts.push(stmt(BPF_ALU | BPF_AND, mask));
  // Under a zero mask every packet matches: libpcap's optimiser folds the test, load included, away, but its
  // generated code (gencode.c gen_mcmp) loads the word and masks it like any other.
  if (mask === 0) return foldedTest(stmts, BPF_JEQ, value, true);
  return test(stmts, BPF_JEQ, value);
}

function byDirection(dir: SimpleDirection, src: () => Predicate, dst: () => Predicate): Predicate {
  switch (dir) {
    case 'src': return src();
    case 'dst': return dst();
    case 'src or dst': return or(src(), dst());
    case 'src and dst': return and(src(), dst());
  }
}

export type AddressFamily = 'ip' | 'arp' | 'rarp';

/** `ip|arp|rarp [dir] host|net ADDR/MASK`. */
export function ipv4Host(s: CodegenState, family: AddressFamily, addr: number, mask: number, dir: SimpleDirection, range?: Range): Predicate {
  const [srcOff, dstOff, etherType] =
    family === 'ip' ? [IPV4_SRC, IPV4_DST, ETHERTYPE.IP] : [ARP_SPA, ARP_TPA, family === 'arp' ? ETHERTYPE.ARP : ETHERTYPE.RARP];
  const v = (addr & mask) >>> 0;
  return and(linkType(s, etherType, range), byDirection(dir, () => maskedWord(s, srcOff, v, mask), () => maskedWord(s, dstOff, v, mask)));
}

/** `ip6 [dir] host|net ADDR/LEN`: four words compared under their part of the mask. */
export function ipv6Host(s: CodegenState, addr: number[], prefixLength: number, dir: SimpleDirection): Predicate {
  const words = [0, 1, 2, 3].map((i) => ((addr[i * 4]! << 24) | (addr[i * 4 + 1]! << 16) | (addr[i * 4 + 2]! << 8) | addr[i * 4 + 3]!) >>> 0);
  const masks = [0, 1, 2, 3].map((i) => {
    const bits = Math.max(0, Math.min(32, prefixLength - i * 32));
    return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  });
  const at = (base: number): Predicate => and(...words.map((w, i) => maskedWord(s, base + i * 4, (w & masks[i]!) >>> 0, masks[i]!)));
  return and(linkType(s, ETHERTYPE.IPV6), byDirection(dir, () => at(IPV6_SRC), () => at(IPV6_DST)));
}

/** `ip broadcast`: the destination is all zeros or all ones (tcpdump -r passes a netmask of 0). */
export function ipv4Broadcast(s: CodegenState): Predicate {
  const dst = (k: number): Predicate => equals(networkOffset(s, IPV4_DST), 4, k);
  return and(linkType(s, ETHERTYPE.IP), or(dst(0), dst(0xffffffff)));
}

/** `ip multicast`: the destination is in 224.0.0.0/4 or above (libpcap compares the first octet with >= 224). */
export function ipv4Multicast(s: CodegenState): Predicate {
  return and(linkType(s, ETHERTYPE.IP), test(load(networkOffset(s, IPV4_DST), 1), BPF_JGE, IPV4_MULTICAST_FIRST_OCTET));
}

/** `ip6 multicast`: the destination starts with 0xff (RFC 4291 section 2.7). */
export function ipv6Multicast(s: CodegenState): Predicate {
  return and(linkType(s, ETHERTYPE.IPV6), networkByte(s, IPV6_DST, 0xff));
}
