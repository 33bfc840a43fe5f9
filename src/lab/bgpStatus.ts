import { readFileSync } from 'node:fs';
import type { Backend } from './backend';
import { execOutput } from './execOutput';
import { parseBgpSummary, type BgpSession } from './frr';
import { nodeRoles } from './nodeRoles';
import type { Topology } from './topology';

export interface NodeBgpSession extends BgpSession {
  readonly node: string;
  /** The lab node that owns the peer address, when one does. */
  readonly peerNode: string | undefined;
  /** Both ends run FRR: the session must reach Established by itself. Sessions to hosts wait for a BGP agent (bgp-ping) there. */
  readonly betweenRouters: boolean;
}

/** Each FRR node's interface addresses, read from its frr.conf ("interface …" / " ip address A/L"). */
export function routerAddresses(topology: Topology): Map<string, string> {
  const owner = new Map<string, string>();
  for (const node of topology.nodes) {
    const frr = nodeRoles(node).frr;
    if (!frr) continue;
    for (const m of readFileSync(frr.config, 'utf8').matchAll(/^\s*ip address (\d+\.\d+\.\d+\.\d+)\/\d+/gm)) owner.set(m[1]!, node.name);
  }
  return owner;
}

/** Addresses the topology's exec entries give to non-FRR nodes (ip addr add A/L dev …). */
export function hostAddresses(topology: Topology): Map<string, string> {
  const owner = new Map<string, string>();
  for (const node of topology.nodes) {
    for (const e of node.exec) {
      const a = e.argv;
      const add = a[0] === 'ip' ? a.indexOf('add') : -1;
      if (add > 0 && /^a/.test(a[add - 1]!) && a[add + 1]) owner.set(a[add + 1]!.split('/')[0]!, node.name);
    }
  }
  return owner;
}

/** Every BGP session of every FRR node, from `vtysh -c "show bgp summary json"` run in the node. */
export async function bgpSessions(backend: Backend): Promise<NodeBgpSession[]> {
  const routers = routerAddresses(backend.topology);
  const hosts = hostAddresses(backend.topology);
  const frrNodes = backend.topology.nodes.filter((n) => nodeRoles(n).frr);
  const perNode = await Promise.all(frrNodes.map(async (node) => {
    const r = await execOutput(backend, node.name, ['vtysh', '-c', 'show bgp summary json'], 10_000);
    if (r.code !== 0) throw new Error(`vtysh in ${node.name} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
    return parseBgpSummary(r.stdout).map((s) => {
      const peerRouter = routers.get(s.peer);
      return { ...s, node: node.name, peerNode: peerRouter ?? hosts.get(s.peer), betweenRouters: peerRouter !== undefined };
    });
  }));
  return perNode.flat();
}

/** The nodes that run FRR's bgpd: a session between routers needs two of them. */
export function bgpRouters(topology: Topology): string[] {
  return topology.nodes.filter((n) => nodeRoles(n).frr?.daemons.includes('bgpd')).map((n) => n.name);
}

/**
 * Waits until every session between two FRR routers is Established; returns the sessions as they were
 * then. Throws after `timeoutMs` with the sessions that were not. A lab with fewer than two BGP routers
 * has no such session to wait for: it returns at once with none.
 */
export async function waitForRouterSessions(backend: Backend, timeoutMs = 30_000, pollMs = 200): Promise<NodeBgpSession[]> {
  if (bgpRouters(backend.topology).length < 2) return [];
  const deadline = Date.now() + timeoutMs;
  let last: NodeBgpSession[] = [];
  let lastError: unknown;
  for (;;) {
    try {
      last = await bgpSessions(backend);
      lastError = undefined;
      const routerSessions = last.filter((s) => s.betweenRouters);
      if (routerSessions.length > 0 && routerSessions.every((s) => s.state === 'Established')) return last;
    } catch (err) {
      lastError = err; // vtysh answers only once the daemons are up
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const pending = last.filter((s) => s.betweenRouters && s.state !== 'Established').map((s) => `${s.node}→${s.peer} (${s.peerNode ?? '?'}) ${s.state}`);
  throw new Error(`BGP sessions between routers not Established after ${timeoutMs / 1000} s: ${pending.join(', ') || String(lastError ?? 'no sessions found')}`);
}
