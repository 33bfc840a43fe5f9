import { grown } from './grown';

/**
 * A recency list over slots: a doubly linked list in two Int32Arrays (8 bytes a slot), so that
 * touching a slot (move to the most recent end), unlinking it and finding the least recently
 * used one are all O(1) with no allocation.
 */
export class SlotLru {
  private prev: Int32Array;
  private next: Int32Array;
  /** Most recently used slot, -1 when empty. */
  private head = -1;
  /** Least recently used slot, -1 when empty. */
  private tail = -1;

  constructor(capacity: number) {
    this.prev = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
  }

  grow(capacity: number): void {
    if (capacity <= this.prev.length) return;
    this.prev = grown(this.prev, capacity);
    this.next = grown(this.next, capacity);
  }

  /** The least recently used slot, or -1 when the list is empty. */
  leastRecent(): number {
    return this.tail;
  }

  /** Puts a slot that is not in the list at the most recent end. */
  pushRecent(slot: number): void {
    this.prev[slot] = -1;
    this.next[slot] = this.head;
    if (this.head >= 0) this.prev[this.head] = slot;
    else this.tail = slot;
    this.head = slot;
  }

  /** Takes a slot that is in the list out of it. */
  unlink(slot: number): void {
    const p = this.prev[slot]!;
    const n = this.next[slot]!;
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail = p;
  }

  /** Marks a slot in the list as just used. */
  touch(slot: number): void {
    if (slot === this.head) return;
    this.unlink(slot);
    this.pushRecent(slot);
  }
}
