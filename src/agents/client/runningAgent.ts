import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { AgentName } from '../../shared/agents';
import { withoutIpcChannel } from '../../lab/ipcChannel';
import { EventLineReader, type AgentEvent } from '../../shared/events';
import type { Backend } from '../../lab/backend';
import { HostBackend } from '../../lab/host/hostBackend';
import { agentBundlePath } from './agentBundle';

/** How long a stopped agent gets to report its final counts before it is killed (its own deadline is shorter). */
export const STOP_GRACE_MS = 5_000;

export interface AgentExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface RunAgentOptions {
  /** Every event the agent writes on stdout. */
  readonly onEvent?: (event: AgentEvent) => void;
  /** Its stderr lines and any stdout line that is not an event (with why). */
  readonly onLog?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /** The node program to run the bundle with (default: this process's). */
  readonly node?: string;
  /** The whole program in place of [node, bundle]: a lab host's own node and its copy of the bundle. */
  readonly program?: readonly string[];
}

/** The program that runs an agent in a lab's nodes: on a lab host, its node and its copy of the bundle. */
export async function agentProgram(lab: Backend, agent: AgentName, node: string): Promise<string[]> {
  if (lab instanceof HostBackend) return lab.agentArgv(agent);
  return [node, agentBundlePath(agent)];
}

/**
 * One agent started inside a lab node through the lab's backend, its NDJSON events read as they come:
 * what `labtel demo`, the extension's AgentManager and the tests use to run agents. `--format json` is
 * added to the agent's flags unless they already say a format.
 */
export class RunningAgent {
  readonly child: ChildProcess;
  readonly exited: Promise<AgentExit>;
  readonly startedAt = Date.now();
  private readonly reader: EventLineReader;
  private exit: AgentExit | undefined;

  constructor(readonly lab: Backend, readonly node: string, readonly agent: AgentName, readonly args: readonly string[], options: RunAgentOptions = {}) {
    const log = options.onLog ?? (() => {});
    const program = options.program ?? [options.node ?? process.execPath, agentBundlePath(agent)];
    // Without the IPC channel's variables: in VS Code's extension host (a forked child) they would make the
    // agent's node open an fd that is no channel and abort, when no privilege prefix (sudo) clears them.
    const argv = withoutIpcChannel([...program, ...args, ...(args.includes('--format') ? [] : ['--format', 'json'])]);
    this.child = lab.exec(node, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env });
    this.reader = new EventLineReader(options.onEvent ?? (() => {}), (line, why) => log(why.startsWith('not JSON') ? line : `${why}: ${line}`));
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.reader.line(line));
    createInterface({ input: this.child.stderr! }).on('line', log);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => { log(`could not start: ${err.message}`); });
      this.child.once('close', (code, signal) => { this.exit = { code, signal }; resolve(this.exit); });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
  async stop(graceMs = STOP_GRACE_MS): Promise<AgentExit> {
    if (this.exit) return this.exit;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
