/**
 * sFlow v5 datagrams written out by hand for the tshark differential: every sample and record format labtel
 * models that the third-party corpus lacks — sampled IPv4/IPv6 data, IPv6 next hops, extended user, URL, MPLS
 * and NAT data, expanded counter samples with every counter record, discarded-packet samples, ICMP and ICMPv6
 * errors that quote the packet that caused them, and a sampled header that is itself an sFlow datagram (an
 * exporter sampling the link its own datagrams cross). Addresses are from the documentation ranges.
 */
import { concat, datagramV4, envelope, hex, w } from './wire';

// --- packet headers (checksums zero: tshark does not validate them by default) --------------------------------

const MAC_A = '001122334455';
const MAC_B = '66778899aabb';

function u16(n: number): string {
  return n.toString(16).padStart(4, '0');
}

function ethernet(ethertype: number): string {
  return MAC_A + MAC_B + u16(ethertype);
}

/** IPv4 header (RFC 791 section 3.1), 20 bytes, DF set, TTL 64, for `payload` bytes of `protocol`. */
function ipv4(src: string, dst: string, protocol: number, payload: number): string {
  return '4500' + u16(20 + payload) + '1234' + '4000' + '40' + protocol.toString(16).padStart(2, '0') + '0000' + src + dst;
}

/** IPv6 header (RFC 8200 section 3), 40 bytes, traffic class 0, flow label 0x12345, hop limit 64. */
function ipv6(src: string, dst: string, next: number, payload: number): string {
  return '60012345' + u16(payload) + next.toString(16).padStart(2, '0') + '40' + src + dst;
}

function udp(src: number, dst: number, payload: number): string {
  return u16(src) + u16(dst) + u16(8 + payload) + '0000';
}

/** A 20-byte TCP header, ACK+PSH, window 502. */
function tcp(src: number, dst: number): string {
  return u16(src) + u16(dst) + '0000abcd' + '00001234' + '5018' + '01f6' + '0000' + '0000';
}

const V4_A = 'c0000201'; // 192.0.2.1
const V4_B = 'c6336407'; // 198.51.100.7
const V4_ROUTER = 'cb007101'; // 203.0.113.1
const V6_A = '20010db8000000000000000000000001';
const V6_B = '20010db80000000000000000000000b2';
const V6_ROUTER = '20010db8000000000000000000000ffe';

/** The first 8 bytes of an ICMP message (RFC 792): type, code, checksum 0, then the 4-byte rest of header. */
function icmpHeader(type: number, code: number, rest: string): string {
  return type.toString(16).padStart(2, '0') + code.toString(16).padStart(2, '0') + '0000' + rest;
}

/** Ethernet + IPv4 from the router to A carrying an ICMP error that quotes `quoted` (hex). */
function icmpv4Error(type: number, code: number, rest: string, quoted: string): string {
  const body = icmpHeader(type, code, rest) + quoted;
  return ethernet(0x0800) + ipv4(V4_ROUTER, V4_A, 1, body.length / 2) + body;
}

/** Ethernet + IPv6 from the router to A carrying an ICMPv6 error (RFC 4443 section 2.1) that quotes `quoted`. */
function icmpv6Error(type: number, code: number, rest: string, quoted: string): string {
  const body = icmpHeader(type, code, rest) + quoted;
  return ethernet(0x86dd) + ipv6(V6_ROUTER, V6_A, 58, body.length / 2) + body;
}

/** A's UDP datagram to B (512 bytes of data, of which the ICMP error quotes the IP header and 8 bytes). */
const QUOTED_V4_UDP = ipv4(V4_A, V4_B, 17, 520) + udp(40000, 33434, 512);
/** A's TCP segment to B (the quote keeps the first 8 bytes: ports and sequence number). */
const QUOTED_V4_TCP = ipv4(V4_A, V4_B, 6, 1000) + tcp(50000, 443).slice(0, 16);
const QUOTED_V6_UDP = ipv6(V6_A, V6_B, 17, 520) + udp(40001, 33435, 512);
/** ICMPv6 quotes as much of the packet as fits in the minimum MTU: here the whole TCP header. */
const QUOTED_V6_TCP = ipv6(V6_A, V6_B, 6, 1400) + tcp(50001, 443);

// --- sFlow structures -------------------------------------------------------------------------------------------

/** struct sampled_header (flow format 1) around a packet header given as hex; frame length `frameLength`. */
function rawHeader(protocol: number, header: string, frameLength = header.length / 2 + 4): Uint8Array {
  const bytes = hex(header);
  const pad = (4 - (bytes.length % 4)) % 4;
  return envelope(0, 1, concat(hex(w(protocol), w(frameLength), w(4), w(bytes.length)), bytes, new Uint8Array(pad)), 16 + bytes.length);
}

/** An expanded flow sample (format 3): seq, source (class 0, index 0x01020304 — more than the compact 24 bits), rate, pool, drops, in/out. */
function expandedFlowSample(sequence: number, ...records: Uint8Array[]): Uint8Array {
  return envelope(
    0,
    3,
    concat(hex(w(sequence), w(0), '01020304', w(1024), w(204800), w(3), w(0), w(7), w(0), w(9), w(records.length)), ...records),
  );
}

/** A compact flow sample (format 1) whose output is a discard (interface format 1, reason 258: acl). */
function compactFlowSample(sequence: number, ...records: Uint8Array[]): Uint8Array {
  return envelope(0, 1, concat(hex(w(sequence), '00000005', w(256), w(4096), w(0), w(5), w(0x40000102), w(records.length)), ...records));
}

/** struct sampled_ipv4 (flow format 3). */
const SAMPLED_IPV4 = envelope(0, 3, hex(w(1500), w(6), V4_A, V4_B, w(50000), w(443), w(0x12), w(0xb8)));
/** struct sampled_ipv6 (flow format 4): priority 5. */
const SAMPLED_IPV6 = envelope(0, 4, hex(w(1280), w(17), V6_A, V6_B, w(53), w(40002), w(0), w(5)));
const SAMPLED_ETHERNET = envelope(0, 2, hex(w(1518), MAC_A + '0000', MAC_B + '0000', w(0x86dd)));
const EXTENDED_SWITCH = envelope(0, 1001, hex(w(100), w(3), w(200), w(5)));
/** extended_router with an IPv6 next hop. */
const ROUTER_V6 = envelope(0, 1002, hex(w(2), V6_ROUTER, w(48), w(64)));
const ROUTER_V4 = envelope(0, 1002, hex(w(1), V4_ROUTER, w(24), w(32)));
/** extended_gateway with an IPv6 next hop, an AS_SEQUENCE of 3 and an AS_SET of 2, two communities. */
const GATEWAY_V6 = envelope(
  0,
  1003,
  hex(w(2), V6_ROUTER, w(64500), w(64501), w(64502), w(2), w(2), w(3), w(64502), w(64510), w(64511), w(1), w(2), w(64520), w(64521), w(2), w(0xfbf40001), w(0xfbf40002), w(100)),
);
const USER = envelope(0, 1004, hex(w(106), w(5), '616c696365000000', w(106), w(3), '626f6200'));
const URL = envelope(0, 1005, hex(w(2), w(11), '2f696e6465782e68746d6c00', w(11), '6578616d706c652e636f6d00'));
/** extended_mpls: IPv6 next hop, 2 labels in, 1 out. */
const MPLS_V6 = envelope(0, 1006, hex(w(2), V6_ROUTER, w(2), w(0x00064140), w(0x000c8141), w(1), w(0x00012140)));
const NAT_V4_V6 = envelope(0, 1007, hex(w(1), 'cb007109', w(2), V6_B));

const GENERIC_COUNTERS = envelope(
  0,
  1,
  hex(w(7), w(6), '00000002540be400', w(1), w(3), '0000000123456789', w(1000), w(20), w(30), w(1), w(2), w(3), '00000000fedcba98', w(2000), w(40), w(50), w(4), w(5), w(1)),
);
const ETHERNET_COUNTERS = envelope(0, 2, hex(...Array.from({ length: 13 }, (_, i) => w(i + 1))));
const VG_COUNTERS = envelope(
  0,
  4,
  hex(w(1), '0000000200000003', w(4), '0000000000000005', w(6), w(7), w(8), w(9), w(10), '000000000000000b', w(12), '000000000000000d', '000000000000000e', '000000000000000f'),
);
const VLAN_COUNTERS = envelope(0, 5, hex(w(100), '0000000000abcdef', w(11), w(12), w(13), w(14)));
const PROCESSOR_COUNTERS = envelope(0, 1001, hex(w(1234), w(2345), w(3456), '0000000400000000', '0000000100000000'));

/** An expanded counter sample (format 4): class 0, index 0x01020304. */
function expandedCounterSample(sequence: number, ...records: Uint8Array[]): Uint8Array {
  return envelope(0, 4, concat(hex(w(sequence), w(0), '01020304', w(records.length)), ...records));
}

/** A discarded-packet sample (format 5, sflow_drops.txt): reason 259 (no_buffer_space). */
function discardedPacketSample(sequence: number, ...records: Uint8Array[]): Uint8Array {
  return envelope(0, 5, concat(hex(w(sequence), w(0), w(7), w(2), w(7), w(9), w(259), w(records.length)), ...records));
}

/** A datagram with an IPv6 agent address (sample_datagram_v5 with address type 2). */
function datagramV6(...samples: Uint8Array[]): Uint8Array {
  return concat(hex('00000005', '00000002', V6_A, '00000003', '00000100', '00010000', w(samples.length)), ...samples);
}

/** A small whole sFlow datagram: what an exporter sends, which its own sampling then sees on the wire. */
const INNER_SFLOW = datagramV4(envelope(0, 2, concat(hex(w(77), w(3), w(1)), envelope(0, 5, hex(w(10), '0000000000000064', w(1), w(2), w(3), w(4))))));
/** The exporter's own datagram to its collector, on UDP port 6343, whole in a 148-byte sampled header. */
const SAMPLED_SFLOW = ethernet(0x0800) + ipv4(V4_A, V4_B, 17, 8 + INNER_SFLOW.length) + udp(38000, 6343, INNER_SFLOW.length) + Buffer.from(INNER_SFLOW).toString('hex');

/** The usual header length of an sFlow agent (pmacct's and hsflowd's default). */
const SAMPLED_HEADER_LENGTH = 128;
/** A longer datagram of the exporter's (two counter samples and a flow sample) that a 128-byte header cuts inside its second sample. */
const INNER_LONG_SFLOW = datagramV4(
  envelope(0, 2, concat(hex(w(78), w(3), w(1)), GENERIC_COUNTERS)),
  envelope(0, 2, concat(hex(w(79), w(4), w(1)), GENERIC_COUNTERS)),
);
const SAMPLED_LONG_SFLOW =
  ethernet(0x0800) + ipv4(V4_A, V4_B, 17, 8 + INNER_LONG_SFLOW.length) + udp(38000, 6343, INNER_LONG_SFLOW.length) + Buffer.from(INNER_LONG_SFLOW).toString('hex');

export interface CraftedDatagram {
  name: string;
  bytes: Uint8Array;
}

export const craftedDatagrams: CraftedDatagram[] = [
  {
    name: 'ICMP errors quoting the packet that caused them: port unreachable (UDP), time exceeded (TCP), fragmentation needed (MTU), redirect (gateway), parameter problem (pointer)',
    bytes: datagramV4(
      compactFlowSample(
        1,
        rawHeader(1, icmpv4Error(3, 3, '00000000', QUOTED_V4_UDP)),
        rawHeader(1, icmpv4Error(11, 0, '00000000', QUOTED_V4_TCP)),
        rawHeader(1, icmpv4Error(3, 4, '000005dc', QUOTED_V4_UDP)),
        rawHeader(1, icmpv4Error(5, 1, V4_ROUTER, QUOTED_V4_TCP)),
        rawHeader(1, icmpv4Error(12, 0, '14000000', QUOTED_V4_UDP)),
        ROUTER_V4,
      ),
    ),
  },
  {
    name: 'ICMPv6 errors quoting the packet that caused them: destination unreachable, packet too big (MTU), time exceeded, parameter problem (pointer)',
    bytes: datagramV4(
      compactFlowSample(
        2,
        rawHeader(1, icmpv6Error(1, 4, '00000000', QUOTED_V6_UDP)),
        rawHeader(1, icmpv6Error(2, 0, '000004d0', QUOTED_V6_TCP)),
        rawHeader(1, icmpv6Error(3, 0, '00000000', QUOTED_V6_UDP)),
        rawHeader(12, icmpv6Error(4, 0, '00000006', QUOTED_V6_TCP).slice(28)),
      ),
    ),
  },
  {
    name: 'an expanded flow sample whose sampled header is the exporter\'s own sFlow datagram to UDP 6343',
    bytes: datagramV4(expandedFlowSample(3, rawHeader(1, SAMPLED_SFLOW), EXTENDED_SWITCH)),
  },
  {
    name: 'a sampled header cut at 128 bytes inside the exporter\'s own sFlow datagram (what a 128-byte header length gives)',
    bytes: datagramV4(expandedFlowSample(7, rawHeader(1, SAMPLED_LONG_SFLOW.slice(0, 2 * SAMPLED_HEADER_LENGTH), SAMPLED_LONG_SFLOW.length / 2 + 4))),
  },
  {
    name: 'sampled IPv4 and IPv6 data, Ethernet frame data, IPv6 next hops (router, gateway, MPLS), NAT, user and URL',
    bytes: datagramV4(compactFlowSample(4, SAMPLED_IPV4, SAMPLED_IPV6, SAMPLED_ETHERNET, ROUTER_V6, GATEWAY_V6, USER, URL, MPLS_V6, NAT_V4_V6)),
  },
  {
    name: 'an expanded counter sample with every counter record: generic, Ethernet, 100BaseVG, VLAN, processor',
    bytes: datagramV6(expandedCounterSample(5, GENERIC_COUNTERS, ETHERNET_COUNTERS, VG_COUNTERS, VLAN_COUNTERS, PROCESSOR_COUNTERS)),
  },
  {
    name: 'a discarded-packet sample carrying a raw header and extended switch data',
    bytes: datagramV4(discardedPacketSample(6, rawHeader(11, ipv4(V4_A, V4_B, 17, 8) + udp(1000, 53, 0)), EXTENDED_SWITCH)),
  },
];

/** The datagram as an exporter sends it: Ethernet, IPv4 192.0.2.1 → 192.0.2.2, UDP 6343 → 6343. */
export function craftedFrame(datagram: Uint8Array): Uint8Array {
  return concat(hex(ethernet(0x0800), ipv4(V4_A, 'c0000202', 17, 8 + datagram.length), udp(6343, 6343, datagram.length)), datagram);
}
