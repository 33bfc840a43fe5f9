/** One `labtel` subcommand. `run` gets the arguments after the subcommand's name and returns the exit code. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: string[]): Promise<number>;
}

/** A mistake in how the CLI was called: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
