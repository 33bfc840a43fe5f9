// Acceptance of the netgo lab in real namespaces (issue 5): `labtel lab up` on lab/netgo.clab.yml, BGP,
// reachability, the path, sFlow from r3 to host-2 with the traffic profile running, status, exec,
// idempotence, and `labtel lab down` leaving the host as it was. One deployed lab serves the whole file.
import { after, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import { bgpSessions } from '../../../src/lab/bgpStatus';
import { ContainerlabBackend } from '../../../src/lab/containerlabBackend';
import { execOutput } from '../../../src/lab/execOutput';
import { defaultStateRoot, readLabState } from '../../../src/lab/labState';
import { NetnsBackend } from '../../../src/lab/netnsBackend';
import { loadTopology } from '../../../src/lab/topology';
import { repoRoot } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';
import { namespaceInodes, takeSnapshot, type HostSnapshot } from './hostSnapshot';

const topologyFile = path.join(repoRoot, 'lab', 'netgo.clab.yml');
const lab = new NetnsBackend(loadTopology(topologyFile));
const stateRoot = defaultStateRoot();
const tools = ['ip', 'vtysh', 'pmacctd', 'iperf3', 'tcpdump', 'tshark', 'traceroute', 'ping'];
const work = mkdtempSync(path.join(tmpdir(), 'labtel-netgo-'));

let before: HostSnapshot | undefined;
let upSeconds: number | undefined;
let inodes = new Set<string>();
let deployedHere = false;

async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => { out.push(a.join(' ')); };
  try {
    return { code: await main(argv), out: out.join('\n') };
  } finally {
    console.log = log;
  }
}

function needLab(t: TestContext): boolean {
  if (!requirePrereqs(t, { root: true, tools })) return false;
  assert.ok(deployedHere, 'the lab did not come up in the first test');
  return true;
}

/**
 * Waits (up to 20 s) until r3 routes to host-1 and host-2 over its first link to r2. Sessions being
 * Established is not enough: for a moment after lab up r3 may have only the second link's routes (local
 * preference 50), and one CI run tracerouted then.
 */
async function waitForFirstLink(): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const routes = await Promise.all(['203.0.113.0', '203.0.113.2'].map((to) => execOutput(lab, 'r3', ['ip', 'route', 'get', to])));
    if (routes.every((r) => / via 192\.0\.2\.2 /.test(r.stdout)) || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('netgo in network namespaces (labtel lab up / down)', () => {
  after(async () => {
    if (deployedHere && existsSync(lab.stateDir)) await lab.destroy().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  test('labtel lab up: every BGP session between two routers is Established within 30 s (vtysh JSON)', async (t) => {
    if (!requirePrereqs(t, { root: true, tools })) return;
    assert.equal(readLabState(lab.stateDir), undefined, `a netgo lab is already up (${lab.stateDir}): "labtel lab down" it before running this test`);
    before = takeSnapshot('netgo', stateRoot);
    const started = performance.now();
    deployedHere = true;
    const r = await cli(['lab', 'up', '-t', topologyFile, '--timeout', '30']);
    upSeconds = (performance.now() - started) / 1000;
    assert.equal(r.code, 0, r.out);
    inodes = namespaceInodes('netgo');
    // The snapshot sees the lab while it is up (so its equality after down means something).
    const during = takeSnapshot('netgo', stateRoot);
    assert.equal(during.netns.length, 6);
    assert.ok(during.processes.length >= 7, `zebra×3, bgpd×3, pmacctd (+ plugin): ${during.processes.join('\n')}`);
    assert.ok(during.stateFiles.includes('netgo/state.json'));
    // Re-read the JSON here rather than trusting the CLI's wait: r1–r2, r2–r3 twice, each seen from both ends.
    const sessions = await bgpSessions(lab);
    const routers = sessions.filter((s) => s.betweenRouters);
    assert.deepEqual(routers.map((s) => `${s.node}>${s.peerNode} ${s.state}`).sort(), [
      'r1>r2 Established', 'r2>r1 Established', 'r2>r3 Established', 'r2>r3 Established', 'r3>r2 Established', 'r3>r2 Established',
    ]);
    // The sessions towards the hosts exist and wait for a BGP agent (bgp-ping) there.
    assert.deepEqual(sessions.filter((s) => !s.betweenRouters).map((s) => `${s.node}>${s.peer} AS${s.remoteAs}`).sort(), [
      'r1>203.0.113.0 AS65003', 'r2>203.0.113.2 AS65004', 'r3>203.0.113.254 AS65005',
    ]);
    assert.ok(upSeconds < 30, `up to Established took ${upSeconds} s`);
    t.diagnostic(`lab up to router sessions Established: ${upSeconds.toFixed(2)} s`);
  });

  test('host-1 pings all four host-3 addresses', async (t) => {
    if (!needLab(t)) return;
    for (const address of ['203.0.113.254', '203.0.113.253', '203.0.113.252', '203.0.113.251']) {
      // Routes follow Established within moments; allow them a few seconds to be installed.
      const deadline = Date.now() + 10_000;
      let r = await execOutput(lab, 'host-1', ['ping', '-c', '1', '-W', '1', address]);
      while (r.code !== 0 && Date.now() < deadline) r = await execOutput(lab, 'host-1', ['ping', '-c', '1', '-W', '1', address]);
      assert.equal(r.code, 0, `ping ${address}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /1 received/);
    }
  });

  test('traceroute from host-1 to host-3 follows r1, r2, r3 (the first r2–r3 link)', async (t) => {
    if (!needLab(t)) return;
    await waitForFirstLink();
    const info = await lab.inspect();
    const owner = new Map(info.nodes.flatMap((n) => n.interfaces.flatMap((i) => i.addresses.map((a) => [a.split('/')[0]!, n.name] as const))));
    const r = await execOutput(lab, 'host-1', ['traceroute', '-n', '-q', '1', '-w', '1', '-m', '6', '203.0.113.253']);
    assert.equal(r.code, 0, r.stderr);
    const hops = r.stdout.split('\n').slice(1).map((l) => /^\s*\d+\s+(\S+)/.exec(l)?.[1]).filter((h): h is string => h !== undefined);
    assert.deepEqual(hops.map((h) => owner.get(h) ?? h), ['r1', 'r2', 'r3', 'host-3'], r.stdout);
    assert.equal(hops[2], '192.0.2.3', 'r3 answers from its first link to r2, the sampled one');
  });

  test('with the traffic profile running, host-2 receives sFlow v5 from r3 whose sampled headers hold the three flows', async (t) => {
    if (!needLab(t)) return;
    await waitForFirstLink();
    const pcap = path.join(work, 'sflow.pcap');
    const capture = lab.exec('host-2', ['tcpdump', '-i', 'eth1', '-U', '-n', '-w', pcap, 'udp', 'port', '6343'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let captureLog = '';
    capture.stderr?.on('data', (b: Buffer) => { captureLog += b.toString(); });
    const deadline = Date.now() + 5000;
    while (!captureLog.includes('listening on') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const start = await cli(['traffic', '-t', topologyFile, 'start', '--duration', '10']);
    assert.equal(start.code, 0, start.out);
    await new Promise((r) => setTimeout(r, 5000));
    capture.kill('SIGINT');
    await new Promise((r) => capture.once('close', r));
    const stop = await cli(['traffic', '-t', topologyFile, 'stop']);
    assert.equal(stop.code, 0);
    assert.match(stop.out, /traffic stopped/);

    const fields = execFileSync('tshark', ['-r', pcap, '-d', 'udp.port==6343,sflow', '-T', 'fields', '-E', 'occurrence=a', '-E', 'separator=;',
      '-e', 'sflow_245.version', '-e', 'sflow_245.agent', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'udp.dstport'], { encoding: 'utf8' });
    const datagrams = fields.trim().split('\n').filter(Boolean).map((l) => l.split(';'));
    assert.ok(datagrams.length >= 3, `only ${datagrams.length} sFlow datagrams in 5 s`);
    const innerDestinations = new Map<string, number>();
    for (const [version, agent, srcs, dsts] of datagrams) {
      assert.equal(version, '5');
      assert.equal(agent, '198.51.100.2', 'agent address is r3');
      const [outerSrc, ...innerSrc] = srcs!.split(',');
      const [outerDst, ...innerDst] = dsts!.split(',');
      assert.equal(outerSrc, '192.0.2.3', 'exported by r3 over its first link');
      assert.equal(outerDst, '203.0.113.2');
      innerDst.forEach((d, i) => { if (innerSrc[i] === '203.0.113.0') innerDestinations.set(d, (innerDestinations.get(d) ?? 0) + 1); });
    }
    for (const flow of ['203.0.113.253', '203.0.113.252', '203.0.113.251']) {
      assert.ok((innerDestinations.get(flow) ?? 0) > 0, `no sampled header of host-1 → ${flow}: ${JSON.stringify([...innerDestinations])}`);
    }
    // Rates 900K > 600K > 400K: the samples should rank the flows the same way (±noise allowed: only the extremes).
    assert.ok(innerDestinations.get('203.0.113.253')! > innerDestinations.get('203.0.113.251')!, JSON.stringify([...innerDestinations]));
  });

  test('labtel lab status prints nodes, state, addresses and BGP session states', async (t) => {
    if (!needLab(t)) return;
    const r = await cli(['lab', 'status', '-t', topologyFile]);
    assert.equal(r.code, 0);
    assert.match(r.out, /^r3 +running +frr\+sflow +lo 198\.51\.100\.2\/32, eth1 192\.0\.2\.3\/31, eth2 192\.0\.2\.5\/31, eth3 203\.0\.113\.129\/25$/m);
    assert.match(r.out, /^host-3 +running +host +eth1 203\.0\.113\.254\/25 203\.0\.113\.253\/25 203\.0\.113\.252\/25 203\.0\.113\.251\/25$/m);
    assert.match(r.out, /^r1 +192\.0\.2\.1 +r2 +65001 +Established$/m);
    assert.match(r.out, /^r2 +203\.0\.113\.2 +host-2 +65004 +(Active|Connect|Idle) \(waits for a BGP agent on the host\)$/m);
  });

  test('lab exec runs argv inside the node namespace and returns its exit code; unknown nodes are refused', async (t) => {
    if (!needLab(t)) return;
    const r = await execOutput(lab, 'host-2', ['ip', '-j', 'addr', 'show', 'eth1']);
    assert.match(r.stdout, /"local":"203\.0\.113\.2"/);
    assert.equal((await cli(['lab', '-t', topologyFile, 'exec', 'host-1', '--', 'true'])).code, 0);
    assert.equal((await cli(['lab', '-t', topologyFile, 'exec', 'host-1', '--', 'ping', '-c', '1', '-W', '1', '203.0.113.250'])).code, 1, 'ping without a reply exits 1');
    assert.throws(() => lab.exec('host-4', ['true']), /no node "host-4"/);
    // The namespaces are named as containerlab names its containers: the containerlab backend's exec
    // (host tools in clab-<lab>-<node>) reaches the same node.
    const viaClab = await execOutput(new ContainerlabBackend(lab.topology), 'host-3', ['ip', '-j', 'addr', 'show', 'eth1']);
    assert.match(viaClab.stdout, /"local":"203\.0\.113\.251"/);
    const vty = await execOutput(lab, 'r1', ['vtysh', '-c', 'show bgp summary json']);
    assert.match(vty.stdout, /"routerId":"198\.51\.100\.0"/, 'vtysh reaches the node\'s own FRR');
  });

  test('lab up again is idempotent: the running lab is kept, same processes', async (t) => {
    if (!needLab(t)) return;
    const pids = readLabState(lab.stateDir)!.processes.map((p) => p.pid);
    const r = await cli(['lab', 'up', '-t', topologyFile]);
    assert.equal(r.code, 0);
    assert.match(r.out, /already up/);
    assert.deepEqual(readLabState(lab.stateDir)!.processes.map((p) => p.pid), pids);
  });

  test('labtel lab down leaves ip netns list, ip link, the process table and the state folder as before up', async (t) => {
    if (!needLab(t)) return;
    const r = await cli(['lab', 'down', '-t', topologyFile]);
    assert.equal(r.code, 0);
    deployedHere = false;
    assert.deepEqual(takeSnapshot('netgo', stateRoot, inodes), before);
  });
});
