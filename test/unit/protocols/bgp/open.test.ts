import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeOpen, peerAs, type OpenMessage } from '../../../../src/protocols/bgp';
import { hex, M } from './malformedCases';

function open(bytes: string): OpenMessage {
  const m = decodeMessage(hex(bytes), 0, { fourOctetAs: false });
  assert.equal(m.kind, 'open');
  return (m as { open: OpenMessage }).open;
}

// RFC 4271 §4.2: version, My AS, Hold Time, BGP Identifier, Opt Parm Len, parameters;
// RFC 5492 §4: parameter type 2 holds capabilities as code, length, value.
const cases: { name: string; rfc: string; bytes: string; expect: Partial<OpenMessage>; asn: number }[] = [
  {
    name: 'no optional parameters', rfc: 'RFC 4271 §4.2',
    bytes: `${M} 001d 01  04 fde8 00b4 c0000201 00`,
    expect: { version: 4, myAs: 65000, holdTime: 180, bgpId: '192.0.2.1', capabilities: [] }, asn: 65000,
  },
  {
    name: 'multiprotocol IPv4+IPv6 unicast, route refresh, 4-octet AS', rfc: 'RFC 4760 §8, RFC 2918 §2, RFC 6793 §3',
    bytes: `${M} 0033 01  04 5ba0 005a c6336401 16  02 14  01 04 0001 00 01  01 04 0002 00 01  02 00  41 04 fa56ea00`,
    expect: {
      myAs: 23456, holdTime: 90, bgpId: '198.51.100.1',
      capabilities: [
        { kind: 'multiprotocol', afi: 1, safi: 1 }, { kind: 'multiprotocol', afi: 2, safi: 1 },
        { kind: 'route-refresh' }, { kind: 'four-octet-as', asn: 4200000000 },
      ],
    },
    asn: 4200000000,
  },
  {
    name: 'graceful restart with R and N bits, restart time 120, IPv4 unicast forwarding preserved', rfc: 'RFC 4724 §3, RFC 8538 §2',
    bytes: `${M} 0027 01  04 fde9 0000 c0000202 0a  02 08  40 06 c078 0001 01 80`,
    expect: {
      holdTime: 0,
      capabilities: [{ kind: 'graceful-restart', restarting: true, notification: true, restartTime: 120, families: [{ afi: 1, safi: 1, forwardingPreserved: true }] }],
    },
    asn: 65001,
  },
  {
    name: 'an unknown capability (code 73, FQDN) kept as bytes, capabilities split over two parameters', rfc: 'RFC 5492 §4',
    bytes: `${M} 0027 01  04 fde9 005a c0000202 0a  02 02 02 00  02 04 49 02 6869`,
    expect: { capabilities: [{ kind: 'route-refresh' }, { kind: 'unknown', code: 73, value: hex('6869') }] },
    asn: 65001,
  },
  {
    name: 'extended optional parameters (RFC 9072) with one capability', rfc: 'RFC 9072 §2',
    bytes: `${M} 0025 01  04 fde9 005a c0000202 ff ff 0005  02 0002 02 00`,
    expect: { capabilities: [{ kind: 'route-refresh' }] },
    asn: 65001,
  },
];

for (const c of cases) {
  test(`OPEN with ${c.name} decodes (${c.rfc})`, () => {
    const o = open(c.bytes);
    for (const [k, v] of Object.entries(c.expect)) assert.deepEqual(o[k as keyof OpenMessage], v, k);
    assert.equal(peerAs(o), c.asn);
  });
}

test('OPEN encodes byte for byte as the RFC layout (one Capabilities parameter) and round-trips', () => {
  const bytes = encodeOpen({
    myAs: 23456, holdTime: 90, bgpId: '198.51.100.1',
    capabilities: [{ kind: 'multiprotocol', afi: 1, safi: 1 }, { kind: 'multiprotocol', afi: 2, safi: 1 }, { kind: 'route-refresh' }, { kind: 'four-octet-as', asn: 4200000000 }],
  });
  assert.equal(Buffer.from(bytes).toString('hex'), hex(`${M} 0033 01  04 5ba0 005a c6336401 16  02 14  01 04 0001 00 01  01 04 0002 00 01  02 00  41 04 fa56ea00`).reduce((t, b) => t + b.toString(16).padStart(2, '0'), ''));
  const gr = { kind: 'graceful-restart' as const, restarting: false, notification: true, restartTime: 300, families: [{ afi: 2, safi: 1, forwardingPreserved: false }] };
  const again = decodeMessage(encodeOpen({ myAs: 65001, holdTime: 3, bgpId: '192.0.2.9', capabilities: [gr, { kind: 'unknown', code: 200, value: hex('0102') }] }), 0, { fourOctetAs: true });
  assert.ok(again.kind === 'open');
  assert.deepEqual(again.open.capabilities, [gr, { kind: 'unknown', code: 200, value: hex('0102') }]);
  assert.equal(again.open.holdTime, 3);
});

test('OPEN with more than 255 octets of capabilities uses RFC 9072 extended parameters and round-trips', () => {
  const caps = Array.from({ length: 70 }, (_, i) => ({ kind: 'unknown' as const, code: 128 + (i % 100), value: hex('aabb') }));
  const bytes = encodeOpen({ myAs: 65001, holdTime: 90, bgpId: '192.0.2.9', capabilities: caps });
  assert.equal(bytes[19 + 9], 255);
  assert.equal(bytes[19 + 10], 255);
  const m = decodeMessage(bytes, 0, { fourOctetAs: true });
  assert.ok(m.kind === 'open');
  assert.equal(m.open.capabilities.length, 70);
});
