// Acceptance of the capture and top-talkers agents in the embedded lab (issue 6): real FRR, pmacct's
// sFlow exporter on r3, iperf3 traffic from host-1 to host-3 at the book's 900K/600K/400K, and both
// agents running inside host-2 (the sFlow collector's node) through the backend's exec.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitForRouterSessions } from '../../../src/lab/bgpStatus';
import { readLabState } from '../../../src/lab/labState';
import { NetnsBackend } from '../../../src/lab/netnsBackend';
import { loadTopology } from '../../../src/lab/topology';
import { loadTrafficProfile, startTraffic, stopTraffic } from '../../../src/lab/traffic';
import type { TalkersEvent } from '../../../src/shared/events';
import { AgentProcess, agentBundle } from '../../helpers/agentProcess';
import { repoRoot } from '../../helpers/corpus';
import { have } from '../../helpers/tools';

const lab = new NetnsBackend(loadTopology(path.join(repoRoot, 'lab', 'netgo.clab.yml')));
const work = mkdtempSync(path.join(tmpdir(), 'labtel-agents-'));
const pcapng = path.join(work, 'host-2-sflow.pcapng');
// The profile's flows: destination on host-3 → generated rate in bit/s.
const generated = new Map([['203.0.113.253', 900_000], ['203.0.113.252', 600_000], ['203.0.113.251', 400_000]]);

let talkers: AgentProcess | undefined;
let capture: AgentProcess | undefined;
let trafficStarted = 0;

/** The three profile flows in a ranking, in rank order, each with its estimated rate. */
function profileRows(e: TalkersEvent): Array<{ to: string; bps: number }> {
  return e.rows
    .map((r) => ({ to: [r.a, r.b].map((x) => x.split(':')[0]!).find((a) => generated.has(a)), bps: r.bps, protocol: r.protocol }))
    .filter((r): r is { to: string; bps: number; protocol: number } => r.to !== undefined && r.protocol === 17);
}

describe('capture and top-talkers in the netgo lab', () => {
  before(async () => {
    const missing = ['ip', 'vtysh', 'pmacctd', 'iperf3', 'tshark'].filter((t) => !have(t));
    assert.equal(process.getuid?.(), 0, 'these tests run as root (namespaces, FRR, libpcap)');
    assert.deepEqual(missing, [], 'tools the lab needs (scripts/setup.sh installs them)');
    assert.equal(readLabState(lab.stateDir), undefined, `a netgo lab is already up (${lab.stateDir}): "labtel lab down" it first`);
    await lab.deploy();
    await waitForRouterSessions(lab, 30_000);
    const node = process.execPath;
    talkers = new AgentProcess(lab.exec('host-2', [node, agentBundle('top-talkers'), '--listen', '203.0.113.2:6343', '--format', 'json', '--interval', '1s', '--window', '20', '--top', '10'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    // The book's filter; the capture taps the same datagrams the collector above receives.
    capture = new AgentProcess(lab.exec('host-2', [node, agentBundle('capture'), '--intf', 'eth1', '--filter', 'ip and udp', '--format', 'json', '--write', pcapng], { stdio: ['ignore', 'pipe', 'pipe'] }));
    await new Promise((r) => setTimeout(r, 500));
    await startTraffic(lab, loadTrafficProfile(lab), { duration: 50 });
    trafficStarted = Date.now();
  });

  after(async () => {
    await talkers?.stop();
    await capture?.stop();
    await stopTraffic(lab).catch(() => false);
    if (existsSync(lab.stateDir)) await lab.destroy();
    rmSync(work, { recursive: true, force: true });
  });

  test('top-talkers on host-2 ranks .253 > .252 > .251 within 30 s, with rates within ±30% of the generated ones', async (t) => {
    const ok = (e: TalkersEvent) => {
      const rows = profileRows(e);
      if (rows.map((r) => r.to).join(' ') !== '203.0.113.253 203.0.113.252 203.0.113.251') return false;
      return rows.every((r) => Math.abs(r.bps / generated.get(r.to)! - 1) <= 0.3);
    };
    const elapsed = Date.now() - trafficStarted;
    const hit = await talkers!.waitFor('talkers', ok, Math.max(1000, 30_000 - elapsed));
    const rows = profileRows(hit);
    t.diagnostic(`after ${((Date.now() - trafficStarted) / 1000).toFixed(1)} s: ${rows.map((r) => `${r.to} ${(r.bps / 1000).toFixed(0)} kbit/s`).join(', ')}`);
    for (const r of rows) assert.ok(Math.abs(r.bps / generated.get(r.to)! - 1) <= 0.3, `${r.to}: ${r.bps} bit/s`);
    assert.ok(Date.now() - trafficStarted <= 31_000);
    // The three flows are the top of the table: nothing else in the lab sends more.
    assert.deepEqual(hit.rows.slice(0, 3).map((r) => r.protocol), [17, 17, 17]);
  });

  test('capture on host-2 reports flow records of the same three flows, from r3 (the sFlow agent)', async () => {
    for (const to of generated.keys()) {
      const e = await capture!.waitFor('flow', (f) => f.dst === to && f.src === '203.0.113.0' && f.protocol === 17, 10_000);
      assert.equal(e.agentAddress, '198.51.100.2', 'r3 exports with its router id as agent address');
      assert.ok(e.samplingRate > 1);
    }
  });

  test('the pcapng the capture wrote opens in tshark with the datagram count the capture reported', async () => {
    // r3's pmacctd sends under two datagrams a second here: give the capture 15 s of traffic before
    // stopping it, however fast the tests above found what they waited for (they once took 5 s: 8 datagrams).
    await new Promise((r) => setTimeout(r, Math.max(0, 15_000 - (Date.now() - trafficStarted))));
    await capture!.stop();
    const stats = capture!.of('stats').at(-1);
    assert.ok(stats && stats.datagrams > 10, `capture stats: ${JSON.stringify(stats)}`);
    const r = spawnSync('tshark', ['-r', pcapng, '-d', 'udp.port==6343,sflow', '-T', 'fields', '-e', 'sflow_245.version'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const versions = r.stdout.trim().split('\n');
    assert.equal(versions.length, stats.datagrams);
    assert.ok(versions.every((v) => v === '5'), 'every datagram in the file is sFlow v5 to tshark');
  });
});
