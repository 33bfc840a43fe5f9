/**
 * Indexes a capture file as a stream: reads it in chunks with the pcap/pcapng parser of src/protocols,
 * records where each packet is (PacketIndex), yielding to the event loop between time slices so requests for rows are answered while indexing goes on. Rows, details and exports read the
 * packets again from the file by their offsets. A file that breaks keeps the packets before the break and
 * says where it broke (byte offset, packet number).
 *
 * Runs in the indexer's worker thread (indexerWorker.ts); no vscode here, tested under node.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CaptureParser } from '../../protocols/capture';
import { CaptureWriter } from '../../protocols/captureWriter';
import { DecodeError } from '../../protocols/decodeError';
import { frameTree } from '../../protocols/frameTree';
import { summarisePacket, type SummaryOptions } from '../../protocols/packetSummary';
import type { PacketTree } from '../../protocols/packetTree';
import type { CaptureBreak, CaptureRow, CaptureStatistics } from '../../shared/captureMessages';
import { CaptureStatisticsBuilder } from './captureStatistics';
import { FrameWindow } from './frameWindow';
import { PacketIndex } from './packetIndex';

/** Bytes read at a time: large enough that reads cost little, small enough that a chunk parses in milliseconds. */
const READ_CHUNK = 4 << 20;
/** Parsing yields to the event loop after this long, checked every SLICE_CHECK_EVERY + 1 packets. */
export const SLICE_MS = 40;
/** The first slice is short: its progress is what lets the first rows be asked for. */
const FIRST_SLICE_MS = 5;
export const SLICE_CHECK_EVERY = 0x3f;
/** An export waits for the file's writes after this many packets. */
const EXPORT_FLUSH_EVERY = 20_000;
const NS_PER_MS = 1e6;
const NS_PER_S = 1e9;

/** Lets the worker's messages (requests for rows) in between two time slices of a pass. */
export const yieldToEvents = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

export interface IndexProgress {
  readonly count: number;
  readonly bytesRead: number;
  readonly done: boolean;
  readonly error?: CaptureBreak;
}

export interface IndexerOptions {
  readonly sflowPorts: ReadonlySet<number>;
}

export class CaptureIndexer {
  readonly index = new PacketIndex();
  readonly size: number;
  bytesRead = 0;
  done = false;
  error: CaptureBreak | undefined;
  private readonly fd: number;
  private readonly summary: SummaryOptions;
  private statisticsResult: CaptureStatistics | undefined;
  private stopped = false;
  private startedAt = 0;
  private readonly progressWaiters: Array<() => void> = [];

  constructor(readonly path: string, readonly options: IndexerOptions) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
    this.summary = { sflowPorts: options.sflowPorts };
  }

  /** Resolves at the indexer's next progress (more packets, or the end): a pass over the packets waits here. */
  whenProgress(): Promise<void> {
    if (this.done) return Promise.resolve();
    return new Promise((resolve) => this.progressWaiters.push(resolve));
  }

  /** A reader of the indexed frames in file order (for a pass over them: statistics, a filter). */
  frameWindow(): FrameWindow {
    return new FrameWindow(this.fd, this.index);
  }

  /** Indexes the whole file, calling `progress` after each chunk (and once at the end). */
  async run(onProgress: (p: IndexProgress) => void): Promise<void> {
    const progress = (p: IndexProgress) => {
      onProgress(p);
      for (const wake of this.progressWaiters.splice(0)) wake();
    };
    const parser = new CaptureParser();
    this.startedAt = performance.now();
    let buf = new Uint8Array(READ_CHUNK);
    let start = 0;
    let end = 0;
    let fileOffset = 0; // of buf[start]
    let eof = false;
    try {
      while (!this.stopped) {
        // Parse the whole units in the buffer, for one time slice at most.
        const sliceStart = performance.now();
        let paused = false;
        for (let k = 1; ; k++) {
          if ((k & SLICE_CHECK_EVERY) === 0 && performance.now() - sliceStart > (this.index.count > 0 && sliceStart > this.startedAt + SLICE_MS ? SLICE_MS : FIRST_SLICE_MS)) {
            paused = true;
            break;
          }
          const n = start < end ? parser.step(buf, start, end, fileOffset) : 0;
          if (n === 0) break;
          const p = parser.packet;
          if (p !== undefined) {
            this.index.add(p.fileOffset, p.timestampNs, p.data.length, p.originalLength, p.linkType);
          }
          start += n;
          fileOffset += n;
        }
        if (paused) {
          // Let requests for rows in: they are answered from what is indexed so far.
          progress({ count: this.index.count, bytesRead: this.bytesRead, done: false });
          await yieldToEvents();
          continue;
        }
        if (this.bytesRead > 0 && !eof) progress({ count: this.index.count, bytesRead: this.bytesRead, done: false });
        if (eof) {
          if (start < end || fileOffset === 0) {
            this.error = {
              offset: fileOffset,
              packetNumber: this.index.count + 1,
              message: fileOffset === 0 && end === 0
                ? 'the file is empty'
                : `the file ends inside a ${parser.format === 'pcapng' ? 'block' : 'record'}: ${end - start} of ${Math.max(parser.needed, end - start + 1)} bytes are there`,
            };
          }
          break;
        }
        // Keep the unparsed tail at the front (the packets before it are counted already), then fill the rest.
        const kept = end - start;
        const size = Math.max(READ_CHUNK, parser.needed);
        if (size > buf.length) {
          const next = new Uint8Array(size);
          next.set(buf.subarray(start, end));
          buf = next;
        } else buf.copyWithin(0, start, end);
        start = 0;
        end = kept;
        const n = readSync(this.fd, buf, end, buf.length - end, this.bytesRead);
        this.bytesRead += n;
        end += n;
        if (n === 0) eof = true;
        await yieldToEvents();
      }
    } catch (e) {
      if (!(e instanceof DecodeError)) {
        // Not the file's fault: reported by the worker; passes waiting for more packets stop waiting.
        this.done = true;
        for (const wake of this.progressWaiters.splice(0)) wake();
        throw e;
      }
      this.error = { offset: e.offset, packetNumber: this.index.count + 1, message: e.message };
    }
    this.done = true;
    progress({ count: this.index.count, bytesRead: this.bytesRead, done: true, ...(this.error ? { error: this.error } : {}) });
  }

  stop(): void {
    this.stopped = true;
  }

  /** The packet's captured bytes, read from the file. */
  packetBytes(i: number): Uint8Array {
    const length = this.index.capturedLength[i]!;
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, out, done, length - done, this.index.offset[i]! + done);
      if (n === 0) break;
      done += n;
    }
    return out;
  }

  /** Rows [from, to) of the packet list (0-based indexes, clipped to what is indexed). */
  rows(from: number, to: number): CaptureRow[] {
    const out: CaptureRow[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.index.count); i++) out.push(this.row(i));
    return out;
  }

  /** The rows of these packets (0-based indexes, each one indexed), in the order given. */
  rowsOf(indexes: ArrayLike<number>): CaptureRow[] {
    return Array.from(indexes, (i) => this.row(i));
  }

  private row(i: number): CaptureRow {
    const s = summarisePacket(this.packetBytes(i), this.index.linkType[i]!, this.summary);
    return {
      number: i + 1, time: this.index.relativeNs[i]! / NS_PER_S, source: s.source, destination: s.destination,
      protocol: s.protocol, length: this.index.originalLength[i]!, info: s.info,
    };
  }

  /** The packet's layers and bytes, with a first node for the frame itself (number, time, lengths, link type). */
  detail(i: number): PacketTree {
    const bytes = this.packetBytes(i);
    const t = frameTree(bytes, this.index.linkType[i]!, this.summary);
    const ns = this.index.timestampNs(i);
    const frame = {
      label: `Frame ${i + 1}`, value: `${this.index.originalLength[i]} bytes on wire, ${bytes.length} bytes captured`, start: 0, end: bytes.length,
      children: [
        { label: 'Arrival time', value: new Date(Number(ns / 1_000_000n)).toISOString().replace('Z', `${String(ns % 1_000_000n).padStart(6, '0')} UTC`), start: 0, end: 0 },
        { label: 'Time since first packet', value: `${(this.index.relativeNs[i]! / NS_PER_S).toFixed(9)} s`, start: 0, end: 0 },
        { label: 'Frame length', value: `${this.index.originalLength[i]} bytes`, start: 0, end: 0 },
        { label: 'Capture length', value: `${bytes.length} bytes`, start: 0, end: 0 },
        { label: 'Link type', value: String(this.index.linkType[i]), start: 0, end: 0 },
        { label: 'File offset', value: String(this.index.offset[i]), start: 0, end: 0 },
      ],
    };
    return { ...t, tree: [frame, ...t.tree] };
  }

  /** The statistics, once computeStatistics() has run. */
  statistics(): CaptureStatistics | undefined {
    return this.statisticsResult;
  }

  /**
   * A second pass over the indexed packets for the statistics, reading the file in large windows (the packets
   * lie in file order) and yielding between time slices. Kept out of the indexing pass so the packet list is
   * complete as early as possible: statistics decode every packet down to sFlow samples, the index does not.
   */
  async computeStatistics(): Promise<CaptureStatistics> {
    const builder = new CaptureStatisticsBuilder(this.options.sflowPorts);
    const frames = this.frameWindow();
    let sliceStart = performance.now();
    for (let i = 0; i < this.index.count && !this.stopped; i++) {
      builder.add(frames.frame(i), this.index.linkType[i]!, this.index.originalLength[i]!, this.index.relativeNs[i]! / NS_PER_MS);
      if ((i & SLICE_CHECK_EVERY) === 0 && performance.now() - sliceStart > SLICE_MS) {
        await yieldToEvents();
        sliceStart = performance.now();
      }
    }
    this.statisticsResult = builder.result();
    return this.statisticsResult;
  }

  /**
   * Writes packets (0-based indexes, in the order given; all when absent) to a new pcapng, keeping times,
   * lengths and link types. Waits for the file's writes every EXPORT_FLUSH_EVERY packets, so a large export
   * holds a few buffers in memory, not the whole output.
   */
  async exportTo(path: string, indexes?: ArrayLike<number>): Promise<number> {
    const writer = new CaptureWriter(path, { format: 'pcapng', nanosecond: true });
    const frames = this.frameWindow();
    const n = indexes ? indexes.length : this.index.count;
    let written = 0;
    try {
      for (let k = 0; k < n; k++) {
        const i = indexes ? indexes[k]! : k;
        if (!Number.isInteger(i) || i < 0 || i >= this.index.count) throw new RangeError(`packet ${i + 1} is not in the capture (${this.index.count} packets)`);
        writer.write({ timestampNs: this.index.timestampNs(i), data: frames.frame(i), originalLength: this.index.originalLength[i]!, linkType: this.index.linkType[i]! });
        written++;
        if (written % EXPORT_FLUSH_EVERY === 0) await writer.flush();
      }
    } finally {
      await writer.close();
    }
    return written;
  }

  close(): void {
    this.stop();
    closeSync(this.fd);
  }
}
