import { spawn, type ChildProcess } from 'node:child_process';
import { run, type RunOptions, type RunResult } from '../run';
import type { Transport, TransportSpawnOptions } from './transport';

/** Commands on this machine: spawn(argv[0], argv.slice(1)), as the backends always did. */
export class LocalTransport implements Transport {
  readonly kind = 'local' as const;
  readonly label = 'local';

  spawn(argv: readonly string[], options: TransportSpawnOptions = {}): ChildProcess {
    if (argv.length === 0) throw new Error('spawn needs a command');
    return spawn(argv[0]!, argv.slice(1), {
      stdio: options.stdio ?? ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd, detached: options.detached ?? false,
    });
  }

  run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return run(argv, options);
  }

  async close(): Promise<void> { /* nothing held */ }
}
