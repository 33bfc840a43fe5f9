// A real Prometheus (Debian's) next to the prober, as in the book's lab: the netgo lab with traffic,
// top-talkers on host-2 and bgp-ping (prober host-2, responders host-1 and host-3, as `labtel demo` runs
// them), all with --metrics; Prometheus in host-2 finds them through file_sd and scrapes them. What it
// answers through its HTTP API must agree with the agents' own NDJSON events. Holds the lab lock:
//   flock /tmp/labtel-lab.lock node --import tsx --test test/integration/lab/prometheus.test.ts
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { waitForRouterSessions } from '../../../src/lab/bgpStatus';
import { readLabState } from '../../../src/lab/labState';
import { NetnsBackend } from '../../../src/lab/netnsBackend';
import { isRunning } from '../../../src/lab/processes';
import { addMetricsTarget, ensurePrometheus, queryInNode, runningPrometheus, type PrometheusService } from '../../../src/lab/prometheus';
import { loadTopology } from '../../../src/lab/topology';
import { loadTrafficProfile, startTraffic, stopTraffic } from '../../../src/lab/traffic';
import { main } from '../../../src/cli/main';
import { AgentProcess, agentBundle } from '../../helpers/agentProcess';
import { repoRoot } from '../../helpers/corpus';

const lab = new NetnsBackend(loadTopology(path.join(repoRoot, 'lab', 'netgo.clab.yml')));
const agents: AgentProcess[] = [];
let prometheus: PrometheusService;
/** How long the agents run before Prometheus is asked: the rate window below, plus start-up. */
const RUN_MS = 40_000;
const RATE_WINDOW = '30s';
/** bgp_ping_rtt_seconds's buckets (src/agents/bgpPing/metrics.ts): histogram_quantile is exact to the bucket only. */
const RTT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, Infinity];
/** An event and the histogram observation it reports happen within this of each other (same tick of the agent). */
const EVENT_SLACK_MS = 100;

/** The book's bgp-ping roles in netgo, as `labtel demo` starts them (src/cli/commands/demo.ts), with --metrics. */
const roles: Array<{ node: string; address: string; args: string[] }> = [
  { node: 'host-1', address: '203.0.113.0', args: ['-id', 'host-1', '-nlri', '100.64.0.0', '-laddr', '203.0.113.0', '-raddr', '203.0.113.1', '-las', '65003', '-ras', '65000', '-p'] },
  { node: 'host-3', address: '203.0.113.254', args: ['-id', 'host-3', '-nlri', '100.64.0.2', '-laddr', '203.0.113.254', '-raddr', '203.0.113.129', '-las', '65005', '-ras', '65002', '-p'] },
  { node: 'host-2', address: '203.0.113.2', args: ['-id', 'host-2', '-nlri', '100.64.0.1', '-laddr', '203.0.113.2', '-raddr', '203.0.113.3', '-las', '65004', '-ras', '65001', '-i', '1s'] },
];
const BGP_PING_METRICS_PORT = 9101;
const TOP_TALKERS_METRICS_PORT = 9102;

function startAgent(node: string, agent: 'bgp-ping' | 'top-talkers', args: string[], metricsAddress: string): AgentProcess {
  const a = new AgentProcess(lab.exec(node, [process.execPath, agentBundle(agent), ...args, '--format', 'json', '--metrics', metricsAddress], { stdio: ['ignore', 'pipe', 'pipe'] }));
  agents.push(a);
  addMetricsTarget(lab, { node, agent, address: metricsAddress });
  return a;
}

interface Sample { metric: Record<string, string>; value: [number, string] }

async function query(expr: string): Promise<Sample[]> {
  const body = await queryInNode(lab, prometheus.node, `http://${prometheus.listen}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const r = JSON.parse(body) as { status: string; data: { resultType: string; result: Sample[] } };
  assert.equal(r.status, 'success', body);
  return r.data.result;
}

function quantile(sorted: number[], q: number): number {
  // Prometheus's histogram_quantile estimates the value of rank q·n; the events' nearest-rank equivalent.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function bucketOf(seconds: number): [number, number] {
  const i = RTT_BUCKETS.findIndex((b) => seconds <= b);
  return [i === 0 ? 0 : RTT_BUCKETS[i - 1]!, RTT_BUCKETS[i]!];
}

let talkers: AgentProcess;
let prober: AgentProcess;

before(async () => {
  assert.equal(process.getuid?.(), 0, 'this test runs as root (namespaces, FRR, Prometheus in a namespace)');
  assert.equal(readLabState(lab.stateDir), undefined, `a netgo lab is already up (${lab.stateDir}): "labtel lab down" it first`);
  await lab.deploy();
  await waitForRouterSessions(lab, 30_000);
  await startTraffic(lab, loadTrafficProfile(lab), { duration: Math.ceil(RUN_MS / 1000) + 30 });
  prometheus = await ensurePrometheus(lab);
  talkers = startAgent('host-2', 'top-talkers', ['--listen', '203.0.113.2:6343', '--interval', '1s', '--window', '10'], `203.0.113.2:${TOP_TALKERS_METRICS_PORT}`);
  for (const r of roles) {
    const a = startAgent(r.node, 'bgp-ping', r.args, `${r.address}:${BGP_PING_METRICS_PORT}`);
    if (r.node === 'host-2') prober = a;
  }
  await new Promise((r) => setTimeout(r, RUN_MS));
});

after(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await stopTraffic(lab).catch(() => false);
  const service = runningPrometheus(lab);
  await lab.destroy();
  // Nothing left: Prometheus stopped with the lab, its state folder gone.
  assert.ok(service, 'no Prometheus was running before lab down');
  assert.equal(isRunning({ pid: service.pid, startTime: service.startTime }), false, `prometheus ${service.pid} still runs after lab down`);
  assert.equal(existsSync(lab.stateDir), false, `${lab.stateDir} left after lab down`);
});

test('labtel lab status says where the lab\'s Prometheus is', async () => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    assert.equal(await main(['lab', 'status', '-t', lab.topology.file]), 0);
  } finally {
    console.log = log;
  }
  assert.match(lines.join('\n'), new RegExp(`Prometheus: http://${prometheus.listen.replace(/\./g, '\\.')}/ in host-2 \\(pid ${prometheus.pid}\\)`));
  assert.equal(prometheus.listen, `203.0.113.2:9090`);
});

test('Prometheus scrapes every agent started with --metrics (up == 1 for each, found through file_sd)', async () => {
  const up = await query('up{job="labtel-agents"}');
  const seen = up.map((s) => `${s.metric.node}/${s.metric.agent}=${s.value[1]}`).sort();
  assert.deepEqual(seen, ['host-1/bgp-ping=1', 'host-2/bgp-ping=1', 'host-2/top-talkers=1', 'host-3/bgp-ping=1']);
});

test('the p99 RTT per responder from Prometheus lies in the bucket of the p99 of the prober\'s own rtt events, and the counts agree', async (t) => {
  const p99 = await query(`histogram_quantile(0.99, sum by (le, responder) (rate(bgp_ping_rtt_seconds_bucket{node="host-2"}[${RATE_WINDOW}])))`);
  const counts = await query('bgp_ping_rtt_seconds_count{node="host-2"}');
  const responders = p99.map((s) => s.metric.responder!).sort();
  assert.deepEqual(responders, ['host-1', 'host-3']);
  const rtts = prober.of('rtt');
  for (const responder of responders) {
    const at = p99.find((s) => s.metric.responder === responder)!;
    const evalMs = at.value[0] * 1000;
    const inWindow = rtts.filter((e) => e.responder === responder && e.ts <= evalMs && e.ts > evalMs - 30_000).map((e) => e.rttMs / 1000).sort((a, b) => a - b);
    assert.ok(inWindow.length >= 10, `${responder}: ${inWindow.length} rtt events in the last ${RATE_WINDOW}`);
    const ours = quantile(inWindow, 0.99);
    const theirs = Number(at.value[1]);
    const [lo, hi] = bucketOf(ours);
    // Tolerance: one histogram bucket. Prometheus interpolates inside the bucket that holds rank 0.99·n; the
    // events' p99 is in that bucket, unless the rate window's edges (scrape times vs event times) move a
    // sample across a bucket boundary, which 30 s of 1 s probes around a ~200 ms RTT does not.
    t.diagnostic(`${responder}: Prometheus p99 ${theirs.toFixed(4)} s, events' p99 ${ours.toFixed(4)} s over ${inWindow.length} rtt events`);
    assert.ok(theirs > lo && theirs <= hi, `${responder}: Prometheus p99 ${theirs} s, events' p99 ${ours} s (bucket ${lo}–${hi} s)`);

    // The histogram's count at its last scrape is the number of rtt events up to that scrape.
    const c = counts.find((s) => s.metric.responder === responder)!;
    const scrapeMs = c.value[0] * 1000;
    const count = Number(c.value[1]);
    const before = rtts.filter((e) => e.responder === responder && e.ts <= scrapeMs - EVENT_SLACK_MS - 1000).length;
    const upTo = rtts.filter((e) => e.responder === responder && e.ts <= scrapeMs + EVENT_SLACK_MS).length;
    t.diagnostic(`${responder}: bgp_ping_rtt_seconds_count ${count}, rtt events ${before}..${upTo}`);
    assert.ok(count >= before && count <= upTo, `${responder}: count ${count} at ${scrapeMs}, events ${before}..${upTo}`);
  }
});

test('top-talkers\' datagram counter in Prometheus lies between the agent\'s stats events around the scrape', async (t) => {
  const [sample] = await query('labtel_top_talkers_datagrams_total{node="host-2",agent="top-talkers"}');
  assert.ok(sample, 'no labtel_top_talkers_datagrams_total series');
  // The instant query returns the last scrape's value; Prometheus's staleness rules make that at most 1 s old.
  const [rateSample] = await query(`rate(labtel_top_talkers_datagrams_total{node="host-2"}[${RATE_WINDOW}])`);
  const stats = talkers.of('stats');
  const value = Number(sample.value[1]);
  const last = stats.at(-1)!;
  const firstOfWindow = stats.find((e) => e.ts >= last.ts - 30_000)!;
  assert.ok(value > 0, 'no datagrams counted');
  // The counter at the last scrape (≤ 1 s + slack before the query) lies between the stats events around it.
  const lower = stats.filter((e) => e.ts <= sample.value[0] * 1000 - 1000 - EVENT_SLACK_MS).at(-1)?.datagrams ?? 0;
  const upper = stats.filter((e) => e.ts <= sample.value[0] * 1000 + 1000 + EVENT_SLACK_MS).at(-1)?.datagrams ?? last.datagrams;
  t.diagnostic(`datagrams: Prometheus ${value}, stats events ${lower}..${upper}`);
  assert.ok(value >= lower && value <= upper, `counter ${value}, stats events ${lower}..${upper}`);
  // The rate over the window agrees with the events' own datagrams per second over the same span, within 20%
  // (r3's pmacctd sends a datagram every ~100–500 ms: a window's edges can move one or two of them).
  const eventsRate = (last.datagrams - firstOfWindow.datagrams) / ((last.ts - firstOfWindow.ts) / 1000);
  const promRate = Number(rateSample!.value[1]);
  t.diagnostic(`rate: Prometheus ${promRate.toFixed(2)}/s, events ${eventsRate.toFixed(2)}/s`);
  assert.ok(Math.abs(promRate - eventsRate) <= 0.2 * eventsRate, `rate ${promRate}/s in Prometheus, ${eventsRate}/s from the events`);
});
