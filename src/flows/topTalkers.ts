/**
 * Top talkers over a sliding window: which bidirectional flows carried the most bytes, packets or
 * samples in the last `windowSeconds`, with an estimated bit rate and share of all traffic seen.
 *
 * How it holds at ~100k records/s with bounded memory:
 * - Every tracked flow lives in a numbered slot. Per-slot state is struct-of-arrays in typed
 *   arrays; the only per-flow JS objects are the key string and its entry in one Map (key → slot).
 * - The window is cut into `buckets` epochs of windowSeconds/buckets. Each slot has a ring of
 *   per-epoch bytes/packets/samples. When an epoch begins, the epoch `buckets` back leaves the
 *   window: the flows that had traffic in it (listed when they first got some in that epoch) have
 *   that ring position zeroed and their rank lowered (decrease-key); a flow with nothing left in
 *   the window is dropped, so a flow that stopped falls out within one epoch of the window's end.
 *   Each (flow, epoch) pair is handled once on the way in and once on the way out: O(log n)
 *   amortised per record.
 * - Ranking is an indexed max-heap (increase-key on every record, decrease-key on expiry, remove on
 *   eviction); top(n) reads it without disturbing it.
 * - At `maxFlows` a new flow evicts the least recently seen one (a linked list over slots; a
 *   record moves its flow to the front in O(1)); evictions are counted.
 * - Time comes only from the injected clock (milliseconds, monotonic): tests and offline replays
 *   (where "now" is the capture's timestamp) are deterministic.
 *
 * Memory per tracked flow with the default 4 epochs: rings 4×(8+8+4) = 80 bytes, heap 20, recency
 * list 8, key-array pointer 8, epoch lists 4–16, the Map entry (~30) and the key string (32 for IPv4,
 * 56 for IPv6). test/unit/flows/topTalkersMemory.test.ts measures it.
 */
import type { FlowRecord } from './flowRecord';
import { bidirectionalKey, decodeBidirectionalKey, type Endpoint } from './flowKey';
import { IndexedMaxHeap } from './indexedMaxHeap';
import { SlotLru } from './slotLru';

export type RankBy = 'bytes' | 'packets' | 'samples';

export interface TopTalkersOptions {
  /** Length of the sliding window, in seconds; Infinity for no expiry (a final ranking over a whole capture). */
  windowSeconds: number;
  /** What the ranking orders by. */
  by: RankBy;
  /** Most flows tracked at once; beyond it the least recently seen flow is evicted. */
  maxFlows: number;
  /** Current time in milliseconds (monotonic; offline, the capture's clock). Never Date.now() inside. */
  clock: () => number;
  /** Epochs the window is cut into (default 4): a stopped flow leaves within window/buckets of the window's end. */
  buckets?: number;
  /**
   * When counting starts, in the clock's milliseconds (default: the clock at construction). Rates
   * are over the time since then until the window has filled; offline, pass the first packet's time.
   */
  startMs?: number;
}

/** One row of a top(n) snapshot. */
export interface Talker {
  /** 1-based rank. */
  rank: number;
  /** The bidirectional key (see flowKey.ts). */
  key: string;
  /** The lower endpoint (address, then port) and the higher one: the table's "from" and "to". */
  a: Endpoint;
  b: Endpoint;
  proto: number;
  /** Estimated bytes, packets and the number of samples in the window. */
  bytes: number;
  packets: number;
  samples: number;
  /** Estimated rate over the window: bytes × 8 / the time the window covers. */
  bitsPerSecond: number;
  /** This flow's part of all traffic seen in the window, by the ranking measure (0..1). */
  share: number;
}

export interface TopTalkersStats {
  /** Flows tracked now. */
  flows: number;
  /** Records counted since the start. */
  records: number;
  /** Flows dropped to make room at maxFlows. */
  evictions: number;
  /** Flows dropped because nothing of them was left in the window. */
  expirations: number;
}

/** Totals over the window of everything seen (evicted flows included). */
export interface WindowTotals {
  bytes: number;
  packets: number;
  samples: number;
  /** Milliseconds the window covers now (less than the window until it has filled). */
  spanMs: number;
}

const INITIAL_SLOTS = 1024;

export class TopTalkers {
  readonly windowSeconds: number;
  readonly by: RankBy;
  readonly maxFlows: number;
  private readonly clock: () => number;
  private readonly buckets: number;
  private readonly epochMs: number;
  private readonly t0: number;
  private lastNow: number;
  private epoch = 0;

  /** key → slot. */
  private readonly index = new Map<string, number>();
  /** slot → key ('' when free). */
  private readonly keys: string[] = [];
  private readonly free: number[] = [];
  private nextSlot = 0;
  private capacity = 0;
  private readonly heap: IndexedMaxHeap;
  private readonly lru: SlotLru;
  /** Rings, slot × buckets + epoch % buckets. */
  private ringBytes = new Float64Array(0);
  private ringPackets = new Float64Array(0);
  private ringSamples = new Uint32Array(0);
  /** Per ring position: the slots that got their first record of that epoch (may repeat or be stale; see expire). */
  private readonly epochSlots: Int32Array[] = [];
  private readonly epochCount: number[] = [];
  /** Window totals per ring position. */
  private readonly totalBytes: Float64Array;
  private readonly totalPackets: Float64Array;
  private readonly totalSamples: Float64Array;

  private records = 0;
  private evictions = 0;
  private expirations = 0;

  constructor(options: TopTalkersOptions) {
    const { windowSeconds, by, maxFlows, clock } = options;
    const buckets = options.buckets ?? 4;
    if (!(windowSeconds > 0)) throw new RangeError(`window must be > 0 seconds, got ${windowSeconds}`);
    if (!Number.isInteger(maxFlows) || maxFlows < 1) throw new RangeError(`maxFlows must be a positive integer, got ${maxFlows}`);
    if (!Number.isInteger(buckets) || buckets < 1 || buckets > 64) throw new RangeError(`buckets must be 1..64, got ${buckets}`);
    this.windowSeconds = windowSeconds;
    this.by = by;
    this.maxFlows = maxFlows;
    this.clock = clock;
    this.buckets = buckets;
    this.epochMs = (windowSeconds * 1000) / buckets;
    this.t0 = options.startMs ?? clock();
    this.lastNow = this.t0;
    this.heap = new IndexedMaxHeap(0);
    this.lru = new SlotLru(0);
    for (let p = 0; p < buckets; p++) {
      this.epochSlots.push(new Int32Array(64));
      this.epochCount.push(0);
    }
    this.totalBytes = new Float64Array(buckets);
    this.totalPackets = new Float64Array(buckets);
    this.totalSamples = new Float64Array(buckets);
  }

  /** Counts one normalised flow record under its bidirectional key. */
  add(record: FlowRecord): void {
    this.addKeyed(bidirectionalKey(record.srcAddr, record.srcPort, record.dstAddr, record.dstPort, record.proto), record.bytes, record.packets);
  }

  /** Counts one sample of `bytes` and `packets` (already scaled) under a flow key. */
  addKeyed(key: string, bytes: number, packets: number): void {
    this.advance();
    const B = this.buckets;
    const p = this.epoch % B;
    let slot = this.index.get(key);
    if (slot === undefined) {
      if (this.index.size >= this.maxFlows) this.evictLeastRecent();
      slot = this.allocate(key);
    } else {
      this.lru.touch(slot);
    }
    const i = slot * B + p;
    if (this.ringSamples[i] === 0) this.listInEpoch(p, slot);
    this.ringBytes[i] += bytes;
    this.ringPackets[i] += packets;
    this.ringSamples[i] += 1;
    this.totalBytes[p] += bytes;
    this.totalPackets[p] += packets;
    this.totalSamples[p] += 1;
    this.records++;
    this.heap.add(slot, this.by === 'bytes' ? bytes : this.by === 'packets' ? packets : 1);
  }

  /** The `n` highest-ranked flows now, best first. */
  top(n: number): Talker[] {
    this.advance();
    const totals = this.totals();
    const total = this.by === 'bytes' ? totals.bytes : this.by === 'packets' ? totals.packets : totals.samples;
    const seconds = Math.max(totals.spanMs, 1) / 1000;
    return this.heap.top(n).map((slot, k) => {
      const key = this.keys[slot]!;
      const { a, b, proto } = decodeBidirectionalKey(key);
      const bytes = this.sum(this.ringBytes, slot);
      const rankValue = this.heap.key(slot);
      return {
        rank: k + 1,
        key,
        a,
        b,
        proto,
        bytes,
        packets: this.sum(this.ringPackets, slot),
        samples: this.sum(this.ringSamples, slot),
        bitsPerSecond: (bytes * 8) / seconds,
        share: total > 0 ? rankValue / total : 0,
      };
    });
  }

  /** Totals of everything seen in the window, and the time it covers. */
  totals(): WindowTotals {
    this.advance();
    let bytes = 0;
    let packets = 0;
    let samples = 0;
    for (let p = 0; p < this.buckets; p++) {
      bytes += this.totalBytes[p]!;
      packets += this.totalPackets[p]!;
      samples += this.totalSamples[p]!;
    }
    // The window holds the current epoch (partly elapsed) and the buckets-1 before it, but not
    // more than has elapsed since the start.
    const windowStart = this.epoch < this.buckets ? this.t0 : this.t0 + (this.epoch - this.buckets + 1) * this.epochMs;
    return { bytes, packets, samples, spanMs: this.lastNow - windowStart };
  }

  stats(): TopTalkersStats {
    return { flows: this.index.size, records: this.records, evictions: this.evictions, expirations: this.expirations };
  }

  /** Moves the window to the clock's now, expiring the epochs that left it. */
  private advance(): void {
    let now = this.clock();
    if (now < this.lastNow) now = this.lastNow; // a clock that steps back does not un-expire anything
    this.lastNow = now;
    const e = Math.floor((now - this.t0) / this.epochMs);
    if (e <= this.epoch) return;
    // Starting epoch y pushes epoch y - buckets (same ring position) out of the window.
    const last = Math.min(e, this.epoch + this.buckets);
    for (let y = this.epoch + 1; y <= last; y++) this.expire(y % this.buckets);
    this.epoch = e;
  }

  /**
   * Empties ring position p. Its list may name a slot twice or name a slot that was freed and
   * reused since; zeroing makes a second visit a no-op, and a reused slot's ring holds nothing at
   * p from before its reuse (allocate zeroes it), so neither miscounts.
   */
  private expire(p: number): void {
    const B = this.buckets;
    this.totalBytes[p] = 0;
    this.totalPackets[p] = 0;
    this.totalSamples[p] = 0;
    const list = this.epochSlots[p]!;
    const count = this.epochCount[p]!;
    for (let k = 0; k < count; k++) {
      const slot = list[k]!;
      if (!this.heap.has(slot)) continue;
      const i = slot * B + p;
      if (this.ringSamples[i] === 0) continue;
      this.ringBytes[i] = 0;
      this.ringPackets[i] = 0;
      this.ringSamples[i] = 0;
      if (this.sum(this.ringSamples, slot) === 0) {
        this.release(slot);
        this.expirations++;
      } else {
        const ring = this.by === 'bytes' ? this.ringBytes : this.by === 'packets' ? this.ringPackets : this.ringSamples;
        this.heap.set(slot, this.sum(ring, slot));
      }
    }
    this.epochCount[p] = 0;
  }

  private listInEpoch(p: number, slot: number): void {
    let list = this.epochSlots[p]!;
    const count = this.epochCount[p]!;
    if (count === list.length) {
      const bigger = new Int32Array(list.length * 2);
      bigger.set(list);
      list = bigger;
      this.epochSlots[p] = list;
    }
    list[count] = slot;
    this.epochCount[p] = count + 1;
  }

  private sum(ring: Float64Array | Uint32Array, slot: number): number {
    let s = 0;
    const base = slot * this.buckets;
    for (let k = 0; k < this.buckets; k++) s += ring[base + k]!;
    return s;
  }

  private allocate(key: string): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.nextSlot === this.capacity) this.grow();
      slot = this.nextSlot++;
    }
    const base = slot * this.buckets;
    this.ringBytes.fill(0, base, base + this.buckets);
    this.ringPackets.fill(0, base, base + this.buckets);
    this.ringSamples.fill(0, base, base + this.buckets);
    this.keys[slot] = key;
    this.index.set(key, slot);
    this.lru.pushRecent(slot);
    return slot;
  }

  /** Forgets the flow in `slot` everywhere and makes the slot reusable. */
  private release(slot: number): void {
    this.heap.remove(slot);
    this.lru.unlink(slot);
    this.index.delete(this.keys[slot]!);
    this.keys[slot] = '';
    this.free.push(slot);
  }

  private evictLeastRecent(): void {
    const slot = this.lru.leastRecent();
    if (slot < 0) return;
    this.release(slot);
    this.evictions++;
  }

  /** Doubles the slot arrays (from 1024, up to maxFlows), keeping their contents. */
  private grow(): void {
    const capacity = Math.min(Math.max(this.capacity * 2, INITIAL_SLOTS), this.maxFlows);
    const B = this.buckets;
    const bytes = new Float64Array(capacity * B);
    bytes.set(this.ringBytes);
    const packets = new Float64Array(capacity * B);
    packets.set(this.ringPackets);
    const samples = new Uint32Array(capacity * B);
    samples.set(this.ringSamples);
    this.ringBytes = bytes;
    this.ringPackets = packets;
    this.ringSamples = samples;
    this.heap.grow(capacity);
    this.lru.grow(capacity);
    this.capacity = capacity;
  }
}
