/**
 * A flow row as a pcap-filter expression (pcap-filter(7)): what "Copy as BPF filter" and "Capture this
 * flow" give. Both directions of the conversation match: `host A and host B and udp port P`.
 * libpcap's protocol and port primitives read IPv6's fixed header's next header only: an IPv6 packet with
 * extension headers before its UDP header is not caught (pcap-filter(7) offers `ip6 protochain` for that,
 * without ports); lab traffic has none.
 */

/** What a filter is made from: a flow's addresses, ports and IP protocol. */
export interface FlowEndpoints {
  readonly src?: string;
  readonly dst?: string;
  readonly srcPort?: number;
  readonly dstPort?: number;
  readonly protocol?: number;
}

const TCP = 6;
const UDP = 17;
const SCTP = 132;
const ICMP = 1;
const ICMPV6 = 58;

/** The primitive for an IP protocol in pcap-filter: tcp, udp, sctp, icmp, icmp6; otherwise `ip proto N` / `ip6 proto N`. */
function protocolPrimitive(protocol: number, ipv6: boolean): string {
  switch (protocol) {
    case TCP: return 'tcp';
    case UDP: return 'udp';
    case SCTP: return 'sctp';
    case ICMP: return 'icmp';
    case ICMPV6: return 'icmp6';
    default: return `${ipv6 ? 'ip6' : 'ip'} proto ${protocol}`;
  }
}

/**
 * The service's port of a conversation: the lower of the two (servers listen on the low, well-known or
 * registered port; clients take an ephemeral one, 49152–65535 by RFC 6335 section 6, or Linux's 32768–60999).
 */
export function servicePort(a: number, b: number): number {
  return Math.min(a, b);
}

/** True for text that is an IPv4 or IPv6 address (so it can be put in an expression as it is). */
function isAddress(text: string): boolean {
  return /^(\d{1,3}\.){3}\d{1,3}$/.test(text) || (/^[0-9a-fA-F:.]+$/.test(text) && text.includes(':'));
}

/**
 * The pcap-filter expression that captures this flow in both directions; undefined when the row has no
 * addresses to name (a sample whose header did not decode), or addresses that are not IP addresses.
 */
export function flowFilter(f: FlowEndpoints): string | undefined {
  if (f.src === undefined || f.dst === undefined || !isAddress(f.src) || !isAddress(f.dst)) return undefined;
  const ipv6 = f.src.includes(':');
  const parts = f.src === f.dst ? [`host ${f.src}`] : [`host ${f.src}`, `host ${f.dst}`];
  if (f.protocol !== undefined) {
    const proto = protocolPrimitive(f.protocol, ipv6);
    const ported = f.protocol === TCP || f.protocol === UDP || f.protocol === SCTP;
    if (ported && f.srcPort !== undefined && f.dstPort !== undefined) parts.push(`${proto} port ${servicePort(f.srcPort, f.dstPort)}`);
    else parts.push(proto);
  }
  return parts.join(' and ');
}
