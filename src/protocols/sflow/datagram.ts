/**
 * The sFlow v5 datagram (sflow.org "sFlow Version 5", section "sFlow Datagram Format"):
 * struct sample_datagram_v5 { address agent_address; unsigned int sub_agent_id; unsigned int sequence_number;
 * unsigned int uptime; sample_record samples<> }, preceded by the version word (5).
 *
 * Each sample is (data_format, opaque sample_data<>) with data_format = 20-bit enterprise << 12 | 12-bit
 * format: a receiver skips any sample or record by its length, so one that labtel does not know, or one whose
 * contents are broken, never stops the rest of the datagram from decoding. decodeDatagram throws DecodeError
 * only when the datagram header itself is broken; problems inside samples are listed in `errors`.
 */
import { formatIpv4, formatIpv6 } from '../addresses';
import { DecodeError } from '../decodeError';
import { decodeCounterSample } from './counterSample';
import { decodeDiscardedPacketSample } from './discardedPacketSample';
import { decodeFlowSample } from './flowSample';
import type { DecodeSink } from './decodeSink';
import type { SflowSample } from './types';

export const SFLOW_VERSION_5 = 5;
/** The collector port IANA assigned to sFlow. */
export const SFLOW_PORT = 6343;

export class SflowDatagram implements DecodeSink {
  readonly kind = 'sflowDatagram' as const;
  readonly #buf: Uint8Array;
  #agent: string | undefined = undefined;
  version = SFLOW_VERSION_5;
  /** 1 IPv4, 2 IPv6. */
  agentAddressType: number;
  /** Offset of the agent address bytes (4 or 16). */
  agentAddressStart: number;
  subAgentId = 0;
  sequenceNumber = 0;
  /** Milliseconds since the agent booted. */
  uptime = 0;
  /** Number of samples the header announces. */
  sampleCount = 0;
  samples: SflowSample[] = [];
  errors: DecodeError[] = [];
  unknownCount = 0;

  constructor(
    buf: Uint8Array,
    /** The datagram's byte range in buf (the UDP payload). */
    public start: number,
    public end: number,
    agentAddressType: number,
  ) {
    this.#buf = buf;
    this.agentAddressType = agentAddressType;
    this.agentAddressStart = start + 8;
  }

  /** The agent's address, formatted on first read. */
  get agentAddress(): string {
    return (this.#agent ??=
      this.agentAddressType === 1 ? formatIpv4(this.#buf, this.agentAddressStart) : formatIpv6(this.#buf, this.agentAddressStart));
  }

  toJSON(): object {
    return { ...this, agentAddress: this.agentAddress, errors: this.errors.map((e) => ({ what: e.what, offset: e.offset, reason: e.reason })) };
  }
}

/**
 * Decodes the sFlow v5 datagram in buf[offset, end) (a UDP payload). Never copies: samples and records hold
 * offsets into `buf`. Throws DecodeError when the header is broken (not version 5 — e.g. NetFlow sent to the
 * sFlow port —, an unknown agent address type, or fewer bytes than the header); a sample that does not fit or
 * whose contents are broken is listed in the result's `errors` and the other samples still decode.
 */
export function decodeDatagram(buf: Uint8Array, offset = 0, end = buf.length): SflowDatagram {
  if (!(offset >= 0 && offset <= end && end <= buf.length)) {
    throw new DecodeError('sflow.datagram', offset, `range [${offset}, ${end}) lies outside the ${buf.length}-byte buffer`);
  }
  const b = buf;
  let o = offset;
  if (end - o < 8) throw new DecodeError('sflow.datagram', o, `header needs at least 8 bytes, ${end - o} given`);
  const version = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  if (version !== 5) throw new DecodeError('sflow.datagram', o, `version ${version}, expected 5`);
  const addressType = ((b[o + 4] << 24) | (b[o + 5] << 16) | (b[o + 6] << 8) | b[o + 7]) >>> 0;
  let headerLength: number;
  if (addressType === 1) headerLength = 8 + 4 + 16;
  else if (addressType === 2) headerLength = 8 + 16 + 16;
  else throw new DecodeError('sflow.datagram', o + 4, `agent address type ${addressType}, expected 1 (IPv4) or 2 (IPv6)`);
  if (end - o < headerLength) throw new DecodeError('sflow.datagram', o, `header needs ${headerLength} bytes, ${end - o} given`);
  const dg = new SflowDatagram(buf, offset, end, addressType);
  o += headerLength - 16;
  dg.subAgentId = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  dg.sequenceNumber = ((b[o + 4] << 24) | (b[o + 5] << 16) | (b[o + 6] << 8) | b[o + 7]) >>> 0;
  dg.uptime = ((b[o + 8] << 24) | (b[o + 9] << 16) | (b[o + 10] << 8) | b[o + 11]) >>> 0;
  const count = ((b[o + 12] << 24) | (b[o + 13] << 16) | (b[o + 14] << 8) | b[o + 15]) >>> 0;
  dg.sampleCount = count;
  o += 16;
  const samples = dg.samples;
  for (let i = 0; i < count; i++) {
    if (end - o < 8) {
      dg.errors.push(new DecodeError('sflow.sample', o, `sample ${i + 1} of ${count} needs 8 bytes, ${end - o} left in the datagram`));
      break;
    }
    const type = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
    const length = ((b[o + 4] << 24) | (b[o + 5] << 16) | (b[o + 6] << 8) | b[o + 7]) >>> 0;
    // Compare before padding: (length + 3) & ~3 overflows for lengths of 2^31 and more.
    if (length > end - o - 8 || o + 8 + ((length + 3) & ~3) > end) {
      dg.errors.push(new DecodeError('sflow.sample', o + 4, `sample ${i + 1} of ${count}: length ${length} runs past the datagram (${end - o - 8} bytes left)`));
      break;
    }
    const next = o + 8 + ((length + 3) & ~3);
    try {
      switch (type) {
        case 1: // flow_sample
        case 3: // flow_sample_expanded
          samples.push(decodeFlowSample(b, type, o, length, next, dg));
          break;
        case 2: // counters_sample
        case 4: // counters_sample_expanded
          samples.push(decodeCounterSample(b, type, o, length, next, dg));
          break;
        case 5: // discarded_packet (sFlow drops extension)
          samples.push(decodeDiscardedPacketSample(b, o, length, next, dg));
          break;
        default:
          samples.push({
            kind: 'unknownSample',
            enterprise: type >>> 12,
            format: type & 0xfff,
            start: o,
            end: next,
            dataLength: length,
            dataStart: o + 8,
            dataEnd: o + 8 + length,
          });
          dg.unknownCount++;
      }
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      dg.errors.push(e);
    }
    o = next;
  }
  return dg;
}
