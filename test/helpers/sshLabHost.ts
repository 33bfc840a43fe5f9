import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A lab host for tests: Debian's real sshd, in a network namespace of the test's own at 198.51.100.50
 * (a veth pair from the root namespace, 198.51.100.49/30 on this side; documentation range), with a
 * host key, a user key, authorized_keys, known_hosts and an ssh_config Host entry all made here. Tests
 * use `ssh -F <configFile>` and never touch ~/.ssh.
 *
 * sshd also runs in a mount namespace of its own with a private tmpfs on /run: the lab it deploys keeps
 * /run/netns/clab-<lab>-* and /run/labtel/<lab> there, so it never meets a lab of the same name deployed
 * on this machine (the netgo lab other tests deploy), and what it leaves is visible with nsenter.
 *
 * Variants are more Host entries on more sshd instances in the same namespace (ports 2201…): one whose
 * sessions have a PATH without some programs (the "host lacks a package" fault).
 */
export interface SshLabHost {
  /** The Host name in configFile. */
  readonly name: string;
  readonly address: string;
  readonly dir: string;
  readonly configFile: string;
  readonly knownHosts: string;
  readonly identity: string;
  /** The host's working folder for labtel (each test host has its own). */
  readonly workDir: string;
  /** A labHosts settings file naming every Host entry with its working folder. */
  readonly hostsFile: string;
  /** For LABTEL_SSH_CONTROL_DIR: the test's own control sockets. */
  readonly controlDir: string;
  readonly netns: string;
  /** sshd's pid: `nsenter -t PID -m …` sees the host's /run. */
  sshdPid(): number;
  /** Runs argv in the host's mount namespace (its /run) and returns stdout. */
  inHost(argv: readonly string[]): string;
  /** The sshd log (LogLevel VERBOSE), for "no secret in logs". */
  sshdLog(): string;
  /** Adds a Host entry `name` served by another sshd whose sessions' PATH lacks `without`. */
  addVariant(name: string, options: { without: readonly string[] }): Promise<void>;
  /** Stops every sshd, removes the namespace, the veth and the folder. */
  stop(): Promise<void>;
}

export const labHostAddress = '198.51.100.50';
const rootAddress = '198.51.100.49';
const prefixLength = 30;
const sessionPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function sh(argv: readonly string[], input?: string): string {
  return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
}

/**
 * Starts `sshd -D` inside the namespace and a private mount namespace with its own /run (tmpfs), then
 * waits until it accepts connections. The script is fixed; paths come as arguments.
 */
function startSshd(netns: string, config: string, log: string): ChildProcess {
  // sshd logs straight to its file (-E): a log pipe read by this process's event loop would fill up and
  // stop sshd while a caller waits synchronously (spawnSync) for a command on the host.
  const script = 'mount -t tmpfs -o mode=755 labtel-host-run /run && mkdir -p /run/sshd /run/netns && exec /usr/sbin/sshd -D -E "$2" -f "$1"';
  return spawn('ip', ['netns', 'exec', netns, 'unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', script, 'sshd', config, log], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
}

async function waitForPort(netns: string, port: number, sshd: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (sshd.exitCode !== null) throw new Error(`sshd exited: ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
    const ss = sh(['ip', 'netns', 'exec', netns, 'ss', '-Htln']);
    if (ss.includes(`${labHostAddress}:${port} `)) return;
    if (Date.now() > deadline) throw new Error(`sshd does not listen on ${port}: ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function sshdConfig(dir: string, port: number, pathValue: string): string {
  return [
    `ListenAddress ${labHostAddress}:${port}`,
    `HostKey ${path.join(dir, 'host_ed25519')}`,
    `PidFile ${path.join(dir, `sshd-${port}.pid`)}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The keys live in a temp folder under /tmp (world-writable), which StrictModes refuses.
    'StrictModes no',
    // Nothing but commands: no forwarding of any kind, so no port can be opened through this host.
    'AllowTcpForwarding no',
    'AllowStreamLocalForwarding no',
    'X11Forwarding no',
    'PermitTunnel no',
    'AllowAgentForwarding no',
    // labtel's multiplexed connection carries several commands at once (BGP polls, agents, relays).
    'MaxSessions 64',
    'LogLevel VERBOSE',
    // The session's own PATH and HOME: the machine's root has a ~/.bashrc that takes seconds (pyenv),
    // and Debian's bash reads ~/.bashrc for commands run by sshd; a test host starts clean.
    `SetEnv PATH=${pathValue} HOME=${path.join(dir, 'home')}`,
    '',
  ].join('\n');
}

export async function startSshLabHost(name = 'labhost'): Promise<SshLabHost> {
  const dir = mkdtempSync('/tmp/labtel-sshhost-');
  chmodSync(dir, 0o700);
  const tag = path.basename(dir).slice(-5).toLowerCase().replace(/[^a-z0-9]/g, 'x');
  const netns = `lthost-${tag}`;
  const rootIf = `lth${tag}r`;
  const hostIf = `lth${tag}h`;
  const workDir = path.join(dir, 'work');
  const controlDir = path.join(dir, 'control');
  mkdirSync(workDir);
  mkdirSync(path.join(dir, 'home'));
  mkdirSync(controlDir, { mode: 0o700 });
  const hostKey = path.join(dir, 'host_ed25519');
  const identity = path.join(dir, 'id_ed25519');
  sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'labtel test host', '-f', hostKey]);
  sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'labtel test user', '-f', identity]);
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(`${identity}.pub`), { mode: 0o600 });
  const knownHosts = path.join(dir, 'known_hosts');
  const hostPub = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const configFile = path.join(dir, 'ssh_config');
  const hostsFile = path.join(dir, 'labhosts.json');
  const entries: { name: string; port: number }[] = [];
  const writeClientFiles = () => {
    writeFileSync(knownHosts, entries.map((e) => `${e.port === 22 ? labHostAddress : `[${labHostAddress}]:${e.port}`} ${hostPub}\n`).join(''));
    writeFileSync(configFile, entries.map((e) => [
      `Host ${e.name}`, `  HostName ${labHostAddress}`, `  Port ${e.port}`, '  User root', `  IdentityFile ${identity}`, '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${knownHosts}`, '  GlobalKnownHostsFile /dev/null', '',
    ].join('\n')).join('\n'));
    writeFileSync(hostsFile, JSON.stringify(entries.map((e) => ({ name: e.name, sshConfig: configFile, workDir: path.join(workDir, e.name) })), null, 2));
  };

  sh(['ip', 'netns', 'add', netns]);
  const sshds: ChildProcess[] = [];
  try {
    sh(['ip', 'link', 'add', rootIf, 'type', 'veth', 'peer', 'name', hostIf, 'netns', netns]);
    sh(['ip', 'addr', 'add', `${rootAddress}/${prefixLength}`, 'dev', rootIf]);
    sh(['ip', 'link', 'set', rootIf, 'up']);
    sh(['ip', '-n', netns, 'addr', 'add', `${labHostAddress}/${prefixLength}`, 'dev', hostIf]);
    sh(['ip', '-n', netns, 'link', 'set', hostIf, 'up']);
    sh(['ip', '-n', netns, 'link', 'set', 'lo', 'up']);
  } catch (err) {
    sh(['ip', 'netns', 'del', netns]);
    try { sh(['ip', 'link', 'del', rootIf]); } catch { /* not made */ }
    throw err;
  }

  const addSshd = async (entry: { name: string; port: number }, pathValue: string) => {
    const config = path.join(dir, `sshd_config-${entry.port}`);
    writeFileSync(config, sshdConfig(dir, entry.port, pathValue));
    const log = path.join(dir, `sshd-${entry.port}.log`);
    const sshd = startSshd(netns, config, log);
    sshds.push(sshd);
    entries.push(entry);
    writeClientFiles();
    await waitForPort(netns, entry.port, sshd, log);
  };
  await addSshd({ name, port: 22 }, sessionPath);

  const host: SshLabHost = {
    name, address: labHostAddress, dir, configFile, knownHosts, identity, workDir: path.join(workDir, name), hostsFile, controlDir, netns,
    sshdPid: () => sshds[0]!.pid!,
    inHost: (argv) => sh(['nsenter', '-t', String(sshds[0]!.pid), '-m', '--', ...argv]),
    sshdLog: () => readdirSync(dir).filter((f) => /^sshd-\d+\.log$/.test(f)).map((f) => readFileSync(path.join(dir, f), 'utf8')).join(''),
    async addVariant(variant, { without }) {
      // A folder of links to every program on the session PATH but the ones left out.
      const bin = path.join(dir, `bin-${variant}`);
      mkdirSync(bin);
      const missing = new Set(without);
      for (const d of sessionPath.split(':')) {
        if (!existsSync(d)) continue;
        for (const f of readdirSync(d)) {
          if (missing.has(f) || existsSync(path.join(bin, f))) continue;
          symlinkSync(path.join(d, f), path.join(bin, f));
        }
      }
      await addSshd({ name: variant, port: 2200 + entries.length }, bin);
    },
    async stop() {
      for (const s of sshds) {
        // sshd serves each connection from a child that outlives the listener: those go first, and the
        // clients' master connections end with them.
        try { sh(['pkill', '-TERM', '-P', String(s.pid)]); } catch { /* no connection open */ }
        if (s.exitCode === null) {
          s.kill('SIGTERM');
          await new Promise((r) => s.once('exit', r));
        }
      }
      try { sh(['ip', 'netns', 'del', netns]); } catch { /* gone */ }
      try { sh(['ip', 'link', 'del', rootIf]); } catch { /* went with the namespace */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return host;
}
