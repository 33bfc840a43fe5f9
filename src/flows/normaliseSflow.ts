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
import { formatIpv4, formatIpv6 } from '../protocols/addresses';
import { decodePacket, type FirstLayer } from '../protocols/packet';
import type { FlowKeyBuilder } from './flowKey';
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
 * What one flow sample says about its flow, read into an object that is reused from sample to
 * sample: the hot path (readFlowSample, then key()) allocates nothing of its own and never turns
 * an address into text. Addresses are either bytes in a packet header (`addressBuf` at `srcAt` and
 * `dstAt`, `addressBytes` long) or text from a sampled IPv4/IPv6 record.
 */
export class SampledFlow {
  /** Frame length (raw header) or IP length (sampled IPv4/IPv6), before scaling. */
  length = 0;
  srcPort = 0;
  dstPort = 0;
  proto = 0;
  etype = 0;
  /** Where the addresses are: 0 none, 4 or 16 bytes in `addressBuf`, or TEXT_ADDRESSES. */
  addressBytes = 0;
  addressBuf: Uint8Array = EMPTY;
  srcAt = 0;
  dstAt = 0;
  srcText = '';
  dstText = '';

  /** The bidirectional key of this flow, built by `builder` (its key[0, length)); returns the length. */
  key(builder: FlowKeyBuilder): number {
    const n = this.addressBytes;
    if (n === 4 || n === 16) {
      builder.sourceBytes(this.addressBuf, this.srcAt, n);
      builder.destinationBytes(this.addressBuf, this.dstAt, n);
    } else if (n === TEXT_ADDRESSES) {
      builder.sourceText(this.srcText);
      builder.destinationText(this.dstText);
    } else {
      builder.noAddresses();
    }
    return builder.build(this.srcPort, this.dstPort, this.proto);
  }

  get srcAddr(): string {
    return this.addressText(this.srcAt, this.srcText);
  }

  get dstAddr(): string {
    return this.addressText(this.dstAt, this.dstText);
  }

  private addressText(at: number, text: string): string {
    const n = this.addressBytes;
    if (n === 4) return formatIpv4(this.addressBuf, at);
    if (n === 16) return formatIpv6(this.addressBuf, at);
    return n === TEXT_ADDRESSES ? text : '';
  }
}

const EMPTY = new Uint8Array(0);
const TEXT_ADDRESSES = -1;

/**
 * Reads one flow sample into `out`: false when none of its records says anything about the flow
 * (no raw header and no sampled IPv4/IPv6). Throws the packet decoder's DecodeError for a raw
 * header whose bytes contradict themselves (the caller counts it as malformed).
 */
export function readFlowSample(sample: SflowFlowSampleInput, out: SampledFlow): boolean {
  let seen = false;
  out.addressBytes = 0;
  out.srcPort = 0;
  out.dstPort = 0;
  out.proto = 0;
  out.etype = 0;
  for (const record of sample.records) {
    if (record.kind === 'rawHeader') {
      const r = record as RawHeaderRecord;
      seen = true;
      out.length = r.frameLength;
      const first = firstLayer(r.headerProtocol);
      if (first === undefined) continue;
      const p = decodePacket(r.buf, first, r.headerStart, r.headerEnd);
      out.addressBytes = 0;
      // The innermost IP header (the packet's src and dst) is the last IPv4 or IPv6 layer: its
      // addresses at RFC 791 §3.1 offsets 12 and 16, or RFC 8200 §3 offsets 8 and 24.
      for (let k = p.layers.length - 1; k >= 0; k--) {
        const l = p.layers[k]!;
        if (l.kind === 'ipv4') {
          out.addressBytes = 4;
          out.srcAt = l.start + 12;
          out.dstAt = l.start + 16;
          break;
        }
        if (l.kind === 'ipv6') {
          out.addressBytes = 16;
          out.srcAt = l.start + 8;
          out.dstAt = l.start + 24;
          break;
        }
      }
      out.addressBuf = r.buf;
      out.srcPort = p.srcPort ?? 0;
      out.dstPort = p.dstPort ?? 0;
      out.proto = p.protocol ?? 0;
      out.etype = p.ethertype ?? (first === 'ipv4' ? 0x0800 : first === 'ipv6' ? 0x86dd : 0);
    } else if (record.kind === 'sampledIpv4' || record.kind === 'sampledIpv6') {
      const r = record as SampledIpRecord;
      seen = true;
      out.length = r.length;
      out.addressBytes = TEXT_ADDRESSES;
      out.srcText = r.srcIp;
      out.dstText = r.dstIp;
      out.srcPort = r.srcPort;
      out.dstPort = r.dstPort;
      out.proto = r.protocol;
      out.etype = r.kind === 'sampledIpv4' ? 0x0800 : 0x86dd;
    }
  }
  // Let go of the datagram's bytes once they are no longer needed for the addresses.
  if (out.addressBytes !== 4 && out.addressBytes !== 16) out.addressBuf = EMPTY;
  return seen;
}

/** Estimated bytes and packets a sample stands for: × the sampling rate (0, not a valid "1 in N", counts as 1). */
export function scaledBytes(sample: SflowFlowSampleInput, length: number): number {
  return length * (sample.samplingRate > 0 ? sample.samplingRate : 1);
}

export function scaledPackets(sample: SflowFlowSampleInput): number {
  return sample.samplingRate > 0 ? sample.samplingRate : 1;
}

const scratch = new SampledFlow();

/**
 * The normalised record for one flow sample, or undefined when none of its records says anything
 * about the flow (no raw header and no sampled IPv4/IPv6). Throws the packet decoder's DecodeError
 * for a raw header whose bytes contradict themselves (the caller counts it as malformed).
 */
export function normaliseFlowSample(ctx: SflowDatagramContext, sample: SflowFlowSampleInput): FlowRecord | undefined {
  if (!readFlowSample(sample, scratch)) return undefined;
  const f = scratch;
  return {
    timeReceivedNs: ctx.timeReceivedNs,
    samplerAddress: ctx.agentAddress,
    sequenceNum: ctx.sequenceNumber,
    samplingRate: sample.samplingRate,
    inIf: sample.input,
    outIf: sample.output,
    srcAddr: f.srcAddr,
    dstAddr: f.dstAddr,
    srcPort: f.srcPort,
    dstPort: f.dstPort,
    proto: f.proto,
    etype: f.etype,
    bytes: scaledBytes(sample, f.length),
    packets: scaledPackets(sample),
  };
}
