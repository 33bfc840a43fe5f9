import type { CliCommand } from '../command';
import { agentCommand } from './agent';
import { backendCommand } from './backend';
import { decodeCommand } from './decode';
import { demoCommand } from './demo';
import { hostCommand } from './host';
import { labCommand } from './lab';
import { trafficCommand } from './traffic';

/** Every subcommand of `labtel`, in the order `labtel --help` lists them. */
export const commands: CliCommand[] = [
  labCommand,
  trafficCommand,
  agentCommand,
  decodeCommand,
  demoCommand,
  hostCommand,
  backendCommand,
];
