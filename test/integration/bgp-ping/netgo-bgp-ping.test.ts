// Acceptance of bgp-ping in the embedded lab (issue 7): the prober on host-2 and responders on host-1
// and host-3, run with the book's flags through the backend's exec, real FRR routers between them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { waitForRouterSessions } from '../../../src/lab/bgpStatus';
import { execOutput } from '../../../src/lab/execOutput';
import { readLabState } from '../../../src/lab/labState';
import { NetnsBackend } from '../../../src/lab/netnsBackend';
import { loadTopology } from '../../../src/lab/topology';
import { AgentProcess, agentBundle } from '../../helpers/agentProcess';
import { repoRoot } from '../../helpers/corpus';

const lab = new NetnsBackend(loadTopology(path.join(repoRoot, 'lab', 'netgo.clab.yml')));
const agents: AgentProcess[] = [];
let prober: AgentProcess;
let labUp = 0;

function start(node: string, args: string[]): AgentProcess {
  const a = new AgentProcess(lab.exec(node, [process.execPath, agentBundle('bgp-ping'), ...args, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  agents.push(a);
  return a;
}

describe('bgp-ping in the netgo lab', () => {
  before(async () => {
    assert.equal(process.getuid?.(), 0, 'these tests run as root (namespaces, FRR)');
    assert.equal(readLabState(lab.stateDir), undefined, `a netgo lab is already up (${lab.stateDir}): "labtel lab down" it first`);
    await lab.deploy();
    labUp = Date.now();
    await waitForRouterSessions(lab, 30_000);
    // The book's lab (ch10/bgp-ping targets.mk): responders on host-1 and host-3, the prober on host-2.
    start('host-1', ['-id', 'host-1', '-nlri', '100.64.0.0', '-laddr', '203.0.113.0', '-raddr', '203.0.113.1', '-las', '65003', '-ras', '65000', '-p', '--metrics', '203.0.113.0:9101']);
    start('host-3', ['-id', 'host-3', '-nlri', '100.64.0.2', '-laddr', '203.0.113.254', '-raddr', '203.0.113.129', '-las', '65005', '-ras', '65002', '-p']);
    prober = start('host-2', ['-id', 'host-2', '-nlri', '100.64.0.1', '-laddr', '203.0.113.2', '-raddr', '203.0.113.3', '-las', '65004', '-ras', '65001', '-i', '2s', '--metrics', '203.0.113.2:9101']);
  });

  after(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    if (existsSync(lab.stateDir)) await lab.destroy();
  });

  test('within 30 s of lab up the prober reports RTTs from both responders, through r2–r1 and r2–r3', async (t) => {
    const remaining = () => Math.max(1000, 30_000 - (Date.now() - labUp));
    const h1 = await prober.waitFor('rtt', (e) => e.responder === 'host-1', remaining());
    const h3 = await prober.waitFor('rtt', (e) => e.responder === 'host-3', remaining());
    t.diagnostic(`first RTTs: host-1 ${h1.rttMs.toFixed(2)} ms, host-3 ${h3.rttMs.toFixed(2)} ms, ${((Date.now() - labUp) / 1000).toFixed(1)} s after lab up`);
    assert.ok(h1.rttMs > 0 && h1.rttMs < 10_000);
    assert.ok(h3.rttMs > 0 && h3.rttMs < 10_000);
  });

  test('every probe is answered by both responders (no lost probe once both were heard)', async () => {
    // Two more rounds after both responders are known.
    const seqs = () => new Set(prober.of('rtt').map((e) => e.seq));
    const firstBoth = Math.max(...['host-1', 'host-3'].map((r) => prober.of('rtt').find((e) => e.responder === r)!.seq));
    await prober.waitFor('rtt', (e) => e.seq >= firstBoth + 2 && e.responder === 'host-3', 15_000);
    await prober.waitFor('rtt', (e) => e.seq >= firstBoth + 2 && e.responder === 'host-1', 5_000);
    for (const seq of [...seqs()].filter((s) => s >= firstBoth)) {
      const who = prober.of('rtt').filter((e) => e.seq === seq).map((e) => e.responder).sort();
      if (seq <= firstBoth + 2) assert.deepEqual(who, ['host-1', 'host-3'], `probe ${seq}`);
    }
    assert.deepEqual(prober.of('lost').filter((l) => l.seq >= firstBoth), []);
  });

  test('/metrics exposes the RTT histogram per responder', async () => {
    const r = await execOutput(lab, 'host-2', [process.execPath, '-e', 'fetch("http://203.0.113.2:9101/metrics").then(r => r.text()).then(t => process.stdout.write(t))']);
    assert.equal(r.code, 0, r.stderr);
    for (const responder of ['host-1', 'host-3']) {
      assert.match(r.stdout, new RegExp(`^bgp_ping_rtt_seconds_bucket\\{le="0.0001",responder="${responder}"\\} \\d+$`, 'm'));
      assert.match(r.stdout, new RegExp(`^bgp_ping_rtt_seconds_count\\{responder="${responder}"\\} [1-9]\\d*$`, 'm'));
    }
    assert.match(r.stdout, /^bgp_ping_session_state\{peer="203\.0\.113\.3"\} 5$/m);
  });

  test('a responder\'s /metrics counts its replies per prober and how long it held each probe', async () => {
    const r = await execOutput(lab, 'host-1', [process.execPath, '-e', 'fetch("http://203.0.113.0:9101/metrics").then(r => r.text()).then(t => process.stdout.write(t))']);
    assert.equal(r.code, 0, r.stderr);
    const replies = Number(/^bgp_ping_replies_sent_total\{prober="host-2"\} (\d+)$/m.exec(r.stdout)?.[1]);
    const held = Number(/^bgp_ping_reply_turnaround_seconds_count (\d+)$/m.exec(r.stdout)?.[1]);
    assert.ok(replies >= 1, r.stdout);
    assert.equal(held, replies, 'one turnaround per reply');
    const sum = Number(/^bgp_ping_reply_turnaround_seconds_sum (\S+)$/m.exec(r.stdout)?.[1]);
    assert.ok(sum > 0 && sum / held < 0.05, `mean turnaround ${(sum / held) * 1e6} µs`);
  });

  test('FRR passes the unknown optional transitive attribute on, with the Partial bit set (r1 and r3)', async () => {
    for (const router of ['r1', 'r3']) {
      const r = await execOutput(lab, router, ['vtysh', '-c', 'show bgp ipv4 unicast 100.64.0.1/32 json']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /"paths"/, `${router} has a path to the prober's probe prefix: ${r.stdout.slice(0, 500)}`);
    }
    // The replies reached the prober through two FRR hops with the attribute kept, and FRR set its Partial
    // bit on the way (RFC 4271 §4.3), which the prober reads past.
    const rtts = prober.of('rtt');
    assert.ok(rtts.length >= 2);
    assert.ok(rtts.every((e) => e.partial === true), JSON.stringify(rtts.map((e) => e.partial)));
  });

  // Last: it takes r2's BGP down and up again.
  test('the prober reports the session down, counts lost probes, reconnects when bgpd returns and gets RTTs again', async (t) => {
    const state = readLabState(lab.stateDir);
    const bgpd = state?.processes.find((p) => p.node === 'r2' && p.name === 'bgpd');
    assert.ok(bgpd?.pid, 'the lab recorded r2\'s bgpd');
    const killedAt = Date.now();
    process.kill(bgpd.pid, 'SIGKILL');
    const down = await prober.waitFor('session', (e) => e.ts >= killedAt && e.state !== 'Established', 15_000);
    const lost = await prober.waitFor('lost', (e) => e.ts >= killedAt && e.responders.length === 2, 15_000);
    t.diagnostic(`session ${down.state} ${down.ts - killedAt} ms after the kill${down.reason ? ` (${down.reason})` : ''}; probe ${lost.seq} lost for ${lost.responders.join(', ')}`);
    assert.ok(prober.child.exitCode === null && agents.every((a) => a.child.exitCode === null), 'every agent keeps running');
    // FRR comes back as the lab started it (same argv, inside r2's namespace).
    const restartedAt = Date.now();
    lab.exec('r2', bgpd.argv, { stdio: 'ignore', detached: true }).unref();
    await prober.waitFor('session', (e) => e.ts >= restartedAt && e.state === 'Established', 45_000);
    for (const responder of ['host-1', 'host-3']) await prober.waitFor('rtt', (e) => e.ts >= restartedAt && e.responder === responder, 45_000);
    t.diagnostic(`RTTs from both responders again ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after bgpd restarted`);
  });
});
