import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { LabNotDeployedError, requireNode, type Backend, type DeployResult, type ExecOptions, type InterfaceInfo, type LabInfo, type NodeInfo } from './backend';
import { parseContainerlabInspect } from './containerlabInspect';
import { namespaceName } from './names';
import { nodeRoles, pmacctdConfigTarget } from './nodeRoles';
import { Privileges } from './privileges';
import { run } from './run';
import { stopTraffic } from './traffic';
import type { Topology } from './topology';

export interface ContainerlabBackendOptions {
  readonly privileges?: Privileges;
  /** The containerlab executable; default "containerlab" on PATH (or LABTEL_CONTAINERLAB). */
  readonly containerlab?: string;
  /** The container runtime CLI for exec and logs; default "docker". */
  readonly docker?: string;
}

/**
 * The containerlab backend: the same topology file handed to containerlab (Docker). containerlab
 * creates each container's network namespace as /run/netns/clab-<lab>-<node>, so exec uses the host's
 * tools in that namespace exactly like the netns backend; `vtysh` (and anything with inImage) runs in
 * the container with `docker exec`, where the image's FRR lives.
 */
export class ContainerlabBackend implements Backend {
  readonly kind = 'containerlab' as const;
  private readonly privileges: Privileges;
  private readonly clab: string;
  private readonly docker: string;

  constructor(readonly topology: Topology, options: ContainerlabBackendOptions = {}) {
    this.privileges = options.privileges ?? new Privileges();
    this.clab = options.containerlab ?? process.env.LABTEL_CONTAINERLAB ?? 'containerlab';
    this.docker = options.docker ?? 'docker';
  }

  private container(node: string): string {
    return namespaceName(this.topology.name, node);
  }

  async deploy(): Promise<DeployResult> {
    const started = performance.now();
    this.privileges.check();
    await run(this.privileges.wrap([this.clab, 'deploy', '-t', this.topology.file, '--reconfigure']), { timeoutMs: 600_000 });
    // The FRR image starts FRR itself from the bound /etc/frr/daemons; the sFlow agent is started here.
    for (const node of this.topology.nodes) {
      if (nodeRoles(node).sflow) {
        await run(this.privileges.wrap([this.docker, 'exec', '-d', this.container(node.name), 'pmacctd', '-f', pmacctdConfigTarget]));
      }
    }
    return { created: true, seconds: (performance.now() - started) / 1000 };
  }

  async destroy(): Promise<void> {
    this.privileges.check();
    await stopTraffic(this, { privileges: this.privileges });
    await run(this.privileges.wrap([this.clab, 'destroy', '-t', this.topology.file, '--cleanup']), { timeoutMs: 600_000 });
  }

  async inspect(): Promise<LabInfo> {
    const r = await run(this.privileges.wrap([this.clab, 'inspect', '-t', this.topology.file, '--format', 'json']), { allowFailure: true });
    const containers = r.code === 0 ? parseContainerlabInspect(r.stdout, this.topology.name) : [];
    const nodes = await Promise.all(this.topology.nodes.map(async (node): Promise<NodeInfo> => {
      const c = containers.find((x) => x.name === this.container(node.name));
      const ns = this.container(node.name);
      const roles = nodeRoles(node);
      return {
        name: node.name, kind: c?.kind ?? node.kind,
        state: c === undefined ? 'absent' : c.state === 'running' ? 'running' : 'degraded',
        namespace: ns, namespacePath: `/run/netns/${ns}`,
        interfaces: existsSync(`/run/netns/${ns}`) ? await this.interfaces(ns) : [],
        processes: [],
        roles: [...(roles.frr ? ['frr' as const] : []), ...(roles.sflow ? ['sflow' as const] : [])],
      };
    }));
    return { lab: this.topology.name, backend: 'containerlab', deployed: containers.length > 0, stateDir: undefined, nodes };
  }

  exec(nodeName: string, argv: readonly string[], options: ExecOptions = {}): ChildProcess {
    const node = requireNode(this.topology, nodeName);
    if (argv.length === 0) throw new Error('exec needs a command');
    const inImage = options.inImage ?? argv[0] === 'vtysh';
    const ns = this.container(node.name);
    let full: string[];
    if (inImage) {
      full = this.privileges.wrap([this.docker, 'exec', '-i', ns, ...argv]);
    } else {
      if (!existsSync(`/run/netns/${ns}`)) throw new LabNotDeployedError(this.topology.name, `no namespace ${ns}`);
      full = this.privileges.wrap(['ip', 'netns', 'exec', ns, ...argv]);
    }
    return spawn(full[0]!, full.slice(1), { stdio: options.stdio ?? ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd, detached: options.detached ?? false });
  }

  async logs(nodeName: string): Promise<string> {
    requireNode(this.topology, nodeName);
    const r = await run(this.privileges.wrap([this.docker, 'logs', this.container(nodeName)]), { allowFailure: true });
    return r.stdout + r.stderr;
  }

  private async interfaces(ns: string): Promise<InterfaceInfo[]> {
    const r = await run(this.privileges.wrap(['ip', '-n', ns, '-j', 'addr', 'show']), { allowFailure: true });
    if (r.code !== 0) return [];
    return (JSON.parse(r.stdout) as { ifname: string; flags?: string[]; addr_info?: { local: string; prefixlen: number; scope?: string }[] }[]).map((i) => ({
      name: i.ifname, up: (i.flags ?? []).includes('UP'),
      addresses: (i.addr_info ?? []).filter((a) => a.scope !== 'link' && a.scope !== 'host').map((a) => `${a.local}/${a.prefixlen}`),
    }));
  }
}
