import type { CliCommand } from '../command';

/** Every subcommand of `labtel`, in the order `labtel --help` lists them. */
export const commands: CliCommand[] = [];
