import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withFlags } from '../../../../src/agents/client/agentFlags';

const cases: Array<[name: string, args: string[], values: Record<string, string>, want: string[]]> = [
  ['a flag that is there is replaced in place', ['--listen', '203.0.113.2:6343', '--window', '10', '--top', '5'], { window: '30' }, ['--listen', '203.0.113.2:6343', '--window', '30', '--top', '5']],
  ['a flag that is not there is appended', ['--listen', '203.0.113.2:6343'], { by: 'packets' }, ['--listen', '203.0.113.2:6343', '--by', 'packets']],
  ['the --name=value form is replaced whole', ['--filter=udp port 6343', '--intf', 'eth1'], { filter: 'host 203.0.113.0 and udp port 5201' }, ['--filter', 'host 203.0.113.0 and udp port 5201', '--intf', 'eth1']],
  ['the book\'s single-dash form is recognised', ['-i', '2s', '-window', '5'], { window: '10' }, ['-i', '2s', '--window', '10']],
  ['a value that looks like a flag is not mistaken for one', ['--filter', '-window'], { top: '3' }, ['--filter', '-window', '--top', '3']],
];
for (const [name, args, values, want] of cases) {
  test(`agent flags: ${name}`, () => assert.deepEqual(withFlags(args, values), want));
}
