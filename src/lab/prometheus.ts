import { mkdirSync, openSync, closeSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabNotDeployedError, requireNode, type Backend } from './backend';
import { readLabState, writeLabState, type RecordedProcess } from './labState';
import { NetnsBackend } from './netnsBackend';
import { isRunning, processStartTime } from './processes';

/**
 * A real Prometheus (Debian's) for the lab, as the book's lab ran one on the prober: a process in the
 * prober's namespace (host-2 in netgo), started on demand by whoever starts agents with --metrics,
 * recorded in the lab's state.json under `services` so `lab down` stops it with the lab, its config and
 * data under <state dir>/prometheus/. It learns the agents' /metrics endpoints from a file_sd JSON file
 * (Prometheus's file-based service discovery) that addMetricsTarget rewrites and Prometheus re-reads on
 * change, so agents come and go without a restart. The embedded (netns) backend only.
 */
export const PROMETHEUS_NODE = 'host-2';
export const PROMETHEUS_PORT = 9090;
/** Scrape and rule evaluation period: short, so a test or a 60 s demo has a few points per series. */
const SCRAPE_INTERVAL = '1s';
const READY_TIMEOUT_MS = 20_000;

export interface PrometheusService {
  readonly node: string;
  /** Where it answers, inside the node's namespace: address:port. */
  readonly listen: string;
  readonly pid: number;
  /** The process's start time (/proc/PID/stat), with the pid its identity. */
  readonly startTime: string;
  readonly targetsFile: string;
}

export interface MetricsTarget {
  /** The node the agent runs in. */
  readonly node: string;
  /** The agent's name: top-talkers, bgp-ping, capture. */
  readonly agent: string;
  /** Its --metrics address:port, reachable from the Prometheus node. */
  readonly address: string;
}

interface FileSdGroup { targets: string[]; labels: Record<string, string> }

function stateDirOf(lab: Backend): string {
  if (!(lab instanceof NetnsBackend)) throw new Error('Prometheus next to the prober runs with the embedded (netns) backend only');
  return lab.stateDir;
}

export function prometheusDir(lab: Backend): string {
  return path.join(stateDirOf(lab), 'prometheus');
}

function targetsFile(lab: Backend): string {
  return path.join(prometheusDir(lab), 'targets.json');
}

/** The lab's Prometheus if it is running. */
export function runningPrometheus(lab: Backend): PrometheusService | undefined {
  if (!(lab instanceof NetnsBackend)) return undefined;
  const state = readLabState(lab.stateDir);
  const p = state?.services?.find((s) => s.name === 'prometheus');
  if (!p || p.pid === undefined || !isRunning({ pid: p.pid, startTime: p.startTime ?? '' })) return undefined;
  return { node: p.node, listen: p.listen ?? '', pid: p.pid, startTime: p.startTime ?? '', targetsFile: targetsFile(lab) };
}

/** The node's first IPv4 address on a lab link: where the other nodes reach it. */
async function nodeAddress(lab: Backend, node: string): Promise<string> {
  const info = await lab.inspect();
  const n = info.nodes.find((x) => x.name === node);
  const addr = n?.interfaces.filter((i) => i.name !== 'lo').flatMap((i) => i.addresses).find((a) => !a.includes(':'));
  if (!addr) throw new Error(`node ${node} has no IPv4 address for Prometheus to listen on`);
  return addr.split('/')[0]!;
}

/** Starts the lab's Prometheus in `node` unless it runs already; resolves once it answers /-/ready. */
export async function ensurePrometheus(lab: Backend, node = PROMETHEUS_NODE): Promise<PrometheusService> {
  const running = runningPrometheus(lab);
  if (running) return running;
  requireNode(lab.topology, node);
  const stateDir = stateDirOf(lab);
  const state = readLabState(stateDir);
  if (!state || state.phase !== 'up') throw new LabNotDeployedError(lab.topology.name, `no state in ${stateDir}`);
  const dir = prometheusDir(lab);
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const targets = targetsFile(lab);
  try { readFileSync(targets); } catch { writeTargets(targets, []); }
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(config, [
    '# written by labtel: the agents started with --metrics, found through file_sd (targets.json)',
    'global:',
    `  scrape_interval: ${SCRAPE_INTERVAL}`,
    `  evaluation_interval: ${SCRAPE_INTERVAL}`,
    'scrape_configs:',
    '  - job_name: labtel-agents',
    '    file_sd_configs:',
    `      - files: [${JSON.stringify(targets)}]`,
    `        refresh_interval: ${SCRAPE_INTERVAL}`,
    '',
  ].join('\n'));
  const listen = `${await nodeAddress(lab, node)}:${PROMETHEUS_PORT}`;
  const argv = ['prometheus', `--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=${listen}`];
  const logFile = path.join(dir, 'prometheus.log');
  const out = openSync(logFile, 'a');
  let pid: number;
  try {
    const child = lab.exec(node, argv, { stdio: ['ignore', out, out], detached: true });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (e) => reject(new Error(`cannot start prometheus in ${node}: ${e.message} (install Debian's prometheus: scripts/setup.sh test)`)));
    });
    child.unref();
    pid = child.pid!;
  } finally {
    closeSync(out);
  }
  const startTime = processStartTime(pid) ?? '';
  const record: RecordedProcess = { node, name: 'prometheus', argv, logFile, pid, startTime, listen };
  const fresh = readLabState(stateDir)!;
  fresh.services = [...(fresh.services ?? []).filter((s) => s.name !== 'prometheus'), record];
  writeLabState(fresh);
  await waitReady(lab, node, listen, logFile);
  return { node, listen, pid, startTime, targetsFile: targets };
}

/** Polls /-/ready from inside the node (the lab's addresses are not reachable from the host). */
async function waitReady(lab: Backend, node: string, listen: string, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      await queryInNode(lab, node, `http://${listen}/-/ready`);
      return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  let tail = '';
  try { tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | '); } catch { /* none */ }
  throw new Error(`prometheus in ${node} not ready at ${listen} after ${READY_TIMEOUT_MS / 1000} s: ${tail}`);
}

/** GET `url` from inside `node` (with this Node.js binary's fetch); resolves to the body of a 2xx answer. */
export function queryInNode(lab: Backend, node: string, url: string): Promise<string> {
  const script = 'fetch(process.argv[1]).then(async (r) => { const t = await r.text(); process.stdout.write(t); process.exit(r.ok ? 0 : 1); }, (e) => { process.stderr.write(String(e)); process.exit(1); })';
  const child = lab.exec(node, [process.execPath, '-e', script, url]);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`GET ${url} in ${node}: exit ${code}: ${err || out}`))));
  });
}

/** Adds (or replaces, by node and agent) an agent's /metrics endpoint in the lab's file_sd targets. */
export function addMetricsTarget(lab: Backend, target: MetricsTarget): void {
  const file = targetsFile(lab);
  let groups: FileSdGroup[] = [];
  try { groups = JSON.parse(readFileSync(file, 'utf8')) as FileSdGroup[]; } catch { /* none yet */ }
  groups = groups.filter((g) => !(g.labels.node === target.node && g.labels.agent === target.agent));
  groups.push({ targets: [target.address], labels: { node: target.node, agent: target.agent } });
  writeTargets(file, groups);
}

function writeTargets(file: string, groups: FileSdGroup[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // Written then renamed: Prometheus never reads half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(groups, null, 2)}\n`);
  renameSync(tmp, file);
}
