/**
 * sFlow discarded-packet samples (format 5), from the sFlow Dropped Packet Notification Structures
 * (sflow.org/sflow_drops.txt): struct discarded_packet { sequence_number; sflow_data_source_expanded
 * source_id; drops; inputifindex; outputifindex; drop_reason reason; flow_record discard_records<> }.
 */
import { DecodeError } from '../decodeError';
import type { FlowRecord } from './flowRecords';
import { decodeFlowRecords } from './flowSample';
import type { DecodeSink } from './decodeSink';
import { u32 } from './xdr';

export class DiscardedPacketSample {
  readonly kind = 'discardedPacketSample' as const;
  readonly enterprise = 0;
  readonly format = 5;
  records: FlowRecord[] = [];
  constructor(
    public start: number,
    public end: number,
    public dataLength: number,
    public sequenceNumber: number,
    public sourceIdClass: number,
    public sourceIdIndex: number,
    /** Discard records the agent could not send (rate limit, resources). */
    public drops: number,
    /** ifIndex the packet came in on, 0 unknown. */
    public input: number,
    /** ifIndex it would have gone out on, 0 unknown. */
    public output: number,
    /** drop_reason: ICMP unreachable codes 0–15, or 256+ (e.g. 258 acl, 259 no_buffer_space, 262 pkt_too_big). */
    public reason: number,
    public recordCount: number,
  ) {}
}

/** Decodes the discarded-packet sample at `start` (`length` bytes of data, padded data ending at `end`). */
export function decodeDiscardedPacketSample(buf: Uint8Array, start: number, length: number, end: number, sink: DecodeSink): DiscardedPacketSample {
  const d = start + 8;
  if (length < 32) throw new DecodeError('sflow.discarded_packet', start + 4, `sample length ${length}, needs at least 32 bytes`);
  const s = new DiscardedPacketSample(
    start,
    end,
    length,
    u32(buf, d),
    u32(buf, d + 4),
    u32(buf, d + 8),
    u32(buf, d + 12),
    u32(buf, d + 16),
    u32(buf, d + 20),
    u32(buf, d + 24),
    u32(buf, d + 28),
  );
  decodeFlowRecords(buf, d + 32, end, s.recordCount, s.records, sink);
  return s;
}
