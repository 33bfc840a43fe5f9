import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSflowInterface, SflowInterfaceFormat } from '../../../src/shared/format';

// sFlow v5, flow_sample: an `interface` is a 2-bit format and a 30-bit value.
const cases: Array<[number, number | undefined, string, string]> = [
  [3, undefined, '3', 'an ifIndex (no format given: an ifIndex)'],
  [7, SflowInterfaceFormat.IfIndex, '7', 'an ifIndex'],
  [0x3fffffff, SflowInterfaceFormat.IfIndex, 'internal', 'all ones: the agent itself'],
  [0, SflowInterfaceFormat.IfIndex, 'unknown', 'zero: not known'],
  [258, SflowInterfaceFormat.Discarded, 'drop 258', 'a discarded packet with its reason'],
  [0, SflowInterfaceFormat.Multiple, 'multi', 'several interfaces, how many not known'],
  [4, SflowInterfaceFormat.Multiple, '×4', 'sent out of four interfaces'],
  [5, 3, '3:5', 'a format the spec does not define shows raw'],
];
for (const [value, format, want, what] of cases) {
  test(`sFlow interface ${what} shows as "${want}"`, () => assert.equal(formatSflowInterface(value, format), want));
}
