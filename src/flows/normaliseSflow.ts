/**
 * sFlow flow samples → normalised flow records, the way goflow2's sFlow producer does it
 * (producer/proto/producer_sf.go): one record per flow sample (compact or expanded), the sample's
 * flow records applied in order with the later one winning a field:
 * - raw packet header (sFlow v5 §5.2 format 1): bytes from frame_length, addresses, ports,
 *   protocol and ethertype from decoding the header bytes (src/protocols/packet.ts);
 * - sampled IPv4 / IPv6 (formats 3 / 4): bytes from the IP length, the 5-tuple as given.
 * Differences from goflow2: bytes and packets are scaled here (× sampling rate; goflow2 leaves that
 * to its consumers), and for tunnelled traffic the addresses are the innermost IP header's (goflow2
 * puts those in InnerFrame* fields and keeps the outer ones).
 */
import { decodePacket, type FirstLayer } from '../protocols/packet';
import type { FlowRecord } from './flowRecord';

/** What a record needs from the datagram around the sample. */
export interface SflowDatagramContext {
  /** When the datagram arrived, ns since the Unix epoch. */
  timeReceivedNs: number;
  /** The datagram's agent address. */
  agentAddress: string;
  /** The datagram's sequence number. */
  sequenceNumber: number;
}

/** A raw packet header record (format 1): the header bytes are buf[headerStart, headerEnd), not copied. */
export interface RawHeaderRecord {
  kind: 'rawHeader';
  /** sFlow header_protocol: 1 Ethernet, 11 IPv4, 12 IPv6 (others carry no address we can read). */
  headerProtocol: number;
  /** Length of the original frame. */
  frameLength: number;
  buf: Uint8Array;
  headerStart: number;
  headerEnd: number;
}

/** A sampled IPv4 (format 3) or IPv6 (format 4) record. */
export interface SampledIpRecord {
  kind: 'sampledIpv4' | 'sampledIpv6';
  /** Length of the IP packet. */
  length: number;
  protocol: number;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
}

/**
 * Any flow record as src/protocols/sflow decodes it: only raw headers and sampled IPv4/IPv6 say
 * anything about the flow; the others (Ethernet frame data, extended switch, router, gateway, ...)
 * are passed over. Typed by `kind` alone so the decoder's record classes fit as they are.
 */
export interface SflowFlowRecordInput {
  readonly kind: string;
}

/** A flow sample (format 1) or expanded flow sample (format 3), as far as normalising needs it. */
export interface SflowFlowSampleInput {
  samplingRate: number;
  /** Input and output interface (ifIndex). */
  input: number;
  output: number;
  records: readonly SflowFlowRecordInput[];
}

/** sFlow v5 header_protocol values (§5.2 "header_protocol") that decodePacket can start from. */
function firstLayer(headerProtocol: number): FirstLayer | undefined {
  switch (headerProtocol) {
    case 1: return 'ethernet'; // ETHERNET-ISO88023
    case 11: return 'ipv4';
    case 12: return 'ipv6';
    default: return undefined;
  }
}

/**
 * The normalised record for one flow sample, or undefined when none of its records says anything
 * about the flow (no raw header and no sampled IPv4/IPv6). Throws the packet decoder's DecodeError
 * for a raw header whose bytes contradict themselves (the caller counts it as malformed).
 */
export function normaliseFlowSample(ctx: SflowDatagramContext, sample: SflowFlowSampleInput): FlowRecord | undefined {
  // A sampling rate of 0 is not a valid "1 in N": count the sample as itself.
  const rate = sample.samplingRate > 0 ? sample.samplingRate : 1;
  let seen = false;
  let length = 0;
  let srcAddr = '';
  let dstAddr = '';
  let srcPort = 0;
  let dstPort = 0;
  let proto = 0;
  let etype = 0;
  for (const record of sample.records) {
    if (record.kind === 'rawHeader') {
      const r = record as RawHeaderRecord;
      seen = true;
      length = r.frameLength;
      const first = firstLayer(r.headerProtocol);
      if (first === undefined) continue;
      const p = decodePacket(r.buf, first, r.headerStart, r.headerEnd);
      srcAddr = p.src ?? '';
      dstAddr = p.dst ?? '';
      srcPort = p.srcPort ?? 0;
      dstPort = p.dstPort ?? 0;
      proto = p.protocol ?? 0;
      etype = p.ethertype ?? (first === 'ipv4' ? 0x0800 : first === 'ipv6' ? 0x86dd : 0);
    } else if (record.kind === 'sampledIpv4' || record.kind === 'sampledIpv6') {
      const r = record as SampledIpRecord;
      seen = true;
      length = r.length;
      srcAddr = r.srcIp;
      dstAddr = r.dstIp;
      srcPort = r.srcPort;
      dstPort = r.dstPort;
      proto = r.protocol;
      etype = r.kind === 'sampledIpv4' ? 0x0800 : 0x86dd;
    }
  }
  if (!seen) return undefined;
  return {
    timeReceivedNs: ctx.timeReceivedNs,
    samplerAddress: ctx.agentAddress,
    sequenceNum: ctx.sequenceNumber,
    samplingRate: sample.samplingRate,
    inIf: sample.input,
    outIf: sample.output,
    srcAddr,
    dstAddr,
    srcPort,
    dstPort,
    proto,
    etype,
    bytes: length * rate,
    packets: rate,
  };
}
