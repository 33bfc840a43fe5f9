import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { agentPresets, presetsFor } from '../../../../src/agents/client/agentPresets';
import { bgpSpeakerSlots, sflowReceivers } from '../../../../src/lab/telemetryPlan';
import { loadTopology } from '../../../../src/lab/topology';
import { repoRoot } from '../../../helpers/corpus';

const netgo = loadTopology(path.join(repoRoot, 'lab', 'netgo.clab.yml'));

// The book's bgp-ping targets for its lab (ch10 bgp-ping's targets.mk), with netgo's documentation addresses.
const bookRoles: Array<[node: string, args: string[]]> = [
  ['host-1', ['-id', 'host-1', '-nlri', '100.64.0.0', '-laddr', '203.0.113.0', '-raddr', '203.0.113.1', '-las', '65003', '-ras', '65000', '-p']],
  ['host-2', ['-id', 'host-2', '-nlri', '100.64.0.1', '-laddr', '203.0.113.2', '-raddr', '203.0.113.3', '-las', '65004', '-ras', '65001', '-i', '2s']],
  ['host-3', ['-id', 'host-3', '-nlri', '100.64.0.2', '-laddr', '203.0.113.254', '-raddr', '203.0.113.129', '-las', '65005', '-ras', '65002', '-p']],
];

for (const [node, args] of bookRoles) {
  test(`presets: bgp-ping on ${node} gets the book's flags, read from the routers' frr.conf and the hosts' exec`, () => {
    const [preset, ...more] = presetsFor(netgo, 'bgp-ping', node);
    assert.equal(more.length, 0);
    assert.deepEqual(preset!.args, args);
  });
}

test('presets: the prober is the sFlow receiver\'s node; the other hosts answer', () => {
  const roles = presetsFor(netgo, 'bgp-ping').map((p) => `${p.node}:${p.role}:${p.peer}`);
  assert.deepEqual(roles, ['host-1:responder:r1', 'host-2:prober:r2', 'host-3:responder:r3']);
});

test('presets: top-talkers and capture run where r3 sends its sFlow (pmacctd.conf sfprobe_receiver)', () => {
  assert.deepEqual(sflowReceivers(netgo), [{ exporter: 'r3', node: 'host-2', address: '203.0.113.2', port: 6343 }]);
  assert.deepEqual(presetsFor(netgo, 'top-talkers').map((p) => [p.node, p.args]), [['host-2', ['--listen', '203.0.113.2:6343']]]);
  assert.deepEqual(presetsFor(netgo, 'capture').map((p) => [p.node, p.args]), [['host-2', ['--intf', 'eth1', '--filter', 'udp port 6343']]]);
});

test('presets: only the host address a router peers with is a BGP slot (host-3 has four, r3 knows .254)', () => {
  assert.deepEqual(bgpSpeakerSlots(netgo).map((s) => `${s.node} ${s.address} AS${s.asn} → ${s.router} ${s.routerAddress} AS${s.routerAsn}`), [
    'host-1 203.0.113.0 AS65003 → r1 203.0.113.1 AS65000',
    'host-2 203.0.113.2 AS65004 → r2 203.0.113.3 AS65001',
    'host-3 203.0.113.254 AS65005 → r3 203.0.113.129 AS65002',
  ]);
  assert.equal(agentPresets(netgo).length, 5);
});
