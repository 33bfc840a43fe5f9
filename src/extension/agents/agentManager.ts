import { spawn } from 'node:child_process';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AgentName } from '../../shared/agents';
import type { AgentEvent } from '../../shared/events';
import type { PanelSource } from '../../shared/webviewMessages';
import { RunningAgent, type AgentExit } from '../../agents/client/runningAgent';
import type { Backend } from '../../lab/backend';

export type AgentState = 'running' | 'restarting' | 'stopped' | 'crashed';

/** One agent the editor started: in a lab node, with its flags, its log and its restarts. */
export interface ManagedAgent {
  /** "netgo/host-2/top-talkers": one agent of a kind per node. */
  readonly id: string;
  readonly labHost: string;
  readonly lab: string;
  readonly node: string;
  readonly agent: AgentName;
  args: readonly string[];
  state: AgentState;
  restarts: number;
  process: RunningAgent | undefined;
  lastExit: AgentExit | undefined;
  /** Events read, and the last of each type (the tree's tooltip, the API). */
  events: number;
  readonly lastOfType: Map<AgentEvent['type'], AgentEvent>;
  readonly log: vscode.LogOutputChannel;
  readonly backend: Backend;
}

/** Restart delays after a crash: doubled each time, from 1 s to 30 s; a run of a minute resets it. */
const RESTART_FIRST_MS = 1_000;
const RESTART_MAX_MS = 30_000;
const RESTART_RESET_AFTER_MS = 60_000;
const LOCAL_HOST = 'local';

/**
 * Starts agents inside lab nodes through the lab's backend and reads their events with the shared
 * client (src/agents/client): one log channel per agent, events handed to whoever listens (the panels,
 * the Lab view), a crashed agent started again with backoff, every agent of a lab stopped when the lab
 * is destroyed and all of them on deactivation.
 */
export class AgentManager implements vscode.Disposable {
  private readonly agents = new Map<string, ManagedAgent>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly changed = new vscode.EventEmitter<ManagedAgent | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly events = new vscode.EventEmitter<{ source: PanelSource; event: AgentEvent }>();
  readonly onEvent = this.events.event;

  constructor(private readonly options: { restartOnCrash: () => boolean; agentNode: () => string; notify: (message: string) => void }) {}

  list(lab?: string): ManagedAgent[] {
    return [...this.agents.values()].filter((a) => lab === undefined || a.lab === lab);
  }

  get(id: string): ManagedAgent | undefined {
    return this.agents.get(id);
  }

  static idOf(lab: string, node: string, agent: AgentName): string {
    return `${lab}/${node}/${agent}`;
  }

  /** Starts `agent` in `node` (restarting it with these flags when it already runs there). */
  async start(backend: Backend, node: string, agent: AgentName, args: readonly string[]): Promise<ManagedAgent> {
    const lab = backend.topology.name;
    const id = AgentManager.idOf(lab, node, agent);
    let managed = this.agents.get(id);
    if (managed) {
      await this.halt(managed);
      managed.args = args;
      managed.restarts = 0;
    } else {
      managed = {
        id, labHost: LOCAL_HOST, lab, node, agent, args, state: 'stopped', restarts: 0, process: undefined, lastExit: undefined, events: 0, lastOfType: new Map(),
        log: vscode.window.createOutputChannel(`labtel: ${agent} @ ${node}`, { log: true }), backend,
      };
      this.agents.set(id, managed);
    }
    this.launch(managed);
    return managed;
  }

  private launch(m: ManagedAgent): void {
    m.log.info(`starting in ${m.lab}/${m.node}: ${m.agent} ${m.args.join(' ')}`);
    const source = this.sourceOf(m, true);
    const proc = new RunningAgent(m.backend, m.node, m.agent, m.args, {
      onEvent: (event) => {
        m.events++;
        m.lastOfType.set(event.type, event);
        if (event.type === 'log') m.log[event.level === 'warn' ? 'warn' : event.level](event.message);
        this.events.fire({ source, event });
      },
      onLog: (line) => m.log.info(line),
      node: this.options.agentNode(),
    });
    m.process = proc;
    m.state = 'running';
    this.changed.fire(m);
    void proc.exited.then((exit) => this.exited(m, proc, exit));
  }

  private exited(m: ManagedAgent, proc: RunningAgent, exit: AgentExit): void {
    if (m.process !== proc) return; // an older run of a restarted agent
    m.process = undefined;
    m.lastExit = exit;
    const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    if (m.state === 'stopped') {
      m.log.info(`stopped (${how})`);
    } else if (this.options.restartOnCrash()) {
      const ranFor = Date.now() - proc.startedAt;
      if (ranFor > RESTART_RESET_AFTER_MS) m.restarts = 0;
      const delay = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** m.restarts);
      m.restarts++;
      m.state = 'restarting';
      const message = `${m.agent} in ${m.node} exited (${how}); restarting in ${(delay / 1000).toFixed(0)} s (restart ${m.restarts})`;
      m.log.warn(message);
      this.options.notify(message);
      this.timers.set(m.id, setTimeout(() => {
        this.timers.delete(m.id);
        if (m.state === 'restarting') this.launch(m);
      }, delay));
    } else {
      m.state = 'crashed';
      m.log.error(`exited (${how})`);
      this.options.notify(`${m.agent} in ${m.node} exited (${how})`);
    }
    this.changed.fire(m);
    this.events.fire({ source: this.sourceOf(m, false), event: { v: 1, agent: m.agent, ts: Date.now(), type: 'log', level: 'info', message: `exited (${how})` } });
  }

  private sourceOf(m: ManagedAgent, running: boolean): PanelSource {
    return { labHost: m.labHost, lab: m.lab, node: m.node, agent: m.agent, running };
  }

  /** Which agents run where, for the panels' headers. */
  sources(): PanelSource[] {
    return this.list().map((m) => this.sourceOf(m, m.state === 'running'));
  }

  private async halt(m: ManagedAgent): Promise<void> {
    const timer = this.timers.get(m.id);
    if (timer) clearTimeout(timer);
    this.timers.delete(m.id);
    m.state = 'stopped';
    await m.process?.stop();
  }

  /** Stops one agent and forgets it. */
  async stop(id: string): Promise<void> {
    const m = this.agents.get(id);
    if (!m) return;
    await this.halt(m);
    this.agents.delete(id);
    m.log.dispose();
    this.changed.fire(undefined);
  }

  /** Stops every agent of a lab (before it is destroyed), or every agent. */
  async stopAll(lab?: string): Promise<number> {
    const ids = this.list(lab).map((m) => m.id);
    await Promise.all(ids.map((id) => this.stop(id)));
    return ids.length;
  }

  /** Starts every running agent again with the same flags (after a rebuild). */
  async restartAll(): Promise<number> {
    const running = this.list().filter((m) => m.state === 'running' || m.state === 'restarting' || m.state === 'crashed');
    for (const m of running) {
      await this.halt(m);
      m.restarts = 0;
      this.launch(m);
    }
    return running.length;
  }

  dispose(): Promise<void> {
    const done = this.stopAll().then(() => undefined);
    void done.finally(() => { this.changed.dispose(); this.events.dispose(); });
    return done;
  }
}

/** Rebuilds the agent bundles with the extension's own scripts/build.mjs (the book's Tilt loop). */
export function rebuildAgents(extensionPath: string, log: vscode.LogOutputChannel): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(extensionPath, 'scripts', 'build.mjs')], { cwd: extensionPath, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      log.info(`rebuild: ${output.trim()}`);
      if (code === 0) resolve();
      else reject(new Error(`the agents' build failed (exit ${code}): ${output.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}
