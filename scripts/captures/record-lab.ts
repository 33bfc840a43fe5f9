// Records the project's own lab captures into test/fixtures/captures/ (see the README there):
//
//   flock /tmp/labtel-lab.lock node --import tsx scripts/captures/record-lab.ts
//
// Deploys lab/netgo.clab.yml with the embedded backend (real FRR, pmacctd as r3's sFlow agent), gives the
// path host-1 — r1 — r2 — r3 — host-3 IPv6 addresses from 2001:db8::/32 for the length of the recording
// (netgo itself stays IPv4 only, so no other test sees a change), runs IPv4 and IPv6 TCP, UDP and ICMP
// traffic (echo, port unreachable, time exceeded) across r3's sampled eth1 while BGP runs on it, and
// captures with tcpdump:
//   - lab-sflow.pcap     on host-2's eth1: the sFlow v5 datagrams r3 exports (flow and counter samples);
//   - lab-r3-eth1.pcap   on r3's eth1: the sampled link itself, the packets r3's samples were taken from.
// The lab is destroyed at the end, also on error. Needs root, iperf3, tcpdump and what the lab needs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../../src/lab/backends';
import { waitForRouterSessions } from '../../src/lab/bgpStatus';
import { namespaceName } from '../../src/lab/names';
import { loadTopology } from '../../src/lab/topology';

const root = path.resolve(__dirname, '..', '..');
const outDir = path.join(root, 'test', 'fixtures', 'captures');
const lab = 'netgo';
/** Long enough for pmacctd's sfprobe to send counter samples more than once (it sends them every 20 s or so). */
const RECORD_SECONDS = 45;
/** The sampled-link capture keeps this many packets of 128 bytes: enough of each kind, a small file. */
const LINK_PACKETS = 600;
const LINK_SNAPLEN = 128;

/** IPv6 for the recording, 2001:db8::/32 (RFC 3849): one /64 per link on the host-1 → host-3 path. */
const ipv6Addresses: Array<[node: string, dev: string, addr: string]> = [
  ['host-1', 'eth1', '2001:db8:0:1::1/64'], ['r1', 'eth2', '2001:db8:0:1::2/64'],
  ['r1', 'eth1', '2001:db8:0:12::1/64'], ['r2', 'eth1', '2001:db8:0:12::2/64'],
  ['r2', 'eth2', '2001:db8:0:23::2/64'], ['r3', 'eth1', '2001:db8:0:23::3/64'],
  ['r3', 'eth3', '2001:db8:0:3::1/64'], ['host-3', 'eth1', '2001:db8:0:3::2/64'],
];
/** Static routes: every IPv6 packet between host-1 and host-3 crosses r2–r3's first link, the sampled one. */
const ipv6Routes: Array<[node: string, prefix: string, via: string]> = [
  ['host-1', '2001:db8::/32', '2001:db8:0:1::2'],
  ['r1', '2001:db8:0:3::/64', '2001:db8:0:12::2'], ['r1', '2001:db8:0:23::/64', '2001:db8:0:12::2'],
  ['r2', '2001:db8:0:1::/64', '2001:db8:0:12::1'], ['r2', '2001:db8:0:3::/64', '2001:db8:0:23::3'],
  ['r3', '2001:db8:0:1::/64', '2001:db8:0:23::2'], ['r3', '2001:db8:0:12::/64', '2001:db8:0:23::2'],
  ['host-3', '2001:db8::/32', '2001:db8:0:3::1'],
];
const HOST3_V4 = '203.0.113.254';
const HOST1_V4 = '203.0.113.0';
const HOST3_V6 = '2001:db8:0:3::2';
const HOST1_V6 = '2001:db8:0:1::1';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function inNode(node: string, argv: string[]): string[] {
  return ['ip', 'netns', 'exec', namespaceName(lab, node), ...argv];
}

function must(argv: string[]): void {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
}

function start(argv: string[]): ChildProcess {
  return spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

async function waitFor(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.map((c) => (c.exitCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r)))));
}

async function main(): Promise<void> {
  const backend = createBackend(loadTopology(path.join(root, 'lab', 'netgo.clab.yml')), 'netns');
  const deployed = await backend.deploy();
  if (!deployed.created) throw new Error('lab netgo was already up: take it down first (this script records from a fresh lab)');
  const running: ChildProcess[] = [];
  try {
    await waitForRouterSessions(backend, 30_000);
    for (const node of ['r1', 'r2', 'r3']) must(inNode(node, ['sysctl', '-q', '-w', 'net.ipv6.conf.all.forwarding=1']));
    for (const [node, dev, addr] of ipv6Addresses) must(['ip', '-n', namespaceName(lab, node), '-6', 'addr', 'add', addr, 'dev', dev, 'nodad']);
    for (const [node, prefix, via] of ipv6Routes) must(['ip', '-n', namespaceName(lab, node), '-6', 'route', 'add', prefix, 'via', via]);
    // Neighbour discovery answered once before the captures start.
    must(inNode('host-1', ['ping', '-6', '-c', '3', '-i', '0.2', '-W', '2', HOST3_V6]));

    mkdirSync(outDir, { recursive: true });
    const sflowTmp = path.join(outDir, 'lab-sflow.pcap.tmp');
    const linkTmp = path.join(outDir, 'lab-r3-eth1.pcap.tmp');
    const sflowDump = start(inNode('host-2', ['tcpdump', '-q', '-U', '-n', '-i', 'eth1', '-s', '0', '-w', sflowTmp, 'udp', 'dst', 'port', '6343']));
    const linkDump = start(inNode('r3', ['tcpdump', '-q', '-U', '-n', '-i', 'eth1', '-s', String(LINK_SNAPLEN), '-c', String(LINK_PACKETS), '-w', linkTmp, 'not', 'udp', 'port', '6343']));
    await sleep(1000);

    // Servers on host-3: one iperf3 per family and protocol (each serves one test at a time).
    const servers = [5301, 5302, 5303, 5304].map((port) => start(inNode('host-3', ['iperf3', '-s', '-p', String(port)])));
    running.push(...servers);
    await sleep(500);
    const t = String(RECORD_SECONDS - 5);
    const clients = [
      start(inNode('host-1', ['iperf3', '-c', HOST3_V4, '-p', '5301', '-u', '-b', '400K', '-l', '1000', '-t', t])),
      start(inNode('host-1', ['iperf3', '-c', HOST3_V4, '-p', '5302', '-b', '400K', '-t', t])),
      start(inNode('host-1', ['iperf3', '-6', '-c', HOST3_V6, '-p', '5303', '-u', '-b', '300K', '-l', '800', '-t', t])),
      start(inNode('host-1', ['iperf3', '-6', '-c', HOST3_V6, '-p', '5304', '-b', '300K', '-t', t])),
      // ICMP echo both ways of both families, 10 per second.
      start(inNode('host-1', ['ping', '-q', '-i', '0.1', '-w', t, HOST3_V4])),
      start(inNode('host-1', ['ping', '-q', '-6', '-i', '0.1', '-w', t, HOST3_V6])),
      // ICMP errors carrying the packet that caused them: time exceeded from r2 (hop limit 2 from host-3)
      // and port unreachable from host-3 (nothing listens on UDP 33434 there).
      start(inNode('host-3', ['ping', '-q', '-t', '2', '-i', '0.2', '-w', t, HOST1_V4])),
      start(inNode('host-3', ['ping', '-q', '-6', '-t', '2', '-i', '0.2', '-w', t, HOST1_V6])),
    ];
    running.push(...clients);
    // UDP probes to a closed port (traceroute's, one hop past host-3's distance): port unreachable from
    // host-3, in both families, ten probes each every second.
    const until = Date.now() + (RECORD_SECONDS - 5) * 1000;
    while (Date.now() < until) {
      const probes = [HOST3_V4, HOST3_V6].map((to) => start(inNode('host-1', ['traceroute', ...(to.includes(':') ? ['-6'] : []), '-n', '-q', '10', '-N', '10', '-f', '5', '-m', '5', '-w', '1', to])));
      await waitFor(probes);
      await sleep(1000);
    }
    await sleep(5000);
    for (const c of clients) await stop(c, 'SIGTERM');
    await waitFor(clients);
    await stop(sflowDump);
    await stop(linkDump);
    for (const s of servers) await stop(s, 'SIGTERM');
    renameSync(sflowTmp, path.join(outDir, 'lab-sflow.pcap'));
    renameSync(linkTmp, path.join(outDir, 'lab-r3-eth1.pcap'));
    for (const f of ['lab-sflow.pcap', 'lab-r3-eth1.pcap']) console.log(`recorded ${f}: ${statSync(path.join(outDir, f)).size} bytes`);
  } finally {
    for (const c of running) await stop(c, 'SIGKILL');
    await backend.destroy();
  }
}

main().catch((err: Error) => {
  console.error(`record-lab: ${err.message}`);
  process.exitCode = 1;
});
