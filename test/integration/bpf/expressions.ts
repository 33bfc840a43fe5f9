/**
 * The project's own pcap-filter corpus: expressions grouped by the primitive family or operator they exercise,
 * with every qualifier combination libpcap allows, and mistakes libpcap refuses. The differential tests hold
 * labtel to libpcap on each: the same accept/reject decision and, when accepted, the same verdict on every frame.
 */
export interface CorpusEntry {
  family: string;
  expression: string;
}

const table: Record<string, string[]> = {
  'host': [
    'host 192.0.2.1', 'src host 192.0.2.1', 'dst host 192.0.2.2', 'src or dst host 192.0.2.1', 'src and dst host 192.0.2.1',
    'ip host 192.0.2.1', 'ip src host 198.51.100.7', 'ip dst host 203.0.113.9', 'arp host 192.0.2.1', 'arp src host 192.0.2.2',
    'rarp host 192.0.2.1', 'host 2001:db8::1', 'src host 2001:db8::2', 'dst host 2001:db8:ff::9', 'ip6 host 2001:db8::1',
    'ip6 src or dst host 2001:db8:1::7', 'host 192.0.2.1 and host 192.0.2.2', 'host 192.0.2.1 or 198.51.100.7',
    'src host 192.0.2.1 and 192.0.2.2', 'host 192.0.2.1 and not 192.0.2.2', '192.0.2.1', 'src 192.0.2.1', 'dst 203.0.113.9',
    'host 0.0.0.0', 'host 255.255.255.255', 'host ::', 'ip6 host ::1', 'host 203.0.113.200 and tcp', 'host 224.0.0.5',
    'host ff02::1', 'dst host ff02::1:ff00:2', 'host 192.0.2', 'host 192', 'host 1.2.3.4.5', 'host 2001:db8::1::2',
    'ip host 2001:db8::1', 'ip6 host 192.0.2.1', 'tcp host 192.0.2.1', 'host', 'host and tcp', 'host 192.0.2.1 and',
    'src dst host 192.0.2.1', 'host 192.0.2.1/24', 'ip src host 192.0.2.1 or dst host 192.0.2.2',
  ],
  'net': [
    'net 192.0.2.0/24', 'src net 192.0.2.0/24', 'dst net 203.0.113.0/24', 'net 192.0.2.0/25', 'net 198.51.100.0/31',
    'net 192.0.2.0 mask 255.255.255.0', 'dst net 198.51.100.0 mask 255.255.255.128', 'net 192.0.2', 'net 192.0',
    'net 192', 'net 0.0.0.0/0', 'net 224.0.0.0/4', 'not net 224.0.0.0/4', 'net 2001:db8::/32', 'src net 2001:db8::/48',
    'dst net 2001:db8:ff::/48', 'net 2001:db8::/127', 'net ff00::/8', 'net ::/0', 'ip net 192.0.2.0/24', 'ip6 net 2001:db8::/32',
    'arp net 192.0.2.0/24', 'rarp net 192.0.2.0/24', 'net 192.0.2.1/24', 'net 192.0.2.0/33', 'net 2001:db8::/129',
    'net 192.0.2.0 mask 255.255.0.255', 'net 2001:db8:: mask ffff::', 'src or dst net 192.0.2.0/24', 'src and dst net 192.0.2.0/24',
    'net 192.0.2.0/24 and not host 192.0.2.1', 'net 10.1.2.3/32', 'net 192.0.2.0/24 or net 203.0.113.0/24',
  ],
  'port': [
    'port 80', 'src port 80', 'dst port 80', 'src or dst port 53', 'src and dst port 6343', 'tcp port 80', 'udp port 53',
    'sctp port 5672', 'tcp src port 179', 'tcp dst port 179', 'udp dst port 6343', 'udp src port 6343', 'port 179',
    'ip6 and port 179', 'ip and port 80', 'port 80 or port 443', 'port 80 and port 40000', 'tcp port 80 or udp port 53',
    'port http', 'port domain', 'tcp port https', 'port bgp', 'udp port ntp', 'port ssh', 'port smtp', 'port sflow', 'udp port snmp',
    'port 0', 'port 65535', 'port 65536', 'port -1', 'port 0x50', 'port 080', 'port 1-2', 'port nosuchservice',
    'icmp port 80', 'ip port 80', 'ip6 port 53', 'arp port 80', 'port 80 and tcp', 'not port 80', 'dst port 5201 or dst port 5202',
    'tcp src port 80 or 443', 'udp port 53 or 123', 'port 53 and not udp', 'port', 'port 80 and',
  ],
  'portrange': [
    'portrange 1-1023', 'src portrange 1-1023', 'dst portrange 1024-65535', 'tcp portrange 0-100', 'udp portrange 53-53',
    'tcp src or dst portrange 20-25', 'portrange 6000-7000', 'portrange 100-1', 'portrange 80', 'portrange http-https',
    'udp dst portrange domain-53', 'portrange 0-65535', 'portrange 0-65536', 'sctp portrange 5000-6000', 'ip6 and portrange 100-200',
    'tcp portrange 179-179 or udp portrange 6343-6343', 'portrange 1-', 'portrange -5',
  ],
  'ether': [
    'ether host aa:bb:cc:dd:ee:01', 'ether src aa:bb:cc:dd:ee:01', 'ether dst aa:bb:cc:dd:ee:02', 'ether src host aa:bb:cc:dd:ee:02',
    'ether dst host ff:ff:ff:ff:ff:ff', 'ether broadcast', 'ether multicast', 'not ether multicast', 'broadcast', 'multicast',
    'ether host aa-bb-cc-dd-ee-01', 'ether host aabb.ccdd.ee01', 'ether host aabbccddee01', 'ether host aa.bb.cc.dd.ee.1',
    'ether src or dst aa:bb:cc:dd:ee:01', 'ether src and dst aa:bb:cc:dd:ee:01', 'ether proto 0x0800', 'ether proto 0x86dd',
    'ether proto \\ip', 'ether proto \\ip6', 'ether proto \\arp', 'ether proto \\rarp', 'ether proto 0x88cc', 'ether proto 2048',
    'ether proto 0x8100', 'ether proto 0x8847', 'ether proto 0x8863', 'ether proto 38', 'ether proto 1500', 'ether proto 1501',
    'ether proto 0x10000', 'ether proto \\nosuch', 'ether host 02:00:5e:00:01:fe and not arp', 'ether host aa:bb:cc:dd:ee',
    'ether dst 01:80:c2:00:00:0e', 'ether dst 33:33:00:00:00:01', 'ether host 192.0.2.1', 'ether net 192.0.2.0/24', 'ether port 80',
    'ether[0] & 1 != 0', 'ether[6:4] = 0xaabbccdd', 'ether[12:2] = 0x86dd', 'ether[0:1] = 0xff', 'ether[100] = 0',
  ],
  'protocol': [
    'ip', 'ip6', 'arp', 'rarp', 'tcp', 'udp', 'icmp', 'icmp6', 'sctp', 'igmp', 'pim', 'vrrp', 'ah', 'esp', 'igrp', 'carp',
    'ip and tcp', 'ip and udp', 'ip6 and tcp', 'ip6 and udp', 'ip and icmp', 'ip6 and icmp6', 'ip and icmp6', 'ip6 and icmp',
    'ip6 and igmp', 'ip and pim', 'ip6 and pim', 'tcp or udp', 'not tcp and not udp', '!tcp && !udp', 'not ip and not ip6',
    'ip proto 6', 'ip proto tcp', 'ip proto \\tcp', 'ip proto 89', 'ip proto \\ospf', 'ip6 proto 17', 'ip6 proto \\udp', 'ip6 proto 58',
    'ip6 proto 0', 'ip6 proto 44', 'proto 17', 'proto \\icmp', 'proto 132', 'ip proto 256', 'ip proto \\nosuch', 'ip6 proto 60',
    'ip protochain 6', 'ip6 protochain 6', 'ip6 protochain 17', 'protochain 17', 'ip6 protochain 58', 'ip protochain 17', 'protochain \\tcp',
    'ip proto 50 or ip proto 51', 'tcp and udp', 'ip and arp',
  ],
  'tcp-accessor': [
    'tcp[13] = 2', 'tcp[tcpflags] & tcp-syn != 0', 'tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn', 'tcp[tcpflags] & tcp-fin != 0',
    'tcp[tcpflags] & tcp-rst != 0', 'tcp[tcpflags] & tcp-push != 0', 'tcp[tcpflags] & tcp-urg != 0', 'tcp[tcpflags] & tcp-ece != 0',
    'tcp[tcpflags] & tcp-cwr != 0', 'tcp[tcpflags] == tcp-ack', 'tcp[tcpflags] = 0', 'tcp[0:2] = 179', 'tcp[2:2] = 179',
    'tcp[0:2] > 1023', 'tcp[0:4] = 0x9c400050', 'tcp[12] >> 4 = 5', 'tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420',
    'tcp[20:4] = 0xffffffff', 'tcp[100] = 0', 'tcp[13] & 0x12 = 0x12', 'tcp[0:3] = 1', 'tcp[0:8] = 1', 'tcp[13] != 16',
    'ip6 and tcp[13] = 2', 'tcp[13] = 2 and ip6', 'tcp[13] = 2 or ip6', 'udp[0:2] = 53', 'udp[2:2] = 6343', 'udp[4:2] > 20',
    'udp[8:4] = 5', 'icmp[icmptype] = icmp-echo', 'icmp[icmptype] == icmp-echoreply', 'icmp[icmptype] = icmp-unreach',
    'icmp[icmpcode] = 3', 'icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply', 'icmp[0] = 11', 'icmp[icmptype] = icmp-timxceed',
    'icmp[icmptype] = icmp-redirect', 'sctp[0:2] = 5672', 'igmp[0] = 0x22', 'pim[0] = 0x20', 'vrrp[1] = 1',
    'icmp6[icmp6type] = icmp6-echo', 'icmp6[icmp6type] == icmp6-neighborsolicit', 'icmp6[0] = 134', 'icmp6[icmp6type] = icmp6-routersolicit',
    'icmp6[icmp6code] = 0', 'icmp6[icmp6type] = icmp6-multicastlistenerreportv2', 'icmp6[icmp6type] = icmp6-echoreply',
  ],
  'ip-accessor': [
    'ip[0] & 0xf != 5', 'ip[0] & 0xf > 5', 'ip[1] = 0', 'ip[2:2] > 100', 'ip[6:2] & 0x1fff != 0', 'ip[6] & 0x20 != 0',
    'ip[8] = 1', 'ip[8] < 2', 'ip[9] = 17', 'ip[12:4] = 0xc0000201', 'ip[16:4] & 0xffffff00 = 0xcb007100', 'ip[16] >= 224',
    'ip6[6] = 58', 'ip6[7] = 64', 'ip6[40] = 128', 'ip6[8:4] = 0x20010db8', 'ip6[24:4] = 0xff020000', 'ip6[0] & 0xf0 = 0x60',
    'arp[6:2] = 1', 'arp[6:2] = 2', 'arp[24:4] = 0xc0000202', 'rarp[6:2] = 3', 'link[0] = 0xff', 'link[12:2] = 0x8100',
    'ip[0:4] = 0', 'ip[-1] = 0', 'ip[0:2] = 0x4500 or ip[0:2] = 0x4600', 'ip[22:2] = 80', 'ip6[40:2] = 40000',
  ],
  'arithmetic': [
    'len > 100', 'len < 60', 'len = 60', 'len != 60', 'len >= 1000', 'len <= 54', 'less 60', 'greater 100', 'less 54 or greater 1000',
    'not less 60', 'len - 14 > 40', 'len * 2 > 200', 'len / 2 > 50', 'len % 2 = 0', 'len & 1 = 1', 'len | 1 = 61', 'len ^ 1 = 61',
    'len << 1 > 200', 'len >> 1 < 30', 'len + 4 = 64', '-len < 0', '- len = 0 - len', 'ip[2:2] - ((ip[0] & 0xf) << 2) > 20',
    'ip[2:2] - ((ip[0] & 0xf) << 2) - ((tcp[12] & 0xf0) >> 2) != 0', 'ip[8] * 2 > 100', 'ip[8] / 0 = 1', 'ip[8] % 0 = 1',
    'ip[8] / 2 = 32', 'ip[8] % 3 = 1', 'ip[9] + ip[8] = 70', 'ip[9] = ip[9]', 'ip[9] != ip[9]', '1 = 1', '1 = 2', '1 + 1 = 2',
    'ip[0] & 0xf0 = 0x40', '(ip[0] & 0xf0) >> 4 = 4', '0x10 > 5', '1 - 2 > 0', 'len > 0x7fffffff', 'ip[1] = 0x100000000',
    'ip[1] = 4294967295', 'len = 1 - 2', 'len + 1-2 = 0', '5 / 0 = 1', 'tcp[0] << 40 = 0', 'ip[6:2] & 0x1fff = 0 and ip[6:2] & 0x2000 != 0',
  ],
  'vlan': [
    'vlan', 'vlan 100', 'vlan 200', 'vlan 4095', 'vlan 4096', 'vlan and ip', 'vlan and ip6', 'vlan and tcp', 'vlan 100 and tcp port 80',
    'vlan and arp', 'vlan and vlan', 'vlan 10 and vlan 20', 'vlan 10 and vlan 100 and ip6', 'vlan and vlan and tcp', 'not vlan',
    'ip or vlan', 'vlan or ip', 'vlan 100 or vlan 300', 'vlan and host 192.0.2.1', 'vlan and udp port 6343', 'vlan and mpls',
    'vlan 5 and mpls 16', 'tcp port 80 and vlan', 'vlan and ether host aa:bb:cc:dd:ee:01', 'vlan and ip[9] = 6', 'vlan and len > 60',
    'vlan 100 and arp', 'vlan and not ip',
  ],
  'mpls': [
    'mpls', 'mpls 16', 'mpls 100', 'mpls 200', 'mpls and ip', 'mpls and ip6', 'mpls and mpls', 'mpls 100 and mpls 200',
    'mpls 100 and mpls 300 and mpls 1048575', 'mpls and udp port 53', 'mpls and tcp port 179', 'mpls 16 and host 192.0.2.2',
    'mpls 1048576', 'not mpls', 'mpls and vlan', 'mpls 2 and ip6 and udp', 'mpls and mpls and ip', 'ether proto 0x8848',
  ],
  'pppoe-geneve': [
    'pppoed', 'pppoes', 'pppoes 0x42', 'pppoes 0x43', 'pppoes and ip', 'pppoes and ip6', 'pppoes and tcp port 80', 'pppoes 0x42 and host 192.0.2.1',
    'pppoes and udp', 'geneve', 'geneve 42', 'geneve 7', 'geneve and ip', 'geneve and tcp port 80', 'geneve and host 192.0.2.1',
    'geneve 42 and ether src aa:bb:cc:dd:ee:01', 'not geneve',
  ],
  'broadcast-multicast': [
    'ip broadcast', 'ip multicast', 'ip6 multicast', 'not ip multicast', 'ether broadcast and ip', 'ip multicast and udp',
    'ip6 multicast and icmp6', 'ip broadcast or ip6 multicast', 'ip6 broadcast', 'arp broadcast',
  ],
  'gateway': ['gateway 192.0.2.1', 'gateway aa:bb:cc:dd:ee:01'],
  'operators': [
    'tcp and port 80', 'tcp && port 80', 'tcp or udp and port 53', '(tcp or udp) and port 53', 'tcp or (udp and port 53)',
    'not tcp', '!tcp', 'not not tcp', 'not (tcp or udp)', 'not tcp or udp', 'tcp || udp || icmp', 'tcp and not port 80 and not port 443',
    'host 192.0.2.1 and (port 80 or port 443)', 'host 192.0.2.1 and port 80 or port 53', '((tcp))', '(tcp', 'tcp)', 'tcp and', 'and tcp',
    'tcp or', 'not', '()', '', 'tcp udp', 'tcp & udp', 'tcp | udp', 'tcp and (not udp or icmp) and not ip6', 'src host 192.0.2.1 or dst host 192.0.2.1',
    'ip and (tcp[13] = 2 or udp)', 'not (host 192.0.2.1 and port 80)',
  ],
  'implicit-qualifiers': [
    'host 192.0.2.1 or 192.0.2.2', 'src host 192.0.2.1 or 192.0.2.2', 'dst port 80 or 443', 'tcp dst port 80 or 443 or 22',
    'net 192.0.2.0/24 or 203.0.113.0/24', 'ether src aa:bb:cc:dd:ee:01 or aa:bb:cc:dd:ee:02', 'host 192.0.2.1 and not 192.0.2.2 and not 198.51.100.7',
    'port 80 or 53 and udp', 'src 192.0.2.1 or 192.0.2.2', 'ip proto 6 or 17', 'vlan 100 or 200', 'tcp port 80 or not 443',
    'udp port 53 and (123 or 161)', 'host 192.0.2.1 and (192.0.2.2 or 198.51.100.7)', 'port 80 or 2001:db8::1', 'host 192.0.2.1 or 80',
    'host 192.0.2.1 and tcp or 198.51.100.7', 'mpls 100 or 16',
  ],
  'names-constants': [
    'tcp[tcpflags] & tcp-syn = tcp-syn', 'tcp port ftp', 'tcp port telnet', 'udp port tftp', 'udp port syslog', 'tcp port www',
    'port echo', 'port domain or port ntp', 'icmp[icmptype] = icmp-sourcequench', 'icmp[icmptype] = icmp-paramprob',
    'icmp[icmptype] = icmp-tstamp', 'icmp[icmptype] = icmp-maskreq', 'icmp[icmptype] = icmp-routeradvert',
    'ether proto \\loopback', 'ip proto \\icmp', 'ip proto \\igmp', 'ip proto \\pim', 'ip proto \\vrrp', 'ip proto \\sctp', 'ip proto \\esp', 'ip proto \\ah',
    'ip6 proto \\icmp6', 'ip6 proto \\tcp', 'icmp6[icmp6type] = icmp6-routeradvert', 'icmp6[icmp6type] = icmp6-destinationunreach',
  ],
  'lexical': [
    'TCP', 'Tcp', 'host 192.0.2.1 AND tcp', 'ip  and   udp', '\ttcp\n', 'tcp port 80 ', 'port 0x0050', 'port 00120', 'port 089',
    'len > 99999999999', 'ip[0] = 0x', 'tcp @ udp', 'tcp; udp', 'host 192.0.2.1 # comment', 'tcp port 80 or udp port 5x',
  ],
};

export const corpus: CorpusEntry[] = Object.entries(table).flatMap(([family, expressions]) =>
  expressions.map((expression) => ({ family, expression })),
);
