// `npm run bench -- bgp` (part 2): the agents' own share of bgp-ping's round-trip time. The prober and
// a responder back to back over loopback (nothing between them but the kernel: what remains is the two
// agents' work) beside the same agents through the netgo lab's FRR routers (host-2 → r2 → r1/r3 → host-1/3
// and back). Reports p50/p99 for each and writes bench/results/bgp-rtt.json. Needs root, FRR, pmacct.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitForRouterSessions } from '../src/lab/bgpStatus';
import { NetnsBackend } from '../src/lab/netnsBackend';
import { loadTopology } from '../src/lab/topology';
import { AgentProcess, agentBundle } from '../test/helpers/agentProcess';

const root = path.resolve(__dirname, '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'labtel-bench-rtt-'));
const loopbackProbes = Number(process.env.LABTEL_BENCH_RTT_PROBES ?? 400);
const labSeconds = Number(process.env.LABTEL_BENCH_RTT_SECONDS ?? 30);

function quantiles(xs: number[]): { n: number; p50: number; p90: number; p99: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { n: s.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), min: s[0] ?? NaN, max: s.at(-1) ?? NaN };
}

async function collect(prober: AgentProcess, responders: string[], want: number, ms: number): Promise<Map<string, number[]>> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && responders.some((r) => prober.of('rtt').filter((e) => e.responder === r).length < want)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return new Map(responders.map((r) => [r, prober.of('rtt').filter((e) => e.responder === r).map((e) => e.rttMs)]));
}

async function loopback(): Promise<number[]> {
  const port = 24000 + (process.pid % 5000);
  const bundle = agentBundle('bgp-ping');
  const responder = AgentProcess.start([process.execPath, bundle, '-id', 'host-1', '-nlri', '100.64.0.0', '-laddr', '127.0.0.3', '-raddr', '127.0.0.2', '-las', '65003', '-ras', '65004', '-p', '--port', String(port), '--format', 'json']);
  await new Promise((r) => setTimeout(r, 500));
  const prober = AgentProcess.start([process.execPath, bundle, '-id', 'host-2', '-nlri', '100.64.0.1', '-laddr', '127.0.0.2', '-raddr', '127.0.0.3', '-las', '65004', '-ras', '65003', '--port', String(port), '-i', '20ms', '--format', 'json']);
  try {
    const got = await collect(prober, ['host-1'], loopbackProbes + 20, 120_000);
    return got.get('host-1')!.slice(20); // the first probes warm the JIT up
  } finally {
    await prober.stop();
    await responder.stop();
  }
}

async function throughFrr(): Promise<Map<string, number[]>> {
  // A copy of netgo under its own name, so the benchmark never touches a lab the user has up.
  const text = readFileSync(path.join(root, 'lab', 'netgo.clab.yml'), 'utf8')
    .replace(/^name: netgo$/m, 'name: benchrtt')
    .replaceAll('- netgo/', `- ${path.join(root, 'lab', 'netgo')}/`);
  const file = path.join(work, 'benchrtt.clab.yml');
  writeFileSync(file, text);
  const lab = new NetnsBackend(loadTopology(file));
  const agents: AgentProcess[] = [];
  try {
    await lab.deploy();
    await waitForRouterSessions(lab, 30_000);
    const bundle = agentBundle('bgp-ping');
    const run = (node: string, args: string[]) => { const a = new AgentProcess(lab.exec(node, [process.execPath, bundle, ...args, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] })); agents.push(a); return a; };
    run('host-1', ['-id', 'host-1', '-nlri', '100.64.0.0', '-laddr', '203.0.113.0', '-raddr', '203.0.113.1', '-las', '65003', '-ras', '65000', '-p']);
    run('host-3', ['-id', 'host-3', '-nlri', '100.64.0.2', '-laddr', '203.0.113.254', '-raddr', '203.0.113.129', '-las', '65005', '-ras', '65002', '-p']);
    const prober = run('host-2', ['-id', 'host-2', '-nlri', '100.64.0.1', '-laddr', '203.0.113.2', '-raddr', '203.0.113.3', '-las', '65004', '-ras', '65001', '-i', '1s']);
    await prober.waitFor('rtt', () => true, 30_000);
    const first = prober.of('rtt').length;
    await new Promise((r) => setTimeout(r, labSeconds * 1000));
    const rtts = prober.of('rtt').slice(first);
    return new Map(['host-1', 'host-3'].map((r) => [r, rtts.filter((e) => e.responder === r).map((e) => e.rttMs)]));
  } finally {
    await Promise.all(agents.map((a) => a.stop()));
    await lab.destroy();
  }
}

async function main(): Promise<void> {
  const back = quantiles(await loopback());
  console.log(`loopback (prober ↔ responder, no router): p50 ${(back.p50 * 1000).toFixed(0)} µs, p99 ${(back.p99 * 1000).toFixed(0)} µs over ${back.n} probes`);
  const frr = await throughFrr();
  const viaFrr = Object.fromEntries([...frr].map(([r, xs]) => [r, quantiles(xs)]));
  for (const [r, q] of Object.entries(viaFrr)) console.log(`through FRR to ${r}: p50 ${q.p50.toFixed(1)} ms, p99 ${q.p99.toFixed(1)} ms over ${q.n} probes`);
  const result = {
    benchmark: 'bgp-rtt',
    date: new Date().toISOString(),
    loadAverage: os.loadavg(),
    what: 'bgp-ping round-trip time in ms. loopback: the prober and one responder over loopback TCP, each agent its own process (the agents\' own share: two UPDATE decodes, two encodes, the kernel between). throughFrr: prober on host-2, responders on host-1 and host-3 of the netgo lab (FRR 8.4, traditional profile) — RTT is dominated by FRR\'s update batching, not the agents.',
    loopback: back,
    throughFrr: viaFrr,
    agentsShareP99Us: Math.round(back.p99 * 1000),
    aimP99Us: 200,
    meetsAim: back.p99 * 1000 < 200,
  };
  writeFileSync(path.join(root, 'bench', 'results', 'bgp-rtt.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`agents' own share (loopback p99): ${result.agentsShareP99Us} µs (aim < 200 µs): ${result.meetsAim ? 'met' : 'NOT met'}`);
}

main().finally(() => rmSync(work, { recursive: true, force: true })).catch((err) => { console.error(err); process.exitCode = 1; });
