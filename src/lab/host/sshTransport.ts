import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { collect, type RunOptions, type RunResult } from '../run';
import { sshControlDir } from './controlDir';
import { quoteArgv } from './posixQuote';
import { sshControlArgv, sshExecArgv, sshMasterArgv, type SshTarget } from './sshArgs';
import { explainSshFailure, SshConnectionError } from './sshErrors';
import type { Transport, TransportSpawnOptions } from './transport';

/**
 * Runs each command on the host inside a fixed POSIX sh script (its text never changes; the command
 * comes before it as positional arguments, `set -- WORD…`, each word quoted by quoteArgv). The
 * script starts the command, writes its pid to a file in the host's run folder — so kill() can signal the command itself — waits, removes
 * the file and exits with the command's status.
 * With "watch" the command's stdin is /dev/null and the session's stdin is a liveness signal instead:
 * it stays open as long as the caller and the connection live, and its end (the caller exited, the
 * connection dropped) stops the command. sshd gives a command no terminal here, so without this a
 * command would outlive its caller until it next wrote.
 */
const runScript = [
  'p=$1; w=$2; shift 2',
  // An asynchronous list's stdin is /dev/null before its own redirections (POSIX XCU 2.9.3): the
  // session's stdin is kept on fd 3 first.
  'exec 3<&0',
  'if [ "$w" = watch ]; then "$@" </dev/null 3<&- & else "$@" <&3 3<&- & fi',
  'c=$!',
  'echo "$c" >"$p"',
  'g=',
  'if [ "$w" = watch ]; then (while read -r _; do :; done; kill -TERM "$c" 2>/dev/null) <&3 >/dev/null 2>&1 & g=$!; fi',
  'exec 3<&-',
  'wait "$c"; r=$?',
  'if [ -n "$g" ]; then kill "$g" 2>/dev/null; fi',
  // removed in the background, detached from the session, so the answer does not wait for rm
  'rm -f "$p" </dev/null >/dev/null 2>&1 &',
  'exit "$r"',
].join('\n');

/** Signals the pid in file $1 with signal $2 through the argv that follows (kill, or sudo -n kill). */
const killScript = [
  'p=$1; s=$2; shift 2; i=0',
  // a kill right after the spawn may come before the script wrote the pid
  'while [ ! -s "$p" ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i+1)); done',
  'pid=$(cat "$p" 2>/dev/null) || exit 3',
  'exec "$@" -s "$s" -- "$pid"',
].join('\n');

export interface SshTransportOptions {
  readonly destination: string;
  readonly configFile?: string | undefined;
  /** A folder on the host for pid files (created on connect): <workDir>/run. */
  readonly runDir: string;
  /** Where the control socket goes; default sshControlDir(). */
  readonly controlDir?: string;
}

const masterTimeoutMs = 30_000;

export class SshTransport implements Transport {
  readonly kind = 'ssh' as const;
  readonly label: string;
  readonly target: SshTarget;
  private readonly logFile: string;
  private connecting: Promise<void> | undefined;

  constructor(private readonly options: SshTransportOptions) {
    this.label = options.destination;
    const dir = options.controlDir ?? sshControlDir();
    // %C is ssh's hash of local host, remote host, port and user; the -F file is not part of it, so its
    // path goes into the name too: two configs never share a master.
    const config = createHash('sha256').update(options.configFile ?? '').digest('hex').slice(0, 8);
    this.target = { destination: options.destination, configFile: options.configFile, controlPath: path.join(dir, `${config}-%C`) };
    this.logFile = path.join(dir, `${config}-${createHash('sha256').update(options.destination).digest('hex').slice(0, 12)}.log`);
  }

  /** Opens the master connection unless one runs (from this or an earlier labtel process). */
  connect(): Promise<void> {
    this.connecting ??= this.openMaster().finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  /** True while a master connection for this host answers on the control socket. */
  async connected(): Promise<boolean> {
    return (await runLocal(sshControlArgv(this.target, 'check'), 10_000)).code === 0;
  }

  private async openMaster(): Promise<void> {
    if (await this.connected()) return;
    writeFileSync(this.logFile, '', { mode: 0o600 });
    // All of the master's stdio is closed: after -f it lives on in the background, and a pipe it held
    // would keep our read open; its messages go to the -E log file, read here when it failed.
    const r = await runLocal(sshMasterArgv(this.target, this.logFile), masterTimeoutMs, 'ignore');
    if (r.code !== 0) {
      let log = '';
      try { log = readFileSync(this.logFile, 'utf8'); } catch { /* nothing written */ }
      throw explainSshFailure(this.label, `${log}\n${r.stderr}`, r.code);
    }
    const made = await this.run(['mkdir', '-p', '--', this.options.runDir], { allowFailure: true });
    if (made.code !== 0) throw new SshConnectionError(this.label, 'other', `${this.label}: cannot create ${this.options.runDir}: ${made.stderr.trim()}`);
  }

  spawn(argv: readonly string[], options: TransportSpawnOptions = {}): ChildProcess {
    const [stdin, stdout, stderr] = stdioTriple(options.stdio);
    const watch = stdin === 'ignore';
    const pidFile = `${this.options.runDir}/${randomUUID()}.pid`;
    // The login shell runs the script itself (no `sh -c`: one process less per command on the host),
    // its arguments set first by `set --` with the quoted words.
    const remote = `set -- ${quoteArgv([pidFile, watch ? 'watch' : 'pass', ...argv])}\n${runScript}`;
    const full = sshExecArgv(this.target, remote);
    const child = spawn(full[0]!, full.slice(1), {
      stdio: [watch ? 'pipe' : stdin, stdout, stderr] as StdioOptions, detached: options.detached ?? false,
    });
    if (watch) {
      // The liveness pipe is labtel's, not the caller's (who asked for no stdin): it is never written or
      // closed while the child runs, and an error on it means the session is gone, which 'exit' reports.
      const liveness = child.stdin!;
      liveness.on('error', () => undefined);
      Object.defineProperty(child, 'stdin', { value: null, writable: true });
      child.once('exit', () => liveness.destroy());
    }
    const killCommand = options.killCommand ?? ['kill'];
    const localKill = child.kill.bind(child);
    child.kill = (signal: NodeJS.Signals | number = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return false;
      const name = signalName(signal);
      void this.run(['sh', '-c', killScript, 'labtel', pidFile, name, ...killCommand], { allowFailure: true, timeoutMs: 15_000 })
        .then((r) => { if (r.code !== 0) localKill(signal); }, () => localKill(signal));
      return true;
    };
    return child;
  }

  /** With no input, the command runs with its stdin closed and stops if the connection drops. */
  run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return collect(argv, this.spawn(argv, { stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] }), options);
  }

  /** Ends the master connection (-O exit); commands still running on it end with it. */
  async close(): Promise<void> {
    await runLocal(sshControlArgv(this.target, 'exit'), 10_000);
    rmSync(this.logFile, { force: true });
  }
}

function stdioTriple(stdio: StdioOptions | undefined): [unknown, unknown, unknown] {
  if (stdio === undefined) return ['pipe', 'pipe', 'pipe'];
  if (typeof stdio === 'string') return [stdio, stdio, stdio];
  return [stdio[0] ?? 'pipe', stdio[1] ?? 'pipe', stdio[2] ?? 'pipe'];
}

function signalName(signal: NodeJS.Signals | number): string {
  if (typeof signal === 'string') return signal.replace(/^SIG/, '');
  const found = Object.entries(constants.signals).find(([, n]) => n === signal);
  if (!found) throw new Error(`no signal number ${signal}`);
  return found[0].replace(/^SIG/, '');
}

/** Runs a local ssh control command (stdin closed) and collects its output. */
function runLocal(argv: readonly string[], timeoutMs: number, output: 'pipe' | 'ignore' = 'pipe'): Promise<RunResult> {
  return collect(argv, spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', output, output] }), { allowFailure: true, timeoutMs });
}
