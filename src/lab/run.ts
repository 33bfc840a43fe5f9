import { spawn, type ChildProcess } from 'node:child_process';

const defaultTimeoutMs = 60_000;

/** A finished command's output. */
export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** A command that failed: says which argv, its exit code and what it printed on stderr. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(readonly argv: readonly string[], readonly code: number, readonly stderr: string) {
    super(`${argv.join(' ')} failed (exit ${code})${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
  }
}

export interface RunOptions {
  /** Text written to the command's stdin (then closed). */
  readonly input?: string;
  /** Resolve with a non-zero code instead of throwing CommandError. */
  readonly allowFailure?: boolean;
  readonly timeoutMs?: number;
}

/** Runs argv (no shell) and collects its output. */
export function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return collect(argv, spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] }), options);
}

/**
 * Feeds a started child its input and collects its output: how a transport (src/lab/host) runs a
 * command on a lab host with the same results and errors as run().
 */
export function collect(argv: readonly string[], child: ChildProcess, options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? defaultTimeoutMs);
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => { clearTimeout(timer); reject(new CommandError(argv, 127, e.message)); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? (signal ? 128 : 1) };
      if (result.code !== 0 && !options.allowFailure) reject(new CommandError(argv, result.code, result.stderr));
      else resolve(result);
    });
    child.stdin?.on('error', () => { /* the command may exit before reading its input */ });
    child.stdin?.end(options.input ?? '');
  });
}
