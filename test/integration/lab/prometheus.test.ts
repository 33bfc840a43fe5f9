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
/**
 * A scrape's timestamp is when Prometheus started it; the agent serves /metrics a little later (more on a
 * loaded machine), so an observation up to a scrape interval after a scrape's timestamp may be in it.
 */
const EVENT_SLACK_MS = 1000;

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

interface RangeSample { metric: Record<string, string>; values: Array<[number, string]> }

/** An instant query, evaluated at `at` (seconds since the epoch) when given. */
async function query<T = Sample>(expr: string, at?: number): Promise<T[]> {
  const time = at === undefined ? '' : `&time=${at}`;
  const body = await queryInNode(lab, prometheus.node, `http://${prometheus.listen}/api/v1/query?query=${encodeURIComponent(expr)}${time}`);
  const r = JSON.parse(body) as { status: string; data: { resultType: string; result: T[] } };
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

test('the p99 RTT per responder from Prometheus lies in the bucket of the p99 of the same rtt events, and the counts agree', async (t) => {
  // One evaluation time for every query; the rate window's scrapes (the range vector's sample times) say
  // which rtt events Prometheus's rate covered: those after its first scrape, up to its last.
  const at = Date.now() / 1000 - 1;
  const p99 = await query(`histogram_quantile(0.99, sum by (le, responder) (rate(bgp_ping_rtt_seconds_bucket{node="host-2"}[${RATE_WINDOW}])))`, at);
  const scrapes = await query<RangeSample>(`bgp_ping_rtt_seconds_count{node="host-2"}[${RATE_WINDOW}]`, at);
  const responders = p99.map((s) => s.metric.responder!).sort();
  assert.deepEqual(responders, ['host-1', 'host-3']);
  const rtts = prober.of('rtt');
  for (const responder of responders) {
    const series = scrapes.find((s) => s.metric.responder === responder)!.values;
    const [firstMs, lastMs] = [series[0]![0] * 1000, series.at(-1)![0] * 1000];
    const mine = rtts.filter((e) => e.responder === responder);
    const between = (from: number, to: number) => mine.filter((e) => e.ts > from && e.ts <= to);
    const covered = between(firstMs, lastMs);
    assert.ok(covered.length >= 10, `${responder}: ${covered.length} rtt events in the last ${RATE_WINDOW}`);
    const theirs = Number(p99.find((s) => s.metric.responder === responder)!.value[1]);
    // Tolerance: one histogram bucket. Over the same observations, Prometheus interpolates inside the bucket
    // that holds rank 0.99·n, the bucket of the events' nearest-rank p99; which events a scrape saw is known to
    // EVENT_SLACK_MS, so the p99 of each possible set (window edges moved by up to the slack) is a candidate.
    const candidates = [[0, 0], [EVENT_SLACK_MS, 0], [0, EVENT_SLACK_MS], [EVENT_SLACK_MS, EVENT_SLACK_MS], [-EVENT_SLACK_MS, 0], [0, -EVENT_SLACK_MS]]
      .map(([a, b]) => quantile(between(firstMs + a!, lastMs + b!).map((e) => e.rttMs / 1000).sort((x, y) => x - y), 0.99));
    const ours = candidates[0]!;
    t.diagnostic(`${responder}: Prometheus p99 ${theirs.toFixed(4)} s, events' p99 ${ours.toFixed(4)} s over ${covered.length} rtt events (with the edges moved: ${candidates.map((c) => c.toFixed(4)).join(', ')})`);
    assert.ok(candidates.some((c) => { const [lo, hi] = bucketOf(c); return theirs > lo && theirs <= hi; }),
      `${responder}: Prometheus p99 ${theirs} s is in no bucket of the events' p99s ${candidates.join(', ')} s`);

    // The histogram's count grew between those scrapes by the rtt events between them; an event within
    // EVENT_SLACK_MS of a scrape may fall on either side of it.
    const grew = Number(series.at(-1)![1]) - Number(series[0]![1]);
    const sure = between(firstMs + EVENT_SLACK_MS, lastMs - EVENT_SLACK_MS).length;
    const maybe = between(firstMs - EVENT_SLACK_MS, lastMs + EVENT_SLACK_MS).length;
    t.diagnostic(`${responder}: bgp_ping_rtt_seconds_count grew ${grew}, rtt events ${sure}..${maybe}`);
    assert.ok(grew >= sure && grew <= maybe, `${responder}: count grew ${grew} between scrapes, events ${sure}..${maybe}`);
  }
});

test('top-talkers\' datagram counter in Prometheus lies between the agent\'s stats events around each scrape', async (t) => {
  // The raw samples of the rate window, each with the time Prometheus began its scrape, and the rate over
  // the same window, both evaluated at one time.
  const at = Date.now() / 1000 - 1;
  const [range] = await query<RangeSample>(`labtel_top_talkers_datagrams_total{node="host-2",agent="top-talkers"}[${RATE_WINDOW}]`, at);
  const [rateSample] = await query(`rate(labtel_top_talkers_datagrams_total{node="host-2"}[${RATE_WINDOW}])`, at);
  assert.ok(range && rateSample, 'no labtel_top_talkers_datagrams_total series');
  const scrapes = range.values.map(([s, v]) => ({ ms: s * 1000, value: Number(v) }));
  assert.ok(scrapes.length >= 10, `${scrapes.length} scrapes in the last ${RATE_WINDOW}`);
  // A scrape is served at most EVENT_SLACK_MS after it began: wait for a stats event past the last one's,
  // so every scrape has an event on each side (the agent writes one each --interval, 1 s).
  await talkers.waitFor('stats', (e) => e.ts >= scrapes.at(-1)!.ms + EVENT_SLACK_MS, 10_000);
  const stats = talkers.of('stats');
  const datagramsAt = (ms: number) => stats.filter((e) => e.ts <= ms).at(-1)?.datagrams ?? 0;
  const datagramsBy = (ms: number) => stats.find((e) => e.ts >= ms)!.datagrams;
  for (const scrape of scrapes) {
    // The counter only grows: at least what the last event before the scrape began said, at most what the
    // first event after it was served says.
    const [lower, upper] = [datagramsAt(scrape.ms), datagramsBy(scrape.ms + EVENT_SLACK_MS)];
    assert.ok(scrape.value >= lower && scrape.value <= upper,
      `scrape at ${new Date(scrape.ms).toISOString()}: counter ${scrape.value}, stats events around it ${lower}..${upper}`);
  }
  const [first, last] = [scrapes[0]!, scrapes.at(-1)!];
  assert.ok(last.value > first.value, `no datagram counted between ${RATE_WINDOW} of scrapes (${first.value} → ${last.value})`);
  t.diagnostic(`datagrams: ${scrapes.length} scrapes, ${first.value} → ${last.value}, each between the stats events around it`);
  // rate() over the window agrees, within 20%, with the events' own datagrams per second between the first
  // and the last scrape (r3's pmacctd sends a datagram every ~100–500 ms; rate() extrapolates to the
  // window's edges, and the events locate each scrape to within one --interval).
  const eventsRate = (datagramsAt(last.ms) - datagramsAt(first.ms)) / ((last.ms - first.ms) / 1000);
  const promRate = Number(rateSample.value[1]);
  t.diagnostic(`rate: Prometheus ${promRate.toFixed(2)}/s, events ${eventsRate.toFixed(2)}/s`);
  assert.ok(Math.abs(promRate - eventsRate) <= 0.2 * eventsRate, `rate ${promRate}/s in Prometheus, ${eventsRate}/s from the events`);
});
