import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import { parseLabOptions } from '../../../src/cli/commands/lab';
import { renderStatus } from '../../../src/cli/commands/lab';
import { repoRoot } from '../../helpers/corpus';

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => { out.push(a.join(' ')); };
  console.error = (...a: unknown[]) => { err.push(a.join(' ')); };
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test('lab options: -t and --backend are taken anywhere before "--", the rest is kept in order', () => {
  const o = parseLabOptions(['exec', '-t', 'x.clab.yml', 'r1', '--backend', 'containerlab', '--', 'ping', '-t', '5']);
  assert.equal(o.topologyFile, 'x.clab.yml');
  assert.equal(o.backend, 'containerlab');
  assert.deepEqual(o.rest, ['exec', 'r1', '--', 'ping', '-t', '5']);
  assert.equal(parseLabOptions([]).topologyFile, 'lab/netgo.clab.yml');
});

test('labtel lab usage mistakes exit 2 with the usage', async () => {
  const topo = path.join(repoRoot, 'lab', 'netgo.clab.yml');
  for (const argv of [['lab'], ['lab', 'sideways'], ['lab', 'up', '--backend', 'vm'], ['lab', '-t', topo, 'exec', 'r1'], ['lab', '-t', topo, 'exec', '--', 'true'], ['traffic', '-t', topo, 'pause']]) {
    const r = await capture(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.err, /usage: labtel (lab|traffic)/, argv.join(' '));
  }
});

test('labtel lab exec on a node the topology does not have names the nodes there are', async () => {
  const r = await capture(['lab', '-t', path.join(repoRoot, 'lab', 'netgo.clab.yml'), 'exec', 'r9', '--', 'true']);
  assert.equal(r.code, 1);
  assert.match(r.err, /no node "r9" in lab netgo .* its nodes are: r1, r2, r3, host-1, host-2, host-3/);
});

test('status table: nodes with state, role and addresses; host sessions marked as waiting for an agent', () => {
  const text = renderStatus({
    lab: 'netgo', backend: 'netns', deployed: true, stateDir: '/run/labtel/netgo',
    nodes: [
      { name: 'r1', kind: 'linux', state: 'running', namespace: 'clab-netgo-r1', namespacePath: '/run/netns/clab-netgo-r1', roles: ['frr'], processes: [], interfaces: [{ name: 'eth1', up: true, addresses: ['192.0.2.0/31'] }] },
      { name: 'host-1', kind: 'linux', state: 'absent', namespace: 'clab-netgo-host-1', namespacePath: '/run/netns/clab-netgo-host-1', roles: [], processes: [], interfaces: [] },
    ],
  }, [
    { node: 'r1', peer: '192.0.2.1', peerNode: 'r2', remoteAs: 65001, state: 'Established', description: 'r2', addressFamily: 'ipv4Unicast', betweenRouters: true },
    { node: 'r1', peer: '203.0.113.0', peerNode: 'host-1', remoteAs: 65003, state: 'Active', description: 'host-1', addressFamily: 'ipv4Unicast', betweenRouters: false },
  ]);
  assert.match(text, /^r1 +running +frr +eth1 192\.0\.2\.0\/31$/m);
  assert.match(text, /^host-1 +absent +host +-$/m);
  assert.match(text, /^r1 +192\.0\.2\.1 +r2 +65001 +Established$/m);
  assert.match(text, /^r1 +203\.0\.113\.0 +host-1 +65003 +Active \(waits for a BGP agent on the host\)$/m);
});
