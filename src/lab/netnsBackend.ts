import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabNotDeployedError, requireNode, type Backend, type DeployResult, type ExecOptions, type InterfaceInfo, type LabInfo, type NodeInfo } from './backend';
import { frrBinDir, frrDaemonArgv } from './frr';
import { defaultStateRoot, labStateDir, readLabState, writeLabState, type LabState, type RecordedProcess } from './labState';
import { namespaceName } from './names';
import { netnsExecArgv } from './nodeCommand';
import { nodeRoles, type NodeRoles } from './nodeRoles';
import { Privileges } from './privileges';
import { identify, isRunning, processStartTime, stopProcesses, type ProcessIdentity } from './processes';
import { run } from './run';
import { pmacctdConfig } from './sflowProbe';
import type { Topology, TopologyNode } from './topology';
import { TopologyError } from './topologyError';

export interface NetnsBackendOptions {
  readonly privileges?: Privileges;
  /** Parent of the lab's state folder; default /run/labtel (or LABTEL_STATE_ROOT). */
  readonly stateRoot?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The embedded backend: a lab made of Linux network namespaces on this machine.
 *
 * Deploy, in order (each resource recorded in state.json before it is created):
 *  1. one namespace per node, `clab-<lab>-<node>` (`ip netns add`, one `ip -batch` for all);
 *  2. one veth pair per link, created directly inside the two namespaces with the topology's
 *     interface names (`ip link add eth1 netns A type veth peer name eth1 netns B`): no end ever
 *     exists in the root namespace, so no temporary names, no 15-character juggling and no collision
 *     with a second lab or a leftover of a killed deploy;
 *  3. per node, in parallel: lo and links up, forwarding on for routers, then the node's `exec:`
 *     entries (argv, no shell), then its daemons — FRR (zebra, then the daemons its bound
 *     /etc/frr/daemons enables) and pmacctd as sFlow agent — each in its own session, in the foreground,
 *     with pid, socket, log and config paths under <stateRoot>/<lab>/<node>/.
 * Destroy stops the recorded processes (pid + start time), then anything still running in the lab's
 * namespaces, deletes the namespaces (their veths go with them) and the state folder.
 */
export class NetnsBackend implements Backend {
  readonly kind = 'netns' as const;
  readonly stateDir: string;
  private readonly privileges: Privileges;
  private readonly stateRoot: string;

  constructor(readonly topology: Topology, options: NetnsBackendOptions = {}) {
    this.privileges = options.privileges ?? new Privileges();
    this.stateRoot = options.stateRoot ?? defaultStateRoot();
    this.stateDir = labStateDir(topology.name, this.stateRoot);
  }

  namespace(node: string): string {
    return namespaceName(this.topology.name, node);
  }

  /** The folder holding a node's configs as started, its daemons' stdout and pmacctd's pid and log. */
  nodeDir(node: string): string {
    return path.join(this.stateDir, node);
  }

  /** The folder of a node's FRR instance (vty sockets, zserv.api, pid files, logs), owned by user frr. */
  frrDir(node: string): string {
    return path.join(this.nodeDir(node), 'frr');
  }

  async deploy(): Promise<DeployResult> {
    const started = performance.now();
    this.checkSupported();
    this.privileges.check();
    const hash = topologyHash(this.topology);
    const existing = readLabState(this.stateDir);
    if (existing) {
      if (existing.phase === 'up' && existing.topologyHash === hash && this.healthy(existing)) {
        return { created: false, seconds: (performance.now() - started) / 1000 };
      }
      await this.destroy();
    }
    const namespaces = this.topology.nodes.map((n) => this.namespace(n.name));
    const taken = namespaces.filter((ns) => existsSync(`/run/netns/${ns}`));
    if (taken.length > 0) {
      throw new Error(`namespace ${taken.join(', ')} already exists and lab ${this.topology.name} has no record of creating it ` +
        '(another deployment of a lab with the same name?): remove it with "ip netns del" or give the lab another name');
    }

    const deployerStart = processStartTime(process.pid) ?? '0';
    const state: LabState = {
      version: 1, lab: this.topology.name, backend: 'netns', topologyFile: this.topology.file, topologyHash: hash,
      stateDir: this.stateDir, createdAt: new Date().toISOString(), deployer: { pid: process.pid, startTime: deployerStart },
      phase: 'deploying', namespaces, links: [], processes: [],
    };
    this.ensureStateDir();
    writeLabState(state);
    await this.ip(['-force', '-batch', '-'], namespaces.map((ns) => `netns add ${ns}`));

    for (const link of this.topology.links) {
      const [a, b] = link.endpoints;
      state.links.push({ a: { namespace: this.namespace(a.node), interface: a.interface }, b: { namespace: this.namespace(b.node), interface: b.interface } });
    }
    writeLabState(state);
    if (this.topology.links.length > 0) {
      await this.ip(['-batch', '-'], this.topology.links.map((link) => {
        const [a, b] = link.endpoints;
        const mtu = link.mtu === undefined ? '' : ` mtu ${link.mtu}`;
        const macA = a.mac === undefined ? '' : ` address ${a.mac}`;
        const macB = b.mac === undefined ? '' : ` address ${b.mac}`;
        return `link add ${a.interface}${mtu}${macA} netns ${this.namespace(a.node)} type veth peer name ${b.interface}${mtu}${macB} netns ${this.namespace(b.node)}`;
      }));
    }

    try {
      await Promise.all(this.topology.nodes.map((node) => this.configureNode(node, state)));
    } catch (err) {
      throw new Error(`${(err as Error).message}\n(lab ${this.topology.name} is left half-built for a look; "labtel lab down" removes all of it)`);
    }

    await sleep(50);
    const dead = state.processes.filter((p) => p.pid === undefined || !isRunning({ pid: p.pid, startTime: p.startTime ?? '' }));
    if (dead.length > 0) {
      const detail = dead.map((p) => `${p.node}/${p.name}: ${tail(p.logFile)}`).join('\n');
      throw new Error(`lab ${this.topology.name}: ${dead.length} process(es) exited right after starting (the lab stays as it is; "labtel lab down" removes it):\n${detail}`);
    }
    state.phase = 'up';
    writeLabState(state);
    return { created: true, seconds: (performance.now() - started) / 1000 };
  }

  async destroy(): Promise<void> {
    this.privileges.check();
    const state = readLabState(this.stateDir);
    if (state) {
      const recorded = [...state.processes, ...(state.services ?? [])].flatMap((p) => (p.pid !== undefined && p.startTime !== undefined ? [{ pid: p.pid, startTime: p.startTime }] : []));
      await stopProcesses(this.privileges, recorded);
      const present = state.namespaces.filter((ns) => existsSync(`/run/netns/${ns}`));
      // Whatever else runs in the lab's namespaces was started into them (lab exec, traffic, agents,
      // a daemon whose pid a killed deploy never recorded): it goes with the lab.
      const inside = (await Promise.all(present.map((ns) => this.namespacePids(ns)))).flat();
      const swept = identify(inside);
      await stopProcesses(this.privileges, swept);
      await this.removeFrrCrashDirs([...recorded, ...swept].map((p) => p.pid));
      if (present.length > 0) await this.ip(['-force', '-batch', '-'], present.map((ns) => `netns del ${ns}`), true);
    }
    if (existsSync(this.stateDir)) {
      if (this.privileges.isRoot) rmSync(this.stateDir, { recursive: true, force: true });
      else await run(this.privileges.wrap(['rm', '-rf', '--', this.stateDir]));
    }
    try { rmdirSync(this.stateRoot); } catch { /* other labs' state, or not ours to remove */ }
  }

  async inspect(): Promise<LabInfo> {
    const state = readLabState(this.stateDir);
    const nodes = await Promise.all(this.topology.nodes.map(async (node): Promise<NodeInfo> => {
      const ns = this.namespace(node.name);
      const exists = existsSync(`/run/netns/${ns}`);
      const processes = (state?.processes ?? []).filter((p) => p.node === node.name && p.pid !== undefined)
        .map((p) => ({ name: p.name, pid: p.pid!, alive: isRunning({ pid: p.pid!, startTime: p.startTime ?? '' }) }));
      const interfaces = exists ? await this.interfaces(ns) : [];
      const roles = nodeRoles(node);
      return {
        name: node.name, kind: node.kind,
        state: !exists || !state ? 'absent' : processes.every((p) => p.alive) ? 'running' : 'degraded',
        namespace: ns, namespacePath: `/run/netns/${ns}`, interfaces, processes,
        roles: [...(roles.frr ? ['frr' as const] : []), ...(roles.sflow ? ['sflow' as const] : [])],
      };
    }));
    return { lab: this.topology.name, backend: 'netns', deployed: state !== undefined, stateDir: this.stateDir, nodes };
  }

  exec(nodeName: string, argv: readonly string[], options: ExecOptions = {}): ChildProcess {
    const node = requireNode(this.topology, nodeName);
    if (argv.length === 0) throw new Error('exec needs a command');
    const ns = this.namespace(node.name);
    if (!existsSync(`/run/netns/${ns}`)) throw new LabNotDeployedError(this.topology.name, `no namespace ${ns}`);
    const full = this.privileges.wrap(netnsExecArgv(this.topology, this.stateDir, node, argv));
    return spawn(full[0]!, full.slice(1), {
      stdio: options.stdio ?? ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
      detached: options.detached ?? false,
    });
  }

  async logs(nodeName: string): Promise<string> {
    requireNode(this.topology, nodeName);
    const files = [this.nodeDir(nodeName), this.frrDir(nodeName)].filter((d) => existsSync(d))
      .flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.log') || f.endsWith('.stdout')).sort().map((f) => path.join(d, f)));
    return files.map((f) => `==> ${f} <==\n${readFileSync(f, 'utf8')}`).join('\n');
  }

  // ---- deploy steps ----

  private checkSupported(): void {
    for (const node of this.topology.nodes) {
      if (node.kind !== 'linux') {
        throw new TopologyError(node.position, `node "${node.name}" is of kind "${node.kind}", which the netns backend cannot build: it builds "linux" nodes (an FRR router is a linux node with a bound /etc/frr/frr.conf); use --backend containerlab for other kinds`);
      }
      const roles = nodeRoles(node);
      if (roles.frr && !existsSync(path.join(frrBinDir, 'zebra'))) {
        throw new Error(`node "${node.name}" runs FRR but ${path.join(frrBinDir, 'zebra')} is missing: install Debian's frr package (scripts/setup.sh)`);
      }
      if (roles.sflow?.samplingRate !== undefined && !(Number.isInteger(roles.sflow.samplingRate) && roles.sflow.samplingRate >= 1)) {
        throw new TopologyError(node.position, `node "${node.name}": label labtel.sflow.sampling-rate must be a whole number >= 1`);
      }
    }
  }

  private async configureNode(node: TopologyNode, state: LabState): Promise<void> {
    const ns = this.namespace(node.name);
    const roles = nodeRoles(node);
    await this.ip(['-n', ns, '-batch', '-'], ['link set lo up', ...node.interfaces.map((i) => `link set ${i} up`)]);
    // Routers forward; nobody drops asymmetric paths; then the node's own sysctls (containerlab's key).
    const sysctls = ['net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0', `net.ipv4.ip_forward=${roles.frr ? 1 : 0}`,
      ...Object.entries(node.sysctls).map(([k, v]) => `${k}=${v}`)];
    await run(this.privileges.wrap(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', ...sysctls]));
    for (const entry of node.exec) {
      const argv = entry.argv[0] === 'ip' ? ['ip', '-n', ns, ...entry.argv.slice(1)] : ['ip', 'netns', 'exec', ns, ...entry.argv];
      try {
        await run(this.privileges.wrap(argv));
      } catch (err) {
        throw new Error(`${entry.position.file}:${entry.position.line}:${entry.position.column}: exec entry "${entry.text}" of node ${node.name} failed: ${(err as Error).message}`);
      }
    }
    if (roles.frr || roles.sflow) {
      const dir = this.nodeDir(node.name);
      mkdirSync(dir, { recursive: true });
      if (roles.frr) await this.startFrr(node, roles.frr, dir, state);
      if (roles.sflow) await this.startSflow(node, roles.sflow, dir, state);
    }
  }

  private async startFrr(node: TopologyNode, frr: NonNullable<NodeRoles['frr']>, dir: string, state: LabState): Promise<void> {
    const config = path.join(dir, 'frr.conf');
    copyFileSync(frr.config, config);
    // Debian's FRR runs as user frr (see frr.ts): it must own the folder where it creates sockets and pid
    // files. The node folder stays labtel's, so labtel (also as a user behind sudo) can write there.
    const frrDir = this.frrDir(node.name);
    mkdirSync(frrDir, { recursive: true });
    if (this.privileges.isRoot) chownTree(frrDir);
    else await run(this.privileges.wrap(['chown', '-R', 'frr:frr', frrDir]));
    const paths = { dir: frrDir, config };
    await this.startProcess(state, node.name, 'zebra', frrDaemonArgv('zebra', paths), dir, frrDir);
    const socket = path.join(frrDir, 'zserv.api');
    const deadline = Date.now() + 10_000;
    while (!existsSync(socket) && Date.now() < deadline) await sleep(10);
    await Promise.all(frr.daemons.filter((d) => d !== 'zebra').map((d) => this.startProcess(state, node.name, d, frrDaemonArgv(d, paths), dir, frrDir)));
  }

  private async startSflow(node: TopologyNode, sflow: NonNullable<NodeRoles['sflow']>, dir: string, state: LabState): Promise<void> {
    const config = path.join(dir, 'pmacctd.conf');
    writeFileSync(config, pmacctdConfig(readFileSync(sflow.config, 'utf8'), {
      pidFile: path.join(dir, 'pmacctd.pid'), logFile: path.join(dir, 'pmacctd.log'), samplingRate: sflow.samplingRate,
    }));
    await this.startProcess(state, node.name, 'pmacctd', ['pmacctd', '-f', config], dir);
  }

  /** Spawns a daemon in the node's namespace, in its own session, and records it. */
  private async startProcess(state: LabState, node: string, name: string, argv: string[], dir: string, logDir = dir): Promise<void> {
    const record: RecordedProcess = { node, name, argv, logFile: path.join(logDir, `${name}.log`) };
    state.processes.push(record);
    writeLabState(state);
    const out = openSync(path.join(dir, `${name}.stdout`), 'a');
    const full = this.privileges.wrap(['ip', 'netns', 'exec', this.namespace(node), ...argv]);
    try {
      const child = spawn(full[0]!, full.slice(1), { detached: true, stdio: ['ignore', out, out] });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', (e) => reject(new Error(`cannot start ${name} in ${node}: ${e.message}`)));
      });
      child.unref();
      record.pid = child.pid!;
      record.startTime = processStartTime(child.pid!) ?? '';
      writeLabState(state);
    } finally {
      closeSync(out);
    }
  }

  // ---- helpers ----

  private healthy(state: LabState): boolean {
    return state.namespaces.every((ns) => existsSync(`/run/netns/${ns}`)) &&
      state.processes.every((p) => p.pid !== undefined && isRunning({ pid: p.pid, startTime: p.startTime ?? '' } as ProcessIdentity));
  }

  private ensureStateDir(): void {
    if (this.privileges.isRoot) { mkdirSync(this.stateDir, { recursive: true }); return; }
    // As a user the state root under /run needs root to create; the lab's folder is then the user's.
    const uid = String(process.getuid?.()); const gid = String(process.getgid?.());
    const r = spawnSync(this.privileges.prefix[0]!, [...this.privileges.prefix.slice(1), 'install', '-d', '-o', uid, '-g', gid, this.stateDir]);
    if (r.status !== 0) throw new Error(`cannot create the lab state folder ${this.stateDir}`);
  }

  private async ip(args: string[], batch: string[], allowFailure = false): Promise<void> {
    await run(this.privileges.wrap(['ip', ...args]), { input: `${batch.join('\n')}\n`, allowFailure });
  }

  /**
   * FRR daemons keep a crash-log folder /var/tmp/frr/<daemon>.<pid> and remove it on a clean exit; one
   * stopped before its signal handlers were set up (a deploy killed right after starting it) leaves it.
   * Only folders named with the pid of a process this lab ran are removed.
   */
  private async removeFrrCrashDirs(pids: readonly number[]): Promise<void> {
    const base = '/var/tmp/frr';
    if (pids.length === 0 || !existsSync(base)) return;
    const wanted = new Set(pids.map(String));
    let names: string[];
    try { names = readdirSync(base); } catch { return; }
    const ours = names.filter((n) => /^[a-z0-9]+d\.\d+$/.test(n) && wanted.has(n.slice(n.lastIndexOf('.') + 1))).map((n) => path.join(base, n));
    if (ours.length === 0) return;
    if (this.privileges.isRoot) for (const d of ours) rmSync(d, { recursive: true, force: true });
    else await run(this.privileges.wrap(['rm', '-rf', '--', ...ours]), { allowFailure: true });
  }

  private async namespacePids(ns: string): Promise<number[]> {
    const r = await run(this.privileges.wrap(['ip', 'netns', 'pids', ns]), { allowFailure: true });
    return r.stdout.split('\n').filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  }

  private async interfaces(ns: string): Promise<InterfaceInfo[]> {
    const r = await run(this.privileges.wrap(['ip', '-n', ns, '-j', 'addr', 'show']), { allowFailure: true });
    if (r.code !== 0) return [];
    const list = JSON.parse(r.stdout) as { ifname: string; flags?: string[]; addr_info?: { family: string; local: string; prefixlen: number; scope?: string }[] }[];
    return list.map((i) => ({
      name: i.ifname,
      up: (i.flags ?? []).includes('UP'),
      addresses: (i.addr_info ?? []).filter((a) => a.scope !== 'link' && a.scope !== 'host').map((a) => `${a.local}/${a.prefixlen}`),
    }));
  }
}

function chownTree(dir: string): void {
  const { uid, gid } = frrIds();
  const walk = (p: string) => {
    chownSync(p, uid, gid);
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) walk(path.join(p, e));
  };
  walk(dir);
}

let cachedFrrIds: { uid: number; gid: number } | undefined;
function frrIds(): { uid: number; gid: number } {
  if (cachedFrrIds) return cachedFrrIds;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('frr:'));
  if (!passwd) throw new Error('user "frr" not found: install Debian\'s frr package (scripts/setup.sh)');
  const f = passwd.split(':');
  cachedFrrIds = { uid: Number(f[2]), gid: Number(f[3]) };
  return cachedFrrIds;
}

/** sha256 of the topology file and everything it binds: what "the same lab" means for idempotence. */
export function topologyHash(topology: Topology): string {
  const h = createHash('sha256');
  h.update(readFileSync(topology.file));
  for (const node of topology.nodes) {
    for (const b of node.binds) {
      h.update(`\0${node.name}\0${b.target}\0`);
      try { if (statSync(b.source).isFile()) h.update(readFileSync(b.source)); } catch { /* checked at parse time */ }
    }
  }
  return h.digest('hex');
}

function tail(file: string): string {
  for (const f of [file, file.replace(/\.log$/, '.stdout')]) {
    try {
      const text = readFileSync(f, 'utf8').trim();
      if (text) return text.split('\n').slice(-3).join(' | ');
    } catch { /* try the next */ }
  }
  return 'no output';
}
