import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRate, protocolName, renderTalkersTable } from '../../../src/agents/render/talkersTable';

for (const [bps, text] of [[0, '0 bit/s'], [999, '999 bit/s'], [912_400, '912 kbit/s'], [91_240, '91.2 kbit/s'], [1_200_000_000, '1.2 Gbit/s'], [400_000, '400 kbit/s']] as const) {
  test(`rate ${bps} bit/s reads (three significant figures) "${text}"`, () => assert.equal(formatRate(bps), text));
}

test('protocol numbers are named where known and kept as numbers otherwise', () => {
  assert.deepEqual([6, 17, 58, 253].map(protocolName), ['tcp', 'udp', 'icmp6', '253']);
});

test('the table aligns columns and shows share as a percentage', () => {
  const lines = renderTalkersTable([
    { rank: 1, a: '203.0.113.0:43210', b: '203.0.113.253:5201', protocol: 17, bytes: 1, packets: 1, samples: 40, bps: 900_000, share: 0.47 },
    { rank: 2, a: '203.0.113.0:43211', b: '203.0.113.252:5202', protocol: 17, bytes: 1, packets: 1, samples: 7, bps: 600_000, share: 0.3158 },
  ], 'top talkers');
  assert.equal(lines[0], 'top talkers');
  assert.match(lines[1]!, /^#\s+from\s+to\s+proto\s+est\. rate\s+samples\s+share$/);
  assert.match(lines[2]!, /^1\s+203\.0\.113\.0:43210\s+203\.0\.113\.253:5201\s+udp\s+900 kbit\/s\s+40\s+47\.0%$/);
  assert.match(lines[3]!, /31\.6%$/);
  assert.equal(lines[2]!.indexOf('udp'), lines[3]!.indexOf('udp'));
});

test('an empty ranking says so instead of printing a bare header', () => {
  assert.deepEqual(renderTalkersTable([], 'x').slice(-1), ['(no flows in the window yet)']);
});
