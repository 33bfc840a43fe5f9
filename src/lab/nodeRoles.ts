import { readFileSync } from 'node:fs';
import type { TopologyNode } from './topology';

/**
 * What runs in a node, read from its containerlab binds the way the node's image would read them:
 * a bind onto /etc/frr/frr.conf makes it an FRR router (daemons from the bound /etc/frr/daemons,
 * zebra always), a bind onto /etc/pmacct/pmacctd.conf makes it an sFlow agent. Nodes with neither are
 * plain hosts. So the same topology file means the same lab for containerlab and for the netns backend.
 */
export interface NodeRoles {
  readonly frr: { readonly config: string; readonly daemons: readonly string[] } | undefined;
  readonly sflow: { readonly config: string; readonly samplingRate: number | undefined } | undefined;
}

export const frrConfigTarget = '/etc/frr/frr.conf';
export const frrDaemonsTarget = '/etc/frr/daemons';
export const pmacctdConfigTarget = '/etc/pmacct/pmacctd.conf';
/** A node label that overrides the sampling_rate of its pmacctd.conf: sampling is configurable per lab. */
export const samplingRateLabel = 'labtel.sflow.sampling-rate';

/** FRR daemons labtel knows how to start, in the order they start (zebra first: the others connect to it). */
export const frrDaemonOrder = ['zebra', 'mgmtd', 'staticd', 'bgpd', 'ospfd', 'ospf6d', 'ripd', 'ripngd', 'isisd', 'pimd', 'ldpd', 'nhrpd', 'eigrpd', 'babeld', 'sharpd', 'pbrd', 'bfdd', 'fabricd', 'vrrpd', 'pathd'];

/** Daemons set to "yes" in an /etc/frr/daemons file, zebra included, in start order. */
export function enabledDaemons(daemonsFile: string): string[] {
  const on = new Set(['zebra']);
  for (const line of daemonsFile.split('\n')) {
    const m = /^\s*([a-z0-9]+d)\s*=\s*"?yes"?\s*(#.*)?$/.exec(line);
    if (m && frrDaemonOrder.includes(m[1]!)) on.add(m[1]!);
  }
  return frrDaemonOrder.filter((d) => on.has(d));
}

export function nodeRoles(node: TopologyNode): NodeRoles {
  const bound = (target: string) => node.binds.find((b) => b.target === target)?.source;
  const frrConfig = bound(frrConfigTarget);
  const daemonsFile = bound(frrDaemonsTarget);
  const frr = frrConfig === undefined ? undefined : {
    config: frrConfig,
    daemons: daemonsFile === undefined ? ['zebra', 'staticd', 'bgpd'] : enabledDaemons(readFileSync(daemonsFile, 'utf8')),
  };
  const sflowConfig = bound(pmacctdConfigTarget);
  const label = node.labels[samplingRateLabel];
  const sflow = sflowConfig === undefined ? undefined : { config: sflowConfig, samplingRate: label === undefined ? undefined : Number(label) };
  return { frr, sflow };
}
