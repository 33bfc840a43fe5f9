import { UsageError } from './command';
import { LabHost } from '../lab/host/labHost';
import { findLabHost, loadLabHostsFile, localHostName, type LabHostConfig } from '../lab/host/labHosts';

/**
 * `labtel --host NAME [--hosts-file FILE] [--ssh-config FILE] COMMAND …`: the lab, traffic and agent
 * commands then act on the lab host NAME over SSH. NAME is looked up in the hosts file (the
 * labtel.labHosts setting's shape; --hosts-file or LABTEL_HOSTS_FILE) and otherwise handed to ssh as it
 * is, so a Host of ~/.ssh/config works without any labtel setting. --ssh-config uses another ssh_config.
 */
export interface HostOptions {
  readonly host: string | undefined;
  readonly hostsFile: string | undefined;
  readonly sshConfig: string | undefined;
}

let selected: HostOptions = { host: undefined, hostsFile: undefined, sshConfig: undefined };

const globalOptions = ['--host', '--hosts-file', '--ssh-config'] as const;

/** Takes the global host options off the front of argv; returns the rest. */
export function takeHostOptions(argv: readonly string[]): { options: HostOptions; rest: string[] } {
  const found: Record<string, string> = {};
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(0, eq) : a;
    if (!(globalOptions as readonly string[]).includes(key)) break;
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${key} needs a value`);
    found[key] = value;
    i++;
  }
  return {
    options: { host: found['--host'], hostsFile: found['--hosts-file'] ?? process.env.LABTEL_HOSTS_FILE, sshConfig: found['--ssh-config'] },
    rest: argv.slice(i),
  };
}

export function selectHost(options: HostOptions): void {
  selected = options;
  cached = undefined;
}

/** The global options as given before the command (for `labtel host`, which names its host itself). */
export function globalHostOptions(): HostOptions {
  return selected;
}

/** The host's configuration as the options name it. */
export function hostConfig(options: HostOptions, name: string): LabHostConfig {
  const configs = options.hostsFile !== undefined ? loadLabHostsFile(options.hostsFile) : [];
  const config = findLabHost(configs, name);
  return options.sshConfig !== undefined ? { ...config, sshConfig: options.sshConfig } : config;
}

let cached: LabHost | undefined;

/** The lab host chosen with --host, or undefined for this machine. */
export function selectedHost(): LabHost | undefined {
  const name = selected.host;
  if (name === undefined || name === localHostName) return undefined;
  cached ??= LabHost.ssh(hostConfig(selected, name));
  return cached;
}
