/**
 * Statistics of a whole capture, gathered packet by packet while it is indexed: IP conversations (as
 * `tshark -z conv,ip` and `conv,ipv6` count them: frames and bytes on the wire each way, every IP header of
 * a tunnelled packet counted), the protocol hierarchy (as `tshark -z io,phs`: frames and bytes per protocol path), and the
 * project's top-talkers ranking run twice — over the packets in the file, and over the flows sampled inside
 * sFlow datagrams (scaled by their sampling rate, as the top-talkers agent ranks them).
 */
import { DecodeError } from '../../protocols/decodeError';
import { decodeFrame, type DecodedPacket, type Layer } from '../../protocols/packet';
import { decodeDatagram } from '../../protocols/sflow';
import { bidirectionalKey } from '../../flows/flowKey';
import { normaliseFlowSample } from '../../flows/normaliseSflow';
import { TopTalkers, type Talker } from '../../flows/topTalkers';
import type { CaptureStatistics, ConversationRow, ProtocolHierarchyRow, TalkerStatRow } from '../../shared/captureMessages';

/** tshark's short protocol names (its `-z io,phs` column) by layer kind. */
const PHS_NAMES: Readonly<Record<Layer['kind'], string>> = {
  ethernet: 'eth', vlan: 'vlan', arp: 'arp', ipv4: 'ip', ipv6: 'ipv6', 'ipv6-hopopts': 'ipv6.hopopts', 'ipv6-routing': 'ipv6.routing',
  'ipv6-fragment': 'ipv6.fraghdr', 'ipv6-dstopts': 'ipv6.dstopts', tcp: 'tcp', udp: 'udp', sctp: 'sctp', icmp: 'icmp', icmpv6: 'icmpv6',
  vxlan: 'vxlan', mpls: 'mpls', gre: 'gre', ah: 'ah', esp: 'esp', pppoe: 'pppoes', sll: 'sll', sll2: 'sll', loopback: 'null',
};

/** Rows of each ranking kept for the statistics tab. */
export const TOP_TALKERS_SHOWN = 25;
/** Flows the rankings track at most (the agent's default order of magnitude). */
const MAX_FLOWS = 100_000;

interface Counter { frames: number; bytes: number }
interface HierarchyNode extends Counter { children: Map<string, HierarchyNode> }

const newNode = (): HierarchyNode => ({ frames: 0, bytes: 0, children: new Map() });

export class CaptureStatisticsBuilder {
  private readonly conversations = new Map<string, { a: string; b: string; ab: Counter; ba: Counter }>();
  private readonly root = newNode();
  private nowMs = 0;
  private readonly talkers = new TopTalkers({ windowSeconds: Infinity, by: 'bytes', maxFlows: MAX_FLOWS, clock: () => this.nowMs, startMs: 0 });
  private readonly sampled = new TopTalkers({ windowSeconds: Infinity, by: 'bytes', maxFlows: MAX_FLOWS, clock: () => this.nowMs, startMs: 0 });
  private sflowSamples = 0;

  constructor(private readonly sflowPorts: ReadonlySet<number>) {}

  /** Counts one packet; `relativeMs` is its time since the first packet. */
  add(data: Uint8Array, linkType: number, wireLength: number, relativeMs: number): void {
    this.nowMs = relativeMs;
    let pkt: DecodedPacket | undefined;
    try {
      pkt = decodeFrame(data, linkType);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
    }
    const path = ['frame'];
    if (pkt) {
      for (const l of pkt.layers) path.push(PHS_NAMES[l.kind]);
      const top = pkt.layers[pkt.layers.length - 1];
      const sflow = top?.kind === 'udp' && (this.sflowPorts.has(top.dstPort) || this.sflowPorts.has(top.srcPort)) && pkt.payloadEnd > pkt.payloadStart;
      if (sflow) {
        path.push('sflow');
        this.addSflow(data, pkt.payloadStart, pkt.payloadEnd, relativeMs);
      } else if (pkt.payloadEnd > pkt.payloadStart && (top?.kind === 'tcp' || top?.kind === 'udp')) path.push('data');
      this.addConversation(pkt, wireLength);
      if (pkt.src !== undefined && pkt.dst !== undefined) {
        this.talkers.addKeyed(bidirectionalKey(pkt.src, pkt.srcPort ?? 0, pkt.dst, pkt.dstPort ?? 0, pkt.protocol ?? 0), wireLength, 1);
      }
    }
    let node = this.root;
    node.frames++;
    node.bytes += wireLength;
    for (const name of path.slice(1)) {
      let next = node.children.get(name);
      if (!next) node.children.set(name, (next = newNode()));
      next.frames++;
      next.bytes += wireLength;
      node = next;
    }
  }

  /** Every IP header of the packet counts (a tunnel is a conversation of its own, as tshark's conv taps count it). */
  private addConversation(pkt: DecodedPacket, wireLength: number): void {
    for (const ip of pkt.layers) {
      if (ip.kind !== 'ipv4' && ip.kind !== 'ipv6') continue;
      const [a, b] = ip.src < ip.dst ? [ip.src, ip.dst] : [ip.dst, ip.src];
      const key = `${a} ${b}`;
      let c = this.conversations.get(key);
      if (!c) this.conversations.set(key, (c = { a, b, ab: { frames: 0, bytes: 0 }, ba: { frames: 0, bytes: 0 } }));
      const dir = ip.src === a ? c.ab : c.ba;
      dir.frames++;
      dir.bytes += wireLength;
    }
  }

  private addSflow(data: Uint8Array, start: number, end: number, relativeMs: number): void {
    let dg;
    try {
      dg = decodeDatagram(data, start, end);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return;
    }
    for (const s of dg.samples) {
      if (s.kind !== 'flowSample') continue;
      try {
        const record = normaliseFlowSample({ timeReceivedNs: relativeMs * 1e6, agentAddress: dg.agentAddress, sequenceNumber: dg.sequenceNumber }, s);
        if (record) {
          this.sampled.add(record);
          this.sflowSamples++;
        }
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
      }
    }
  }

  result(): CaptureStatistics {
    const conversations: ConversationRow[] = [...this.conversations.values()]
      .map((c) => ({ a: c.a, b: c.b, framesAtoB: c.ab.frames, bytesAtoB: c.ab.bytes, framesBtoA: c.ba.frames, bytesBtoA: c.ba.bytes }))
      .sort((x, y) => y.bytesAtoB + y.bytesBtoA - (x.bytesAtoB + x.bytesBtoA));
    const hierarchy: ProtocolHierarchyRow[] = [];
    const walk = (name: string, node: HierarchyNode, depth: number) => {
      hierarchy.push({ depth, name, frames: node.frames, bytes: node.bytes });
      for (const [n, child] of [...node.children].sort((x, y) => y[1].frames - x[1].frames)) walk(n, child, depth + 1);
    };
    if (this.root.frames > 0) walk('frame', this.root, 0);
    return { conversations, hierarchy, talkers: rows(this.talkers.top(TOP_TALKERS_SHOWN)), sampledTalkers: rows(this.sampled.top(TOP_TALKERS_SHOWN)), sflowSamples: this.sflowSamples };
  }
}

function endpoint(e: { addr: string; port: number }, proto: number): string {
  const withPort = proto === 6 || proto === 17 || proto === 132;
  if (!withPort) return e.addr;
  return e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`;
}

function rows(top: readonly Talker[]): TalkerStatRow[] {
  return top.map((t) => ({ a: endpoint(t.a, t.proto), b: endpoint(t.b, t.proto), protocol: t.proto, bytes: t.bytes, packets: t.packets, share: t.share }));
}
