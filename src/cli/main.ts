import { UsageError, type CliCommand } from './command';
import { commands } from './commands/index';
import { selectHost, takeHostOptions } from './hostOption';
import { version } from './version';

/** The commands that act on a lab host with --host. */
const commandsOnHosts = new Set(['lab', 'traffic', 'agent', 'host']);

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  return [
    `labtel ${version} — deploy a network lab, run telemetry agents in its nodes, decode what they see`,
    '',
    'usage: labtel <command> [options]',
    '       labtel --host NAME [--hosts-file FILE] [--ssh-config FILE] <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'labtel <command> --help shows the options of one command.',
    '--host NAME runs lab, traffic and agent commands on a lab host over SSH (labtel host --help).',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  let taken: ReturnType<typeof takeHostOptions>;
  try {
    taken = takeHostOptions(argv);
  } catch (err) {
    console.error(`labtel: ${(err as Error).message}`);
    return 2;
  }
  selectHost(taken.options);
  const [name, ...rest] = taken.rest;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    console.log(version);
    return 0;
  }
  const command: CliCommand | undefined = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`labtel: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (taken.options.host !== undefined && !commandsOnHosts.has(command.name)) {
    console.error(`labtel: --host works with ${[...commandsOnHosts].join(', ')}; "${command.name}" runs on this machine`);
    return 2;
  }
  // Only the command's own options: after `--` the words belong to a program run in a node.
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (own.includes('--help') || own.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`labtel ${name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    console.error(`labtel ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
