import path from 'node:path';
import { namespaceName } from './names';
import { nodeRoles } from './nodeRoles';
import type { Topology, TopologyNode } from './topology';

/**
 * The argv (before any privilege prefix) that runs `argv` inside a node of a netns lab whose state is
 * in `stateDir`: `ip netns exec clab-<lab>-<node> …`, with `vtysh` pointed at the node's own FRR
 * instance. Used by the netns backend on this machine and by a lab host's backend on that host.
 */
export function netnsExecArgv(topology: Topology, stateDir: string, node: TopologyNode, argv: readonly string[]): string[] {
  let command = [...argv];
  if (command[0] === 'vtysh' && nodeRoles(node).frr && !command.includes('--vty_socket')) {
    // vtysh keeps a command history in ~/.history_frr, even for -c: a lab writes nothing in the
    // user's home (on a lab host, nothing outside labtel's folder), so the history goes nowhere.
    const history = command.includes('-H') || command.includes('--histfile') ? [] : ['--histfile', '/dev/null'];
    command = ['vtysh', '--vty_socket', path.join(stateDir, node.name, 'frr'), ...history, ...command.slice(1)];
  }
  return ['ip', 'netns', 'exec', namespaceName(topology.name, node.name), ...command];
}
