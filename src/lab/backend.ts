import type { ChildProcess, StdioOptions } from 'node:child_process';
import type { Topology } from './topology';

/**
 * What deploys a topology. Two implementations — NetnsBackend (embedded, the default) and
 * ContainerlabBackend — that everything above src/lab uses interchangeably.
 */
export interface Backend {
  readonly kind: BackendKind;
  readonly topology: Topology;
  /** Builds the lab. Idempotent: an unchanged lab that is up is left as it is. */
  deploy(): Promise<DeployResult>;
  /** Removes everything the lab created, and nothing else. Works from a fresh process. */
  destroy(): Promise<void>;
  /** Per node: state, namespace, interfaces and addresses, processes the lab started. */
  inspect(): Promise<LabInfo>;
  /**
   * Starts `argv` inside `node`'s network namespace and returns the child process with its stdio
   * (pipes by default). The node name is checked against the topology first (UnknownNodeError) and
   * the lab must be up (LabNotDeployedError); argv is never passed through a shell.
   *
   * The process runs with the host's tools in the node's namespace (`ip netns exec clab-<lab>-<node>`);
   * killing the returned child kills the command itself (ip netns exec replaces itself with it).
   * `vtysh` is pointed at the node's own FRR instance by both backends, so
   * `exec('r1', ['vtysh', '-c', 'show bgp summary json'])` works everywhere.
   *
   * Running an agent in a node (what AgentManager, the debug adapter and `labtel agent run` do):
   *   const child = lab.exec('host-2', [process.execPath, 'dist/agents/top-talkers.js', '--listen', '203.0.113.2:6343'],
   *                          { stdio: ['ignore', 'pipe', 'pipe'] });
   *   child.stdout.on('data', …);            // NDJSON events
   *   child.kill('SIGTERM');                 // reaches the agent itself (no shell or wrapper in between as root)
   * The process sees only the node's interfaces and addresses but the host's file system, so bundles
   * under dist/ and the host's node, tcpdump, iperf3… are all there. A process started this way that is
   * still running at `labtel lab down` is stopped with the lab. For a process that must outlive the
   * caller, pass `detached: true`, file descriptors as stdio, and call `child.unref()`.
   * For short commands, `execOutput(lab, node, argv)` (execOutput.ts) collects stdout/stderr/exit code.
   */
  exec(node: string, argv: readonly string[], options?: ExecOptions): ChildProcess;
  /** The node's logs: its daemons' log files (netns) or the container's log (containerlab). */
  logs(node: string): Promise<string>;
}

export type BackendKind = 'netns' | 'containerlab';

export interface ExecOptions {
  /** Default: ['pipe', 'pipe', 'pipe']. */
  readonly stdio?: StdioOptions;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Start in its own session/process group (for long-running processes that outlive the caller). */
  readonly detached?: boolean;
  /** containerlab only: run inside the container's image (`docker exec`) instead of with the host's tools. */
  readonly inImage?: boolean;
}

export interface DeployResult {
  /** False when the lab was already up and unchanged. */
  readonly created: boolean;
  readonly seconds: number;
}

export interface InterfaceInfo {
  readonly name: string;
  readonly up: boolean;
  readonly addresses: readonly string[];
}

export interface NodeInfo {
  readonly name: string;
  readonly kind: string;
  /** running: namespace there and every process alive; degraded: some process died; absent: not deployed. */
  readonly state: 'running' | 'degraded' | 'absent';
  readonly namespace: string;
  readonly namespacePath: string;
  readonly interfaces: readonly InterfaceInfo[];
  readonly processes: readonly { readonly name: string; readonly pid: number; readonly alive: boolean }[];
  readonly roles: readonly ('frr' | 'sflow')[];
}

export interface LabInfo {
  readonly lab: string;
  readonly backend: BackendKind;
  readonly deployed: boolean;
  readonly stateDir: string | undefined;
  readonly nodes: readonly NodeInfo[];
}

export class UnknownNodeError extends Error {
  override readonly name = 'UnknownNodeError';
  constructor(topology: Topology, node: string) {
    super(`no node "${node}" in lab ${topology.name} (${topology.file}); its nodes are: ${topology.nodes.map((n) => n.name).join(', ')}`);
  }
}

export class LabNotDeployedError extends Error {
  override readonly name = 'LabNotDeployedError';
  constructor(lab: string, detail: string) {
    super(`lab ${lab} is not deployed (${detail}): run "labtel lab up" first`);
  }
}

/** The topology's node called `name`, or UnknownNodeError. */
export function requireNode(topology: Topology, name: string): Topology['nodes'][number] {
  const node = topology.nodes.find((n) => n.name === name);
  if (!node) throw new UnknownNodeError(topology, name);
  return node;
}
