import { UsageError, type CliCommand } from '../command';
import type { Backend, LabInfo } from '../../lab/backend';
import { bgpRouters, bgpSessions, waitForRouterSessions, type NodeBgpSession } from '../../lab/bgpStatus';
import { createBackend, defaultBackendKind, isBackendKind } from '../../lab/backends';
import { runningPrometheus } from '../../lab/prometheus';
import { HostBackend } from '../../lab/host/hostBackend';
import { loadTopology } from '../../lab/topology';
import { selectedHost } from '../hostOption';

/** Options shared by `labtel lab …` and `labtel traffic …`: -t FILE and --backend KIND. */
export interface LabOptions {
  readonly topologyFile: string;
  readonly backend: 'netns' | 'containerlab';
  /** The words that were not these options, in order. */
  readonly rest: string[];
}

export const defaultTopologyFile = 'lab/netgo.clab.yml';

/** Takes -t/--topo FILE and --backend KIND out of argv (up to a "--", which ends options). */
export function parseLabOptions(argv: readonly string[]): LabOptions {
  let topologyFile = process.env.LABTEL_TOPOLOGY ?? defaultTopologyFile;
  let backend = defaultBackendKind();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { rest.push(...argv.slice(i)); break; }
    if (a === '-t' || a === '--topo' || a === '--topology') {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a topology file`);
      topologyFile = v;
    } else if (a === '--backend') {
      const v = argv[++i];
      if (v === undefined || !isBackendKind(v)) throw new UsageError('--backend must be netns or containerlab');
      backend = v;
    } else if (a.startsWith('--backend=')) {
      const v = a.slice('--backend='.length);
      if (!isBackendKind(v)) throw new UsageError('--backend must be netns or containerlab');
      backend = v;
    } else {
      rest.push(a);
    }
  }
  return { topologyFile, backend, rest };
}

/** The lab on this machine, or on the lab host chosen with `labtel --host NAME`. */
export function openLab(options: LabOptions): Backend {
  const topology = loadTopology(options.topologyFile);
  const host = selectedHost();
  return host ? host.backend(topology, options.backend) : createBackend(topology, options.backend);
}

const usage = `usage: labtel lab up|down|status [--backend netns|containerlab] [-t FILE]
       labtel lab exec [-t FILE] NODE -- COMMAND [ARG…]
       labtel lab logs [-t FILE] NODE

  up        deploy the lab (idempotent) and wait until the BGP sessions between routers are Established
            --no-wait: return once deployed; --timeout SECONDS (default 30)
  down      remove everything the lab created (namespaces, links, processes, state)
  status    nodes, state, addresses and BGP session states (--json for machine-readable output)
  exec      run a command inside a node's network namespace (argv, no shell); exit code is the command's
  logs      the node's daemon logs
  -t FILE   containerlab topology file (default lab/netgo.clab.yml)
  --backend netns (default: Linux namespaces here, real FRR) or containerlab (needs Docker)`;

export const labCommand: CliCommand = {
  name: 'lab',
  summary: 'deploy, inspect, enter and remove the lab (lab up|down|status|exec|logs)',
  usage,
  async run(argv) {
    const options = parseLabOptions(argv);
    const [verb, ...rest] = options.rest;
    switch (verb) {
      case 'up': return up(openLab(options), rest);
      case 'down': {
        expectNoMore(rest);
        const lab = openLab(options);
        const t = performance.now();
        await lab.destroy();
        console.log(`lab ${lab.topology.name} down (${lab.kind}) in ${((performance.now() - t) / 1000).toFixed(2)} s`);
        return 0;
      }
      case 'status': return status(openLab(options), rest);
      case 'exec': return exec(openLab(options), rest);
      case 'logs': {
        const [node, ...more] = rest;
        if (node === undefined) throw new UsageError('lab logs needs a NODE');
        expectNoMore(more);
        process.stdout.write(await openLab(options).logs(node));
        return 0;
      }
      case undefined: throw new UsageError('missing subcommand');
      default: throw new UsageError(`unknown subcommand "${verb}"`);
    }
  },
};

function expectNoMore(rest: string[]): void {
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
}

async function up(lab: Backend, rest: string[]): Promise<number> {
  let wait = true;
  let timeout = 30;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--no-wait') wait = false;
    else if (rest[i] === '--timeout') {
      timeout = Number(rest[++i]);
      if (!(timeout > 0)) throw new UsageError('--timeout needs seconds > 0');
    } else throw new UsageError(`unexpected argument "${rest[i]}"`);
  }
  const t = performance.now();
  const result = await lab.deploy();
  console.log(`lab ${lab.topology.name} ${result.created ? 'deployed' : 'already up'} (${lab.kind}) in ${result.seconds.toFixed(2)} s`);
  if (!wait) return 0;
  if (bgpRouters(lab.topology).length < 2) {
    console.log('no BGP sessions between routers to wait for (fewer than two nodes run bgpd)');
    return 0;
  }
  if (lab instanceof HostBackend) await lab.prepare();
  const sessions = await waitForRouterSessions(lab, timeout * 1000);
  const established = sessions.filter((s) => s.betweenRouters).length;
  console.log(`${established} BGP sessions between routers Established ${((performance.now() - t) / 1000).toFixed(2)} s after start`);
  return 0;
}

async function status(lab: Backend, rest: string[]): Promise<number> {
  const json = rest.includes('--json');
  expectNoMore(rest.filter((r) => r !== '--json'));
  const info = await lab.inspect();
  let sessions: NodeBgpSession[] = [];
  let bgpError: string | undefined;
  if (lab instanceof HostBackend) await lab.prepare();
  if (info.nodes.some((n) => n.state !== 'absent' && n.roles.includes('frr'))) {
    try { sessions = await bgpSessions(lab); } catch (err) { bgpError = (err as Error).message; }
  }
  const prometheus = runningPrometheus(lab);
  if (json) {
    console.log(JSON.stringify({ ...info, bgp: sessions, bgpError, prometheus }, null, 2));
    return 0;
  }
  console.log(renderStatus(info, sessions));
  if (prometheus) console.log(`\nPrometheus: http://${prometheus.listen}/ in ${prometheus.node} (pid ${prometheus.pid}), scraping the agents listed in ${prometheus.targetsFile}`);
  if (bgpError) console.log(`BGP: ${bgpError}`);
  return 0;
}

/** The status tables: nodes with their state and addresses, then every BGP session. */
export function renderStatus(info: LabInfo, sessions: readonly NodeBgpSession[]): string {
  const lines = [`lab ${info.lab} (${info.backend}): ${info.deployed ? 'deployed' : 'not deployed'}`, ''];
  const rows = info.nodes.map((n) => [
    n.name, n.state, n.roles.join('+') || 'host',
    n.interfaces.filter((i) => i.addresses.length > 0).map((i) => `${i.name} ${i.addresses.join(' ')}`).join(', ') || '-',
  ]);
  lines.push(...table(['NODE', 'STATE', 'ROLE', 'ADDRESSES'], rows));
  if (sessions.length > 0) {
    lines.push('', ...table(['NODE', 'NEIGHBOR', 'PEER NODE', 'AS', 'STATE'], sessions.map((s) => [
      s.node, s.peer, s.peerNode ?? '?', String(s.remoteAs ?? '?'), s.betweenRouters ? s.state : `${s.state}${s.state === 'Established' ? '' : ' (waits for a BGP agent on the host)'}`,
    ])));
  }
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [fmt(header), ...rows.map(fmt)];
}

async function exec(lab: Backend, rest: string[]): Promise<number> {
  const dash = rest.indexOf('--');
  const before = dash >= 0 ? rest.slice(0, dash) : rest.slice(0, 1);
  const command = dash >= 0 ? rest.slice(dash + 1) : rest.slice(1);
  if (before.length !== 1) throw new UsageError('lab exec needs exactly one NODE before "--"');
  if (command.length === 0) throw new UsageError('lab exec needs a command after "--"');
  if (lab instanceof HostBackend) await lab.prepare();
  const child = lab.exec(before[0]!, command, { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + 15 : 1)));
  });
}
