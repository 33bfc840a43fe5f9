/**
 * sFlow v5 flow samples (sflow.org "sFlow Version 5", section "Flow Samples"): the compact form (format 1,
 * struct flow_sample) and the expanded form (format 3, struct flow_sample_expanded), and the list of flow
 * records they (and discarded-packet samples) carry.
 */
import { DecodeError } from '../decodeError';
import { decodeFlowRecord, type FlowRecord } from './flowRecords';
import type { DecodeSink } from './decodeSink';
import { decodeRecordList } from './recordList';

/**
 * A flow sample. Compact and expanded forms give the same fields: the compact form's source id splits into
 * an 8-bit class and 24-bit index, its interfaces into a 2-bit format and 30-bit value (spec "interface"):
 * format 0 an ifIndex (0 unknown, 0x3FFFFFFF the device itself), format 1 a discard (value = reason),
 * format 2 a count of output interfaces (multicast/flood). The expanded form carries each part as a word.
 */
export class FlowSample {
  readonly kind = 'flowSample' as const;
  readonly enterprise = 0;
  records: FlowRecord[] = [];
  constructor(
    /** 1 compact, 3 expanded. */
    public format: number,
    /** Offset of the data_format word; end of the padded data. */
    public start: number,
    public end: number,
    public dataLength: number,
    public sequenceNumber: number,
    /** 0 ifIndex, 1 smonVlanDataSource, 2 entPhysicalEntry. */
    public sourceIdClass: number,
    public sourceIdIndex: number,
    public samplingRate: number,
    public samplePool: number,
    public drops: number,
    public inputFormat: number,
    /** Input interface value: the ifIndex when inputFormat is 0. */
    public input: number,
    public outputFormat: number,
    /** Output interface value: the ifIndex when outputFormat is 0, the discard reason for 1, the interface count for 2. */
    public output: number,
    /** Number of records the sample says it holds. */
    public recordCount: number,
  ) {}
}

/** Decodes `count` flow records from buf[o, end) (`end`: the sample's padded end) into `records` (see recordList.ts). */
export function decodeFlowRecords(buf: Uint8Array, o: number, end: number, count: number, records: FlowRecord[], sink: DecodeSink): void {
  decodeRecordList('sflow.flow_record', decodeFlowRecord, buf, o, end, count, records, sink);
}

/**
 * Decodes the flow sample (format 1 or 3) whose data_format word is at `start` and whose padded data ends at
 * `end` (`length` bytes of data; checked by the caller to lie within the datagram).
 */
export function decodeFlowSample(buf: Uint8Array, format: number, start: number, length: number, end: number, sink: DecodeSink): FlowSample {
  const d = start + 8;
  let s: FlowSample;
  let o: number;
  if (format === 1) {
    // struct flow_sample { sequence_number; sflow_data_source source_id; sampling_rate; sample_pool; drops;
    //   interface input; interface output; flow_record flow_records<> }
    if (length < 32) throw new DecodeError('sflow.flow_sample', start + 4, `sample length ${length}, needs at least 32 bytes`);
    const source = ((buf[d + 4] << 24) | (buf[d + 5] << 16) | (buf[d + 6] << 8) | buf[d + 7]) >>> 0;
    const input = ((buf[d + 20] << 24) | (buf[d + 21] << 16) | (buf[d + 22] << 8) | buf[d + 23]) >>> 0;
    const output = ((buf[d + 24] << 24) | (buf[d + 25] << 16) | (buf[d + 26] << 8) | buf[d + 27]) >>> 0;
    s = new FlowSample(
      1,
      start,
      end,
      length,
      ((buf[d] << 24) | (buf[d + 1] << 16) | (buf[d + 2] << 8) | buf[d + 3]) >>> 0,
      source >>> 24,
      source & 0xffffff,
      ((buf[d + 8] << 24) | (buf[d + 9] << 16) | (buf[d + 10] << 8) | buf[d + 11]) >>> 0,
      ((buf[d + 12] << 24) | (buf[d + 13] << 16) | (buf[d + 14] << 8) | buf[d + 15]) >>> 0,
      ((buf[d + 16] << 24) | (buf[d + 17] << 16) | (buf[d + 18] << 8) | buf[d + 19]) >>> 0,
      input >>> 30,
      input & 0x3fffffff,
      output >>> 30,
      output & 0x3fffffff,
      ((buf[d + 28] << 24) | (buf[d + 29] << 16) | (buf[d + 30] << 8) | buf[d + 31]) >>> 0,
    );
    o = d + 32;
  } else {
    // struct flow_sample_expanded { sequence_number; sflow_data_source_expanded source_id (class, index);
    //   sampling_rate; sample_pool; drops; interface_expanded input (format, value); output; flow_records<> }
    if (length < 44) throw new DecodeError('sflow.flow_sample_expanded', start + 4, `sample length ${length}, needs at least 44 bytes`);
    s = new FlowSample(
      3,
      start,
      end,
      length,
      ((buf[d] << 24) | (buf[d + 1] << 16) | (buf[d + 2] << 8) | buf[d + 3]) >>> 0,
      ((buf[d + 4] << 24) | (buf[d + 5] << 16) | (buf[d + 6] << 8) | buf[d + 7]) >>> 0,
      ((buf[d + 8] << 24) | (buf[d + 9] << 16) | (buf[d + 10] << 8) | buf[d + 11]) >>> 0,
      ((buf[d + 12] << 24) | (buf[d + 13] << 16) | (buf[d + 14] << 8) | buf[d + 15]) >>> 0,
      ((buf[d + 16] << 24) | (buf[d + 17] << 16) | (buf[d + 18] << 8) | buf[d + 19]) >>> 0,
      ((buf[d + 20] << 24) | (buf[d + 21] << 16) | (buf[d + 22] << 8) | buf[d + 23]) >>> 0,
      ((buf[d + 24] << 24) | (buf[d + 25] << 16) | (buf[d + 26] << 8) | buf[d + 27]) >>> 0,
      ((buf[d + 28] << 24) | (buf[d + 29] << 16) | (buf[d + 30] << 8) | buf[d + 31]) >>> 0,
      ((buf[d + 32] << 24) | (buf[d + 33] << 16) | (buf[d + 34] << 8) | buf[d + 35]) >>> 0,
      ((buf[d + 36] << 24) | (buf[d + 37] << 16) | (buf[d + 38] << 8) | buf[d + 39]) >>> 0,
      ((buf[d + 40] << 24) | (buf[d + 41] << 16) | (buf[d + 42] << 8) | buf[d + 43]) >>> 0,
    );
    o = d + 44;
  }
  decodeFlowRecords(buf, o, end, s.recordCount, s.records, sink);
  return s;
}
