import { grown } from './grown';

/**
 * An indexed binary max-heap over small integer ids ("slots"), the structure behind the book's
 * container/heap `update` (heap.Fix after a count changes), with the missing operations:
 * O(log n) increase-key, decrease-key and remove of any slot, O(1) lookup of a slot's position.
 *
 * Storage is struct-of-arrays (typed arrays indexed by slot and by heap position), so a tracked
 * slot costs 8 (key) + 4 (tie order) + 4 (position) + 4 (heap entry) = 20 bytes and no objects.
 * Ties rank the slot inserted first higher, so the order is deterministic. A new array is all
 * zeros, which means "not in the heap" everywhere: growing writes nothing beyond the old contents
 * (so the untouched pages of a large heap are not resident).
 */
export class IndexedMaxHeap {
  /** Heap position → slot. */
  private heap: Int32Array;
  /** Slot → heap position + 1, 0 when the slot is not in the heap. */
  private pos: Int32Array;
  /** Slot → key (the value ranked). */
  private keys: Float64Array;
  /** Slot → insertion order, the tie-breaker (wraps after 2^32 insertions: only tie order is affected). */
  private order: Uint32Array;
  private n = 0;
  private inserted = 0;

  constructor(capacity: number) {
    this.heap = new Int32Array(capacity);
    this.pos = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.order = new Uint32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  get capacity(): number {
    return this.pos.length;
  }

  /** Makes room for slots 0..capacity-1 (keeps everything in place). */
  grow(capacity: number): void {
    if (capacity <= this.pos.length) return;
    this.heap = grown(this.heap, capacity);
    this.pos = grown(this.pos, capacity);
    this.keys = grown(this.keys, capacity);
    this.order = grown(this.order, capacity);
  }

  has(slot: number): boolean {
    return this.pos[slot]! > 0;
  }

  key(slot: number): number {
    return this.keys[slot]!;
  }

  /** The slot with the highest key (first inserted on a tie), or -1 when empty. */
  peek(): number {
    return this.n > 0 ? this.heap[0]! : -1;
  }

  /** Inserts `slot` with `key`, or moves it to its new place when it is already in: O(log n). */
  set(slot: number, key: number): void {
    const i = this.pos[slot]! - 1;
    if (i < 0) {
      const at = this.n++;
      this.heap[at] = slot;
      this.pos[slot] = at + 1;
      this.keys[slot] = key;
      this.order[slot] = this.inserted++ >>> 0;
      this.up(at);
      return;
    }
    const old = this.keys[slot]!;
    this.keys[slot] = key;
    if (key > old) this.up(i);
    else if (key < old) this.down(i);
  }

  /**
   * Adds `delta` to a slot's key (increase-key when positive, decrease-key when negative);
   * a slot not in the heap goes in with `delta` as its key.
   */
  add(slot: number, delta: number): void {
    this.set(slot, this.pos[slot]! > 0 ? this.keys[slot]! + delta : delta);
  }

  /** Takes `slot` out of the heap (no-op when absent): O(log n). */
  remove(slot: number): void {
    const i = this.pos[slot]! - 1;
    if (i < 0) return;
    const last = --this.n;
    this.pos[slot] = 0;
    if (i === last) return;
    const moved = this.heap[last]!;
    this.heap[i] = moved;
    this.pos[moved] = i + 1;
    // The moved slot may belong above or below its new position.
    if (i > 0 && this.before(moved, this.heap[(i - 1) >> 1]!)) this.up(i);
    else this.down(i);
  }

  /** Removes and returns the top slot, or -1 when empty. */
  pop(): number {
    const top = this.peek();
    if (top >= 0) this.remove(top);
    return top;
  }

  /**
   * The `count` highest slots in rank order, without changing the heap: a best-first walk of the
   * heap tree with a small frontier heap, O(count log count).
   */
  top(count: number): number[] {
    const out: number[] = [];
    if (this.n === 0 || count <= 0) return out;
    const frontier: number[] = [0]; // heap positions, a binary heap by the same order
    const better = (p: number, q: number): boolean => this.before(this.heap[p]!, this.heap[q]!);
    while (frontier.length > 0 && out.length < count) {
      const best = frontier[0]!;
      const last = frontier.pop()!;
      if (frontier.length > 0) {
        frontier[0] = last;
        for (let i = 0; ;) {
          const l = 2 * i + 1;
          if (l >= frontier.length) break;
          const r = l + 1;
          const c = r < frontier.length && better(frontier[r]!, frontier[l]!) ? r : l;
          if (!better(frontier[c]!, frontier[i]!)) break;
          [frontier[i], frontier[c]] = [frontier[c]!, frontier[i]!];
          i = c;
        }
      }
      out.push(this.heap[best]!);
      for (const child of [2 * best + 1, 2 * best + 2]) {
        if (child >= this.n) continue;
        frontier.push(child);
        for (let i = frontier.length - 1; i > 0;) {
          const parent = (i - 1) >> 1;
          if (!better(frontier[i]!, frontier[parent]!)) break;
          [frontier[i], frontier[parent]] = [frontier[parent]!, frontier[i]!];
          i = parent;
        }
      }
    }
    return out;
  }

  /** True when slot a ranks before slot b: higher key, or equal key and inserted earlier. */
  private before(a: number, b: number): boolean {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    if (ka !== kb) return ka > kb;
    // Insertion order compared modulo 2^32 so that a wrap keeps recent ties sensible.
    return ((this.order[a]! - this.order[b]!) | 0) < 0;
  }

  private up(i: number): void {
    const slot = this.heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const ps = this.heap[parent]!;
      if (!this.before(slot, ps)) break;
      this.heap[i] = ps;
      this.pos[ps] = i + 1;
      i = parent;
    }
    this.heap[i] = slot;
    this.pos[slot] = i + 1;
  }

  private down(i: number): void {
    const slot = this.heap[i]!;
    const n = this.n;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let cs = this.heap[l]!;
      if (r < n) {
        const rs = this.heap[r]!;
        if (this.before(rs, cs)) { c = r; cs = rs; }
      }
      if (!this.before(cs, slot)) break;
      this.heap[i] = cs;
      this.pos[cs] = i + 1;
      i = c;
    }
    this.heap[i] = slot;
    this.pos[slot] = i + 1;
  }
}
