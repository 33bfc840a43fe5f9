import { DecodeError } from '../../protocols/decodeError';
import { decodeDatagram, type SflowDatagram } from '../../protocols/sflow';
import type { IngestMetrics } from '../runtime/metrics';

/** What an agent has counted of the sFlow stream so far (reported in stats events and on /metrics). */
export interface IngestCounts {
  datagrams: number;
  samples: number;
  records: number;
  /** Datagrams that did not decode, plus samples and records inside good datagrams that did not. */
  malformed: number;
  /** Frames or datagrams not counted as sFlow (another port, not UDP) when reading a tap or a file. */
  ignored: number;
}

/**
 * Decodes sFlow datagrams for an agent and counts them. A malformed datagram, sample or record is
 * counted and skipped, never thrown: one bad exporter must not stop the agent or hide the others.
 */
export class SflowIngest {
  readonly counts: IngestCounts = { datagrams: 0, samples: 0, records: 0, malformed: 0, ignored: 0 };
  /** The last few decode errors, for a person reading the logs. */
  readonly recentErrors: string[] = [];

  constructor(private readonly metrics?: IngestMetrics) {}

  /** The decoded datagram at buf[start, end), or undefined when it is malformed (counted). */
  decode(buf: Uint8Array, start: number, end: number): SflowDatagram | undefined {
    this.counts.datagrams++;
    this.metrics?.datagrams.inc();
    let dg: SflowDatagram;
    try {
      dg = decodeDatagram(buf, start, end);
    } catch (err) {
      this.malformed('datagram', err);
      return undefined;
    }
    let records = 0;
    for (const s of dg.samples) if (s.kind !== 'unknownSample') records += s.records.length;
    this.counts.samples += dg.samples.length;
    this.counts.records += records;
    this.metrics?.samples.inc(dg.samples.length);
    this.metrics?.records.inc(records);
    // The decoder names record-level errors sflow.flow_record / sflow.counter_record; the rest are samples'.
    for (const e of dg.errors) this.malformed(e.what.endsWith('_record') ? 'record' : 'sample', e);
    return dg;
  }

  /** Counts a malformed input found by the caller (e.g. a raw header whose bytes contradict themselves). */
  malformed(what: 'datagram' | 'sample' | 'record' | 'frame', err: unknown): void {
    if (!(err instanceof DecodeError)) throw err;
    this.counts.malformed++;
    this.metrics?.malformed.inc({ what });
    this.recentErrors.push(`${what}: ${err.message}`);
    if (this.recentErrors.length > 20) this.recentErrors.shift();
  }

  ignore(): void {
    this.counts.ignored++;
  }
}
