import { FlagError } from './flags';

type Cleanup = () => unknown;

/**
 * Owns an agent's shutdown. SIGTERM and SIGINT ask the agent's main to finish (its onStop listeners
 * break its loops, so it can report its final counts); then the registered cleanups (sockets, pcap
 * handles, files) run in reverse order and the process exits. Neither a main nor a cleanup that
 * hangs can keep the agent alive: `deadlineMs` after the signal the cleanups run and the process
 * exits anyway, so a lab's destroy never waits on an agent.
 */
export class Lifecycle {
  private readonly cleanups: Cleanup[] = [];
  private stopping: Promise<void> | undefined;
  private readonly stopListeners: Array<() => void> = [];
  private stopRequested = false;

  constructor(private readonly deadlineMs = 600) {}

  /** Registers a cleanup; they run last-registered first. */
  defer(fn: Cleanup): void {
    this.cleanups.push(fn);
  }

  /** Called once when shutdown starts, before the cleanups (e.g. to break a read loop). */
  onStop(fn: () => void): void {
    this.stopListeners.push(fn);
  }

  get isStopping(): boolean {
    return this.stopRequested;
  }

  /** Fires the onStop listeners, once: the agent's main winds down by itself. */
  requestStop(): void {
    if (this.stopRequested) return;
    this.stopRequested = true;
    for (const l of this.stopListeners) l();
  }

  installSignalHandlers(): void {
    const handler = (signal: NodeJS.Signals) => {
      process.stderr.write(`received ${signal}, stopping\n`);
      this.requestStop();
      setTimeout(() => { void this.stop().then(() => process.exit(0)); }, this.deadlineMs).unref();
    };
    process.once('SIGTERM', handler);
    process.once('SIGINT', handler);
  }

  /** Runs the cleanups once; later calls get the same promise. */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.requestStop();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => { timer = setTimeout(resolve, this.deadlineMs); });
      const run = (async () => {
        for (const fn of this.cleanups.reverse()) {
          try {
            await fn();
          } catch (err) {
            process.stderr.write(`cleanup failed: ${(err as Error).message}\n`);
          }
        }
      })();
      this.stopping = Promise.race([run, deadline]).finally(() => clearTimeout(timer));
    }
    return this.stopping;
  }
}

/**
 * The common main of every agent: usage mistakes print the help and exit 2, a fatal error is one
 * line on stderr and exit 1, success exits 0 after the cleanups ran. The caller exits with the code
 * (process.exit: stdout and stderr are synchronous for pipes and files on Linux, so nothing is lost).
 */
export async function runAgent(help: string, main: (lifecycle: Lifecycle) => Promise<void>): Promise<number> {
  const lifecycle = new Lifecycle();
  lifecycle.installSignalHandlers();
  try {
    await main(lifecycle);
    await lifecycle.stop();
    return 0;
  } catch (err) {
    await lifecycle.stop();
    if (err instanceof FlagError) {
      process.stderr.write(`${err.message}\n\n${help}\n`);
      return 2;
    }
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
