/**
 * One line per packet, as a packet list shows it: source, destination, protocol and a short info text
 * ("sFlow v5, agent 192.0.2.1, seq 812, 7 samples", "179 → 51086 [PSH, ACK] Len=19"). Source and destination
 * are the innermost IP addresses (tunnels: the inner packet), else the link-layer addresses; the protocol is
 * the topmost one recognised, named as tshark's Protocol column names it.
 */
import { DecodeError } from './decodeError';
import { decodeFrame, type DecodedPacket, type Layer } from './packet';
import { decodeDatagram, SFLOW_PORT } from './sflow';
import { tcpFlagNames } from './tcp';

export interface PacketSummary {
  readonly source: string;
  readonly destination: string;
  readonly protocol: string;
  readonly info: string;
}

/** Which UDP ports carry sFlow ("decode as"): the IANA port unless the user adds others. */
export interface SummaryOptions {
  readonly sflowPorts: ReadonlySet<number>;
}

export const DEFAULT_SUMMARY_OPTIONS: SummaryOptions = { sflowPorts: new Set([SFLOW_PORT]) };

/** Protocol column names (tshark's) by layer kind, for the topmost layer when no application is recognised. */
const PROTOCOL_NAMES: Readonly<Record<Layer['kind'], string>> = {
  ethernet: 'Ethernet', vlan: '802.1Q', arp: 'ARP', ipv4: 'IPv4', ipv6: 'IPv6', 'ipv6-hopopts': 'IPv6', 'ipv6-routing': 'IPv6',
  'ipv6-fragment': 'IPv6', 'ipv6-dstopts': 'IPv6', tcp: 'TCP', udp: 'UDP', sctp: 'SCTP', icmp: 'ICMP', icmpv6: 'ICMPv6',
  vxlan: 'VXLAN', mpls: 'MPLS', gre: 'GRE', ah: 'AH', esp: 'ESP', pppoe: 'PPPoE', sll: 'SLL', sll2: 'SLL2', loopback: 'NULL',
};

/** The layers that are only carriers: a packet whose topmost layer is one of these is named by what is under it. */
const CARRIERS = new Set<Layer['kind']>(['vxlan', 'ethernet', 'vlan', 'sll', 'sll2', 'loopback', 'mpls', 'pppoe']);

/** The layer a packet is named by: the topmost one that is not a mere carrier (VXLAN's inner frame is named by its IP). */
function namingLayer(layers: readonly Layer[]): Layer | undefined {
  for (let i = layers.length - 1; i >= 0; i--) if (!CARRIERS.has(layers[i]!.kind)) return layers[i];
  return layers[layers.length - 1];
}

function linkAddresses(layers: readonly Layer[]): { source: string; destination: string } {
  for (const l of layers) {
    if (l.kind === 'ethernet') return { source: l.src, destination: l.dst };
  }
  return { source: '', destination: '' };
}

function infoOf(l: Layer, pkt: DecodedPacket): string {
  switch (l.kind) {
    case 'tcp': {
      const flags = tcpFlagNames(l.flags);
      return `${l.srcPort} → ${l.dstPort}${flags.length ? ` [${flags.join(', ')}]` : ''} Len=${Math.max(0, pkt.payloadEnd - pkt.payloadStart)}`;
    }
    case 'udp': return `${l.srcPort} → ${l.dstPort} Len=${Math.max(0, l.length - 8)}`;
    case 'sctp': return `${l.srcPort} → ${l.dstPort}`;
    case 'icmp': case 'icmpv6': return `type ${l.type} code ${l.code}${l.sequence === undefined ? '' : ` seq=${l.sequence}`}`;
    case 'arp':
      return l.operation === 1 ? `Who has ${l.targetProtocol}? Tell ${l.senderProtocol}` : l.operation === 2 ? `${l.senderProtocol} is at ${l.senderHardware}` : `operation ${l.operation}`;
    default: return PROTOCOL_NAMES[l.kind];
  }
}

/**
 * The summary of one captured frame. Never throws: bytes that do not decode give a summary that says where
 * they broke ("malformed ipv4 at byte 14: …").
 */
export function summarisePacket(data: Uint8Array, linkType: number, options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS): PacketSummary {
  let pkt: DecodedPacket;
  try {
    pkt = decodeFrame(data, linkType);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { source: '', destination: '', protocol: 'Malformed', info: e.message };
  }
  const layers = pkt.layers;
  const { source, destination } = pkt.src !== undefined ? { source: pkt.src, destination: pkt.dst ?? '' } : linkAddresses(layers);
  const top = namingLayer(layers);
  if (top === undefined) return { source, destination, protocol: 'Data', info: `link type ${linkType}, ${data.length} bytes` };
  if (top.kind === 'udp' && (options.sflowPorts.has(top.dstPort) || options.sflowPorts.has(top.srcPort)) && pkt.payloadEnd > pkt.payloadStart) {
    return { source, destination, protocol: 'sFlow', info: sflowInfo(data, pkt.payloadStart, pkt.payloadEnd) };
  }
  return { source, destination, protocol: PROTOCOL_NAMES[top.kind], info: infoOf(top, pkt) };
}

function sflowInfo(data: Uint8Array, start: number, end: number): string {
  try {
    const dg = decodeDatagram(data, start, end);
    const samples = `${dg.sampleCount} sample${dg.sampleCount === 1 ? '' : 's'}`;
    return `sFlow v5, agent ${dg.agentAddress}, seq ${dg.sequenceNumber}, ${samples}${dg.errors.length ? `, ${dg.errors.length} malformed` : ''}`;
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return `sFlow, malformed: ${e.message}`;
  }
}
