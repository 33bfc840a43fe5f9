import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProbeTracker } from '../../../../src/agents/bgpPing/probeTracker';
import { replyTo } from '../../../../src/agents/bgpPing/reply';
import type { Probe } from '../../../../src/protocols/bgp';

function clocks() {
  let mono = 1_000_000_000n;
  let wall = 1_700_000_000_123_456_789n;
  return { mono: () => mono, wall: () => wall, advance: (ms: number) => { mono += BigInt(ms * 1e6); wall += BigInt(ms * 1e6); } };
}

for (const [name, probe, id, want] of [
  ['a request from another speaker is answered with this speaker as destination', { source: 'host-2', destination: '' }, 'host-1', 'host-1'],
  ['its own request coming back is ignored (looped back)', { source: 'host-1', destination: '' }, 'host-1', undefined],
  ['a reply to someone else is ignored', { source: 'host-2', destination: 'host-3' }, 'host-1', undefined],
  ['a reply to this speaker is not answered again', { source: 'host-1', destination: 'host-3' }, 'host-1', undefined],
] as const) {
  test(`reply: ${name}`, () => {
    const p: Probe = { layout: 'v1', source: probe.source, destination: probe.destination, timestampNs: 5n, sequence: 9n };
    const r = replyTo(p, id);
    assert.equal(r?.destination, want);
    if (r) assert.deepEqual({ ...r, destination: '' }, p, 'source, timestamp, sequence and layout are kept');
  });
}

test('tracker: RTT comes from the monotonic clock, not the timestamp on the wire', () => {
  const c = clocks();
  const t = new ProbeTracker('host-2', 'v1', 5000, c.mono, c.wall);
  const p = t.next();
  c.advance(12.5);
  const a = t.answer({ ...p, destination: 'host-1' });
  assert.deepEqual(a, { responder: 'host-1', seq: 1, rttMs: 12.5 });
});

test('tracker: the round trip runs from sent() to the time the reply was read, not to when it was matched', () => {
  const c = clocks();
  const t = new ProbeTracker('host-2', 'v1', 5000, c.mono, c.wall);
  const p = t.next();
  c.advance(0.25); // encoding the UPDATE
  t.sent(p.seq);
  c.advance(4);
  const readAt = c.mono();
  c.advance(0.5); // decoding it
  assert.deepEqual(t.answer({ ...p, destination: 'host-1' }, readAt), { responder: 'host-1', seq: 1, rttMs: 4 });
});

test('tracker: several responders answer one probe; a repeated reply counts once', () => {
  const c = clocks();
  const t = new ProbeTracker('host-2', 'v1', 5000, c.mono, c.wall);
  const p = t.next();
  c.advance(3);
  assert.equal(t.answer({ ...p, destination: 'host-1' })?.rttMs, 3);
  c.advance(2);
  assert.equal(t.answer({ ...p, destination: 'host-3' })?.rttMs, 5);
  assert.equal(t.answer({ ...p, destination: 'host-3' }), undefined);
  assert.equal(t.complete(p.seq), true);
});

test('tracker: v1 replies are matched by sequence, so an old probe\'s late reply gets its own RTT', () => {
  const c = clocks();
  const t = new ProbeTracker('host-2', 'v1', 60_000, c.mono, c.wall);
  const p1 = t.next();
  c.advance(1000);
  const p2 = t.next();
  c.advance(10);
  assert.deepEqual(t.answer({ ...p1, destination: 'host-1' }), { responder: 'host-1', seq: 1, rttMs: 1010 });
  assert.deepEqual(t.answer({ ...p2, destination: 'host-1' }), { responder: 'host-1', seq: 2, rttMs: 10 });
});

test('tracker: book probes carry whole seconds and are matched by that timestamp', () => {
  const c = clocks();
  const t = new ProbeTracker('host-2', 'book', 5000, c.mono, c.wall);
  const p = t.next();
  assert.equal(p.timestampNs % 1_000_000_000n, 0n);
  assert.equal(p.sequence, 0n);
  c.advance(7);
  assert.equal(t.answer({ ...p, destination: 'host-3' })?.rttMs, 7);
});

test('tracker: replies that are not to our outstanding probes are ignored', () => {
  const c = clocks();
  const t = new ProbeTracker('host-2', 'v1', 5000, c.mono, c.wall);
  const p = t.next();
  assert.equal(t.answer({ ...p, source: 'host-9', destination: 'host-1' }), undefined, 'another prober\'s');
  assert.equal(t.answer({ ...p, sequence: 77n, destination: 'host-1' }), undefined, 'unknown sequence');
  assert.equal(t.answer({ ...p, destination: '' }), undefined, 'a request, not a reply');
});

test('tracker: at the timeout a probe expires, lost for the known responders that did not answer', () => {
  const c = clocks();
  const t = new ProbeTracker('host-2', 'v1', 5000, c.mono, c.wall);
  const p1 = t.next();
  t.answer({ ...p1, destination: 'host-1' });
  t.answer({ ...p1, destination: 'host-3' });
  c.advance(1000);
  const p2 = t.next();
  t.answer({ ...p2, destination: 'host-1' });
  c.advance(4500);
  assert.deepEqual(t.expire(), [{ seq: 1, answered: ['host-1', 'host-3'], missing: [], unanswered: false }]);
  c.advance(600);
  assert.deepEqual(t.expire(), [{ seq: 2, answered: ['host-1'], missing: ['host-3'], unanswered: false }]);
  c.advance(10);
  const p3 = t.next();
  c.advance(5000);
  assert.deepEqual(t.expire(), [{ seq: p3.seq, answered: [], missing: ['host-1', 'host-3'], unanswered: true }]);
  assert.equal(t.answer({ ...p3, destination: 'host-1' }), undefined, 'too late: already counted as lost');
});

test('tracker: a probe due while the session is down is lost at once for every known responder', () => {
  const c = clocks();
  const t = new ProbeTracker('host-2', 'v1', 5000, c.mono, c.wall);
  const p = t.next();
  t.answer({ ...p, destination: 'host-3' });
  t.answer({ ...p, destination: 'host-1' });
  assert.deepEqual(t.skip(), { seq: 2, answered: [], missing: ['host-1', 'host-3'], unanswered: true });
  assert.equal(t.next().seq, 3, 'sequence numbers go on past the skipped probe');
});

test('tracker: nextExpiryMs counts down to the oldest outstanding probe\'s timeout, and is undefined with none outstanding', () => {
  const c = clocks();
  const t = new ProbeTracker('host-2', 'v1', 5000, c.mono, c.wall);
  const steps: Array<[what: string, act: () => void, want: number | undefined]> = [
    ['nothing sent', () => undefined, undefined],
    ['a probe just sent', () => t.next(), 5000],
    ['1.5 s later, a second probe', () => { c.advance(1500); t.next(); }, 3500],
    ['the first overdue', () => c.advance(4000), 0],
    ['the first expired: the second is next', () => t.expire(), 1000],
    ['both expired', () => { c.advance(1000); t.expire(); }, undefined],
  ];
  for (const [what, act, want] of steps) {
    act();
    assert.equal(t.nextExpiryMs(), want, what);
  }
});
