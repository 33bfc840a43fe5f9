// `npm run bench -- bgp` (part 2): the agents' own share of bgp-ping's round-trip time. The prober and
// a responder back to back over loopback, in turns with a plain Node TCP echo of the same size (the
// transport alone: kernel, event loops, wake-ups); what the agents add is the difference of the two RTTs
// per quantile. Twice: where the scheduler puts the processes, and with both pinned to one CPU (there a
// process runs only once the other sleeps, so whatever either does after its write is the other's delay).
// Beside it, the responder's own turnaround (its `reply` events), and the same agents through the netgo
// lab's FRR routers (host-2 → r2 → r1/r3 → host-1/3 and back). Reports p50/p90/p99 and writes
// bench/results/bgp-rtt.json. Needs root, FRR, pmacct.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitForRouterSessions } from '../src/lab/bgpStatus';
import { NetnsBackend } from '../src/lab/netnsBackend';
import { encodeProbe, encodeUpdate, Origin, PROBE_ATTRIBUTE_FLAGS, SegmentType } from '../src/protocols/bgp';
import { loadTopology } from '../src/lab/topology';
import { parseEvent, type AgentEvent } from '../src/shared/events';
import { AgentProcess, agentBundle } from '../test/helpers/agentProcess';

const root = path.resolve(__dirname, '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'labtel-bench-rtt-'));
/** Probes per round on the loopback path; three rounds each of echo and agents, the first WARMUP of each dropped. */
const PER_ROUND = Number(process.env.LABTEL_BENCH_RTT_PROBES ?? 500);
const ROUNDS = 3;
const WARMUP = 20;
const INTERVAL_MS = 20;
const labSeconds = Number(process.env.LABTEL_BENCH_RTT_SECONDS ?? 30);

function quantiles(xs: number[]): { n: number; p50: number; p90: number; p99: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { n: s.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), min: s[0] ?? NaN, max: s.at(-1) ?? NaN };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The prober's RTTs (ms) from `responder`, once it has `want` of them or `ms` have passed. */
async function collect(prober: AgentProcess, responder: string, want: number, ms: number): Promise<number[]> {
  const rtts = () => prober.of('rtt').filter((e) => e.responder === responder).map((e) => e.rttMs);
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && rtts().length < want) await sleep(100);
  return rtts();
}
const ip = (...args: string[]): void => {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
};

/**
 * The loopback path: a namespace of the benchmark's own whose lo carries 192.0.2.1 and 192.0.2.2 (real
 * host addresses, so each UPDATE's NEXT_HOP is valid and decodes without an error, as in the lab).
 */
async function withLoopbackNamespace<T>(run: (ns: string) => Promise<T>): Promise<T> {
  const ns = `labtel-bench-rtt-${process.pid}`;
  ip('netns', 'add', ns);
  try {
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    for (const a of [RESPONDER_ADDR, PROBER_ADDR]) ip('-n', ns, 'addr', 'add', `${a}/32`, 'dev', 'lo');
    return await run(ns);
  } finally {
    ip('netns', 'del', ns);
  }
}
const RESPONDER_ADDR = '192.0.2.1';
const PROBER_ADDR = '192.0.2.2';

/** The bytes on the wire per hop: the prober's probe UPDATE (the reply is a few octets longer). */
const PROBE_UPDATE_BYTES = encodeUpdate({
  withdrawn: [], nlri: ['100.64.0.1/32'],
  attributes: { origin: Origin.Incomplete, asPath: [{ type: SegmentType.AsSequence, asns: [65004] }], nextHop: PROBER_ADDR, unknown: [{ flags: PROBE_ATTRIBUTE_FLAGS, type: 42, value: encodeProbe({ layout: 'v1', source: 'host-2', destination: '', timestampNs: 0n, sequence: 0n }) }] },
}, { fourOctetAs: true }).length;

/**
 * Where the two processes of a round run: 'scheduled', where Linux puts them (on loopback it often wakes a
 * socket's reader on the writer's CPU); 'one-cpu', both pinned to the last CPU (taskset).
 */
type Placement = 'scheduled' | 'one-cpu';
const PLACEMENTS: Placement[] = ['scheduled', 'one-cpu'];
const ONE_CPU = String(os.cpus().length - 1);

/** `ip` arguments that run `argv` inside namespace `ns`, placed as `placement` says (an argv, never a shell). */
function inNamespace(ns: string, placement: Placement, argv: string[]): string[] {
  return ['netns', 'exec', ns, ...(placement === 'one-cpu' ? ['taskset', '-c', ONE_CPU] : []), ...argv];
}

/** Two plain Node processes bouncing a probe-sized message: the transport alone (kernel, event loop, wake-ups). */
async function echoRound(ns: string, placement: Placement, count: number): Promise<number[]> {
  const echo = path.join(root, 'bench', 'peers', 'tcpEcho.mjs');
  const port = '24179';
  const server = spawn('ip', inNamespace(ns, placement, [process.execPath, echo, 'server', RESPONDER_ADDR, port]), { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    await sleep(300);
    const r = spawnSync('ip', inNamespace(ns, placement, [process.execPath, echo, 'client', RESPONDER_ADDR, port, String(PROBE_UPDATE_BYTES), String(INTERVAL_MS), String(count + WARMUP)]), { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`echo client: ${r.stderr}`);
    return r.stdout.trim().split('\n').map((l) => Number(l) / 1000).slice(WARMUP);
  } finally {
    server.kill('SIGTERM');
  }
}

/** The two agents back to back: prober and responder, each its own process, as in the lab. */
async function agentsRound(ns: string, placement: Placement, count: number): Promise<{ rtts: number[]; turnarounds: number[] }> {
  const bundle = agentBundle('bgp-ping');
  const argv = (args: string[]) => inNamespace(ns, placement, [process.execPath, bundle, ...args, '--format', 'json']);
  // The responder's events go to a file, read at the end: a pipe to this process would wake it at each
  // reply, just when the prober needs a CPU to read that reply (two cores here).
  const eventsFile = path.join(work, `responder-${Date.now()}.ndjson`);
  const eventsFd = openSync(eventsFile, 'w');
  const responder = spawn('ip', argv(['-id', 'host-1', '-nlri', '100.64.0.0', '-laddr', RESPONDER_ADDR, '-raddr', PROBER_ADDR, '-las', '65003', '-ras', '65004', '-p']), { stdio: ['ignore', eventsFd, 'ignore'] });
  const responderExited = new Promise((r) => responder.on('exit', r));
  closeSync(eventsFd);
  await sleep(300);
  const prober = new AgentProcess(spawn('ip', argv(['-id', 'host-2', '-nlri', '100.64.0.1', '-laddr', PROBER_ADDR, '-raddr', RESPONDER_ADDR, '-las', '65004', '-ras', '65003', '-i', `${INTERVAL_MS}ms`]), { stdio: ['ignore', 'pipe', 'pipe'] }));
  let rtts: number[];
  try {
    rtts = await collect(prober, 'host-1', count + WARMUP, 120_000);
  } finally {
    await prober.stop();
    responder.kill('SIGTERM');
    await responderExited;
  }
  // The responder's own account of each reply: how long it held the probe (bytes read → reply's write).
  const turnarounds = readFileSync(eventsFile, 'utf8').split('\n').filter((l) => l.trim()).map(parseEvent)
    .filter((e): e is Extract<AgentEvent, { type: 'reply' }> => e.type === 'reply' && e.prober === 'host-2')
    .map((e) => e.turnaroundUs / 1000);
  return { rtts: rtts.slice(WARMUP, WARMUP + count), turnarounds: turnarounds.slice(WARMUP, WARMUP + count) };
}

interface LoopbackRuns { echo: number[]; agents: number[]; turnarounds: number[] }

/** Echo and agents take turns, in each placement, so that a change in the machine's load falls on all alike. */
async function loopback(): Promise<Map<Placement, LoopbackRuns>> {
  return withLoopbackNamespace(async (ns) => {
    const runs = new Map<Placement, LoopbackRuns>(PLACEMENTS.map((p) => [p, { echo: [], agents: [], turnarounds: [] }]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const placement of PLACEMENTS) {
        const into = runs.get(placement)!;
        into.echo.push(...await echoRound(ns, placement, PER_ROUND));
        const r = await agentsRound(ns, placement, PER_ROUND);
        into.agents.push(...r.rtts);
        into.turnarounds.push(...r.turnarounds);
      }
    }
    return runs;
  });
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
    await sleep(labSeconds * 1000);
    const rtts = prober.of('rtt').slice(first);
    return new Map(['host-1', 'host-3'].map((r) => [r, rtts.filter((e) => e.responder === r).map((e) => e.rttMs)]));
  } finally {
    await Promise.all(agents.map((a) => a.stop()));
    await lab.destroy();
  }
}

const us = (ms: number): number => Math.round(ms * 1000);

/** One placement's figures: both RTTs, what the agents add per quantile (µs), the responder's turnaround. */
function summarise(r: LoopbackRuns) {
  const echo = quantiles(r.echo);
  const agents = quantiles(r.agents);
  const turnaround = quantiles(r.turnarounds);
  const agentsAddUs = { p50: us(agents.p50 - echo.p50), p90: us(agents.p90 - echo.p90), p99: us(agents.p99 - echo.p99) };
  return { echo, agents, agentsAddUs, responderTurnaround: turnaround, responderTurnaroundUs: { p50: us(turnaround.p50), p90: us(turnaround.p90), p99: us(turnaround.p99) } };
}

async function main(): Promise<void> {
  const runs = await loopback();
  const loopbackResults = Object.fromEntries([...runs].map(([placement, r]) => [placement, summarise(r)]));
  for (const [placement, r] of Object.entries(loopbackResults)) {
    console.log(`loopback (${placement}), transport alone (Node TCP echo): p50 ${us(r.echo.p50)} µs, p90 ${us(r.echo.p90)} µs, p99 ${us(r.echo.p99)} µs over ${r.echo.n} round trips`);
    console.log(`loopback (${placement}), prober ↔ responder:               p50 ${us(r.agents.p50)} µs, p90 ${us(r.agents.p90)} µs, p99 ${us(r.agents.p99)} µs over ${r.agents.n} probes`);
    console.log(`  what the agents add (agents − echo):       p50 ${r.agentsAddUs.p50} µs, p90 ${r.agentsAddUs.p90} µs, p99 ${r.agentsAddUs.p99} µs`);
    console.log(`  the responder's own turnaround (probe read → reply written): p50 ${r.responderTurnaroundUs.p50} µs, p90 ${r.responderTurnaroundUs.p90} µs, p99 ${r.responderTurnaroundUs.p99} µs over ${r.responderTurnaround.n} replies`);
  }
  let viaFrr: Record<string, ReturnType<typeof quantiles>> | undefined;
  if (!process.argv.includes('--loopback-only')) {
    const frr = await throughFrr();
    viaFrr = Object.fromEntries([...frr].map(([r, xs]) => [r, quantiles(xs)]));
    for (const [r, q] of Object.entries(viaFrr)) console.log(`through FRR to ${r}: p50 ${q.p50.toFixed(1)} ms, p99 ${q.p99.toFixed(1)} ms over ${q.n} probes`);
  }
  const worstP99 = Math.max(...Object.values(loopbackResults).map((r) => r.agentsAddUs.p99));
  const result = {
    benchmark: 'bgp-rtt',
    command: 'npm run bench -- bgp',
    date: new Date().toISOString(),
    loadAverage: os.loadavg(),
    what: 'bgp-ping round-trip time in ms. loopback: in a namespace of its own (192.0.2.1 and 192.0.2.2 on lo), '
      + `${ROUNDS} rounds of ${PER_ROUND} round trips every ${INTERVAL_MS} ms per placement (the first ${WARMUP} of each dropped), taking turns: `
      + 'echo = two plain Node processes bouncing a message of the probe UPDATE\'s size over TCP (the transport: kernel, event loops, wake-ups); '
      + 'agents = the bgp-ping prober and a responder, each its own process; both RTTs run from just before the write to the reply\'s bytes read. '
      + 'agentsAddUs = agents − echo per quantile, in µs: what the agents add to the RTT, the aim\'s measure. '
      + `Placements: scheduled = where Linux puts the processes; one-cpu = both pinned to CPU ${ONE_CPU}, where each runs only once the other sleeps. `
      + 'responderTurnaround: the responder\'s own account of each reply (its `reply` events: probe bytes read → reply written). '
      + 'throughFrr: prober on host-2, responders on host-1 and host-3 of the netgo lab (FRR 8.4, traditional profile) — its RTT is FRR\'s update batching, not the agents.',
    loopback: loopbackResults,
    ...(viaFrr ? { throughFrr: viaFrr } : {}),
    aimP99Us: 200,
    agentsAddP99UsWorstPlacement: worstP99,
    meetsAim: worstP99 < 200,
  };
  if (!process.argv.includes('--loopback-only')) writeFileSync(path.join(root, 'bench', 'results', 'bgp-rtt.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`what the agents add to the RTT at p99, worst placement: ${worstP99} µs (aim: < 200 µs): ${result.meetsAim ? 'met' : 'NOT met'}`);
}

main().finally(() => rmSync(work, { recursive: true, force: true })).catch((err) => { console.error(err); process.exitCode = 1; });
