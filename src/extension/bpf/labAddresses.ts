/**
 * The addresses of the workspace's labs, for the language server (completion after `host`, a node's name
 * replaced by its address, IPv6-only labs): what the topology gives its nodes — exec entries' `ip addr add`,
 * routers' frr.conf — and, for a lab that is up, what its interfaces actually hold.
 */
import type { LabInfo } from '../../lab/backend';
import { hostAddresses, routerAddresses } from '../../lab/bgpStatus';
import type { Topology } from '../../lab/topology';
import type { LabAddress } from '../../shared/pcapFilterLanguage';

/** Loopback addresses say nothing about a lab. */
const LOOPBACK = /^(127\.|::1$)/;

export interface LabSource {
  readonly topology: Topology | undefined;
  readonly info: LabInfo | undefined;
}

export function labAddresses(labs: readonly LabSource[]): LabAddress[] {
  const out = new Map<string, LabAddress>();
  const add = (a: LabAddress): void => {
    const key = `${a.lab}\0${a.node}\0${a.address}`;
    if (!LOOPBACK.test(a.address) && !out.has(key)) out.set(key, a);
  };
  for (const { topology, info } of labs) {
    if (!topology) continue;
    for (const n of info?.nodes ?? []) {
      for (const i of n.interfaces) for (const a of i.addresses) add({ address: a.split('/')[0]!, node: n.name, lab: topology.name, interface: i.name });
    }
    for (const [address, node] of hostAddresses(topology)) add({ address, node, lab: topology.name });
    let routers = new Map<string, string>();
    try {
      routers = routerAddresses(topology);
    } catch {
      // A router's frr.conf missing or unreadable: the topology's own check reports it; its addresses are unknown.
    }
    for (const [address, node] of routers) add({ address, node, lab: topology.name });
  }
  return [...out.values()];
}
