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
  /** Datagrams the kernel dropped before the agent read them (a full socket buffer), when the source can tell. */
  dropped: number;
}

type Synced = Pick<IngestCounts, 'datagrams' | 'samples' | 'records' | 'dropped'>;

/**
 * Decodes sFlow datagrams for an agent and counts them. A malformed datagram, sample or record is
 * counted and skipped, never thrown: one bad exporter must not stop the agent or hide the others.
 * The per-datagram counts are plain numbers; the Prometheus counters are brought up to date from
 * them when they are scraped (prom-client's inc() costs more than the rest of the counting).
 */
export class SflowIngest {
  readonly counts: IngestCounts = { datagrams: 0, samples: 0, records: 0, malformed: 0, ignored: 0, dropped: 0 };
  /** The last few decode errors, for a person reading the logs. */
  readonly recentErrors: string[] = [];
  /** What the Prometheus counters have been given so far. */
  private readonly synced: Synced = { datagrams: 0, samples: 0, records: 0, dropped: 0 };

  constructor(private readonly metrics?: IngestMetrics) {
    metrics?.onCollect(() => this.syncMetrics(metrics));
  }

  /** The decoded datagram at buf[start, end), or undefined when it is malformed (counted). */
  decode(buf: Uint8Array, start: number, end: number): SflowDatagram | undefined {
    this.counts.datagrams++;
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

  /** The source's running total of datagrams dropped before they were read (e.g. the kernel's, for a UDP socket). */
  droppedSoFar(total: number): void {
    if (total > this.counts.dropped) this.counts.dropped = total;
  }

  private syncMetrics(metrics: IngestMetrics): void {
    const c = this.counts;
    const s = this.synced;
    if (c.datagrams > s.datagrams) metrics.datagrams.inc(c.datagrams - s.datagrams);
    if (c.samples > s.samples) metrics.samples.inc(c.samples - s.samples);
    if (c.records > s.records) metrics.records.inc(c.records - s.records);
    if (c.dropped > s.dropped) metrics.dropped.inc(c.dropped - s.dropped);
    s.datagrams = c.datagrams;
    s.samples = c.samples;
    s.records = c.records;
    s.dropped = c.dropped;
  }
}
