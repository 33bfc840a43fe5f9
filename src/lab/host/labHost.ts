import path from 'node:path';
import type { Backend, BackendKind } from '../backend';
import { createBackend } from '../backends';
import type { Topology } from '../topology';
import { checkHealth, type HostHealth } from './healthCheck';
import { HostBackend } from './hostBackend';
import { defaultWorkDir, localHostName, type LabHostConfig } from './labHosts';
import { LocalTransport } from './localTransport';
import { SshTransport } from './sshTransport';
import type { NodeAbi } from './hostFiles';
import type { Transport } from './transport';

/** What connecting to a host found out: where labtel's folder is, who we are, which node runs there. */
export interface HostSession {
  /** The working folder, absolute. */
  readonly workDir: string;
  readonly root: boolean;
  readonly nodeAbi: NodeAbi | undefined;
}

/** One command: makes the working folder, prints its absolute path, the uid and node's ABI. */
const sessionScript = [
  'mkdir -p -- "$1" && cd -- "$1" && pwd -P || exit 1',
  'id -u',
  '"$2" -p \'process.versions.modules+" "+process.arch+" "+process.platform\' 2>/dev/null || echo none',
].join('\n');

/**
 * A machine labtel deploys labs on: this one ("local") or an SSH host from labtel.labHosts (or any
 * name ssh knows). The Lab view lists hosts (local first) with their labs; everything a lab does on a
 * host goes through the host's transport, and `backend(topology)` is the lab's Backend there, which
 * the rest of labtel uses like a local one.
 */
export class LabHost {
  /** The last health check, for the view's host state. */
  health: HostHealth | undefined;
  private session: Promise<HostSession> | undefined;

  private constructor(readonly name: string, readonly transport: Transport, readonly config: LabHostConfig | undefined) {}

  static local(): LabHost {
    return new LabHost(localHostName, new LocalTransport(), undefined);
  }

  /** A host over SSH; `controlDir` places its control socket (default: the user's private folder). */
  static ssh(config: LabHostConfig, options: { controlDir?: string } = {}): LabHost {
    const transport = new SshTransport({
      destination: config.ssh, configFile: config.sshConfig, runDir: path.posix.join(config.workDir, 'run'), controlDir: options.controlDir,
    });
    return new LabHost(config.name, transport, config);
  }

  get isLocal(): boolean {
    return this.transport.kind === 'local';
  }

  get backendKind(): BackendKind {
    return this.config?.backend ?? 'netns';
  }

  /** Connects (once; the SSH master is shared by every later command) and learns the host's session. */
  connect(): Promise<HostSession> {
    this.session ??= this.openSession().catch((err: unknown) => { this.session = undefined; throw err; });
    return this.session;
  }

  private async openSession(): Promise<HostSession> {
    if (!(this.transport instanceof SshTransport)) {
      return { workDir: process.cwd(), root: process.getuid?.() === 0, nodeAbi: { modules: process.versions.modules, arch: process.arch, platform: process.platform } };
    }
    await this.transport.connect();
    const config = this.config!;
    const r = await this.transport.run(['sh', '-c', sessionScript, 'labtel', config.workDir ?? defaultWorkDir, config.node], { allowFailure: true });
    const [workDir, uid, abi] = r.stdout.trim().split('\n');
    if (r.code !== 0 || !workDir?.startsWith('/')) throw new Error(`${this.name}: cannot use the working folder ${config.workDir}: ${r.stderr.trim() || `exit ${r.code}`}`);
    const [modules, arch, platform] = (abi ?? 'none').split(' ');
    return { workDir, root: uid === '0', nodeAbi: abi && abi !== 'none' && platform ? { modules: modules!, arch: arch!, platform } : undefined };
  }

  /** Checks what the host has (and keeps the result in `health`). A host that cannot be reached is a result too. */
  async check(): Promise<HostHealth> {
    const prefix = this.config?.privilegePrefix ?? [];
    try {
      if (!this.isLocal) await this.connect();
    } catch (err) {
      this.health = { host: this.name, reachable: false, error: (err as Error).message, root: false, items: [], checkedAt: new Date().toISOString() };
      return this.health;
    }
    this.health = await checkHealth(this.name, this.transport, { node: this.config?.node ?? process.execPath, prefix });
    return this.health;
  }

  /** The lab's backend on this host. */
  backend(topology: Topology, kind: BackendKind = this.backendKind): Backend {
    return this.isLocal ? createBackend(topology, kind) : new HostBackend(this, topology, kind);
  }

  /** Ends the host's connection (the SSH master); the next command opens a new one. */
  async close(): Promise<void> {
    this.session = undefined;
    await this.transport.close();
  }
}

/** The hosts the Lab view lists: this machine first, then each configured lab host. */
export function labHostsFrom(configs: readonly LabHostConfig[], options: { controlDir?: string } = {}): LabHost[] {
  return [LabHost.local(), ...configs.map((c) => LabHost.ssh(c, options))];
}
