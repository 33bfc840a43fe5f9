/**
 * A decoded packet as a tree of layers and fields, each with its byte range: what a detail pane shows beside
 * a hex view (the Flows panel's row detail, the capture viewer). Built from the packet layers' own offsets,
 * so a field's range is where its bytes are on the wire (header layouts: IEEE 802.3 3.2.6, IEEE 802.1Q 9.6,
 * RFC 826, RFC 791 3.1, RFC 8200 3, RFC 9293 3.1, RFC 768, RFC 792, RFC 4443 2.1).
 */
import { DecodeError } from './decodeError';
import { tcpFlagNames, tcpOptions } from './tcp';
import { ipv4Options } from './ipv4';
import { decodePacket, type DecodedPacket, type FirstLayer, type Layer } from './packet';
import type { DecodedPacket as PacketTree, PacketTreeNode } from '../shared/packetTree';

/** The tree is the contract the webviews draw (src/shared/packetTree.ts); this module makes it. */
export type { PacketTree, PacketTreeNode };

/** IP protocol numbers (IANA "Assigned Internet Protocol Numbers") as tshark names them. */
const IP_PROTOCOLS: Readonly<Record<number, string>> = {
  0: 'IPv6 Hop-by-Hop', 1: 'ICMP', 2: 'IGMP', 4: 'IPIP', 6: 'TCP', 17: 'UDP', 41: 'IPv6', 43: 'IPv6 Routing',
  44: 'IPv6 Fragment', 47: 'GRE', 50: 'ESP', 51: 'AH', 58: 'ICMPv6', 59: 'IPv6 No Next Header', 60: 'IPv6 Destination Options',
  89: 'OSPF', 103: 'PIM', 112: 'VRRP', 132: 'SCTP',
};

const ETHERTYPES: Readonly<Record<number, string>> = {
  0x0800: 'IPv4', 0x0806: 'ARP', 0x86dd: 'IPv6', 0x8100: '802.1Q', 0x88a8: '802.1ad', 0x9100: 'QinQ', 0x8847: 'MPLS',
  0x8848: 'MPLS multicast', 0x8864: 'PPPoE session', 0x88cc: 'LLDP', 0x6558: 'Transparent Ethernet Bridging',
};

/** IEEE 802.1ad service tag (S-tag) TPID. */
const ETHERTYPE_QINQ = 0x88a8;

const hex4 = (v: number) => `0x${v.toString(16).padStart(4, '0')}`;
const named = (v: number, names: Readonly<Record<number, string>>, fmt: (v: number) => string = String) =>
  names[v] === undefined ? fmt(v) : `${fmt(v)} (${names[v]})`;

function field(label: string, value: string | number, start: number, length: number): PacketTreeNode {
  return { label, value: String(value), start, end: start + length };
}

function formatBytes(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += buf[i]!.toString(16).padStart(2, '0');
  return s;
}

/** A layer's fields, each at its offset from the layer's start; a layer kind without a field table gets none. */
function fieldsOf(buf: Uint8Array, l: Layer): PacketTreeNode[] {
  const o = l.start;
  switch (l.kind) {
    case 'ethernet':
      return [field('Destination', l.dst, o, 6), field('Source', l.src, o + 6, 6), field('Type', named(l.ethertype, ETHERTYPES, hex4), o + 12, 2)];
    case 'vlan': {
      // tshark gives the 802.1Q tag's PCP and DEI the whole TCI, the 802.1ad S-tag's only its first byte.
      const bits = l.tpid === ETHERTYPE_QINQ ? 1 : 2;
      return [
        field('Priority', l.priority, o, bits), field('DEI', l.dei ? 1 : 0, o, bits), field('ID', l.id, o, 2),
        field('Type', named(l.ethertype, ETHERTYPES, hex4), o + 2, 2),
      ];
    }
    case 'arp':
      return [
        field('Hardware type', l.hardwareType, o, 2), field('Protocol type', hex4(l.protocolType), o + 2, 2),
        field('Hardware size', l.hardwareLength, o + 4, 1), field('Protocol size', l.protocolLength, o + 5, 1),
        field('Opcode', l.operation === 1 ? '1 (request)' : l.operation === 2 ? '2 (reply)' : l.operation, o + 6, 2),
        field('Sender MAC address', l.senderHardware, o + 8, l.hardwareLength),
        field('Sender IP address', l.senderProtocol, o + 8 + l.hardwareLength, l.protocolLength),
        field('Target MAC address', l.targetHardware, o + 8 + l.hardwareLength + l.protocolLength, l.hardwareLength),
        field('Target IP address', l.targetProtocol, o + 8 + 2 * l.hardwareLength + l.protocolLength, l.protocolLength),
      ];
    case 'ipv4': {
      const fields = [
        field('Version', 4, o, 1), field('Header length', `${l.headerLength} bytes`, o, 1),
        field('DSCP', l.dscp, o + 1, 1), field('ECN', l.ecn, o + 1, 1), field('Total length', l.totalLength, o + 2, 2),
        field('Identification', hex4(l.identification), o + 4, 2),
        field('Flags', [l.dontFragment ? "Don't fragment" : '', l.moreFragments ? 'More fragments' : ''].filter(Boolean).join(', ') || 'none', o + 6, 1),
        field('Fragment offset', l.fragmentOffset, o + 6, 2), field('Time to live', l.ttl, o + 8, 1),
        field('Protocol', named(l.protocol, IP_PROTOCOLS), o + 9, 1), field('Header checksum', hex4(l.checksum), o + 10, 2),
        field('Source address', l.src, o + 12, 4), field('Destination address', l.dst, o + 16, 4),
      ];
      if (l.headerLength > 20) {
        const options = ipv4Options(buf, l);
        fields.push({
          label: 'Options', value: `${l.headerLength - 20} bytes`, start: l.optionsStart, end: Math.min(l.start + l.headerLength, buf.length),
          children: options.map((opt) => field('Option', `type ${opt.type}`, opt.start, opt.length)),
        });
      }
      return fields;
    }
    case 'ipv6':
      return [
        field('Version', 6, o, 1), field('Traffic class', `0x${l.trafficClass.toString(16).padStart(2, '0')}`, o, 4),
        field('Flow label', `0x${l.flowLabel.toString(16).padStart(5, '0')}`, o + 1, 3), field('Payload length', l.payloadLength, o + 4, 2),
        field('Next header', named(l.nextHeader, IP_PROTOCOLS), o + 6, 1), field('Hop limit', l.hopLimit, o + 7, 1),
        field('Source address', l.src, o + 8, 16), field('Destination address', l.dst, o + 24, 16),
      ];
    case 'tcp': {
      const names = tcpFlagNames(l.flags);
      const fields: PacketTreeNode[] = [
        field('Source port', l.srcPort, o, 2), field('Destination port', l.dstPort, o + 2, 2),
        field('Sequence number', l.seq, o + 4, 4), field('Acknowledgment number', l.ack, o + 8, 4),
        field('Header length', `${l.headerLength} bytes`, o + 12, 1),
        field('Flags', `0x${l.flags.toString(16).padStart(3, '0')}${names.length ? ` (${names.join(', ')})` : ''}`, o + 12, 2),
        field('Window', l.window, o + 14, 2), field('Checksum', hex4(l.checksum), o + 16, 2), field('Urgent pointer', l.urgentPointer, o + 18, 2),
      ];
      if (l.headerLength > 20) {
        const options = tcpOptions(buf, l);
        fields.push({
          label: 'Options', value: `${l.headerLength - 20} bytes`, start: l.optionsStart, end: Math.min(l.start + l.headerLength, buf.length),
          children: options.map((opt) => field('Option', tcpOptionText(opt), opt.start, opt.length)),
        });
      }
      return fields;
    }
    case 'udp':
    case 'sctp':
      return [
        field('Source port', l.srcPort, o, 2), field('Destination port', l.dstPort, o + 2, 2),
        ...(l.kind === 'udp' ? [field('Length', l.length, o + 4, 2), field('Checksum', hex4(l.checksum), o + 6, 2)] : []),
      ];
    case 'icmp':
    case 'icmpv6':
      return [
        field('Type', l.type, o, 1), field('Code', l.code, o + 1, 1), field('Checksum', hex4(l.checksum), o + 2, 2),
        ...(l.identifier === undefined ? [] : [field('Identifier', l.identifier, o + 4, 2)]),
        ...(l.sequence === undefined ? [] : [field('Sequence number', l.sequence, o + 6, 2)]),
      ];
    default:
      return [];
  }
}

function tcpOptionText(opt: ReturnType<typeof tcpOptions>[number]): string {
  if (opt.mss !== undefined) return `MSS ${opt.mss}`;
  if (opt.windowScale !== undefined) return `window scale ${opt.windowScale}`;
  if (opt.tsVal !== undefined) return `timestamps ${opt.tsVal} ${opt.tsEcr}`;
  if (opt.sack !== undefined) return `SACK ${opt.sack.map(([a, b]) => `${a}-${b}`).join(' ')}`;
  return opt.kind === 0 ? 'end of options' : opt.kind === 1 ? 'no-operation' : `kind ${opt.kind}`;
}

/** A layer's title, as tshark words it. */
const LAYER_TITLES: Readonly<Record<Layer['kind'], string>> = {
  ethernet: 'Ethernet II', vlan: '802.1Q Virtual LAN', arp: 'Address Resolution Protocol', ipv4: 'Internet Protocol Version 4',
  ipv6: 'Internet Protocol Version 6', 'ipv6-hopopts': 'IPv6 Hop-by-Hop Option', 'ipv6-routing': 'IPv6 Routing Header',
  'ipv6-fragment': 'IPv6 Fragment Header', 'ipv6-dstopts': 'IPv6 Destination Options', tcp: 'Transmission Control Protocol',
  udp: 'User Datagram Protocol', sctp: 'Stream Control Transmission Protocol', icmp: 'Internet Control Message Protocol',
  icmpv6: 'Internet Control Message Protocol v6', vxlan: 'Virtual eXtensible Local Area Network', mpls: 'MultiProtocol Label Switching',
  gre: 'Generic Routing Encapsulation', ah: 'Authentication Header', esp: 'Encapsulating Security Payload', pppoe: 'PPP-over-Ethernet Session',
  sll: 'Linux cooked capture v1', sll2: 'Linux cooked capture v2', loopback: 'Null/Loopback',
};

/** A short summary beside the layer's title ("Src: 192.0.2.1, Dst: 192.0.2.2"). */
function summaryOf(l: Layer): string | undefined {
  switch (l.kind) {
    case 'ethernet': return `${l.src} → ${l.dst}`;
    case 'ipv4': case 'ipv6': return `${l.src} → ${l.dst}`;
    case 'tcp': case 'udp': case 'sctp': return `${l.srcPort} → ${l.dstPort}`;
    case 'vlan': return `ID ${l.id}`;
    case 'icmp': case 'icmpv6': return `type ${l.type} code ${l.code}`;
    default: return undefined;
  }
}

function titleOf(l: Layer): string {
  return l.kind === 'vlan' && l.tpid === ETHERTYPE_QINQ ? '802.1ad Service VLAN' : LAYER_TITLES[l.kind];
}

/** The tree of a packet decoded already: one node per layer with its fields, then the payload left over. */
export function treeOfDecoded(buf: Uint8Array, pkt: DecodedPacket, base = 0): PacketTreeNode[] {
  const shift = (n: PacketTreeNode): PacketTreeNode =>
    base === 0 ? n : { ...n, start: n.start - base, end: n.end - base, ...(n.children ? { children: n.children.map(shift) } : {}) };
  const nodes: PacketTreeNode[] = pkt.layers.map((l) => {
    const end = Math.min(l.end, buf.length);
    const summary = summaryOf(l);
    return shift({
      label: titleOf(l), ...(summary ? { value: summary } : {}), start: l.start, end,
      children: fieldsOf(buf, l).map((f) => (f.end > end ? { ...f, end: Math.max(f.start, end) } : f)),
    });
  });
  if (pkt.payloadEnd > pkt.payloadStart) {
    const label = pkt.truncated && pkt.truncatedIn ? `${LAYER_TITLES[pkt.truncatedIn]} (cut short)` : 'Payload';
    nodes.push(shift({ label, value: `${pkt.payloadEnd - pkt.payloadStart} bytes`, start: pkt.payloadStart, end: pkt.payloadEnd }));
  }
  return nodes;
}

/** sFlow header_protocol (sFlow v5 "Raw Packet Header", enum header_protocol) → where decoding starts. */
export function firstLayerOfHeaderProtocol(headerProtocol: number): FirstLayer | undefined {
  return headerProtocol === 1 ? 'ethernet' : headerProtocol === 11 ? 'ipv4' : headerProtocol === 12 ? 'ipv6' : undefined;
}

/**
 * Decodes bytes into a PacketTree: layers and fields with their ranges, and, when decoding stopped at
 * bytes that contradict themselves, why and where. A header cut short (sFlow samples the first ~128 bytes)
 * is said in `error` too, as the truncation it is.
 */
export function packetTree(bytes: Uint8Array, first: FirstLayer): PacketTree {
  const hex = formatBytes(bytes, 0, bytes.length);
  try {
    const pkt = decodePacket(bytes, first);
    const tree = treeOfDecoded(bytes, pkt);
    return pkt.truncated ? { hex, tree, error: `${pkt.truncatedIn ?? 'header'} cut short by the end of the sampled bytes` } : { hex, tree };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { hex, tree: [{ label: 'Undecoded bytes', value: `${bytes.length} bytes`, start: 0, end: bytes.length }], error: e.message };
  }
}

/** Bytes from hex text (two digits a byte); DecodeError naming the first bad character's offset. */
export function bytesOfHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new DecodeError('hex', hex.length, `odd number of hex digits (${hex.length})`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const v = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    if (!/^[0-9a-fA-F]{2}$/.test(hex.slice(2 * i, 2 * i + 2))) throw new DecodeError('hex', 2 * i, `"${hex.slice(2 * i, 2 * i + 2)}" is not a hex byte`);
    out[i] = v;
  }
  return out;
}
