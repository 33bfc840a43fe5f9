import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, helpText, parseDuration, parseFlags, parseHostPort, parseInteger, parseChoice } from '../../../src/agents/runtime/flags';

const specs = {
  id: { type: 'string', description: 'this speaker\'s name' },
  laddr: { type: 'string', description: 'local address', value: 'ADDR' },
  p: { type: 'boolean', description: 'passive' },
  interval: { type: 'string', short: 'i', default: '10s', description: 'probe interval' },
} as const;

test('flags: Go-style single-dash long flags mean the same as double-dash ones', () => {
  const go = parseFlags(specs, ['-id', 'host-2', '-laddr', '203.0.113.2', '-p', '-i', '5s']);
  const gnu = parseFlags(specs, ['--id', 'host-2', '--laddr=203.0.113.2', '--p', '--interval', '5s']);
  assert.deepEqual(go.values, gnu.values);
  assert.deepEqual(go.values, { id: 'host-2', laddr: '203.0.113.2', p: true, interval: '5s' });
});

test('flags: defaults apply and --help is reported', () => {
  const r = parseFlags(specs, ['--help']);
  assert.equal(r.help, true);
  assert.equal(r.values.interval, '10s');
});

for (const [name, argv, pattern] of [
  ['an unknown flag is named', ['--bogus'], /bogus/],
  ['a string flag without its value is named', ['--laddr'], /laddr/],
] as const) {
  test(`flags: ${name}`, () => {
    assert.throws(() => parseFlags(specs, [...argv]), (e: unknown) => e instanceof FlagError && pattern.test(e.message));
  });
}

test('flags: help text lists every flag with its default', () => {
  const h = helpText('bgp-ping [options]', 'measures BGP RTT', specs);
  for (const f of ['--id', '--laddr ADDR', '-i, --interval', '(default 10s)', '--help']) assert.ok(h.includes(f), f);
});

for (const [input, host, port] of [
  ['0.0.0.0:6343', '0.0.0.0', 6343],
  ['127.0.0.1:9100', '127.0.0.1', 9100],
  [':6343', '0.0.0.0', 6343],
  ['[::1]:9100', '::1', 9100],
] as const) {
  test(`host:port "${input}" parses`, () => assert.deepEqual(parseHostPort('listen', input), { host, port }));
}

for (const bad of ['6343', '1.2.3.4:', '1.2.3.4:70000', 'a:b:c', '[::1]9100']) {
  test(`host:port "${bad}" is refused naming the flag`, () => {
    assert.throws(() => parseHostPort('listen', bad), (e: unknown) => e instanceof FlagError && e.message.includes('--listen'));
  });
}

for (const [input, ms] of [['10s', 10_000], ['500ms', 500], ['1m', 60_000], ['1.5s', 1500], ['3', 3000]] as const) {
  test(`duration "${input}" is ${ms} ms`, () => assert.equal(parseDuration('interval', input), ms));
}

for (const bad of ['', '0s', '-1s', '10 s', 'ten']) {
  test(`duration "${bad}" is refused`, () => assert.throws(() => parseDuration('interval', bad), FlagError));
}

test('integers outside their range and non-numbers are refused', () => {
  assert.equal(parseInteger('top', '10', 1, 1000), 10);
  assert.throws(() => parseInteger('top', '0', 1, 1000), /between 1 and 1000/);
  assert.throws(() => parseInteger('top', '1e3', 1, 1000), /whole number/);
});

test('choices name the allowed words', () => {
  assert.equal(parseChoice('by', 'bytes', ['bytes', 'packets'] as const), 'bytes');
  assert.throws(() => parseChoice('by', 'flows', ['bytes', 'packets'] as const), /one of bytes, packets/);
});
