import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asPathLength, decodeMessage, reconstructAs4, type PathAttributes } from '../../../../src/protocols/bgp';
import { hex, M } from './malformedCases';

const seq = (...asns: number[]): { type: number; asns: number[] } => ({ type: 2, asns });
const set = (...asns: number[]): { type: number; asns: number[] } => ({ type: 1, asns });

const cases: { name: string; attrs: PathAttributes; asPath: unknown; aggregator?: unknown }[] = [
  { name: 'AS4_PATH replaces the AS_TRANS entries, leading 2-octet ASNs kept',
    attrs: { asPath: [seq(65001, 23456, 23456)], as4Path: [seq(4200000000, 4200000001)] }, asPath: [seq(65001, 4200000000, 4200000001)] },
  { name: 'an AS4_PATH longer than AS_PATH is ignored',
    attrs: { asPath: [seq(23456)], as4Path: [seq(4200000000, 4200000001)] }, asPath: [seq(23456)] },
  { name: 'an AS_SET counts as one AS',
    attrs: { asPath: [seq(65001), set(23456, 65002)], as4Path: [set(4200000000, 65002)] }, asPath: [seq(65001), set(4200000000, 65002)] },
  { name: 'no AS4_PATH: AS_PATH as it came', attrs: { asPath: [seq(65001, 65002)] }, asPath: [seq(65001, 65002)] },
  { name: 'AGGREGATOR of AS_TRANS is replaced by AS4_AGGREGATOR',
    attrs: { asPath: [seq(23456)], as4Path: [seq(4200000000)], aggregator: { asn: 23456, address: '192.0.2.1' }, as4Aggregator: { asn: 4200000000, address: '192.0.2.1' } },
    asPath: [seq(4200000000)], aggregator: { asn: 4200000000, address: '192.0.2.1' } },
  { name: 'AGGREGATOR of a real 2-octet AS: both AS4 attributes ignored',
    attrs: { asPath: [seq(65001, 23456)], as4Path: [seq(4200000000)], aggregator: { asn: 65009, address: '192.0.2.1' }, as4Aggregator: { asn: 4200000000, address: '192.0.2.1' } },
    asPath: [seq(65001, 23456)], aggregator: { asn: 65009, address: '192.0.2.1' } },
];

for (const c of cases) {
  test(`RFC 6793 §4.2.3: ${c.name}`, () => {
    const r = reconstructAs4(c.attrs);
    assert.deepEqual(r.asPath, c.asPath);
    if (c.aggregator) assert.deepEqual(r.aggregator, c.aggregator);
  });
}

test('path length counts sequences per AS, a set as one, confederation segments as none (RFC 4271 §9.1.2.2, RFC 5065 §5.3)', () => {
  assert.equal(asPathLength([seq(1, 2, 3), set(4, 5), { type: 3, asns: [6, 7] }, { type: 4, asns: [8] }]), 4);
});

test('from the wire: a 2-octet UPDATE with AS_PATH [65001, AS_TRANS] and AS4_PATH [4200000000]', () => {
  const bytes = hex(`${M} 0034 02  0000 001d  40 01 01 00  40 02 06 02 02 fde9 5ba0  40 03 04 c0000201  c0 11 06 02 01 fa56ea00`);
  const m = decodeMessage(bytes, 0, { fourOctetAs: false });
  assert.ok(m.kind === 'update');
  assert.deepEqual(reconstructAs4(m.update.attributes).asPath, [seq(65001, 4200000000)]);
});
