/**
 * sFlow v5 counter samples (sflow.org "sFlow Version 5", section "Counter Samples"): compact (format 2,
 * struct counters_sample: source id as 8-bit class / 24-bit index) and expanded (format 4,
 * struct counters_sample_expanded: class and index as words), each a list of counter records.
 */
import { DecodeError } from '../decodeError';
import { decodeCounterRecord, type CounterRecord } from './counterRecords';
import type { DecodeSink } from './decodeSink';
import { decodeRecordList } from './recordList';

export class CounterSample {
  readonly kind = 'counterSample' as const;
  readonly enterprise = 0;
  records: CounterRecord[] = [];
  constructor(
    /** 2 compact, 4 expanded. */
    public format: number,
    public start: number,
    public end: number,
    public dataLength: number,
    public sequenceNumber: number,
    public sourceIdClass: number,
    public sourceIdIndex: number,
    public recordCount: number,
  ) {}
}

/** Decodes the counter sample (format 2 or 4) at `start` (`length` bytes of data, padded data ending at `end`). */
export function decodeCounterSample(buf: Uint8Array, format: number, start: number, length: number, end: number, sink: DecodeSink): CounterSample {
  const d = start + 8;
  const expanded = format === 4;
  const fixed = expanded ? 16 : 12;
  if (length < fixed) throw new DecodeError(expanded ? 'sflow.counters_sample_expanded' : 'sflow.counters_sample', start + 4, `sample length ${length}, needs at least ${fixed} bytes`);
  const sequence = ((buf[d] << 24) | (buf[d + 1] << 16) | (buf[d + 2] << 8) | buf[d + 3]) >>> 0;
  const w1 = ((buf[d + 4] << 24) | (buf[d + 5] << 16) | (buf[d + 6] << 8) | buf[d + 7]) >>> 0;
  const w2 = ((buf[d + 8] << 24) | (buf[d + 9] << 16) | (buf[d + 10] << 8) | buf[d + 11]) >>> 0;
  const s = expanded
    ? new CounterSample(4, start, end, length, sequence, w1, w2, ((buf[d + 12] << 24) | (buf[d + 13] << 16) | (buf[d + 14] << 8) | buf[d + 15]) >>> 0)
    : new CounterSample(2, start, end, length, sequence, w1 >>> 24, w1 & 0xffffff, w2);
  decodeRecordList('sflow.counter_record', decodeCounterRecord, buf, d + fixed, end, s.recordCount, s.records, sink);
  return s;
}

