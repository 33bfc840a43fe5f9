/**
 * What each word of pcap-filter(7) means, in a sentence, for hovers and completion items; and a sentence for a
 * whole primitive, composed from its qualifiers (`src net 192.0.2.0/24` → "IPv4 or IPv6 packets whose source
 * address is in the network 192.0.2.0/24").
 */
import type { Primitive } from './filterTree';
import { qualifierWords } from './filterTree';

/** Protocols: what a protocol name alone accepts. */
export const PROTOCOL_DOCS: Readonly<Record<string, string>> = {
  ether: 'Ethernet frames (every frame on an Ethernet capture). As a qualifier it makes the address a MAC address: `ether host 02:00:00:00:00:01`.',
  link: 'Synonym of `ether`: the link layer.',
  ip: 'IPv4 packets (EtherType 0x0800).',
  ip6: 'IPv6 packets (EtherType 0x86dd).',
  arp: 'ARP packets (EtherType 0x0806).',
  rarp: 'Reverse ARP packets (EtherType 0x8035).',
  tcp: 'TCP segments over IPv4 or IPv6 (IP protocol 6). Over IPv6 when TCP is the first next header or follows a fragment header (no other extension header is walked).',
  udp: 'UDP datagrams over IPv4 or IPv6 (IP protocol 17).',
  sctp: 'SCTP packets over IPv4 or IPv6 (IP protocol 132).',
  icmp: 'ICMP for IPv4 (IP protocol 1). ICMPv6 is `icmp6`.',
  icmp6: 'ICMPv6 (next header 58), including neighbour discovery.',
  igmp: 'IGMP over IPv4 (IP protocol 2).',
  igrp: 'IGRP over IPv4 (IP protocol 9).',
  pim: 'PIM over IPv4 or IPv6 (protocol 103).',
  vrrp: 'VRRP over IPv4 (IP protocol 112).',
  carp: 'CARP over IPv4 (IP protocol 112, as VRRP).',
  ah: 'IPsec Authentication Header over IPv4 or IPv6 (protocol 51).',
  esp: 'IPsec Encapsulating Security Payload over IPv4 or IPv6 (protocol 50).',
  atalk: 'AppleTalk (DDP) frames.',
  aarp: 'AppleTalk ARP frames.',
  decnet: 'DECnet frames.',
  lat: 'DEC LAT frames.',
  sca: 'DEC SCA frames.',
  moprc: 'DEC MOP remote console frames.',
  mopdl: 'DEC MOP dump/load frames.',
  iso: 'OSI frames (802.2 LLC with SAP 0xfe).',
  esis: 'OSI ES-IS packets.',
  isis: 'OSI IS-IS packets.',
  clnp: 'OSI CLNP packets.',
  l1: 'IS-IS level 1 PDUs.',
  l2: 'IS-IS level 2 PDUs.',
  iih: 'IS-IS hello PDUs.',
  lsp: 'IS-IS link state PDUs.',
  snp: 'IS-IS sequence number PDUs.',
  csnp: 'IS-IS complete sequence number PDUs.',
  psnp: 'IS-IS partial sequence number PDUs.',
  stp: 'Spanning tree BPDUs (802.2 LLC SAP 0x42).',
  ipx: 'Novell IPX frames.',
  netbeui: 'NetBEUI frames (802.2 LLC SAP 0xf0).',
  radio: '802.11 radio headers (not on Ethernet captures).',
};

/** Qualifiers, keyword primitives and operators. */
export const KEYWORD_DOCS: Readonly<Record<string, string>> = {
  host: 'The value is a host address: IPv4, IPv6, or with `ether` a MAC address. Matches the source or the destination unless `src`/`dst` says which.',
  net: 'The value is a network: `net 192.0.2.0/24`, `net 192.0.2.0 mask 255.255.255.0`, `net 2001:db8::/32`, or a dotted prefix such as `net 192.0.2`.',
  port: 'The value is a TCP, UDP or SCTP port, a number or a service name (`port bgp`). Over IPv4 it skips fragments other than the first, whose transport header is absent.',
  portrange: 'The value is a range of ports, `portrange 6000-6010` (numbers or service names).',
  gateway: 'Packets that went through the named host as a gateway (Ethernet address of the host, IP address not its own). Needs a host name labtel can resolve.',
  proto: 'The value is a protocol number or name in the header before: `ip proto 17`, `ip6 proto \\udp`, `ether proto 0x88cc`. Keyword names (tcp, udp, icmp) need a backslash.',
  protochain: 'Like `proto`, but follows the IPv6 or IPv4 header chain through extension headers: `ip6 protochain 6`.',
  src: 'Direction: the source address or port.',
  dst: 'Direction: the destination address or port.',
  and: '`and` (also `&&`): both sides must match. `and` and `or` have the same precedence and group from the left: `a or b and c` is `(a or b) and c`.',
  or: '`or` (also `||`): either side matches. `and` and `or` have the same precedence and group from the left.',
  not: '`not` (also `!`): the negation. It binds tighter than `and` and `or`.',
  less: '`less N`: packets of at most N bytes (`len <= N`).',
  greater: '`greater N`: packets of at least N bytes (`len >= N`).',
  len: 'The packet\'s length as captured on the wire.',
  broadcast: '`ether broadcast`: frames to ff:ff:ff:ff:ff:ff. `ip broadcast`: IPv4 packets to 255.255.255.255 or 0.0.0.0.',
  multicast: '`ether multicast`: frames whose destination has the group bit set. `ip multicast` / `ip6 multicast`: IP multicast destinations.',
  vlan: '`vlan [ID]`: 802.1Q/802.1ad tagged frames, with that VLAN ID when given. Every primitive after it reads past the tag: `vlan` shifts the offsets for the rest of the expression.',
  mpls: '`mpls [LABEL]`: MPLS unicast frames, with that top label when given. Like `vlan`, it moves the offsets for what follows.',
  pppoes: '`pppoes [SESSION]`: PPPoE session frames; what follows is read inside the PPP payload.',
  pppoed: 'PPPoE discovery frames (EtherType 0x8863).',
  geneve: '`geneve [VNI]`: Geneve-encapsulated packets (UDP port 6081); what follows is read in the inner frame.',
  byte: '`byte N OP V`: the byte at offset N of the IP header compared with V (`&`, `|`, `<`, `>`, `=`).',
  inbound: 'Packets received by the capturing host (live Linux captures only).',
  outbound: 'Packets sent by the capturing host (live Linux captures only).',
  ifindex: '`ifindex N`: packets on the interface with that index (Linux "any" captures).',
  llc: '802.2 LLC frames; `llc i`, `llc s`, `llc u` pick the frame type.',
  mask: '`net ADDR mask MASK`: the network given by an IPv4 address and a dotted mask.',
};

const DIRECTION_WORDS: Record<string, string> = {
  src: 'source', dst: 'destination', 'src or dst': 'source or destination', 'src and dst': 'source and destination',
};

const FAMILY: Record<string, string> = {
  ip: 'IPv4 packets', ip6: 'IPv6 packets', link: 'frames', arp: 'ARP packets', rarp: 'RARP packets', tcp: 'TCP segments',
  udp: 'UDP datagrams', sctp: 'SCTP packets',
};

/** A sentence saying what a primitive accepts. */
export function explainPrimitive(node: Primitive): string {
  switch (node.type) {
    case 'protocol':
      return PROTOCOL_DOCS[node.proto === 'link' ? 'ether' : node.proto] ?? `\`${node.proto}\` packets.`;
    case 'keyword':
      return KEYWORD_DOCS[node.keyword] ?? `\`${node.keyword}\`: a primitive of another link type; it does not compile for Ethernet captures.`;
    case 'relation':
      return 'A comparison of arithmetic over packet bytes: `proto[offset:size]` loads 1, 2 or 4 bytes from the start of that protocol\'s header (`tcp[13]` is the TCP flags). Transport accessors (`tcp[]`, `udp[]`, `icmp[]`) read IPv4 packets only.';
    case 'qualified': {
      const q = node.qualifiers;
      const type = q.type ?? 'host';
      const who = FAMILY[q.proto ?? ''] ?? (type === 'port' || type === 'portrange' ? 'TCP, UDP or SCTP packets' : q.proto === undefined ? 'IPv4, IPv6 or ARP packets' : `\`${q.proto}\` packets`);
      const dir = DIRECTION_WORDS[q.dir ?? 'src or dst'] ?? q.dir ?? '';
      const value = `\`${node.value.text}${node.prefixLength ? `/${node.prefixLength.text}` : ''}${node.mask ? ` mask ${node.mask.text}` : ''}\``;
      const inherited = node.inherited ? ` The qualifiers \`${qualifierWords(node).join(' ')}\` come from the primitive before it.` : '';
      const what: Record<string, string> = {
        host: `whose ${dir} address is ${value}`,
        net: `whose ${dir} address is in the network ${value}`,
        port: `whose ${dir} port is ${value}`,
        portrange: `whose ${dir} port is in ${value}`,
        gateway: `that went through the gateway ${value}`,
        proto: `whose protocol field is ${value}`,
        protochain: `whose header chain holds protocol ${value}`,
      };
      return `${who} ${what[type] ?? `with ${value}`}.${inherited}`;
    }
  }
}
