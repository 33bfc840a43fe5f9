import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { AgentName } from '../../shared/agents';
import { EventLineReader, type AgentEvent } from '../../shared/events';
import type { Backend } from '../../lab/backend';
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
    const argv = [options.node ?? process.execPath, agentBundlePath(agent), ...args, ...(args.includes('--format') ? [] : ['--format', 'json'])];
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
