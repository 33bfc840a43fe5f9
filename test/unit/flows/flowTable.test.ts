import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowTable } from '../../../src/flows/flowTable';
import { bidirectionalKey, MAX_KEY_WORDS } from '../../../src/flows/flowKey';

const words = (key: string): Uint16Array => Uint16Array.from(key, (c) => c.charCodeAt(0));

function find(t: FlowTable, key: string): number {
  const w = words(key);
  return t.find(w, w.length, t.hash(w, w.length));
}

function insert(t: FlowTable, key: string, slot: number): void {
  const w = words(key);
  t.insert(w, w.length, t.hash(w, w.length), slot);
}

const keyCases: { name: string; key: string }[] = [
  { name: 'an IPv4 key (8 words, stored in the slot)', key: bidirectionalKey('192.0.2.1', 40000, '198.51.100.2', 443, 6) },
  { name: 'an IPv6 key (20 words, stored in the side pool)', key: bidirectionalKey('2001:db8::1', 443, '2001:db8::2', 51000, 6) },
  { name: 'a key without addresses (4 words)', key: bidirectionalKey('', 0, '', 0, 0) },
  { name: 'a 9-word key (one more than a slot holds)', key: 'ninewords' },
  { name: 'a 1-word key', key: 'x' },
];
for (const c of keyCases) {
  test(`flow table: ${c.name} is found in its slot, reads back as itself, and is gone after remove`, () => {
    const t = new FlowTable(4);
    insert(t, c.key, 2);
    assert.equal(find(t, c.key), 2);
    assert.equal(t.keyString(2), c.key);
    assert.equal(t.size, 1);
    t.remove(2);
    assert.equal(find(t, c.key), -1);
    assert.equal(t.size, 0);
  });
}

test('flow table: keys differing only in length or in their last word are different keys', () => {
  const t = new FlowTable(8);
  insert(t, 'abc', 0);
  insert(t, 'abcd', 1);
  insert(t, 'abce', 2);
  assert.deepEqual(['abc', 'abcd', 'abce', 'ab'].map((k) => find(t, k)), [0, 1, 2, -1]);
});

test(`flow table: a key longer than ${MAX_KEY_WORDS} words is refused`, () => {
  const t = new FlowTable(2);
  assert.throws(() => insert(t, 'x'.repeat(MAX_KEY_WORDS + 1), 0), /at most/);
});

// Against a Map, with many more operations than buckets so that probe runs wrap around the table,
// removal shifts entries back across the wrap, and long keys' pool chunks are reused.
test('flow table: 50,000 random inserts and removes agree with a Map at every step', () => {
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed % n;
  };
  const capacity = 600;
  const t = new FlowTable(capacity);
  const model = new Map<string, number>();
  const freeSlots = Array.from({ length: capacity }, (_, i) => capacity - 1 - i);
  const keyOf = (i: number): string =>
    i % 3 === 0 ? bidirectionalKey(`2001:db8::${i.toString(16)}`, i, '2001:db8::ffff', 80, 6) : bidirectionalKey(`198.51.100.${i % 256}`, 1000 + i, '203.0.113.9', 80, 17);
  for (let op = 0; op < 50_000; op++) {
    const key = keyOf(rnd(900));
    const slot = model.get(key);
    assert.equal(find(t, key), slot ?? -1, `op ${op}: find`);
    if (slot !== undefined && rnd(2) === 0) {
      t.remove(slot);
      model.delete(key);
      freeSlots.push(slot);
    } else if (slot === undefined && freeSlots.length > 0) {
      const s = freeSlots.pop()!;
      insert(t, key, s);
      model.set(key, s);
    }
    assert.equal(t.size, model.size);
  }
  for (const [key, slot] of model) {
    assert.equal(find(t, key), slot);
    assert.equal(t.keyString(slot), key);
  }
});

test('flow table: growing keeps every key in its slot', () => {
  const t = new FlowTable(16);
  const keys = Array.from({ length: 16 }, (_, i) => bidirectionalKey(`192.0.2.${i}`, i, '192.0.2.200', 53, 17));
  keys.forEach((k, i) => insert(t, k, i));
  t.grow(4096);
  const more = Array.from({ length: 3000 }, (_, i) => bidirectionalKey(`198.51.100.${i % 250}`, 2000 + i, '192.0.2.200', 53, 17));
  more.forEach((k, i) => insert(t, k, 16 + i));
  keys.forEach((k, i) => assert.equal(find(t, k), i));
  more.forEach((k, i) => assert.equal(find(t, k), 16 + i));
});

test('flow table: two tables hash the same key differently (a seed per table)', () => {
  const w = words(bidirectionalKey('192.0.2.1', 1, '192.0.2.2', 2, 17));
  const hashes = new Set(Array.from({ length: 8 }, () => new FlowTable(1).hash(w, w.length)));
  assert.ok(hashes.size > 1);
});
