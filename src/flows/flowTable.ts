/**
 * Flow keys (sequences of up to MAX_KEY_WORDS 16-bit words, see flowKey.ts) → slot numbers, with
 * no JS object per flow: the keys live in typed arrays indexed by slot, and the index is an
 * open-addressing hash table of slot numbers (linear probing, backward-shift deletion: no
 * tombstones, so a table under steady churn never degrades).
 *
 * A key of up to INLINE_WORDS words (an IPv4 key is 8) is stored in the slot itself; a longer one
 * (IPv6) in a chunk of a side pool, whose number the slot holds. The caller owns slot numbers
 * (allocates and frees them) and calls grow() before using a slot beyond the capacity.
 *
 * Memory per flow: 16 bytes of inline key, 1 of length, 4 of hash (an IPv6 key 40 more), and the
 * buckets: 4 bytes each, between 4/3 and 8/3 of them per slot of capacity. The slot arrays are
 * allocated for the whole capacity up front: untouched pages of a large typed array are not
 * resident, so they cost address space, not memory, until slots are used. The buckets are sized
 * for the whole capacity too (no rehash while flows arrive: rehashing a million flows stalls the
 * collector for tens of milliseconds), and they are resident: keys land all over them.
 */
import { MAX_KEY_WORDS } from './flowKey';
import { grown } from './grown';

const INLINE_WORDS = 8;
const MIN_BUCKETS = 16;

/** MurmurHash3's 32-bit finaliser (fmix32): every input bit affects every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class FlowTable {
  private capacity = 0;
  /** Slot → inline key words (INLINE_WORDS each), or the pool chunk number in words 0 and 1 for a long key. */
  private inline = new Uint16Array(0);
  /** Slot → key length in words. */
  private lengths = new Uint8Array(0);
  /** Slot → key hash (also what the table is rebuilt from when it doubles). */
  private hashes = new Uint32Array(0);
  /** Long keys, MAX_KEY_WORDS words a chunk. */
  private pool = new Uint16Array(0);
  private poolUsed = 0;
  private readonly freeChunks: number[] = [];
  /** The hash table: slot + 1, 0 for an empty bucket. */
  private buckets = new Int32Array(MIN_BUCKETS);
  private mask = MIN_BUCKETS - 1;
  private count = 0;
  /** A random seed per table, so that no fixed set of keys collides in every agent. */
  private readonly seed = (Math.random() * 0x100000000) >>> 0;

  constructor(capacity: number) {
    this.grow(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Makes room for slots 0..capacity-1, buckets included (keeps everything in place). */
  grow(capacity: number): void {
    if (capacity <= this.capacity) return;
    let size = this.buckets.length;
    while (capacity * 4 > size * 3) size *= 2;
    if (size > this.buckets.length) this.rebuild(size);
    this.inline = grown(this.inline, capacity * INLINE_WORDS);
    this.lengths = grown(this.lengths, capacity);
    this.hashes = grown(this.hashes, capacity);
    this.capacity = capacity;
  }

  /** The hash of key[0, length) (MurmurHash3-style mixing of the words two at a time). */
  hash(key: Uint16Array, length: number): number {
    let h = this.seed ^ length;
    let k = 0;
    for (; k + 1 < length; k += 2) {
      let w = key[k]! | (key[k + 1]! << 16);
      w = Math.imul(w, 0xcc9e2d51);
      w = (w << 15) | (w >>> 17);
      h ^= Math.imul(w, 0x1b873593);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
    if (k < length) h ^= Math.imul(key[k]!, 0xcc9e2d51);
    return fmix32(h);
  }

  /** The slot holding key[0, length) (whose hash is `h`), or -1. */
  find(key: Uint16Array, length: number, h: number): number {
    const buckets = this.buckets;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = buckets[i]!;
      if (e === 0) return -1;
      const slot = e - 1;
      if (this.hashes[slot] === h && this.equals(slot, key, length)) return slot;
    }
  }

  /** Puts key[0, length) (hash `h`, not in the table) in `slot` (free, below the capacity). */
  insert(key: Uint16Array, length: number, h: number, slot: number): void {
    if (length > MAX_KEY_WORDS) throw new RangeError(`flow key of ${length} words, at most ${MAX_KEY_WORDS}`);
    if ((this.count + 1) * 4 > this.buckets.length * 3) this.rebuild(this.buckets.length * 2);
    this.lengths[slot] = length;
    this.hashes[slot] = h;
    const at = slot * INLINE_WORDS;
    if (length <= INLINE_WORDS) {
      for (let k = 0; k < length; k++) this.inline[at + k] = key[k]!;
    } else {
      const chunk = this.takeChunk();
      this.inline[at] = chunk & 0xffff;
      this.inline[at + 1] = chunk >>> 16;
      this.pool.set(key.subarray(0, length), chunk * MAX_KEY_WORDS);
    }
    const buckets = this.buckets;
    const mask = this.mask;
    let i = h & mask;
    while (buckets[i] !== 0) i = (i + 1) & mask;
    buckets[i] = slot + 1;
    this.count++;
  }

  /** Takes the key in `slot` out of the table (the slot is the caller's to reuse). */
  remove(slot: number): void {
    const buckets = this.buckets;
    const mask = this.mask;
    let i = this.hashes[slot]! & mask;
    while (buckets[i] !== slot + 1) i = (i + 1) & mask;
    // Backward-shift deletion (Knuth, TAOCP vol. 3, 6.4 Algorithm R): move up every later entry
    // of the run whose home bucket does not lie cyclically in (hole, its position].
    let hole = i;
    for (let j = (i + 1) & mask; buckets[j] !== 0; j = (j + 1) & mask) {
      const home = this.hashes[buckets[j]! - 1]! & mask;
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      buckets[hole] = buckets[j]!;
      hole = j;
    }
    buckets[hole] = 0;
    this.count--;
    if (this.lengths[slot]! > INLINE_WORDS) {
      const at = slot * INLINE_WORDS;
      this.freeChunks.push(this.inline[at]! | (this.inline[at + 1]! << 16));
    }
    this.lengths[slot] = 0;
  }

  /** The key in `slot` as a string of 16-bit chars (for display). */
  keyString(slot: number): string {
    const length = this.lengths[slot]!;
    const at = slot * INLINE_WORDS;
    const words = length <= INLINE_WORDS ? this.inline.subarray(at, at + length) : this.pool.subarray(this.chunkAt(at), this.chunkAt(at) + length);
    return String.fromCharCode.apply(null, words as unknown as number[]);
  }

  private chunkAt(inlineAt: number): number {
    return (this.inline[inlineAt]! | (this.inline[inlineAt + 1]! << 16)) * MAX_KEY_WORDS;
  }

  private equals(slot: number, key: Uint16Array, length: number): boolean {
    if (this.lengths[slot] !== length) return false;
    const at = slot * INLINE_WORDS;
    const words = length <= INLINE_WORDS ? this.inline : this.pool;
    const from = length <= INLINE_WORDS ? at : this.chunkAt(at);
    for (let k = 0; k < length; k++) if (words[from + k] !== key[k]) return false;
    return true;
  }

  private takeChunk(): number {
    const reused = this.freeChunks.pop();
    if (reused !== undefined) return reused;
    if ((this.poolUsed + 1) * MAX_KEY_WORDS > this.pool.length) {
      const pool = new Uint16Array(Math.max(64, this.poolUsed * 2) * MAX_KEY_WORDS);
      pool.set(this.pool);
      this.pool = pool;
    }
    return this.poolUsed++;
  }

  /** Rehashes every slot into `size` buckets (from the stored hashes: no key is read). */
  private rebuild(size: number): void {
    const old = this.buckets;
    const buckets = new Int32Array(size);
    const mask = size - 1;
    for (let k = 0; k < old.length; k++) {
      const e = old[k]!;
      if (e === 0) continue;
      let i = this.hashes[e - 1]! & mask;
      while (buckets[i] !== 0) i = (i + 1) & mask;
      buckets[i] = e;
    }
    this.buckets = buckets;
    this.mask = mask;
  }
}
