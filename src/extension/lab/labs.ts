import { statSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Backend, LabInfo } from '../../lab/backend';
import { createBackend } from '../../lab/backends';
import { bgpRouters, bgpSessions, waitForRouterSessions, type NodeBgpSession } from '../../lab/bgpStatus';
import { labStateDir, readLabState } from '../../lab/labState';
import { Privileges } from '../../lab/privileges';
import { loadTopology, type Topology } from '../../lab/topology';
import { readConfig } from '../config';

/** A lab's state as the Lab view and the status bar show it. */
export type LabStatus = 'down' | 'deploying' | 'up' | 'degraded' | 'destroying' | 'failed' | 'invalid';

/** One topology file of the workspace and what is known of its lab. */
export interface LabEntry {
  readonly file: vscode.Uri;
  readonly topology: Topology | undefined;
  /** The topology file's mistake (file:line:col), when it has one. */
  readonly error: string | undefined;
  status: LabStatus;
  info: LabInfo | undefined;
  /** BGP sessions of the lab's FRR routers, when it is up. */
  sessions: NodeBgpSession[] | undefined;
  /** Why the last deploy or destroy failed. */
  failure: string | undefined;
}

/** How often a lab's state file is looked at for changes made outside VS Code (labtel lab up in a shell). */
const STATE_POLL_MS = 2_000;
/** How often a deploying lab is inspected. */
const DEPLOY_POLL_MS = 1_000;
/** How often a running lab's BGP sessions are read while the Lab view is visible. */
const SESSIONS_POLL_MS = 5_000;
/** How long a deploy waits for the sessions between routers (as `labtel lab up`). */
export const ROUTER_SESSIONS_TIMEOUT_MS = 30_000;

/**
 * The workspace's labs: found from their topology files, inspected through their backend, kept up to
 * date when the lab changes — by this window (deploy, destroy) or by anyone else (the lab's state file
 * is watched) — and while deploying.
 */
export class Labs implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LabEntry | undefined>();
  readonly onDidChange = this.changed.event;
  private entries: Promise<LabEntry[]> | undefined;
  private readonly stateStamps = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly watcher: vscode.FileSystemWatcher;
  private sessionsWanted = false;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*.clab.{yml,yaml}');
    const rediscover = () => this.refresh();
    this.watcher.onDidChange(rediscover);
    this.watcher.onDidCreate(rediscover);
    this.watcher.onDidDelete(rediscover);
    this.timers.push(setInterval(() => void this.pollStates(), STATE_POLL_MS));
    this.timers.push(setInterval(() => void this.pollSessions(), SESSIONS_POLL_MS));
  }

  /** The backend for a topology, with the user's settings. */
  backend(topology: Topology): Backend {
    const config = readConfig();
    return createBackend(topology, config.backend, { privileges: new Privileges(config.privilegePrefix) });
  }

  /** The labs, discovered and inspected once, then kept. */
  list(): Promise<LabEntry[]> {
    this.entries ??= this.discover();
    return this.entries;
  }

  async byName(name: string): Promise<LabEntry | undefined> {
    return (await this.list()).find((l) => l.topology?.name === name);
  }

  async byFile(file: vscode.Uri): Promise<LabEntry | undefined> {
    return (await this.list()).find((l) => l.file.fsPath === file.fsPath);
  }

  /** Finds the topology files again and inspects every lab. */
  refresh(): void {
    this.entries = undefined;
    this.changed.fire(undefined);
  }

  /** The Lab view is visible: keep BGP session states fresh. */
  setSessionsWanted(wanted: boolean): void {
    this.sessionsWanted = wanted;
  }

  private async discover(): Promise<LabEntry[]> {
    const files = await vscode.workspace.findFiles('**/*.clab.{yml,yaml}', '**/node_modules/**', 50);
    files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
    return Promise.all(files.map(async (file) => {
      let topology: Topology | undefined;
      let error: string | undefined;
      try {
        topology = loadTopology(file.fsPath);
      } catch (err) {
        error = (err as Error).message;
      }
      const entry: LabEntry = { file, topology, error, status: error ? 'invalid' : 'down', info: undefined, sessions: undefined, failure: undefined };
      if (topology) await this.inspect(entry, { sessions: true });
      return entry;
    }));
  }

  /** Reads the lab's live state (and its BGP sessions), then tells the views. */
  async inspect(entry: LabEntry, options: { sessions?: boolean } = {}): Promise<void> {
    if (!entry.topology) return;
    const backend = this.backend(entry.topology);
    try {
      entry.info = await backend.inspect();
    } catch (err) {
      entry.info = undefined;
      this.log.debug(`inspect ${entry.topology.name}: ${(err as Error).message}`);
    }
    const phase = entry.info?.stateDir ? readLabState(entry.info.stateDir)?.phase : undefined;
    if (entry.status !== 'destroying' && !(entry.status === 'deploying' && phase !== 'up')) {
      entry.status = !entry.info?.deployed ? (entry.status === 'failed' ? 'failed' : 'down')
        : phase === 'deploying' ? 'deploying'
          : entry.info.nodes.some((n) => n.state !== 'running') ? 'degraded' : 'up';
    }
    if (options.sessions && entry.info?.deployed && hasRouters(entry.topology)) {
      entry.sessions = await bgpSessions(backend).catch(() => entry.sessions);
    } else if (!entry.info?.deployed) {
      entry.sessions = undefined;
    }
    this.changed.fire(entry);
  }

  /**
   * Deploys a lab and waits for the BGP sessions between its routers, reporting each step; a cancel
   * stops the waiting and takes down what this deploy built. Throws with what failed.
   */
  async deploy(entry: LabEntry, progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken): Promise<{ created: boolean; seconds: number }> {
    const topology = requireTopology(entry);
    const backend = this.backend(topology);
    entry.status = 'deploying';
    entry.failure = undefined;
    this.changed.fire(entry);
    const poll = setInterval(() => void this.inspect(entry), DEPLOY_POLL_MS);
    try {
      progress.report({ message: `building ${topology.nodes.length} nodes (${backend.kind})` });
      const result = await backend.deploy();
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      if (hasRouters(topology)) {
        progress.report({ message: 'waiting for the BGP sessions between routers' });
        const waited = waitForRouterSessions(backend, ROUTER_SESSIONS_TIMEOUT_MS);
        const cancelled = new Promise<never>((_, reject) => token.onCancellationRequested(() => reject(new vscode.CancellationError())));
        entry.sessions = await Promise.race([waited, cancelled]);
      }
      entry.status = 'up';
      return result;
    } catch (err) {
      if (err instanceof vscode.CancellationError) {
        this.log.info(`deploy of ${topology.name} cancelled: taking down what it built`);
        entry.status = 'destroying';
        await backend.destroy().catch((e: Error) => this.log.error(`destroy after cancel: ${e.message}`));
        entry.status = 'down';
      } else {
        entry.status = 'failed';
        entry.failure = (err as Error).message;
      }
      throw err;
    } finally {
      clearInterval(poll);
      await this.inspect(entry, { sessions: true });
    }
  }

  async destroy(entry: LabEntry): Promise<void> {
    const topology = requireTopology(entry);
    entry.status = 'destroying';
    this.changed.fire(entry);
    try {
      await this.backend(topology).destroy();
      entry.status = 'down';
      entry.failure = undefined;
    } catch (err) {
      entry.status = 'failed';
      entry.failure = (err as Error).message;
      throw err;
    } finally {
      await this.inspect(entry);
    }
  }

  /** A lab changed behind our back (its state file appeared, changed or went): inspect it again. */
  private async pollStates(): Promise<void> {
    if (!this.entries) return;
    for (const entry of await this.entries) {
      if (!entry.topology || entry.status === 'deploying' || entry.status === 'destroying') continue;
      const file = path.join(labStateDir(entry.topology.name), 'state.json');
      let stamp = 0;
      try {
        stamp = statSync(file).mtimeMs;
      } catch {
        stamp = 0;
      }
      const before = this.stateStamps.get(file);
      this.stateStamps.set(file, stamp);
      if (before !== undefined && before !== stamp) await this.inspect(entry, { sessions: true });
    }
  }

  private async pollSessions(): Promise<void> {
    if (!this.sessionsWanted || !this.entries) return;
    for (const entry of await this.entries) {
      if (entry.topology && (entry.status === 'up' || entry.status === 'degraded')) await this.inspect(entry, { sessions: true });
    }
  }

  dispose(): void {
    for (const t of this.timers) clearInterval(t);
    this.watcher.dispose();
    this.changed.dispose();
  }
}

export function requireTopology(entry: LabEntry): Topology {
  if (!entry.topology) throw new Error(`${vscode.workspace.asRelativePath(entry.file)} is not a valid topology: ${entry.error ?? 'unknown error'}`);
  return entry.topology;
}

/** Two BGP routers or more: sessions between routers to wait for and to show. */
function hasRouters(topology: Topology): boolean {
  return bgpRouters(topology).length >= 2;
}
