import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { isMap, yaml } from './yaml';
import { LabNotDeployedError, requireNode, type Backend } from './backend';
import { defaultStateRoot, labStateDir } from './labState';
import { Privileges } from './privileges';
import { execOutput } from './execOutput';
import { identify, isRunning, stopProcesses, type ProcessIdentity } from './processes';

/**
 * Traffic profiles: the book's `make traffic-start` with iperf3. A profile is a YAML file
 * <topology folder>/<lab>/traffic/<name>.yml naming a server node, a client node, a duration and flows
 * (destination address and port, rate in iperf3's -b syntax, UDP payload length). One iperf3 server per
 * flow listens on its address and port in the server node; one client per flow sends UDP from the
 * client node. Their pids are kept in <stateRoot>/<lab>/traffic.json so `labtel traffic stop` works
 * from a fresh process; destroying the lab stops them too.
 */
export interface TrafficFlow {
  readonly to: string;
  readonly port: number;
  readonly rate: string;
  readonly length: number;
}

export interface TrafficProfile {
  readonly name: string;
  readonly file: string;
  readonly server: string;
  readonly client: string;
  readonly duration: number;
  readonly flows: readonly TrafficFlow[];
}

interface RunningTraffic {
  readonly profile: string;
  readonly startedAt: string;
  readonly processes: (ProcessIdentity & { readonly role: string })[];
}

export function trafficProfilePath(topologyFile: string, lab: string, profile: string): string {
  return path.join(path.dirname(topologyFile), lab, 'traffic', `${profile}.yml`);
}

export function loadTrafficProfile(backend: Backend, name = 'default'): TrafficProfile {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) throw new Error(`traffic profile name "${name}" is not valid`);
  const file = trafficProfilePath(backend.topology.file, backend.topology.name, name);
  if (!existsSync(file)) throw new Error(`no traffic profile "${name}": ${file} does not exist`);
  const doc = yaml().parseDocument(readFileSync(file, 'utf8'));
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
  if (!isMap(doc.contents)) throw new Error(`${file}: a traffic profile is a mapping with server, client, duration and flows`);
  const raw = doc.toJSON() as { server?: unknown; client?: unknown; duration?: unknown; flows?: unknown };
  const bad = (what: string): never => { throw new Error(`${file}: ${what}`); };
  const server = typeof raw.server === 'string' ? raw.server : bad('"server" must name a node');
  const client = typeof raw.client === 'string' ? raw.client : bad('"client" must name a node');
  requireNode(backend.topology, server);
  requireNode(backend.topology, client);
  const duration = raw.duration === undefined ? 60 : Number(raw.duration);
  if (!Number.isInteger(duration) || duration < 1) bad('"duration" must be whole seconds >= 1');
  if (!Array.isArray(raw.flows) || raw.flows.length === 0) bad('"flows" must be a non-empty list');
  const flows = (raw.flows as Record<string, unknown>[]).map((f, i): TrafficFlow => {
    const to = String(f.to ?? '');
    if (isIP(to) === 0) bad(`flow ${i + 1}: "to" must be an IP address`);
    const port = Number(f.port ?? 5201);
    if (!Number.isInteger(port) || port < 1 || port > 65535) bad(`flow ${i + 1}: "port" must be 1-65535`);
    const rate = String(f.rate ?? '');
    if (!/^\d+(\.\d+)?[KMGkmg]?$/.test(rate)) bad(`flow ${i + 1}: "rate" must be bits/s like 900K`);
    const length = Number(f.length ?? 1024);
    if (!Number.isInteger(length) || length < 16 || length > 65507) bad(`flow ${i + 1}: "length" must be UDP payload bytes (16-65507)`);
    return { to, port, rate, length };
  });
  return { name, file, server, client, duration, flows };
}

function trafficFile(lab: string, stateRoot: string): string {
  return path.join(labStateDir(lab, stateRoot), 'traffic.json');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a profile (stopping one that runs). Resolves once every client is sending. */
export async function startTraffic(backend: Backend, profile: TrafficProfile, options: { duration?: number; stateRoot?: string } = {}): Promise<void> {
  const stateRoot = options.stateRoot ?? defaultStateRoot();
  const info = await backend.inspect();
  const absent = info.nodes.filter((n) => (n.name === profile.server || n.name === profile.client) && n.state === 'absent');
  if (absent.length > 0) throw new LabNotDeployedError(backend.topology.name, `${absent.map((n) => n.name).join(' and ')} not running`);
  await stopTraffic(backend, { stateRoot });
  const dir = path.join(labStateDir(backend.topology.name, stateRoot), 'traffic');
  mkdirSync(dir, { recursive: true });
  const duration = options.duration ?? profile.duration;
  const record: RunningTraffic = { profile: profile.name, startedAt: new Date().toISOString(), processes: [] };
  const save = () => writeFileSync(trafficFile(backend.topology.name, stateRoot), JSON.stringify(record, null, 2));
  const spawnLogged = (node: string, argv: string[], role: string, log: string): void => {
    const fd = openSync(log, 'w');
    try {
      const child = backend.exec(node, argv, { stdio: ['ignore', fd, fd], detached: true });
      child.on('error', () => { /* reported through the log and the readiness check */ });
      child.unref();
      if (child.pid !== undefined) record.processes.push(...identify([child.pid]).map((p) => ({ ...p, role })));
      save();
    } finally {
      closeSync(fd);
    }
  };
  const serverLogs = profile.flows.map((f) => path.join(dir, `server-${f.to}-${f.port}.log`));
  profile.flows.forEach((f, i) => spawnLogged(profile.server, ['iperf3', '-s', '--forceflush', '-B', f.to, '-p', String(f.port)], `server ${f.to}:${f.port}`, serverLogs[i]!));
  // iperf3 prints "Server listening on PORT" once its socket is bound; a client started earlier is refused.
  const deadline = Date.now() + 10_000;
  while (!serverLogs.every((l) => readFileSync(l, 'utf8').includes('Server listening'))) {
    if (Date.now() > deadline) throw new Error(`iperf3 servers in ${profile.server} did not start: ${serverLogs.map((l) => readFileSync(l, 'utf8').trim()).join(' | ')}`);
    await sleep(20);
  }
  await waitForReachability(backend, profile.client, profile.flows.map((f) => f.to), 15_000);
  profile.flows.forEach((f) => spawnLogged(profile.client, [
    'iperf3', '-c', f.to, '-p', String(f.port), '--forceflush', '-u', '-b', f.rate, '-l', String(f.length), '-t', String(duration),
  ], `client ${f.to}:${f.port}`, path.join(dir, `client-${f.to}-${f.port}.log`)));
  await sleep(300);
  const dead = record.processes.filter((p) => !isRunning(p));
  if (dead.length > 0) throw new Error(`traffic: ${dead.map((p) => p.role).join(', ')} exited at once; see the logs in ${dir}`);
}

/**
 * Waits until `node` gets an answer from each address. iperf3's UDP test opens with one datagram each
 * way and never resends it, so a client started while BGP is still installing routes (the sessions are
 * Established before the routes converge) waits forever; a ping answered proves both directions.
 */
async function waitForReachability(backend: Backend, node: string, addresses: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const to of new Set(addresses)) {
    for (;;) {
      const r = await execOutput(backend, node, ['ping', '-n', '-c', '1', '-W', '1', to], 5000);
      if (r.code === 0) break;
      if (Date.now() > deadline) throw new Error(`traffic: ${to} does not answer ${node} within ${timeoutMs / 1000} s (are the lab's routes up? "labtel lab status")`);
      await sleep(200);
    }
  }
}

/** Stops the lab's running traffic, if any. Returns whether there was some. */
export async function stopTraffic(backend: Backend, options: { stateRoot?: string; privileges?: Privileges } = {}): Promise<boolean> {
  const file = trafficFile(backend.topology.name, options.stateRoot ?? defaultStateRoot());
  if (!existsSync(file)) return false;
  const running = JSON.parse(readFileSync(file, 'utf8')) as RunningTraffic;
  await stopProcesses(options.privileges ?? new Privileges(), running.processes, 2000);
  rmSync(file, { force: true });
  rmSync(path.join(path.dirname(file), 'traffic'), { recursive: true, force: true });
  return true;
}
