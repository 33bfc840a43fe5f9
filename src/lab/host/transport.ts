import type { ChildProcess, StdioOptions } from 'node:child_process';
import type { RunOptions, RunResult } from '../run';

/**
 * How labtel runs a command on a lab host. `local` spawns it on this machine; `ssh` runs it on
 * another one over the host's shared SSH connection. Both take an argv (never a shell string) and
 * return a ChildProcess whose stdio pipes are the command's own, so a caller (the debug adapter's
 * relay, AgentManager, the CLI) cannot tell them apart:
 *   - stdout/stderr are the command's bytes, unchanged (no terminal is allocated over SSH);
 *   - kill(signal) signals the command itself, on whichever machine it runs;
 *   - 'exit' gives the command's exit code (over SSH a command killed by a signal exits 128+n).
 */
export interface Transport {
  readonly kind: 'local' | 'ssh';
  /** A short name for messages: "local" or the SSH destination. */
  readonly label: string;
  spawn(argv: readonly string[], options?: TransportSpawnOptions): ChildProcess;
  /** Runs argv and collects its output (CommandError on a non-zero exit unless allowFailure). */
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Ends what the transport holds open (the SSH master connection); spawning again reopens it. */
  close(): Promise<void>;
}

export interface TransportSpawnOptions {
  /** Default ['pipe', 'pipe', 'pipe']. */
  readonly stdio?: StdioOptions;
  /** Local only: the environment (on a host, pass variables with `env NAME=VALUE` in argv). */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly detached?: boolean;
  /**
   * Over SSH: the argv that signals the command, given the signal and its pid, when it needs rights
   * (e.g. ['sudo', '-n', 'kill']); default ['kill'].
   */
  readonly killCommand?: readonly string[];
}
