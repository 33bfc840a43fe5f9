/**
 * The packet dispatcher: decodes a frame layer by layer, each layer's decoder chosen by a field of the one
 * before (EtherType, IP protocol, UDP port …) as in gopacket's layer registry, and collects the layers in
 * order with their byte ranges, plus a 5-tuple of the innermost IP packet.
 *
 * Truncation is normal, not an error: sFlow raw packet headers are cut at ~128 bytes. When a header runs past
 * the bytes, decoding stops with `truncated` set (an L4 header cut short still gives its ports if its first 4
 * bytes are there). DecodeError is kept for bytes that contradict themselves (IPv4 IHL < 5, a header longer
 * than the length its enclosing header gives, …).
 */
import { ArpLayer, decodeArp } from './arp';
import { u16 } from './bytes';
import { DecodeError } from './decodeError';
import { EthernetLayer, decodeEthernet } from './ethernet';
import { GreLayer, decodeGre } from './gre';
import { AhLayer, EspLayer, decodeAh, decodeEsp } from './ipsec';
import { IcmpLayer, decodeIcmp, isIcmpError } from './icmp';
import { Icmpv6Layer, decodeIcmpv6, isIcmpv6Error } from './icmpv6';
import { Ipv4Layer, decodeIpv4 } from './ipv4';
import { Ipv6Layer, decodeIpv6 } from './ipv6';
import { Ipv6ExtensionLayer, decodeIpv6Extension, isIpv6Extension } from './ipv6Extensions';
import { LinuxCookedLayer, decodeLinuxCooked, decodeLinuxCookedV2 } from './linuxCooked';
import { LoopbackLayer, decodeLoopback, loopbackFamilyIsIpv4, loopbackFamilyIsIpv6 } from './loopback';
import { MplsLayer, decodeMpls } from './mpls';
import { PppoeLayer, decodePppoe } from './pppoe';
import { SctpLayer, decodeSctp } from './sctp';
import { TcpLayer, decodeTcp } from './tcp';
import { UdpLayer, decodeUdp } from './udp';
import { VlanLayer, decodeVlan } from './vlan';
import { VxlanLayer, decodeVxlan } from './vxlan';

export type Layer =
  | EthernetLayer
  | VlanLayer
  | ArpLayer
  | Ipv4Layer
  | Ipv6Layer
  | Ipv6ExtensionLayer
  | TcpLayer
  | UdpLayer
  | SctpLayer
  | IcmpLayer
  | Icmpv6Layer
  | VxlanLayer
  | MplsLayer
  | GreLayer
  | AhLayer
  | EspLayer
  | PppoeLayer
  | LinuxCookedLayer
  | LoopbackLayer;

export type LayerKind = Layer['kind'];

/** Where decoding starts: an Ethernet frame, or an IP packet (of a known version, or 'ip' from its version nibble). */
export type FirstLayer = 'ethernet' | 'ipv4' | 'ipv6' | 'ip';

/**
 * A decoded frame. A layer's [start, end) always lies within the bytes given. Layers and packet keep views of
 * the bytes (addresses are formatted on first read), so the bytes must stay unchanged while they are in use.
 * JSON.stringify gives every field, addresses included.
 */
export interface DecodedPacket {
  /** The decoded headers, outermost first. */
  layers: Layer[];
  /** Addresses of the innermost IP header (tunnels: the inner packet), formatted on first read. */
  readonly src?: string;
  readonly dst?: string;
  /** Ports of the innermost IP packet's TCP, UDP or SCTP header (kept when that header is cut after 4 bytes). */
  srcPort?: number;
  dstPort?: number;
  /** IP protocol number of the innermost IP packet; for IPv6 the upper-layer protocol after the extension headers. */
  protocol?: number;
  /** The innermost EtherType (after VLAN tags; inside GRE, the GRE protocol type). */
  ethertype?: number;
  /** VLAN ids in the order of their tags (outer S-tag first for QinQ). */
  vlan?: number[];
  /** True when a header was cut short by the end of the bytes. */
  truncated: boolean;
  /** The kind of layer that was cut short, when truncated. */
  truncatedIn?: LayerKind;
  /** Bytes after the last decoded header up to the end its enclosing lengths allow (the L4 payload, or what was not decoded). */
  payloadStart: number;
  payloadEnd: number;
}

/**
 * Fields initialised in one order so every packet shares one hidden class. src and dst read the innermost IP
 * layer's addresses, formatted on first read.
 */
class Packet implements DecodedPacket {
  layers: Layer[] = [];
  #ip: Ipv4Layer | Ipv6Layer | undefined = undefined;
  srcPort: number | undefined = undefined;
  dstPort: number | undefined = undefined;
  protocol: number | undefined = undefined;
  ethertype: number | undefined = undefined;
  vlan: number[] | undefined = undefined;
  truncated = false;
  truncatedIn: LayerKind | undefined = undefined;
  payloadStart = 0;
  payloadEnd = 0;

  get src(): string | undefined {
    return this.#ip?.src;
  }

  get dst(): string | undefined {
    return this.#ip?.dst;
  }

  /** A new innermost IP header: its addresses and protocol replace the outer ones; ports are the inner packet's. */
  enterIp(ip: Ipv4Layer | Ipv6Layer, protocol: number): void {
    this.#ip = ip;
    this.protocol = protocol;
    this.srcPort = undefined;
    this.dstPort = undefined;
  }

  toJSON(): object {
    return { ...this, src: this.src, dst: this.dst };
  }
}

// What comes next: small integers so the dispatch loop is one switch.
const STOP = 0;
const ETHERNET = 1;
const VLAN = 2;
const ARP = 3;
const IP = 4;
const IPV4 = 5;
const IPV6 = 6;
const IPV6_NEXT = 7;
const TCP = 8;
const UDP = 9;
const SCTP = 10;
const ICMP = 11;
const ICMPV6 = 12;
const VXLAN = 13;
const MPLS = 14;
const MPLS_PAYLOAD = 15;
const GRE = 16;
const PPPOE = 17;
const SLL = 18;
const SLL2 = 19;
const NULL_LOOPBACK = 20;
const LOOP = 21;
const AH = 22;
const ESP = 23;

/**
 * The next layer for an EtherType (values from ethertypes.ts, written out here: under a CommonJS loader
 * each imported constant read is a property getter, and this runs once per layer).
 */
function afterEthertype(ethertype: number): number {
  switch (ethertype) {
    case 0x0800: // ETHERTYPE_IPV4
      return IPV4;
    case 0x86dd: // ETHERTYPE_IPV6
      return IPV6;
    case 0x8100: // ETHERTYPE_VLAN
    case 0x88a8: // ETHERTYPE_QINQ
    case 0x9100: // ETHERTYPE_QINQ_LEGACY
      return VLAN;
    case 0x0806: // ETHERTYPE_ARP
      return ARP;
    case 0x8847: // ETHERTYPE_MPLS
    case 0x8848: // ETHERTYPE_MPLS_MULTICAST
      return MPLS;
    case 0x8864: // ETHERTYPE_PPPOE_SESSION
      return PPPOE;
    default:
      return STOP;
  }
}

/** IP protocol numbers (IANA "Assigned Internet Protocol Numbers"). */
function afterIpProtocol(protocol: number): number {
  switch (protocol) {
    case 6:
      return TCP;
    case 17:
      return UDP;
    case 1:
      return ICMP;
    case 58:
      return ICMPV6;
    case 132:
      return SCTP;
    case 47:
      return GRE;
    case 4: // IPv4 in IP (RFC 2003)
      return IPV4;
    case 41: // IPv6 in IP (RFC 2473 / RFC 4213)
      return IPV6;
    case 51: // IP_PROTOCOL_AH
      return AH;
    case 50: // IP_PROTOCOL_ESP
      return ESP;
    default:
      return STOP;
  }
}

const FIRST: Record<FirstLayer, number> = { ethernet: ETHERNET, ipv4: IPV4, ipv6: IPV6, ip: IP };

/**
 * Decodes the frame in buf[offset, end) starting with `first`. Never copies: layers hold offsets into `buf`.
 * Throws only DecodeError (contradictory bytes, or a range outside the buffer).
 */
export function decodePacket(buf: Uint8Array, first: FirstLayer, offset = 0, end = buf.length): DecodedPacket {
  const code = FIRST[first];
  if (code === undefined) throw new DecodeError('packet', offset, `unknown first layer "${String(first)}"`);
  return decodeFrom(buf, code, offset, end);
}

/** pcap/pcapng link types (tcpdump.org/linktypes.html) the dispatcher can start from. */
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

function linkTypeStart(linkType: number): number {
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      return ETHERNET;
    case LINKTYPE_RAW:
      return IP;
    case LINKTYPE_IPV4:
      return IPV4;
    case LINKTYPE_IPV6:
      return IPV6;
    case LINKTYPE_LINUX_SLL:
      return SLL;
    case LINKTYPE_LINUX_SLL2:
      return SLL2;
    case LINKTYPE_NULL:
      return NULL_LOOPBACK;
    case LINKTYPE_LOOP:
      return LOOP;
    default:
      return STOP;
  }
}

/** True for the link types decodeFrame() decodes (others give a packet without layers). */
export function isSupportedLinkType(linkType: number): boolean {
  return linkTypeStart(linkType) !== STOP;
}

/**
 * Decodes a captured frame by its pcap/pcapng link type: 1 Ethernet, 101 raw IP, 228 IPv4, 229 IPv6,
 * 113/276 Linux cooked v1/v2, 0/108 BSD loopback. Another link type gives a packet with no layers whose
 * payload is the whole frame.
 */
export function decodeFrame(buf: Uint8Array, linkType: number, offset = 0, end = buf.length): DecodedPacket {
  return decodeFrom(buf, linkTypeStart(linkType), offset, end);
}

/**
 * Stops at a header that does not fit before `limit`. When `limit` is the end of the bytes, the capture was
 * cut: truncated. When it is a length from an enclosing header, the bytes contradict it: DecodeError —
 * except in the first fragment of a fragmented IP packet, where the fragment may end inside the header.
 */
function stopShort(pkt: Packet, kind: LayerKind, at: number, limit: number, end: number, fragment: boolean): void {
  if (limit >= end) {
    pkt.truncated = true;
    pkt.truncatedIn = kind;
    return;
  }
  if (fragment) return;
  throw new DecodeError(kind, at, `header runs past the end of its enclosing packet at byte ${limit}`);
}

function extensionKind(header: number): LayerKind {
  return header === 0 ? 'ipv6-hopopts' : header === 43 ? 'ipv6-routing' : header === 44 ? 'ipv6-fragment' : 'ipv6-dstopts';
}

/**
 * The datagram an ICMP or ICMPv6 error quotes, buf[offset, end), decoded as a packet of its own from its IP
 * header (RFC 792: IP header + 64 bits of data; RFC 4443 section 3: as much as fits). Being a quote, it is
 * normally cut inside its headers (`truncated`). Errors quoted inside a quote are not decoded again, as tshark
 * does not; bytes that contradict themselves leave the quote undecoded rather than fail the outer packet.
 */
function decodeQuoted(buf: Uint8Array, first: number, offset: number, end: number): Packet | undefined {
  if (offset >= end) return undefined;
  try {
    return decodeFrom(buf, first, offset, end, true);
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}

function decodeFrom(buf: Uint8Array, start: number, offset: number, end: number, inQuote = false): Packet {
  if (!(offset >= 0 && offset <= end && end <= buf.length)) {
    throw new DecodeError('packet', offset, `range [${offset}, ${end}) lies outside the ${buf.length}-byte buffer`);
  }
  const pkt = new Packet();
  const layers = pkt.layers;
  let next = start;
  let off = offset;
  /** End of the current header's enclosing packet: the bytes' end, or less when a length field says so. */
  let limit = end;
  /** The EtherType that announced a VLAN tag, or the next-header number inside IPv6. */
  let param = 0;
  /** Inside the first fragment of a fragmented IP packet. */
  let fragment = false;
  /** The innermost IP header is IPv6 (after AH, its extension headers may go on). */
  let inIpv6 = false;

  loop: for (;;) {
    switch (next) {
      case ETHERNET: {
        const l = decodeEthernet(buf, off, limit);
        if (l === undefined) {
          stopShort(pkt, 'ethernet', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        pkt.ethertype = l.ethertype;
        off = l.end;
        param = l.ethertype;
        next = afterEthertype(l.ethertype);
        continue;
      }
      case VLAN: {
        const l = decodeVlan(buf, off, limit, param);
        if (l === undefined) {
          stopShort(pkt, 'vlan', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        if (pkt.vlan === undefined) pkt.vlan = [l.id];
        else pkt.vlan.push(l.id);
        pkt.ethertype = l.ethertype;
        off = l.end;
        param = l.ethertype;
        next = afterEthertype(l.ethertype);
        continue;
      }
      case ARP: {
        const l = decodeArp(buf, off, limit);
        if (l === undefined) {
          stopShort(pkt, 'arp', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        off = l.end;
        next = STOP;
        continue;
      }
      case IP: {
        if (off >= limit) {
          stopShort(pkt, 'ipv4', off, limit, end, fragment);
          break loop;
        }
        const version = buf[off] >>> 4;
        if (version === 4) next = IPV4;
        else if (version === 6) next = IPV6;
        else throw new DecodeError('ip', off, `version ${version}, expected 4 or 6`);
        continue;
      }
      case IPV4: {
        const l = decodeIpv4(buf, off, limit);
        if (l === undefined) {
          stopShort(pkt, 'ipv4', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        pkt.enterIp(l, l.protocol);
        inIpv6 = false;
        if (l.totalLength !== 0 && l.start + l.totalLength < limit) limit = l.start + l.totalLength;
        if (l.end > limit) {
          l.end = limit;
          stopShort(pkt, 'ipv4', l.start, limit, end, fragment);
          break loop;
        }
        off = l.end;
        // RFC 791 section 3.2: only the fragment at offset 0 carries the upper-layer header.
        fragment = l.moreFragments;
        next = l.fragmentOffset === 0 ? afterIpProtocol(l.protocol) : STOP;
        continue;
      }
      case IPV6: {
        const l = decodeIpv6(buf, off, limit);
        if (l === undefined) {
          stopShort(pkt, 'ipv6', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        pkt.enterIp(l, l.nextHeader);
        inIpv6 = true;
        if (l.payloadLength !== 0 && l.end + l.payloadLength < limit) limit = l.end + l.payloadLength;
        off = l.end;
        fragment = false;
        param = l.nextHeader;
        next = IPV6_NEXT;
        continue;
      }
      case IPV6_NEXT: {
        // RFC 8200 section 4.1: walk the extension headers up to the upper-layer header.
        if (!isIpv6Extension(param)) {
          next = afterIpProtocol(param);
          continue;
        }
        const l = decodeIpv6Extension(buf, off, limit, param);
        if (l === undefined) {
          stopShort(pkt, extensionKind(param), off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        pkt.protocol = l.nextHeader;
        if (l.end > limit) {
          l.end = limit;
          stopShort(pkt, l.kind, l.start, limit, end, fragment);
          break loop;
        }
        off = l.end;
        param = l.nextHeader;
        if (l.kind === 'ipv6-fragment') {
          if (l.fragmentOffset !== 0) next = STOP;
          fragment = l.moreFragments;
        }
        continue;
      }
      case TCP: {
        const l = decodeTcp(buf, off, limit);
        if (l === undefined) {
          if (limit - off >= 4) {
            pkt.srcPort = u16(buf, off);
            pkt.dstPort = u16(buf, off + 2);
          }
          stopShort(pkt, 'tcp', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        pkt.srcPort = l.srcPort;
        pkt.dstPort = l.dstPort;
        if (l.end > limit) {
          l.end = limit;
          stopShort(pkt, 'tcp', l.start, limit, end, fragment);
          break loop;
        }
        off = l.end;
        next = STOP;
        continue;
      }
      case UDP: {
        const l = decodeUdp(buf, off, limit);
        if (l === undefined) {
          if (limit - off >= 4) {
            pkt.srcPort = u16(buf, off);
            pkt.dstPort = u16(buf, off + 2);
          }
          stopShort(pkt, 'udp', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        pkt.srcPort = l.srcPort;
        pkt.dstPort = l.dstPort;
        if (l.length !== 0 && l.start + l.length < limit) limit = l.start + l.length;
        off = l.end;
        next = l.dstPort === 4789 || l.srcPort === 4789 ? VXLAN : STOP; // VXLAN_PORT
        continue;
      }
      case SCTP: {
        const l = decodeSctp(buf, off, limit);
        if (l === undefined) {
          if (limit - off >= 4) {
            pkt.srcPort = u16(buf, off);
            pkt.dstPort = u16(buf, off + 2);
          }
          stopShort(pkt, 'sctp', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        pkt.srcPort = l.srcPort;
        pkt.dstPort = l.dstPort;
        off = l.end;
        next = STOP;
        continue;
      }
      case ICMP: {
        const l = decodeIcmp(buf, off, limit);
        if (l === undefined) {
          stopShort(pkt, 'icmp', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        if (l.end > limit) {
          l.end = limit;
          stopShort(pkt, 'icmp', l.start, limit, end, fragment);
          break loop;
        }
        off = l.end;
        if (!inQuote && isIcmpError(l.type)) l.quoted = decodeQuoted(buf, IP, off, limit);
        next = STOP;
        continue;
      }
      case ICMPV6: {
        const l = decodeIcmpv6(buf, off, limit);
        if (l === undefined) {
          stopShort(pkt, 'icmpv6', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        if (l.end > limit) {
          l.end = limit;
          stopShort(pkt, 'icmpv6', l.start, limit, end, fragment);
          break loop;
        }
        off = l.end;
        if (!inQuote && isIcmpv6Error(l.type)) l.quoted = decodeQuoted(buf, IPV6, off, limit);
        next = STOP;
        continue;
      }
      case AH: {
        // The upper-layer header follows AH in clear: carry on with AH's next header (in IPv6, possibly
        // more extension headers, e.g. Destination Options).
        const l = decodeAh(buf, off, limit);
        if (l === undefined) {
          stopShort(pkt, 'ah', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        pkt.protocol = l.nextHeader;
        if (l.end > limit) {
          l.end = limit;
          stopShort(pkt, 'ah', l.start, limit, end, fragment);
          break loop;
        }
        off = l.end;
        param = l.nextHeader;
        next = inIpv6 ? IPV6_NEXT : afterIpProtocol(param);
        continue;
      }
      case ESP: {
        const l = decodeEsp(buf, off, limit);
        if (l === undefined) {
          stopShort(pkt, 'esp', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        off = l.end;
        next = STOP;
        continue;
      }
      case VXLAN: {
        const l = decodeVxlan(buf, off, limit);
        if (l === undefined) {
          stopShort(pkt, 'vxlan', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        off = l.end;
        next = ETHERNET;
        continue;
      }
      case MPLS: {
        const l = decodeMpls(buf, off, limit);
        if (l === undefined) {
          stopShort(pkt, 'mpls', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        off = l.end;
        next = l.bottomOfStack ? MPLS_PAYLOAD : MPLS;
        continue;
      }
      case MPLS_PAYLOAD: {
        // RFC 3032 leaves the payload's type to the label's binding; like tshark and gopacket, guess IPv4 or
        // IPv6 from the first nibble and stop otherwise (e.g. a pseudowire control word).
        if (off >= limit) {
          stopShort(pkt, 'mpls', off, limit, end, fragment);
          break loop;
        }
        const nibble = buf[off] >>> 4;
        next = nibble === 4 ? IPV4 : nibble === 6 ? IPV6 : STOP;
        continue;
      }
      case GRE: {
        const l = decodeGre(buf, off, limit);
        if (l === undefined) {
          stopShort(pkt, 'gre', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        if (l.end > limit) {
          l.end = limit;
          stopShort(pkt, 'gre', l.start, limit, end, fragment);
          break loop;
        }
        off = l.end;
        pkt.ethertype = l.protocol;
        next = l.protocol === 0x6558 /* ETHERTYPE_TRANSPARENT_ETHERNET */ ? ETHERNET : afterEthertype(l.protocol);
        param = l.protocol;
        continue;
      }
      case PPPOE: {
        const l = decodePppoe(buf, off, limit);
        if (l === undefined) {
          stopShort(pkt, 'pppoe', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        // The PPPoE length counts from the PPP protocol field, 6 bytes into the header (RFC 2516 section 4).
        if (l.start + 6 + l.length < limit && l.length >= 2) limit = l.start + 6 + l.length;
        off = l.end;
        next = l.pppProtocol === 0x0021 ? IPV4 : l.pppProtocol === 0x0057 ? IPV6 : STOP; // PPP_IPV4, PPP_IPV6
        continue;
      }
      case SLL:
      case SLL2: {
        const l = next === SLL ? decodeLinuxCooked(buf, off, limit) : decodeLinuxCookedV2(buf, off, limit);
        if (l === undefined) {
          stopShort(pkt, next === SLL ? 'sll' : 'sll2', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        pkt.ethertype = l.ethertype;
        off = l.end;
        param = l.ethertype;
        next = afterEthertype(l.ethertype);
        continue;
      }
      case NULL_LOOPBACK:
      case LOOP: {
        const l = decodeLoopback(buf, off, limit, next === LOOP);
        if (l === undefined) {
          stopShort(pkt, 'loopback', off, limit, end, fragment);
          break loop;
        }
        layers.push(l);
        off = l.end;
        next = loopbackFamilyIsIpv4(l.family) ? IPV4 : loopbackFamilyIsIpv6(l.family) ? IPV6 : STOP;
        continue;
      }
      default:
        break loop;
    }
  }
  pkt.payloadStart = off < limit ? off : limit;
  pkt.payloadEnd = limit;
  return pkt;
}
