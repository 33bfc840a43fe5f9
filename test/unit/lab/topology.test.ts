import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTopology, parseTopology } from '../../../src/lab/topology';
import { TopologyError } from '../../../src/lab/topologyError';
import { nodeRoles } from '../../../src/lab/nodeRoles';
import { repoRoot } from '../../helpers/corpus';
import { badTopologies } from './badTopologies';

test('lab/netgo.clab.yml reads as the book lab: six nodes, six links, addresses in exec, FRR and sFlow roles from binds', () => {
  const t = loadTopology(path.join(repoRoot, 'lab', 'netgo.clab.yml'));
  assert.equal(t.name, 'netgo');
  assert.deepEqual(t.nodes.map((n) => n.name), ['r1', 'r2', 'r3', 'host-1', 'host-2', 'host-3']);
  assert.equal(t.links.length, 6);
  const byName = new Map(t.nodes.map((n) => [n.name, n]));
  assert.deepEqual(byName.get('r2')!.interfaces, ['eth1', 'eth2', 'eth3', 'eth4']);
  assert.deepEqual(byName.get('host-3')!.exec.map((e) => e.argv), [
    ['ip', 'addr', 'add', '203.0.113.254/25', 'dev', 'eth1'],
    ['ip', 'addr', 'add', '203.0.113.253/25', 'dev', 'eth1'],
    ['ip', 'addr', 'add', '203.0.113.252/25', 'dev', 'eth1'],
    ['ip', 'addr', 'add', '203.0.113.251/25', 'dev', 'eth1'],
    ['ip', 'route', 'add', '203.0.113.0/24', 'via', '203.0.113.129'],
  ]);
  assert.equal(byName.get('r1')!.image, 'quay.io/frrouting/frr:8.4.4', 'routers take the image of kinds.linux');
  assert.equal(byName.get('host-1')!.image, 'ghcr.io/srl-labs/network-multitool');
  for (const r of ['r1', 'r2', 'r3']) assert.deepEqual(nodeRoles(byName.get(r)!).frr?.daemons, ['zebra', 'bgpd']);
  assert.equal(nodeRoles(byName.get('r3')!).sflow?.samplingRate, 10);
  assert.deepEqual(byName.get('r1')!.sysctls, { 'net.ipv4.ip_forward': '1' });
  assert.equal(nodeRoles(byName.get('host-2')!).frr, undefined);
  assert.equal(byName.get('host-1')!.position.line, 46, 'nodes keep their place in the file');
});

test('extended links, kinds and defaults: node over kind over defaults, binds merged by target', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'labtel-topo-'));
  try {
    writeFileSync(path.join(dir, 'a.conf'), '');
    writeFileSync(path.join(dir, 'b.conf'), '');
    const t = parseTopology(`name: ext
topology:
  defaults:
    kind: linux
    env: {A: "1"}
  kinds:
    linux:
      image: img:kind
      binds: [a.conf:/etc/x.conf]
  nodes:
    n1:
      image: img:node
      binds: [b.conf:/etc/x.conf]
      env: {B: 2}
    n2: {}
  links:
    - type: veth
      mtu: 9000
      endpoints:
        - node: n1
          interface: e1-1
          mac: 02:00:00:00:00:01
        - {node: n2, interface: e1-1}
    - endpoints: ["n1:e1-2", "n2:e1-2"]
`, 'ext.clab.yml', dir);
    const [n1, n2] = t.nodes;
    assert.equal(n1!.kind, 'linux');
    assert.equal(n1!.image, 'img:node');
    assert.equal(n2!.image, 'img:kind');
    assert.deepEqual(n1!.binds.map((b) => b.source), [path.join(dir, 'b.conf')]);
    assert.deepEqual(n1!.env, { A: '1', B: '2' });
    assert.equal(t.links[0]!.mtu, 9000);
    assert.equal(t.links[0]!.endpoints[0].mac, '02:00:00:00:00:01');
    assert.deepEqual(n2!.interfaces, ['e1-1', 'e1-2']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const bad of badTopologies) {
  test(`bad topology — ${bad.mistake}: one error naming file:${bad.line}:${bad.column}`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'labtel-topo-'));
    try {
      const file = path.join(dir, 'bad.clab.yml');
      writeFileSync(file, bad.yaml);
      assert.throws(() => loadTopology(file), (err: unknown) => {
        assert.ok(err instanceof TopologyError, `expected a TopologyError, got ${String(err)}`);
        assert.equal(`${err.position.line}:${err.position.column}`, `${bad.line}:${bad.column}`, err.message);
        assert.match(err.message, bad.message);
        assert.ok(err.message.startsWith(`${file}:${bad.line}:${bad.column}: `), err.message);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
