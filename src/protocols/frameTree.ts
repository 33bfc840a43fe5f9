/**
 * A captured frame as a packet tree: its layers from the link type on (packetTree.ts), and a UDP payload on
 * an sFlow port expanded into the datagram, its samples and records, each sampled header decoded as a packet
 * of its own (sflowTree.ts). What a capture viewer's detail pane shows.
 */
import { DecodeError } from './decodeError';
import { decodeFrame } from './packet';
import { treeOfDecoded, type PacketTree, type PacketTreeNode } from './packetTree';
import { DEFAULT_SUMMARY_OPTIONS, type SummaryOptions } from './packetSummary';
import { sflowNode } from './sflowTree';

function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function frameTree(bytes: Uint8Array, linkType: number, options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS): PacketTree {
  const hex = hexOf(bytes);
  try {
    const pkt = decodeFrame(bytes, linkType);
    let tree: PacketTreeNode[] = treeOfDecoded(bytes, pkt);
    const top = pkt.layers[pkt.layers.length - 1];
    if (top?.kind === 'udp' && (options.sflowPorts.has(top.dstPort) || options.sflowPorts.has(top.srcPort)) && pkt.payloadEnd > pkt.payloadStart) {
      // The payload node treeOfDecoded put last is the datagram: replace it by its decoded form.
      tree = [...tree.filter((n) => !(n.start === pkt.payloadStart && n.end === pkt.payloadEnd && n.children === undefined)), sflowNode(bytes, pkt.payloadStart, pkt.payloadEnd)];
    }
    return pkt.truncated ? { hex, tree, error: `${pkt.truncatedIn ?? 'header'} cut short by the end of the captured bytes` } : { hex, tree };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { hex, tree: [{ label: 'Undecoded bytes', value: `${bytes.length} bytes`, start: 0, end: bytes.length }], error: e.message };
  }
}
