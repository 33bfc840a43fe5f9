import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IndexedMaxHeap } from '../../../src/flows/indexedMaxHeap';
import { bookHeapCases } from './bookHeapCases';

// The book's TestHeap (ch10/top-talkers heap_test.go), run on the indexed heap: push each flow with
// its start count, `update` (count++, heap.Fix) it timesSeen times, then pop and check positions.
for (const c of bookHeapCases) {
  test(`the book's heap case "${c.name}": pops in the wanted positions with the wanted counts`, () => {
    const h = new IndexedMaxHeap(8);
    c.flows.forEach((f, slot) => {
      h.set(slot, f.startCount);
      for (let j = 0; j < f.timesSeen; j++) h.add(slot, 1);
    });
    for (let position = 0; h.size > 0; position++) {
      const slot = h.peek();
      const f = c.flows[slot]!;
      assert.equal(h.key(slot), f.wantCount, `${f.key} count`);
      assert.equal(h.pop(), slot);
      assert.equal(position, f.wantPosition, `${f.key} position`);
    }
  });
}

test('decrease-key moves a slot down and remove takes it out from the middle', () => {
  const h = new IndexedMaxHeap(8);
  [50, 40, 30, 20, 10].forEach((k, slot) => h.set(slot, k));
  h.set(0, 5); // decrease the top
  assert.deepEqual(h.top(5), [1, 2, 3, 4, 0]);
  h.remove(2);
  assert.equal(h.has(2), false);
  assert.deepEqual(h.top(10), [1, 3, 4, 0]);
  h.remove(2); // absent: no-op
  assert.equal(h.size, 4);
});

test('top(n) does not change the heap, and grow keeps its content; ties go to the slot inserted first', () => {
  const h = new IndexedMaxHeap(2);
  h.set(0, 1);
  h.set(1, 3);
  h.grow(16);
  for (let s = 2; s < 16; s++) h.set(s, s % 5);
  const first = h.top(16);
  assert.deepEqual(h.top(16), first);
  assert.equal(h.size, 16);
  // key 4: slots 4, 9, 14; key 3: slot 1 (inserted second), then 3, 8, 13
  assert.deepEqual(first.slice(0, 7), [4, 9, 14, 1, 3, 8, 13]);
});

test('random set/add/remove agree with a full sort after every operation', () => {
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const slots = 64;
  const h = new IndexedMaxHeap(slots);
  const key = new Map<number, number>();
  const order = new Map<number, number>();
  let inserted = 0;
  for (let op = 0; op < 5000; op++) {
    const s = rnd(slots);
    const r = rnd(10);
    if (r < 5) {
      const k = rnd(20);
      if (!key.has(s)) order.set(s, inserted++);
      key.set(s, k);
      h.set(s, k);
    } else if (r < 8) {
      const d = rnd(7) - 3;
      if (!key.has(s)) { order.set(s, inserted++); key.set(s, d); } else key.set(s, key.get(s)! + d);
      h.add(s, d);
    } else {
      key.delete(s);
      h.remove(s);
    }
    const want = [...key.keys()].sort((a, b) => key.get(b)! - key.get(a)! || order.get(a)! - order.get(b)!);
    assert.deepEqual(h.top(slots), want, `after op ${op}`);
  }
});
