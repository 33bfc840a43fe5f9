import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../../../src/protocols/decodeError';
import { formatMetricLine, formatRttLine, parsePayload, parsePayloadLine } from '../../../src/protocols/cloudprober/payload';

const rttLines: { responder: string; ms: number; line: string }[] = [
  { responder: 'host1', ms: 12.5, line: 'bgp_ping_rtt_ms{device=host1} 12.5' },
  { responder: 'host_3', ms: 0.042, line: 'bgp_ping_rtt_ms{device=host_3} 0.042' },
  // A hyphen is not allowed unquoted by current Cloudprober: quoted, both old and new parsers read host-1.
  { responder: 'host-1', ms: 3, line: 'bgp_ping_rtt_ms{device="host-1"} 3' },
  { responder: '203.0.113.254', ms: 1000, line: 'bgp_ping_rtt_ms{device="203.0.113.254"} 1000' },
  { responder: 'a"b\\c', ms: 1, line: 'bgp_ping_rtt_ms{device="a\\"b\\\\c"} 1' },
  { responder: '', ms: 1, line: 'bgp_ping_rtt_ms{device=""} 1' },
];

for (const c of rttLines) {
  test(`the book's RTT line for responder ${JSON.stringify(c.responder)} is ${c.line} and parses back`, () => {
    assert.equal(formatRttLine(c.responder, c.ms), c.line);
    const m = parsePayloadLine(c.line);
    assert.equal(m.name, 'bgp_ping_rtt_ms');
    assert.equal(Number(m.value), c.ms);
    assert.equal(m.labels.length, 1);
    assert.equal(m.labels[0]![0], 'device');
    // Cloudprober keeps escapes inside quotes as written; without escapes the value is the responder.
    if (!/["\\]/.test(c.responder)) assert.equal(m.labels[0]![1], c.responder);
  });
}

// What current Cloudprober (metrics/payload/line_metrics.go parseLine) accepts and makes of a line.
const accepted: { line: string; name: string; labels: [string, string][]; value: string }[] = [
  { line: 'total_errors 589', name: 'total_errors', labels: [], value: '589' },
  { line: '  spaced   42  ', name: 'spaced', labels: [], value: '42' },
  { line: 'm{a=1,b=two} 3.5', name: 'm', labels: [['a', '1'], ['b', 'two']], value: '3.5' },
  { line: 'm{a="x y",b=z} 1', name: 'm', labels: [['a', 'x y'], ['b', 'z']], value: '1' },
  { line: 'm{ a=1, b= 2 } 1', name: 'm', labels: [['a', '1'], ['b', '2']], value: '1' },
  { line: 'm{a=} 1', name: 'm', labels: [['a', '']], value: '1' },
  { line: 'm{} 7', name: 'm', labels: [], value: '7' },
];
for (const c of accepted) {
  test(`payload line ${JSON.stringify(c.line)} is accepted`, () => {
    assert.deepEqual(parsePayloadLine(c.line), { name: c.name, labels: c.labels, value: c.value });
  });
}

const rejected: { line: string; why: RegExp }[] = [
  { line: 'novalue', why: /no space/ },
  { line: 'm{device=host-1} 1', why: /unquoted label value/ },
  { line: 'm{a=1', why: /closing brace/ },
  { line: 'm{ 7', why: /closing brace/ },
  { line: 'm{ a = 1 } 1', why: /label key/ },
  { line: 'm{a=1}', why: /closing brace/ },
  { line: 'm{a-b=1} 1', why: /label key/ },
  { line: 'm{a} 1', why: /has no "="/ },
  { line: 'm{a="x} 1', why: /closing quote/ },
  { line: 'm{a="x"y} 1', why: /followed by/ },
  { line: 'success 1', why: /clashes/ },
  { line: 'latency{a=b} 1', why: /clashes/ },
];
for (const c of rejected) {
  test(`payload line ${JSON.stringify(c.line)} is refused, as Cloudprober would drop it`, () => {
    assert.throws(() => parsePayloadLine(c.line), (e: unknown) => e instanceof DecodeError && c.why.test(e.reason));
  });
}

test('a payload is its non-blank lines', () => {
  const p = `${formatRttLine('host1', 1)}\n\n${formatRttLine('host-3', 2.25)}\n`;
  assert.deepEqual(parsePayload(p).map((m) => [m.labels[0]![1], m.value]), [['host1', '1'], ['host-3', '2.25']]);
});

test('the formatter refuses what Cloudprober could not read', () => {
  assert.throws(() => formatMetricLine('bad name', {}, 1), RangeError);
  assert.throws(() => formatMetricLine('total', {}, 1), RangeError);
  assert.throws(() => formatMetricLine('m', { 'bad-key': 'v' }, 1), RangeError);
  assert.throws(() => formatMetricLine('m', { k: 'two\nlines' }, 1), RangeError);
  assert.throws(() => formatMetricLine('m', {}, Number.NaN), RangeError);
  assert.equal(formatMetricLine('m', {}, 5), 'm 5');
  assert.equal(formatMetricLine('m', { a: 'x', b: 'y z' }, -1), 'm{a=x,b="y z"} -1');
});
