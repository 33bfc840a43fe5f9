import { readFileSync } from 'node:fs';
import { nodeRoles } from './nodeRoles';
import type { Topology, TopologyNode } from './topology';

/**
 * Where a lab's telemetry flows, read from its files the way its nodes read them: which node receives
 * each sFlow exporter's datagrams (pmacctd.conf's sfprobe_receiver), and which hosts can speak BGP to a
 * router (a router's frr.conf has a neighbor at the host's address). The extension's "Start Agent"
 * quick picks, the debug configurations and `labtel demo` prefill agents' flags from this, as the
 * book's make targets prefilled them by hand for its lab.
 */
export interface SflowReceiver {
  /** The node whose exporter sends the datagrams (netgo: r3). */
  readonly exporter: string;
  /** The node that holds the receiver's address (netgo: host-2), if any node does. */
  readonly node: string | undefined;
  readonly address: string;
  readonly port: number;
}

/** A host that a router has a BGP neighbor for: where a bgp-ping speaker can run. */
export interface BgpSpeakerSlot {
  readonly node: string;
  /** The host's address the router peers with, and the AS the router expects from it. */
  readonly address: string;
  readonly asn: number;
  readonly router: string;
  readonly routerAddress: string;
  readonly routerAsn: number;
}

/** Addresses a node gives itself in its exec entries (`ip addr add A/LEN dev IF`), without the length. */
export function execAddresses(node: TopologyNode): Array<{ address: string; interface: string }> {
  const out: Array<{ address: string; interface: string }> = [];
  for (const e of node.exec) {
    const a = e.argv;
    if (a[0] === 'ip' && (a[1] === 'addr' || a[1] === 'address' || a[1] === 'a') && a[2] === 'add') {
      const dev = a.indexOf('dev');
      if (a[3] && dev > 0 && a[dev + 1]) out.push({ address: a[3].split('/')[0]!, interface: a[dev + 1]! });
    }
  }
  return out;
}

export function sflowReceivers(topology: Topology): SflowReceiver[] {
  const out: SflowReceiver[] = [];
  for (const node of topology.nodes) {
    const sflow = nodeRoles(node).sflow;
    if (!sflow) continue;
    const m = /^\s*sfprobe_receiver\s*:\s*(\S+?):(\d+)\s*$/m.exec(readFileSync(sflow.config, 'utf8'));
    if (!m) continue;
    const address = m[1]!;
    out.push({ exporter: node.name, node: nodeWithAddress(topology, address), address, port: Number(m[2]) });
  }
  return out;
}

function nodeWithAddress(topology: Topology, address: string): string | undefined {
  return topology.nodes.find((n) => execAddresses(n).some((a) => a.address === address))?.name;
}

/** The parts of an FRR config that say who peers with whom. */
interface FrrPeering {
  readonly asn: number | undefined;
  readonly interfaceAddresses: ReadonlyMap<string, string[]>;
  readonly neighbors: ReadonlyMap<string, number>;
}

function readFrrPeering(text: string): FrrPeering {
  let asn: number | undefined;
  let iface: string | undefined;
  const interfaceAddresses = new Map<string, string[]>();
  const neighbors = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^interface\s+(\S+)/.exec(line))) iface = m[1];
    else if (line === 'exit' || line === '!') iface = undefined;
    else if (iface && (m = /^ip address\s+([\d.]+)\//.exec(line))) interfaceAddresses.set(iface, [...(interfaceAddresses.get(iface) ?? []), m[1]!]);
    else if ((m = /^router bgp\s+(\d+)/.exec(line))) asn = Number(m[1]);
    else if ((m = /^neighbor\s+(\S+)\s+remote-as\s+(\d+)/.exec(line))) neighbors.set(m[1]!, Number(m[2]));
  }
  return { asn, interfaceAddresses, neighbors };
}

export function bgpSpeakerSlots(topology: Topology): BgpSpeakerSlot[] {
  const slots: BgpSpeakerSlot[] = [];
  for (const router of topology.nodes) {
    const frr = nodeRoles(router).frr;
    if (!frr) continue;
    const peering = readFrrPeering(readFileSync(frr.config, 'utf8'));
    if (peering.asn === undefined) continue;
    for (const link of topology.links) {
      const mine = link.endpoints.find((e) => e.node === router.name);
      const other = link.endpoints.find((e) => e !== mine);
      if (!mine || !other) continue;
      const host = topology.nodes.find((n) => n.name === other.node);
      if (!host || nodeRoles(host).frr) continue;
      const routerAddress = peering.interfaceAddresses.get(mine.interface)?.[0];
      for (const a of execAddresses(host).filter((x) => x.interface === other.interface)) {
        const asn = peering.neighbors.get(a.address);
        if (asn !== undefined && routerAddress !== undefined) {
          slots.push({ node: host.name, address: a.address, asn, router: router.name, routerAddress, routerAsn: peering.asn });
        }
      }
    }
  }
  return slots.sort((a, b) => a.node.localeCompare(b.node));
}
