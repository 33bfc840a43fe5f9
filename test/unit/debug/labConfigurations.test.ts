// The launch configurations the netgo lab offers, checked against the book's roles as the demo runs
// them (src/cli/commands/demo.ts) and the collector address r3's pmacctd exports to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { labHostConfigurations, labLaunchConfigurations } from '../../../src/debug/labConfigurations';
import { agentsIn } from '../../../src/debug/runtime/nodeAgents';
import { loadTopology } from '../../../src/lab/topology';
import { repoRoot } from '../../helpers/corpus';

const configs = labLaunchConfigurations(loadTopology(path.join(repoRoot, 'lab', 'netgo.clab.yml')));
const byName = new Map(configs.map((c) => [c.name, c]));

test('netgo offers top-talkers and capture where r3 exports sFlow, and bgp-ping on each host', () => {
  assert.deepEqual(configs.map((c) => c.name), [
    'labtel: top-talkers on host-2',
    'labtel: capture on host-2',
    'labtel: bgp-ping responder on host-1',
    'labtel: bgp-ping prober on host-2',
    'labtel: bgp-ping responder on host-3',
  ]);
  for (const c of configs) assert.deepEqual([c.type, c.request, c.topology, c.stopOnEntry], ['labtel', 'launch', 'lab/netgo.clab.yml', false]);
});

test('top-talkers listens where pmacctd sends (sfprobe_receiver 203.0.113.2:6343); capture taps eth1 for it', () => {
  assert.deepEqual(byName.get('labtel: top-talkers on host-2')!.args, ['--listen', '203.0.113.2:6343']);
  assert.deepEqual(byName.get('labtel: capture on host-2')!.args, ['--intf', 'eth1', '--filter', 'udp port 6343']);
});

// The demo's bgpPingRoles, flag for flag (in another order).
const book: Array<[string, string[]]> = [
  ['labtel: bgp-ping responder on host-1', ['-id', 'host-1', '-nlri', '100.64.0.0', '-laddr', '203.0.113.0', '-raddr', '203.0.113.1', '-las', '65003', '-ras', '65000', '-p']],
  ['labtel: bgp-ping prober on host-2', ['-id', 'host-2', '-nlri', '100.64.0.1', '-laddr', '203.0.113.2', '-raddr', '203.0.113.3', '-las', '65004', '-ras', '65001', '-i', '2s']],
  ['labtel: bgp-ping responder on host-3', ['-id', 'host-3', '-nlri', '100.64.0.2', '-laddr', '203.0.113.254', '-raddr', '203.0.113.129', '-las', '65005', '-ras', '65002', '-p']],
];
for (const [name, args] of book) {
  test(`${name} has the book's flags, read from the routers' frr.conf`, () => {
    assert.deepEqual(byName.get(name)!.args, args);
  });
}

test('of a node\'s processes, the attach list keeps node programs, with a fixed inspector port when they have one', () => {
  const agents = agentsIn([
    { pid: 40, argv: ['/usr/bin/node', '/ws/dist/agents/top-talkers.js', '--listen', '203.0.113.2:6343'] },
    { pid: 41, argv: ['node', '--inspect=127.0.0.1:9230', '--enable-source-maps', '/ws/dist/agents/capture.js', '--intf', 'eth1'] },
    { pid: 42, argv: ['node', '--inspect-brk=127.0.0.1:0', '/ws/dist/agents/bgp-ping.js', '-p'] },
    { pid: 43, argv: ['node', '-e', '// labtel relay'] },
    { pid: 44, argv: ['iperf3', '-s'] },
    { pid: 45, argv: ['/usr/lib/frr/bgpd', '-d'] },
  ]);
  assert.deepEqual(agents, [
    { pid: 40, script: '/ws/dist/agents/top-talkers.js', args: ['--listen', '203.0.113.2:6343'], inspectorPort: undefined },
    { pid: 41, script: '/ws/dist/agents/capture.js', args: ['--intf', 'eth1'], inspectorPort: 9230 },
    { pid: 42, script: '/ws/dist/agents/bgp-ping.js', args: ['-p'], inspectorPort: undefined },
  ]);
});

test('each lab host offers the same configurations, named for the host and carrying labHost', () => {
  const onHosts = labHostConfigurations(configs, ['labhost', 'lab2']);
  assert.equal(onHosts.length, configs.length * 2);
  assert.deepEqual(onHosts.slice(0, 2).map((c) => [c.name, c.labHost, c.agent, c.node, c.args]), [
    ['labtel: top-talkers on host-2 @ labhost', 'labhost', 'top-talkers', 'host-2', ['--listen', '203.0.113.2:6343']],
    ['labtel: capture on host-2 @ labhost', 'labhost', 'capture', 'host-2', ['--intf', 'eth1', '--filter', 'udp port 6343']],
  ]);
  assert.ok(configs.every((c) => c.labHost === undefined), 'this machine\'s configurations name no host');
});
