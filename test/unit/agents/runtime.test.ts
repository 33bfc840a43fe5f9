import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { EventWriter } from '../../../src/agents/runtime/eventWriter';
import { parseEvent, EventParseError } from '../../../src/shared/events';
import { IngestMetrics, serveMetrics } from '../../../src/agents/runtime/metrics';
import { Lifecycle } from '../../../src/agents/runtime/lifecycle';
import type { AddressInfo } from 'node:net';

test('events: each emitted event is one JSON line that parses back with its envelope', async () => {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  const w = new EventWriter('top-talkers', out, () => 1234);
  w.emit({ type: 'stats', datagrams: 3, samples: 9, records: 9, malformed: 1, dropped: 0 });
  w.emit({ type: 'log', level: 'info', message: 'listening on 0.0.0.0:6343' });
  await w.flush();
  const lines = chunks.join('').split('\n').filter(Boolean);
  assert.equal(lines.length, 2);
  const first = parseEvent(lines[0]!);
  assert.deepEqual(first, { v: 1, agent: 'top-talkers', ts: 1234, type: 'stats', datagrams: 3, samples: 9, records: 9, malformed: 1, dropped: 0 });
  assert.equal(parseEvent(lines[1]!).type, 'log');
});

for (const [name, line, pattern] of [
  ['not JSON', '{"v":1,', /not JSON/],
  ['another schema version', '{"v":2,"type":"flow","agent":"capture","ts":1}', /schema version 2/],
  ['an unknown type', '{"v":1,"type":"nope","agent":"capture","ts":1}', /unknown event type/],
  ['no timestamp', '{"v":1,"type":"flow","agent":"capture"}', /missing ts/],
] as const) {
  test(`events: a line with ${name} is refused with the reason`, () => {
    assert.throws(() => parseEvent(line), (e: unknown) => e instanceof EventParseError && pattern.test(e.message));
  });
}

test('events: a reader that goes away (EPIPE) stops the writing, not the agent', async () => {
  const broken = new Writable({ write(_c, _e, cb) { cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })); } });
  const w = new EventWriter('capture', broken);
  w.emit({ type: 'log', level: 'info', message: 'a' });
  await new Promise((r) => setImmediate(r));
  w.emit({ type: 'log', level: 'info', message: 'b' });
  assert.equal(w.written, 1);
});

test('metrics: /metrics serves the agent counters in Prometheus text format; other paths are 404', async () => {
  const m = new IngestMetrics('top-talkers');
  m.datagrams.inc(5);
  m.malformed.inc({ what: 'datagram' }, 2);
  const server = await serveMetrics(m.registry, '127.0.0.1', 0);
  try {
    const port = (server.address() as AddressInfo).port;
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /^labtel_top_talkers_datagrams_total\{agent="top-talkers"\} 5$/m);
    assert.match(text, /^labtel_top_talkers_malformed_total\{what="datagram",agent="top-talkers"\} 2$/m);
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 404);
  } finally {
    server.close();
  }
});

test('metrics: a port already taken is an error naming --metrics', async () => {
  const m = new IngestMetrics('capture');
  const first = await serveMetrics(m.registry, '127.0.0.1', 0);
  try {
    const port = (first.address() as AddressInfo).port;
    await assert.rejects(serveMetrics(m.registry, '127.0.0.1', port), /--metrics 127\.0\.0\.1:\d+: .*EADDRINUSE/);
  } finally {
    first.close();
  }
});

test('lifecycle: cleanups run once, last registered first, after stop listeners', async () => {
  const order: string[] = [];
  const l = new Lifecycle(500);
  l.defer(() => order.push('socket'));
  l.defer(async () => { order.push('pcap'); });
  l.onStop(() => order.push('stop'));
  await Promise.all([l.stop(), l.stop()]);
  assert.deepEqual(order, ['stop', 'pcap', 'socket']);
  assert.equal(l.isStopping, true);
});

test('lifecycle: a cleanup that hangs cannot hold the shutdown past the deadline', async () => {
  const l = new Lifecycle(100);
  l.defer(() => new Promise(() => {}));
  const started = Date.now();
  await l.stop();
  const took = Date.now() - started;
  assert.ok(took >= 90 && took < 1000, `stop took ${took} ms`);
});
