// How inspector values read in the Variables view: tables of CDP RemoteObjects as Node's inspector
// sends them (shapes from Runtime.getProperties on Node 20) and the text each must show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Protocol } from 'devtools-protocol';
import { byteArrayValue, compareNames, functionName, hexRows, isByteArray, renderValue, scopeName, spacedHex } from '../../../src/debug/variables/render';

type R = Protocol.Runtime.RemoteObject;
const values: Array<[string, R, string]> = [
  ['a string, quoted', { type: 'string', value: '203.0.113.252' }, '"203.0.113.252"'],
  ['a string with a quote and a newline, escaped', { type: 'string', value: 'a"b\nc' }, '"a\\"b\\nc"'],
  ['a number', { type: 'number', value: 6343, description: '6343' }, '6343'],
  ['-0 (no JSON value)', { type: 'number', unserializableValue: '-0', description: '-0' }, '-0'],
  ['NaN', { type: 'number', unserializableValue: 'NaN', description: 'NaN' }, 'NaN'],
  ['a bigint', { type: 'bigint', unserializableValue: '1796653740277000000n', description: '1796653740277000000n' }, '1796653740277000000n'],
  ['a boolean', { type: 'boolean', value: true }, 'true'],
  ['undefined', { type: 'undefined' }, 'undefined'],
  ['null', { type: 'object', subtype: 'null', value: null }, 'null'],
  ['a symbol', { type: 'symbol', description: 'Symbol(kStop)', objectId: '1' }, 'Symbol(kStop)'],
  ['a function', { type: 'function', className: 'Function', description: 'function readFlowSample(sample, out) {\n  let seen = false;', objectId: '2' }, 'ƒ readFlowSample(sample, out)'],
  ['an arrow function', { type: 'function', className: 'Function', description: '(buf, start, end) => {\n', objectId: '3' }, 'ƒ (buf, start, end)'],
  ['a class instance', { type: 'object', className: 'SampledFlow', description: 'SampledFlow', objectId: '4' }, 'SampledFlow'],
  ['an array', { type: 'object', subtype: 'array', className: 'Array', description: 'Array(3)', objectId: '5' }, 'Array(3)'],
  ['a Map', { type: 'object', subtype: 'map', className: 'Map', description: 'Map(2)', objectId: '6' }, 'Map(2)'],
  ['a Set', { type: 'object', subtype: 'set', className: 'Set', description: 'Set(1)', objectId: '7' }, 'Set(1)'],
];
for (const [what, o, shown] of values) {
  test(`${what} reads ${shown}`, () => assert.equal(renderValue(o), shown));
}

const bytes: Array<[string, R, boolean]> = [
  ['a Buffer', { type: 'object', subtype: 'typedarray', className: 'Buffer', description: 'Buffer(1500)', objectId: '1' }, true],
  ['a Uint8Array', { type: 'object', subtype: 'typedarray', className: 'Uint8Array', description: 'Uint8Array(128)', objectId: '1' }, true],
  ['a Uint16Array (flow key words)', { type: 'object', subtype: 'typedarray', className: 'Uint16Array', description: 'Uint16Array(20)', objectId: '1' }, false],
  ['an ArrayBuffer', { type: 'object', subtype: 'arraybuffer', className: 'ArrayBuffer', description: 'ArrayBuffer(8)', objectId: '1' }, false],
];
for (const [what, o, isBytes] of bytes) {
  test(`${what} ${isBytes ? 'is' : 'is not'} shown as hex bytes`, () => assert.equal(isByteArray(o), isBytes));
}

test('a byte array\'s value: its type and length, then its first bytes in hex, … when there are more', () => {
  const o: R = { type: 'object', subtype: 'typedarray', className: 'Buffer', description: 'Buffer(1500)', objectId: '1' };
  assert.equal(byteArrayValue(o, '45000054cb007100'), 'Buffer(1500) [45 00 00 54 cb 00 71 00 …]');
  const short: R = { ...o, description: 'Buffer(3)' };
  assert.equal(byteArrayValue(short, 'cb0071'), 'Buffer(3) [cb 00 71]');
  assert.equal(spacedHex(''), '');
});

test('expanded, a byte array is a hex dump: 16 bytes a row, named by offset, the rest counted', () => {
  const hex = Buffer.from(Array.from({ length: 40 }, (_, i) => i)).toString('hex');
  assert.deepEqual(hexRows(hex, 40), [
    { name: '0000', value: '00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f' },
    { name: '0010', value: '10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f' },
    { name: '0020', value: '20 21 22 23 24 25 26 27' },
  ]);
  const rows = hexRows(hex.slice(0, 32), 100_000);
  assert.equal(rows[0]!.name, '00000', 'offsets as wide as the largest one (0x1869f)');
  assert.deepEqual(rows.at(-1), { name: '…', value: '99984 more bytes' });
  assert.deepEqual(hexRows('', 0), []);
});

test('scopes are named as VS Code\'s JavaScript debugger names them', () => {
  const obj: R = { type: 'object', objectId: '1' };
  assert.equal(scopeName({ type: 'local', name: 'readFlowSample', object: obj }), 'Local: readFlowSample');
  assert.equal(scopeName({ type: 'closure', object: obj }), 'Closure');
  assert.equal(scopeName({ type: 'global', object: obj }), 'Global');
  assert.equal(scopeName({ type: 'block', object: obj }), 'Block');
});

test('children: array indices in numeric order before named properties, which keep their order', () => {
  const names = ['length', '10', '2', 'b', '0', 'a'];
  assert.deepEqual([...names].sort(compareNames), ['0', '2', '10', 'length', 'b', 'a']);
});

test('a function\'s name from its source: a method, an async one, a class', () => {
  assert.equal(functionName('addKey(key, length, bytes, packets) {'), 'addKey(key, length, bytes, packets)');
  assert.equal(functionName('async function main(lifecycle) {'), 'main(lifecycle)');
  assert.equal(functionName('class TopTalkers {'), 'TopTalkers');
});
