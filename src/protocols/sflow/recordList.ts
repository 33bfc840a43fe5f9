/**
 * The list of records inside a sample (sFlow v5 "flow_record" / "counter_record": data_format, then
 * opaque data by length). Shared by flow, discarded-packet and counter samples: a record whose bytes
 * contradict its length is counted in `sink.errors` and skipped by its length; a record that runs past
 * the sample ends the sample (DecodeError thrown: the datagram carries on with its next sample).
 */
import { DecodeError } from '../decodeError';
import type { DecodeSink } from './decodeSink';

export function decodeRecordList<R extends { kind: string }>(
  what: 'sflow.flow_record' | 'sflow.counter_record',
  decodeOne: (buf: Uint8Array, type: number, start: number, length: number, end: number) => R,
  buf: Uint8Array, o: number, end: number, count: number, records: R[], sink: DecodeSink,
): void {
  for (let i = 0; i < count; i++) {
    if (end - o < 8) throw new DecodeError(what, o, `record ${i + 1} of ${count} needs 8 bytes, ${end - o} left in the sample`);
    const type = ((buf[o] << 24) | (buf[o + 1] << 16) | (buf[o + 2] << 8) | buf[o + 3]) >>> 0;
    const length = ((buf[o + 4] << 24) | (buf[o + 5] << 16) | (buf[o + 6] << 8) | buf[o + 7]) >>> 0;
    // Compare before padding: (length + 3) & ~3 overflows for lengths of 2^31 and more.
    if (length > end - o - 8 || o + 8 + ((length + 3) & ~3) > end) {
      throw new DecodeError(what, o + 4, `record length ${length} runs past the sample (${end - o - 8} bytes left)`);
    }
    const next = o + 8 + ((length + 3) & ~3);
    try {
      const r = decodeOne(buf, type, o, length, next);
      records.push(r);
      if (r.kind === 'unknown') sink.unknownCount++;
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      sink.errors.push(e);
    }
    o = next;
  }
}
