/**
 * The OpenSSH client's command lines (ssh(1), ssh_config(5)). One master connection per host, made
 * once and shared through a control socket (ControlMaster/ControlPath) by every command, event stream
 * and relay that follows, so a command costs a channel on an open connection instead of a TCP and key
 * exchange. The destination is handed to ssh as it is: Host entries of ~/.ssh/config (or of the -F
 * file) apply, with their HostName, User, Port, IdentityFile, ProxyJump and known_hosts.
 *
 * Always set:
 *   BatchMode=yes        never ask for a password or passphrase, and never accept an unknown or
 *                        changed host key: such a host is an error, not a prompt nobody sees.
 *                        StrictHostKeyChecking is left to the user's configuration: labtel never sets it.
 *   ForwardAgent=no, ForwardX11=no, ClearAllForwardings=yes   nothing but the command crosses.
 *   ServerAliveInterval/CountMax   a dead connection is noticed within seconds, not at TCP's timeout.
 */

export interface SshTarget {
  /** What ssh connects to: a Host name from ssh_config, user@host, or an address. */
  readonly destination: string;
  /** ssh -F FILE: an ssh_config file used instead of ~/.ssh/config. */
  readonly configFile?: string | undefined;
  /** The control socket of this host's master connection (in a private folder, see controlDir.ts). */
  readonly controlPath: string;
}

/** How long an idle master connection stays for the next command (ControlPersist). */
export const controlPersistSeconds = 600;
const aliveIntervalSeconds = 5;
const aliveCountMax = 3;
const connectTimeoutSeconds = 10;

export class SshArgumentError extends Error {
  override readonly name = 'SshArgumentError';
}

function commonOptions(target: SshTarget): string[] {
  // A destination starting with "-" would be read as an option even after our own options.
  if (target.destination === '' || target.destination.startsWith('-') || /[\s\0]/.test(target.destination)) {
    throw new SshArgumentError(`"${target.destination}" is not an SSH destination (a Host name, user@host or an address)`);
  }
  return [
    ...(target.configFile !== undefined ? ['-F', target.configFile] : []),
    '-o', 'BatchMode=yes',
    '-o', `ControlPath=${target.controlPath}`,
    '-o', 'ForwardAgent=no',
    '-o', 'ForwardX11=no',
    '-o', 'ClearAllForwardings=yes',
    '-o', `ServerAliveInterval=${aliveIntervalSeconds}`,
    '-o', `ServerAliveCountMax=${aliveCountMax}`,
    '-o', `ConnectTimeout=${connectTimeoutSeconds}`,
  ];
}

/**
 * Starts the master: authenticates, then goes to the background (-f) with no command (-N), keeping
 * the connection for ControlPersist seconds after its last client. Its messages go to `logFile` (-E):
 * a backgrounded master that kept our stderr pipe would hold it open for minutes.
 */
export function sshMasterArgv(target: SshTarget, logFile: string, persistSeconds = controlPersistSeconds): string[] {
  return ['ssh', ...commonOptions(target), '-o', 'ControlMaster=yes', '-o', `ControlPersist=${persistSeconds}`, '-E', logFile, '-N', '-f', '--', target.destination];
}

/**
 * Runs one command line on the host through the master (ControlMaster=no: a client only). Without a
 * master (it timed out, or was killed) ssh connects directly, which is slower but still correct.
 * -T: no terminal, so stdin, stdout and stderr are byte-exact pipes.
 */
export function sshExecArgv(target: SshTarget, remoteCommand: string): string[] {
  return ['ssh', ...commonOptions(target), '-o', 'ControlMaster=no', '-T', '--', target.destination, remoteCommand];
}

/** Asks the master whether it runs (-O check) or to exit (-O exit). */
export function sshControlArgv(target: SshTarget, command: 'check' | 'exit'): string[] {
  return ['ssh', ...commonOptions(target), '-O', command, '--', target.destination];
}
