/**
 * Protocol names standing alone (`tcp`, `ip6`, `icmp` …: libpcap's gen_proto_abbrev). tcp, udp, sctp, pim, ah and
 * esp mean IPv4 or IPv6; icmp, igmp, igrp, vrrp and carp are IPv4 only; icmp6 is IPv6 only.
 */
import type { Range } from '../ast';
import { compileError } from '../compileError';
import { FALSE, type Predicate } from '../predicate';
import { anyIpProtocol, IPPROTO, ipv4Protocol, ipv6Protocol } from './ip';
import { ETHERTYPE, linkType } from './link';
import type { CodegenState } from './state';

const BOTH_FAMILIES: Record<string, number> = { tcp: IPPROTO.TCP, udp: IPPROTO.UDP, sctp: IPPROTO.SCTP, pim: IPPROTO.PIM, ah: IPPROTO.AH, esp: IPPROTO.ESP };
const IPV4_ONLY: Record<string, number> = { icmp: IPPROTO.ICMP, igmp: IPPROTO.IGMP, igrp: IPPROTO.IGRP, vrrp: IPPROTO.VRRP, carp: IPPROTO.CARP };

export function protocolAbbreviation(s: CodegenState, proto: string, range: Range): Predicate {
  if (proto in BOTH_FAMILIES) return anyIpProtocol(s, BOTH_FAMILIES[proto]!);
  if (proto in IPV4_ONLY) return ipv4Protocol(s, IPV4_ONLY[proto]!);
  switch (proto) {
    case 'ip': return linkType(s, ETHERTYPE.IP);
    case 'ip6': return linkType(s, ETHERTYPE.IPV6);
    case 'arp': return linkType(s, ETHERTYPE.ARP);
    case 'rarp': return linkType(s, ETHERTYPE.RARP);
    case 'icmp6': return ipv6Protocol(s, IPPROTO.ICMPV6);
    case 'link': throw compileError(s, range, 'link layer applied in wrong context');
    default:
      if (s.framing === 'raw' && ['atalk', 'aarp', 'decnet', 'lat', 'sca', 'moprc', 'mopdl', 'ipx', 'netbeui', 'stp'].includes(proto)) return FALSE;
      throw compileError(s, range, `labtel does not compile '${proto}' yet`, 'a protocol labtel compiles');
  }
}
