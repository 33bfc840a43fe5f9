import { readFileSync } from 'node:fs';
import { DEBUG_TYPE, DEFAULT_TOPOLOGY } from '../shared/debugLaunch';
import { nodeRoles } from '../lab/nodeRoles';
import type { Topology } from '../lab/topology';

/** A launch configuration as launch.json holds it. */
export interface LabLaunchConfiguration {
  readonly type: typeof DEBUG_TYPE;
  readonly request: 'launch';
  readonly name: string;
  readonly agent: string;
  readonly node: string;
  readonly args: string[];
  readonly topology: string;
  readonly stopOnEntry: false;
  /** A lab host of labtel.labHosts; absent: this machine. */
  readonly labHost?: string;
}

const SFLOW_RECEIVER = /^\s*sfprobe_receiver\s*:\s*([\d.]+):(\d+)\s*$/m;
const ADDR_ADD = /^ip addr(?:ess)? add ([\d.]+)\/(\d+) dev (\S+)$/;
const ROUTER_BGP = /^\s*router bgp (\d+)/m;
const NEIGHBOR_AS = /^\s*neighbor ([\d.]+) remote-as (\d+)/gm;
const INTERFACE_ADDRESS = /^\s*ip address ([\d.]+)\/(\d+)/gm;
/** The book's probe prefixes, one per speaker in topology order: 100.64.0.0, .1, .2 … */
const PROBE_PREFIX_BASE = '100.64.0.';
/** The demo's probe interval. */
const PROBE_INTERVAL = '2s';

/**
 * The launch configurations a lab offers, as the book's make targets did (one per agent and host):
 * read from the topology and the files it binds — top-talkers and capture where r3's sFlow agent
 * exports to (pmacctd.conf's sfprobe_receiver), bgp-ping on each host its router has a BGP neighbor
 * for (AS numbers and addresses from frr.conf); the prober where the sFlow collector is, as in the book.
 */
export function labLaunchConfigurations(topology: Topology, topologyArg = DEFAULT_TOPOLOGY, read: (file: string) => string = (f) => readFileSync(f, 'utf8')): LabLaunchConfiguration[] {
  const configs: LabLaunchConfiguration[] = [];
  const make = (name: string, agent: string, node: string, args: string[]): LabLaunchConfiguration =>
    ({ type: DEBUG_TYPE, request: 'launch', name: `labtel: ${name}`, agent, node, args, topology: topologyArg, stopOnEntry: false });

  // Host addresses from the nodes' exec lines: address → node, interface.
  const hostAddresses = new Map<string, { node: string; intf: string }>();
  for (const node of topology.nodes) {
    for (const e of node.exec) {
      const m = ADDR_ADD.exec(e.text.trim());
      if (m) hostAddresses.set(m[1]!, { node: node.name, intf: m[3]! });
    }
  }

  let collector: string | undefined;
  for (const node of topology.nodes) {
    const sflow = nodeRoles(node).sflow;
    if (!sflow) continue;
    const m = SFLOW_RECEIVER.exec(safeRead(read, sflow.config));
    const host = m ? hostAddresses.get(m[1]!) : undefined;
    if (!m || !host) continue;
    collector ??= host.node;
    configs.push(make(`top-talkers on ${host.node}`, 'top-talkers', host.node, ['--listen', `${m[1]}:${m[2]}`]));
    configs.push(make(`capture on ${host.node}`, 'capture', host.node, ['--intf', host.intf, '--filter', `udp port ${m[2]}`]));
  }

  const speakers: Array<{ node: string; args: string[] }> = [];
  for (const router of topology.nodes) {
    const frr = nodeRoles(router).frr;
    if (!frr) continue;
    const text = safeRead(read, frr.config);
    const as = ROUTER_BGP.exec(text)?.[1];
    if (!as) continue;
    const ifAddresses = [...text.matchAll(INTERFACE_ADDRESS)].map((m) => ({ addr: m[1]!, len: Number(m[2]) }));
    for (const n of text.matchAll(NEIGHBOR_AS)) {
      const host = hostAddresses.get(n[1]!);
      const local = ifAddresses.find((a) => sameSubnet(a.addr, n[1]!, a.len));
      if (!host || !local) continue;
      speakers.push({ node: host.node, args: ['-id', host.node, '-laddr', n[1]!, '-raddr', local.addr, '-las', n[2]!, '-ras', as] });
    }
  }
  const order = topology.nodes.map((n) => n.name);
  speakers.sort((a, b) => order.indexOf(a.node) - order.indexOf(b.node));
  speakers.forEach((s, k) => {
    const args = [...s.args.slice(0, 2), '-nlri', `${PROBE_PREFIX_BASE}${k}`, ...s.args.slice(2)];
    if (s.node === collector) configs.push(make(`bgp-ping prober on ${s.node}`, 'bgp-ping', s.node, [...args, '-i', PROBE_INTERVAL]));
    else configs.push(make(`bgp-ping responder on ${s.node}`, 'bgp-ping', s.node, [...args, '-p']));
  });
  return configs;
}

/**
 * The same configurations for the lab deployed on each lab host: the agents run there from labtel's
 * copy of the build, the editor's breakpoints stay on the workspace's sources.
 */
export function labHostConfigurations(configs: readonly LabLaunchConfiguration[], hosts: readonly string[]): LabLaunchConfiguration[] {
  return hosts.flatMap((host) => configs.map((c) => ({ ...c, name: `${c.name} @ ${host}`, labHost: host })));
}

function safeRead(read: (file: string) => string, file: string): string {
  try {
    return read(file);
  } catch {
    return '';
  }
}

function ipv4(text: string): number {
  return text.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

function sameSubnet(a: string, b: string, len: number): boolean {
  const size = 2 ** (32 - len);
  return Math.floor(ipv4(a) / size) === Math.floor(ipv4(b) / size);
}
