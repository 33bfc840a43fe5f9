import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { AgentName } from '../../shared/agents';
import { requireNode, type Backend, type BackendKind, type DeployResult, type ExecOptions, type LabInfo } from '../backend';
import { labStateDir } from '../labState';
import { namespaceName } from '../names';
import { netnsExecArgv } from '../nodeCommand';
import type { Topology } from '../topology';
import { bundleFiles, ensureOnHost, labtelDistDir, topologyFiles } from './hostFiles';
import { parseBackendAnswer, type BackendMethod } from './hostProtocol';
import type { HostSession, LabHost } from './labHost';
import { explainSshFailure } from './sshErrors';

/** Where a lab's state lives on the host (the host's /run/labtel, like a local lab's). */
const hostStateRoot = '/run/labtel';
/** ssh's exit status when the connection, not the command, failed (ssh(1)). */
const sshFailureStatus = 255;
const deployTimeoutMs = 600_000;

/** exec's status when the node's namespace is not on the host: the lab is not deployed there (its message on stderr). */
export const NOT_DEPLOYED_STATUS = 125;

/** Refuses to run a command in a namespace the host does not have, with labtel's own words (exit NOT_DEPLOYED_STATUS). */
const inNamespaceScript = [
  'ns=$1; msg=$2; shift 2',
  `if [ ! -e "/run/netns/$ns" ]; then printf "%s\\n" "$msg" >&2; exit ${NOT_DEPLOYED_STATUS}; fi`,
  'exec "$@"',
].join('\n');

/** What a prepared host holds for this lab: labtel's bundle and the lab's files, both by content hash. */
interface Prepared {
  readonly session: HostSession;
  readonly bundleDir: string;
  readonly topologyFile: string;
}

/**
 * A lab on a lab host, as a Backend: deploy, destroy, inspect, logs and traffic run labtel's own core on
 * the host (`node <bundle>/dist/cli.js backend …`, so the host keeps the lab's state and its crash-safe
 * records exactly as a local lab does); exec runs the command in the node's namespace there over the
 * host's connection and returns the ssh client as the ChildProcess (stdio pipes are the command's,
 * kill signals the command on the host).
 *
 * Before deploy the topology, its bound files and its traffic profiles are copied to
 * <workDir>/labs/<lab>-<hash>/, and labtel's bundle (core, agents, maps, the cap addon when the host's
 * node can load it) to <workDir>/bundles/<hash>/ — each once per content. exec() needs the host's
 * session (root or not), so call prepare() (or any async method) first.
 */
export class HostBackend implements Backend {
  private prepared: Promise<Prepared> | undefined;
  private ready: Prepared | undefined;

  /** `distDir`: the labtel build whose bundles go to the host (default: this labtel's own; the debugger passes the workspace's). */
  constructor(readonly host: LabHost, readonly topology: Topology, readonly kind: BackendKind = 'netns', private readonly distDir?: string) {}

  /** Connects, then copies what the host lacks. Idempotent. */
  prepare(): Promise<Prepared> {
    this.prepared ??= this.copyFiles().then((p) => { this.ready = p; return p; }, (err: unknown) => { this.prepared = undefined; throw err; });
    return this.prepared;
  }

  private async copyFiles(): Promise<Prepared> {
    const session = await this.host.connect();
    const bundle = bundleFiles(this.distDir ?? labtelDistDir(), session.nodeAbi);
    const lab = topologyFiles(this.topology);
    const bundleDir = path.posix.join(session.workDir, 'bundles', bundle.hash.slice(0, 16));
    const labDir = path.posix.join(session.workDir, 'labs', `${this.topology.name}-${lab.hash.slice(0, 16)}`);
    await Promise.all([ensureOnHost(this.host.transport, bundle, bundleDir), ensureOnHost(this.host.transport, lab, labDir)]);
    return { session, bundleDir, topologyFile: path.posix.join(labDir, path.basename(this.topology.file)) };
  }

  /** The argv that runs an agent's bundle with the host's node (for exec in a node). */
  async agentArgv(name: AgentName): Promise<string[]> {
    const p = await this.prepare();
    return [this.host.config!.node, path.posix.join(p.bundleDir, 'dist', 'agents', `${name}.js`)];
  }

  async deploy(): Promise<DeployResult> {
    return await this.call('deploy') as DeployResult;
  }

  async destroy(): Promise<void> {
    await this.call('destroy');
  }

  async inspect(): Promise<LabInfo> {
    return await this.call('inspect') as LabInfo;
  }

  async logs(node: string): Promise<string> {
    requireNode(this.topology, node);
    return await this.call('logs', [node]) as string;
  }

  /** Starts a traffic profile of the lab on the host (profiles are copied with the lab). */
  async startTraffic(profile: string, duration?: number): Promise<void> {
    await this.call('traffic-start', [profile, ...(duration !== undefined ? [String(duration)] : [])]);
  }

  async stopTraffic(): Promise<boolean> {
    return await this.call('traffic-stop') as boolean;
  }

  exec(nodeName: string, argv: readonly string[], options: ExecOptions = {}): ChildProcess {
    const node = requireNode(this.topology, nodeName);
    if (argv.length === 0) throw new Error('exec needs a command');
    const ready = this.ready;
    if (!ready) throw new Error(`lab ${this.topology.name} on ${this.host.name}: call prepare() before exec (it connects and learns whether the login is root)`);
    const prefix = ready.session.root ? [] : [...this.host.config!.privilegePrefix];
    const ns = namespaceName(this.topology.name, node.name);
    const inImage = this.kind === 'containerlab' && (options.inImage ?? argv[0] === 'vtysh');
    const command = inImage ? ['docker', 'exec', '-i', ns, ...argv] : netnsExecArgv(this.topology, labStateDir(this.topology.name, hostStateRoot), node, argv);
    const message = `lab ${this.topology.name} is not deployed on ${this.host.name} (no namespace ${ns}): run "labtel --host ${this.host.name} lab up" first`;
    const remote = inImage ? [...prefix, ...command] : ['sh', '-c', inNamespaceScript, 'labtel', ns, message, ...prefix, ...command];
    return this.host.transport.spawn(remote, { stdio: options.stdio, detached: options.detached, killCommand: [...prefix, 'kill'] });
  }

  /** Runs one Backend method with labtel's core on the host and returns its result. */
  private async call(method: BackendMethod, args: readonly string[] = []): Promise<unknown> {
    const p = await this.prepare();
    const config = this.host.config!;
    const argv = ['env', `LABTEL_PRIVILEGE_PREFIX=${config.privilegePrefix.join(' ')}`, config.node, path.posix.join(p.bundleDir, 'dist', 'cli.js'),
      'backend', method, '-t', p.topologyFile, '--backend', this.kind, ...args];
    const r = await this.host.transport.run(argv, { allowFailure: true, timeoutMs: deployTimeoutMs });
    const answer = parseBackendAnswer(r.stdout);
    if (answer?.ok) return answer.result;
    if (answer) throw new HostLabError(this.host.name, answer.name, `${this.host.name}: ${answer.error}`);
    if (r.code === sshFailureStatus) {
      const failure = explainSshFailure(this.host.name, r.stderr, r.code);
      throw new HostLabError(this.host.name, failure.name, `${method} of lab ${this.topology.name} on ${this.host.name} did not finish: ${failure.message}` +
        (method === 'deploy' ? `\n(what it made is recorded on the host; "labtel --host ${this.host.name} lab down" removes all of it)` : ''));
    }
    throw new HostLabError(this.host.name, 'Error', `${this.host.name}: labtel ${method} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim() || 'no output'}`);
  }
}

/** An error from a lab host, carrying the name of the error there (LabNotDeployedError, TopologyError, …). */
export class HostLabError extends Error {
  override readonly name = 'HostLabError';
  constructor(readonly host: string, readonly remoteName: string, message: string) {
    super(message);
  }
}
