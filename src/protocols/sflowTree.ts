/**
 * An sFlow v5 datagram as packet-tree nodes (sflow.org "sFlow Version 5": sample_datagram_v5, flow_sample,
 * counters_sample, flow and counter records): the datagram header, each sample with its fields, each record,
 * and each raw packet header decoded as a packet of its own. Ranges are offsets into the bytes the datagram
 * was decoded from (the whole captured frame), so they light up the right bytes of the frame's hex view.
 * Field labels are tshark's (its sFlow dissector's field names), so the two can be compared side by side.
 */
import { DecodeError } from './decodeError';
import { decodePacket } from './packet';
import { decodeDatagram, type SflowDatagram, type SflowSample } from './sflow';
import type { FlowRecord } from './sflow/flowRecords';
import type { CounterRecord } from './sflow/counterRecords';
import { firstLayerOfHeaderProtocol, treeOfDecoded, type PacketTreeNode } from './packetTree';

const XDR_WORD = 4;
/** The data_format and length words in front of every sample and record. */
const FORMAT_AND_LENGTH = 2 * XDR_WORD;

const SAMPLE_TITLES: Readonly<Record<SflowSample['kind'], string>> = {
  flowSample: 'Flow sample', counterSample: 'Counters sample', discardedPacketSample: 'Discarded packet sample', unknownSample: 'Unknown sample',
};

const HEADER_PROTOCOLS: Readonly<Record<number, string>> = { 1: 'Ethernet', 11: 'IPv4', 12: 'IPv6' };

function word(label: string, value: string | number, start: number): PacketTreeNode {
  return { label, value: String(value), start, end: start + XDR_WORD };
}

/** The words every sample shares after its format and length: sequence number and source id (compact or expanded). */
function sampleHead(s: { format: number; start: number; sequenceNumber: number; sourceIdClass: number; sourceIdIndex: number; dataLength: number }): PacketTreeNode[] {
  const d = s.start + FORMAT_AND_LENGTH;
  const expanded = s.format === 3 || s.format === 4;
  return [
    word('Sample length (byte)', s.dataLength, s.start + XDR_WORD),
    word('Sequence number', s.sequenceNumber, d),
    expanded ? word('Source ID class', s.sourceIdClass, d + XDR_WORD) : { label: 'Source ID class', value: String(s.sourceIdClass), start: d + XDR_WORD, end: d + XDR_WORD + 1 },
    expanded ? word('Index', s.sourceIdIndex, d + 2 * XDR_WORD) : word('Index', s.sourceIdIndex, d + XDR_WORD),
  ];
}

/** Generic fields of a record this file has no table for: its own numbers and short strings, in declaration order. */
function genericFields(r: object, start: number, end: number): PacketTreeNode[] {
  const skip = new Set(['kind', 'enterprise', 'format', 'start', 'end', 'dataLength', 'dataStart', 'dataEnd', 'buf']);
  const out: PacketTreeNode[] = [];
  for (const [k, v] of Object.entries(r)) {
    if (skip.has(k) || k.startsWith('_')) continue;
    const text = typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? String(v) : Array.isArray(v) && v.every((x) => typeof x === 'number') ? v.join(' ') : undefined;
    if (text !== undefined) out.push({ label: k.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()), value: text, start, end });
  }
  return out;
}

function recordTitle(r: FlowRecord | CounterRecord): string {
  switch (r.kind) {
    case 'rawHeader': return 'Raw packet header';
    case 'sampledEthernet': return 'Ethernet frame data';
    case 'sampledIpv4': return 'IPv4 data';
    case 'sampledIpv6': return 'IPv6 data';
    case 'extendedSwitch': return 'Extended switch data';
    case 'extendedRouter': return 'Extended router data';
    case 'extendedGateway': return 'Extended gateway data';
    case 'genericInterface': return 'Generic interface counters';
    case 'ethernetInterface': return 'Ethernet interface counters';
    case 'processor': return 'Processor information';
    default: return `Record ${r.enterprise}:${r.format}`;
  }
}

function recordNode(buf: Uint8Array, r: FlowRecord | CounterRecord): PacketTreeNode {
  const lengthWord = word('Flow data length (byte)', r.dataLength, r.start + XDR_WORD);
  const format = word('Format', `${recordTitle(r)} (${r.format})`, r.start);
  if (r.kind === 'rawHeader') {
    const d = r.start + FORMAT_AND_LENGTH;
    const children: PacketTreeNode[] = [
      format, lengthWord,
      word('Header protocol', `${HEADER_PROTOCOLS[r.headerProtocol] ?? 'unknown'} (${r.headerProtocol})`, d),
      word('Frame Length', r.frameLength, d + XDR_WORD),
      word('Payload stripped', r.stripped, d + 2 * XDR_WORD),
      word('Sampled header length', r.headerLength, d + 3 * XDR_WORD),
    ];
    const first = firstLayerOfHeaderProtocol(r.headerProtocol);
    const sampled: PacketTreeNode = { label: 'Header of sampled packet', value: `${r.headerEnd - r.headerStart} bytes`, start: r.headerStart, end: r.headerEnd };
    if (first !== undefined) {
      try {
        const pkt = decodePacket(buf, first, r.headerStart, r.headerEnd);
        children.push({ ...sampled, children: treeOfDecoded(buf.subarray(0, r.headerEnd), pkt) });
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        children.push({ ...sampled, value: `${sampled.value}, malformed: ${e.message}` });
      }
    } else children.push(sampled);
    return { label: recordTitle(r), start: r.start, end: r.end, children };
  }
  return { label: recordTitle(r), start: r.start, end: r.end, children: [format, lengthWord, ...genericFields(r, r.start + FORMAT_AND_LENGTH, r.end)] };
}

function sampleNode(buf: Uint8Array, s: SflowSample): PacketTreeNode {
  const title = SAMPLE_TITLES[s.kind];
  switch (s.kind) {
    case 'flowSample':
    case 'discardedPacketSample': {
      const expanded = s.kind === 'flowSample' && s.format === 3;
      const d = s.start + FORMAT_AND_LENGTH;
      // Compact: seq, source, rate, pool, drops, input, output, count; expanded: source and interfaces take two words each.
      const at = (compact: number, wide: number) => d + (expanded ? wide : compact) * XDR_WORD;
      const fields: PacketTreeNode[] = [...sampleHead(s)];
      if (s.kind === 'flowSample') {
        fields.push(
          word('Sampling rate', s.samplingRate, at(2, 3)), word('Sample pool', s.samplePool, at(3, 4)), word('Dropped packets', s.drops, at(4, 5)),
          word('Input interface (ifIndex)', s.input, at(5, 7)), word('Output interface', s.output, at(6, 9)), word('Flow record', s.recordCount, at(7, 10)),
        );
      } else {
        fields.push(word('Dropped packets', s.drops, d + 2 * XDR_WORD), word('Input interface (ifIndex)', s.input, d + 3 * XDR_WORD),
          word('Output interface', s.output, d + 4 * XDR_WORD), word('Reason', s.reason, d + 5 * XDR_WORD), word('Flow record', s.recordCount, d + 6 * XDR_WORD));
      }
      return { label: title, value: `seq ${s.sequenceNumber}`, start: s.start, end: s.end, children: [...fields, ...s.records.map((r) => recordNode(buf, r))] };
    }
    case 'counterSample':
      return {
        label: title, value: `seq ${s.sequenceNumber}`, start: s.start, end: s.end,
        children: [...sampleHead(s), word('Counters records', s.recordCount, s.start + FORMAT_AND_LENGTH + (s.format === 4 ? 3 : 2) * XDR_WORD), ...s.records.map((r) => recordNode(buf, r))],
      };
    default:
      return { label: title, value: `enterprise ${s.enterprise}, format ${s.format}`, start: s.start, end: s.end };
  }
}

/** The datagram's node with its header fields and samples; decoding problems inside samples become nodes too. */
export function sflowDatagramNode(buf: Uint8Array, dg: SflowDatagram): PacketTreeNode {
  const o = dg.start;
  const addressLength = dg.agentAddressType === 1 ? 4 : 16;
  const after = dg.agentAddressStart + addressLength;
  const header: PacketTreeNode[] = [
    word('Datagram version', dg.version, o),
    word('Agent address type', dg.agentAddressType === 1 ? 'IPv4 (1)' : 'IPv6 (2)', o + XDR_WORD),
    { label: 'Agent address', value: dg.agentAddress, start: dg.agentAddressStart, end: after },
    word('Sub-agent ID', dg.subAgentId, after),
    word('Sequence number', dg.sequenceNumber, after + XDR_WORD),
    word('SysUptime', `${dg.uptime} ms`, after + 2 * XDR_WORD),
    word('NumSamples', dg.sampleCount, after + 3 * XDR_WORD),
  ];
  const errors = dg.errors.map((e) => ({ label: 'Malformed', value: e.message, start: Math.min(e.offset, dg.end), end: Math.min(e.offset, dg.end) }));
  return { label: 'InMon sFlow', value: `agent ${dg.agentAddress}, seq ${dg.sequenceNumber}, ${dg.sampleCount} samples`, start: dg.start, end: dg.end, children: [...header, ...dg.samples.map((s) => sampleNode(buf, s)), ...errors] };
}

/** Decodes buf[start, end) as an sFlow datagram into one node; a broken datagram header gives a node that says why. */
export function sflowNode(buf: Uint8Array, start: number, end: number): PacketTreeNode {
  try {
    return sflowDatagramNode(buf, decodeDatagram(buf, start, end));
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { label: 'InMon sFlow', value: `malformed: ${e.message}`, start, end };
  }
}
