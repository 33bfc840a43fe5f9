/**
 * Protocol names standing alone (`tcp`, `ip6`, `icmp` …: libpcap's gen_proto_abbrev). tcp, udp, sctp, pim, ah and
 * esp mean IPv4 or IPv6; icmp, igmp, igrp, vrrp and carp are IPv4 only; icmp6 is IPv6 only;
 * the link-layer ones are EtherTypes or 802.2 SAPs, and the OSI ones are identified inside 802.2 LLC.
 */
import type { Range } from '../ast';
import { compileError } from '../compileError';
import type { Predicate } from '../predicate';
import { anyIpProtocol, IPPROTO, ipv4Protocol, ipv6Protocol } from './ip';
import { ETHERTYPE, LLCSAP, linkType } from './link';
import { iso, isisKeyword, isoProtocol, ISIS_PDU_TYPES, NLPID } from './osi';
import type { CodegenState } from './state';

const BOTH_FAMILIES: Record<string, number> = { tcp: IPPROTO.TCP, udp: IPPROTO.UDP, sctp: IPPROTO.SCTP, pim: IPPROTO.PIM, ah: IPPROTO.AH, esp: IPPROTO.ESP };
const IPV4_ONLY: Record<string, number> = { icmp: IPPROTO.ICMP, igmp: IPPROTO.IGMP, igrp: IPPROTO.IGRP, vrrp: IPPROTO.VRRP, carp: IPPROTO.CARP };

/** Protocols named by their EtherType or 802.2 SAP (libpcap's gen_linktype does the encapsulations). */
const LINK_LAYER: Record<string, number> = {
  ip: ETHERTYPE.IP, ip6: ETHERTYPE.IPV6, arp: ETHERTYPE.ARP, rarp: ETHERTYPE.RARP, atalk: ETHERTYPE.ATALK, aarp: ETHERTYPE.AARP,
  decnet: ETHERTYPE.DN, sca: ETHERTYPE.SCA, lat: ETHERTYPE.LAT, mopdl: ETHERTYPE.MOPDL, moprc: ETHERTYPE.MOPRC,
  stp: LLCSAP.SPANNING_TREE, ipx: LLCSAP.IPX, netbeui: LLCSAP.NETBEUI,
};

export function protocolAbbreviation(s: CodegenState, proto: string, range: Range): Predicate {
  if (proto in BOTH_FAMILIES) return anyIpProtocol(s, BOTH_FAMILIES[proto]!);
  if (proto in IPV4_ONLY) return ipv4Protocol(s, IPV4_ONLY[proto]!);
  if (proto in LINK_LAYER) return linkType(s, LINK_LAYER[proto]!, range);
  if (proto in ISIS_PDU_TYPES) return isisKeyword(s, proto, range);
  switch (proto) {
    case 'icmp6': return ipv6Protocol(s, IPPROTO.ICMPV6);
    case 'iso': return iso(s, range);
    case 'clnp': return isoProtocol(s, NLPID.CLNP, range);
    case 'esis': return isoProtocol(s, NLPID.ESIS, range);
    case 'isis': return isoProtocol(s, NLPID.ISIS, range);
    case 'link': throw compileError(s, range, 'link layer applied in wrong context');
    case 'radio': throw compileError(s, range, "'radio' is not a valid protocol type");
    default: throw compileError(s, range, `'${proto}' is not a protocol`, 'a protocol name');
  }
}
