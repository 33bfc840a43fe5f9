import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageStream } from '../../../src/bgp/messageStream';
import { Backoff } from '../../../src/bgp/backoff';
import { jitter } from '../../../src/bgp/timer';
import { hex, M } from '../protocols/bgp/malformedCases';

const keepalive = `${M} 0013 04`;
const notification = `${M} 0015 03 06 02`;

test('whole messages in one chunk come out as views, in order (RFC 4271 §4.1 framing)', () => {
  const chunk = hex(keepalive + notification + keepalive);
  const { messages, error } = new MessageStream().push(chunk);
  assert.equal(error, undefined);
  assert.deepEqual(messages.map((m) => m.length), [19, 21, 19]);
  assert.equal(messages[1]!.buffer, chunk.buffer);
});

test('a message split at every possible byte boundary is reassembled', () => {
  const bytes = hex(notification + keepalive);
  for (let cut = 1; cut < bytes.length; cut++) {
    const s = new MessageStream();
    const a = s.push(bytes.subarray(0, cut)).messages;
    const b = s.push(bytes.subarray(cut)).messages;
    assert.deepEqual([...a, ...b].map((m) => m.length), [21, 19], `cut at ${cut}`);
  }
});

test('a bad header after good messages yields those messages, then the header error', () => {
  const { messages, error } = new MessageStream().push(hex(keepalive + `${M} 0013 09`));
  assert.equal(messages.length, 1);
  assert.deepEqual(error && [error.code, error.subcode], [1, 3]);
});

test('a chunk that is exactly one message is handed out as it is; several in one chunk are views into it', () => {
  const one = hex(`${M} 0013 04`);
  assert.equal(new MessageStream().push(one).messages[0], one);
  const two = hex(`${M} 0013 04 ${M} 0013 04`);
  const got = new MessageStream().push(two).messages;
  assert.equal(got.length, 2);
  assert.equal(got[1]!.buffer, two.buffer, 'a view, not a copy');
  assert.equal(got[1]!.byteOffset, two.byteOffset + 19);
});

test('backoff doubles from its initial delay up to its maximum and starts over on reset (RFC 4271 §8.1.1)', () => {
  const b = new Backoff(100, 1000);
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 800, 1000, 1000]);
  b.reset();
  assert.equal(b.next(), 100);
});

test('timers are jittered into 75–100 % of their value (RFC 4271 §10)', () => {
  assert.equal(jitter(1000, () => 0), 750);
  assert.equal(jitter(1000, () => 1), 1000);
  for (let i = 0; i < 100; i++) {
    const j = jitter(1000);
    assert.ok(j >= 750 && j <= 1000);
  }
});
