/**
 * Top talkers over a sliding window: which bidirectional flows carried the most bytes, packets or
 * samples in the last `windowSeconds`, with an estimated bit rate and share of all traffic seen.
 *
 * How it holds at ~100k records/s with bounded memory:
 * - Every tracked flow lives in a numbered slot. Per-slot state is struct-of-arrays in typed
 *   arrays, the key included (flowTable.ts: keys as 16-bit words, an open-addressing index of
 *   slots): there is no JS object per flow, so the garbage collector has nothing per flow to trace
 *   and a new flow costs no allocation. The slot arrays are allocated for maxFlows slots up front
 *   (up to PREALLOCATED_SLOTS; beyond, they double as needed): a page of a large typed array is not
 *   resident until it is written, so unused slots cost address space only, and no copy of the
 *   arrays ever stalls the collector while it is taking datagrams.
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
 * list 8, free-slot stack 4, epoch lists 4–16, key and index 27–32 (IPv6 keys 40 more; see
 * flowTable.ts). test/unit/flows/topTalkersMemory.test.ts measures it.
 */
import type { FlowRecord } from './flowRecord';
import { decodeBidirectionalKey, FlowKeyBuilder, MAX_KEY_WORDS, type Endpoint } from './flowKey';
import { FlowTable } from './flowTable';
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
/** Slots allocated up front at most (about 140 bytes of address space each); more are added by doubling. */
const PREALLOCATED_SLOTS = 1 << 22;

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

  /** key → slot, and slot → key. */
  private readonly table: FlowTable;
  /** Freed slots, a stack. */
  private free = new Int32Array(0);
  private freeCount = 0;
  /** For add() and addKeyed(): their keys as words. */
  private readonly builder = new FlowKeyBuilder();
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
    this.table = new FlowTable(0);
    this.grow(Math.min(maxFlows, PREALLOCATED_SLOTS));
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
    const b = this.builder;
    b.sourceText(record.srcAddr);
    b.destinationText(record.dstAddr);
    const length = b.build(record.srcPort, record.dstPort, record.proto);
    this.addKey(b.key, length, record.bytes, record.packets);
  }

  /** Counts one sample under a key given as a string (of at most MAX_KEY_WORDS 16-bit chars). */
  addKeyed(key: string, bytes: number, packets: number): void {
    if (key.length > MAX_KEY_WORDS) throw new RangeError(`flow key of ${key.length} chars, at most ${MAX_KEY_WORDS}`);
    const words = this.builder.key;
    for (let k = 0; k < key.length; k++) words[k] = key.charCodeAt(k);
    this.addKey(words, key.length, bytes, packets);
  }

  /**
   * Counts one sample of `bytes` and `packets` (already scaled) under the flow key key[0, length)
   * (a FlowKeyBuilder's): the hot path, which allocates nothing.
   */
  addKey(key: Uint16Array, length: number, bytes: number, packets: number): void {
    this.advance();
    const B = this.buckets;
    const p = this.epoch % B;
    const h = this.table.hash(key, length);
    let slot = this.table.find(key, length, h);
    if (slot < 0) {
      if (this.table.size >= this.maxFlows) this.evictLeastRecent();
      slot = this.allocate(key, length, h);
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
      const key = this.table.keyString(slot);
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
    return { flows: this.table.size, records: this.records, evictions: this.evictions, expirations: this.expirations };
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

  private allocate(key: Uint16Array, length: number, h: number): number {
    let slot: number;
    if (this.freeCount > 0) {
      slot = this.free[--this.freeCount]!;
      // A reused slot's rings may hold counts from its last flow; a new one's are still zero.
      const base = slot * this.buckets;
      for (let k = 0; k < this.buckets; k++) {
        this.ringBytes[base + k] = 0;
        this.ringPackets[base + k] = 0;
        this.ringSamples[base + k] = 0;
      }
    } else {
      if (this.nextSlot === this.capacity) this.grow(Math.min(Math.max(this.capacity * 2, INITIAL_SLOTS), this.maxFlows));
      slot = this.nextSlot++;
    }
    this.table.insert(key, length, h, slot);
    this.lru.pushRecent(slot);
    return slot;
  }

  /** Forgets the flow in `slot` everywhere and makes the slot reusable. */
  private release(slot: number): void {
    this.heap.remove(slot);
    this.lru.unlink(slot);
    this.table.remove(slot);
    this.free[this.freeCount++] = slot;
  }

  private evictLeastRecent(): void {
    const slot = this.lru.leastRecent();
    if (slot < 0) return;
    this.release(slot);
    this.evictions++;
  }

  /** Makes room for `capacity` slots, keeping the arrays' contents. */
  private grow(capacity: number): void {
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
    const free = new Int32Array(capacity);
    free.set(this.free.subarray(0, this.freeCount));
    this.free = free;
    this.heap.grow(capacity);
    this.lru.grow(capacity);
    this.table.grow(capacity);
    this.capacity = capacity;
  }
}
