import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventLineReader, type AgentEvent } from '../../../src/shared/events';

function read(lines: string[]): { events: AgentEvent[]; other: Array<[string, string]>; reader: EventLineReader } {
  const events: AgentEvent[] = [];
  const other: Array<[string, string]> = [];
  const reader = new EventLineReader((e) => events.push(e), (line, why) => other.push([line, why]));
  for (const l of lines) reader.line(l);
  return { events, other, reader };
}

test('event reader: an event type it does not know is skipped and reported once, the known ones still arrive', () => {
  const { events, other, reader } = read([
    '{"v":1,"agent":"top-talkers","ts":1,"type":"histogram","buckets":[1,2]}',
    '{"v":1,"agent":"top-talkers","ts":2,"type":"stats","datagrams":1,"samples":1,"records":1,"malformed":0,"dropped":0}',
    '{"v":1,"agent":"top-talkers","ts":3,"type":"histogram","buckets":[3]}',
    '{"v":1,"agent":"top-talkers","ts":4,"type":"anomaly"}',
  ]);
  assert.deepEqual(events.map((e) => e.ts), [2]);
  assert.equal(reader.skippedUnknown, 3);
  assert.equal(other.length, 2, 'one report per unknown type');
  assert.match(other[0]![1], /"histogram".*does not know/);
  assert.match(other[1]![1], /"anomaly"/);
});

for (const [name, line, why] of [
  ['text an agent printed', 'listening on 203.0.113.2:6343', /not JSON/],
  ['another schema version', '{"v":2,"agent":"capture","ts":1,"type":"flow"}', /schema version 2/],
  ['an event without its agent', '{"v":1,"ts":1,"type":"flow"}', /missing agent/],
] as const) {
  test(`event reader: ${name} goes to the other lines with why, every time`, () => {
    const { events, other } = read([line, line]);
    assert.equal(events.length, 0);
    assert.equal(other.length, 2);
    assert.equal(other[0]![0], line);
    assert.match(other[0]![1], why);
  });
}

test('event reader: empty lines are neither events nor reported', () => {
  const { events, other } = read(['', '']);
  assert.equal(events.length + other.length, 0);
});
