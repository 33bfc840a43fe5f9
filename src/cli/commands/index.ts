import type { CliCommand } from '../command';
import { decodeCommand } from './decode';
import { labCommand } from './lab';
import { trafficCommand } from './traffic';

/** Every subcommand of `labtel`, in the order `labtel --help` lists them. */
export const commands: CliCommand[] = [
  labCommand,
  trafficCommand,
  decodeCommand,
];
