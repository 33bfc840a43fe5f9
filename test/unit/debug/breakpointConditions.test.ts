// Breakpoint conditions, logpoints and hit counts as the adapter hands them to V8: each condition is
// compiled and run here with plain JavaScript, the same way V8 evaluates it in the paused frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cdpCondition, HitConditionError, LOGPOINT_MARK, logMessageExpression, parseHitCondition } from '../../../src/debug/runtime/breakpointConditions';
import { findInspectorUrl, isInspectorChatter } from '../../../src/debug/runtime/inspectorOutput';

/** Evaluates `expression` with `scope`'s names in scope, as a breakpoint condition is evaluated in a frame. */
function evaluate(expression: string, scope: Record<string, unknown>): unknown {
  return new Function(...Object.keys(scope), `return (${expression});`)(...Object.values(scope));
}

const messages: Array<[string, Record<string, unknown>, string]> = [
  ['flow {out.srcAddr} → {out.dstAddr}', { out: { srcAddr: '203.0.113.0', dstAddr: '203.0.113.252' } }, 'flow 203.0.113.0 → 203.0.113.252'],
  ['no braces at all', {}, 'no braces at all'],
  ['a backtick `, a backslash \\ and a lone $ stay text', {}, 'a backtick `, a backslash \\ and a lone $ stay text'],
  ['a dollar before braces is text: ${n}', { n: 3 }, 'a dollar before braces is text: $3'],
  ['an object {({ a: 1 }).a} and a nested brace', {}, 'an object 1 and a nested brace'],
  ['an unclosed {brace', {}, 'an unclosed {brace'],
];
for (const [message, scope, expected] of messages) {
  test(`logpoint message ${JSON.stringify(message)} interpolates to ${JSON.stringify(expected)}`, () => {
    assert.equal(evaluate(logMessageExpression(message), scope), expected);
  });
}

test('a logpoint\'s condition logs through the inspector\'s console (marked) and never pauses', () => {
  const calls: unknown[][] = [];
  const fakeInspector = { console: { log: (...a: unknown[]) => calls.push(a) } };
  const condition = cdpCondition({ logMessage: 'seen {n}' })!;
  const paused = new Function('process', 'require', 'n', `return (${condition});`)({ getBuiltinModule: (m: string) => (m === 'node:inspector' ? fakeInspector : undefined) }, undefined, 7);
  assert.equal(paused, false);
  assert.deepEqual(calls, [[LOGPOINT_MARK, 'seen 7']]);
});

test('a logpoint with a condition logs only when the condition holds', () => {
  const calls: unknown[][] = [];
  const proc = { getBuiltinModule: () => ({ console: { log: (...a: unknown[]) => calls.push(a) } }) };
  const condition = cdpCondition({ condition: "dst === '203.0.113.252'", logMessage: 'hit {dst}' })!;
  const run = (dst: string) => new Function('process', 'dst', `return (${condition});`)(proc, dst);
  assert.equal(run('203.0.113.251'), false);
  assert.equal(run('203.0.113.252'), false);
  assert.deepEqual(calls, [[LOGPOINT_MARK, 'hit 203.0.113.252']]);
});

test('a plain condition passes through; an empty one is none', () => {
  assert.equal(cdpCondition({ condition: " out.proto === 17 " }), 'out.proto === 17');
  assert.equal(cdpCondition({ condition: '  ' }), undefined);
  assert.equal(cdpCondition({}), undefined);
});

const hits: Array<[string, number[]]> = [
  ['5', [5]], ['==5', [5]], ['=5', [5]], ['>5', [6, 7, 8, 9, 10]], ['>=5', [5, 6, 7, 8, 9, 10]],
  ['<3', [1, 2]], ['<=3', [1, 2, 3]], ['%3', [3, 6, 9]], [' % 4 ', [4, 8]],
];
for (const [text, stops] of hits) {
  test(`hit count "${text}" stops on hits ${stops.join(', ')} of the first ten`, () => {
    const t = parseHitCondition(text);
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter(t), stops);
  });
}

for (const bad of ['', 'five', '>', '5x', '!=5', '%-2']) {
  test(`hit count ${JSON.stringify(bad)} is refused with the forms it may take`, () => {
    assert.throws(() => parseHitCondition(bad), (e: Error) => e instanceof HitConditionError && e.message.includes('N, ==N, >N, >=N, <N, <=N, %N'));
  });
}

test('the inspector\'s URL is read from its stderr line; its chatter is told from the agent\'s own lines', () => {
  const stderr = 'Debugger listening on ws://127.0.0.1:39287/2a7d12ed-4707-4e3a-9ad0-4cfa568788e0\nFor help, see: https://nodejs.org/en/docs/inspector\n';
  assert.deepEqual(findInspectorUrl(stderr), { url: 'ws://127.0.0.1:39287/2a7d12ed-4707-4e3a-9ad0-4cfa568788e0', host: '127.0.0.1', port: 39287 });
  assert.equal(findInspectorUrl('Debugger listening on ws://127.0.0.1:39'), undefined, 'not until the line is whole');
  assert.equal(findInspectorUrl('top-talkers: collecting sFlow on UDP 203.0.113.2:6343\n'), undefined);
  for (const l of stderr.trim().split('\n').concat(['Debugger attached.', 'Waiting for the debugger to disconnect...'])) assert.ok(isInspectorChatter(l), l);
  assert.ok(!isInspectorChatter('top-talkers: collecting sFlow on UDP 203.0.113.2:6343'));
});
