import { spawnSync } from 'node:child_process';

/**
 * Namespaces, veth links, FRR and packet capture need root. Run as root, labtel does them directly;
 * run as a user, every privileged command goes through a prefix (default `sudo -n`, configurable with
 * the `labtel.privilegePrefix` setting or LABTEL_PRIVILEGE_PREFIX), checked once up front so that a
 * refusal is one clear error instead of a failure halfway through a deploy.
 */
export class PrivilegeError extends Error {
  override readonly name = 'PrivilegeError';
}

export const defaultPrivilegePrefix: readonly string[] = ['sudo', '-n'];

export class Privileges {
  private checked = false;

  constructor(
    readonly prefix: readonly string[] = prefixFromEnv() ?? defaultPrivilegePrefix,
    readonly isRoot: boolean = process.getuid?.() === 0,
  ) {}

  /** The argv to run `argv` with root rights: unchanged as root, behind the prefix otherwise. */
  wrap(argv: readonly string[]): string[] {
    return this.isRoot ? [...argv] : [...this.prefix, ...argv];
  }

  /** Throws PrivilegeError once, with what to allow, when the prefix cannot run commands as root. */
  check(): void {
    if (this.isRoot || this.checked) return;
    if (this.prefix.length === 0) {
      throw new PrivilegeError('labtel needs root for network namespaces and FRR: run it as root or set a privilege prefix (labtel.privilegePrefix / LABTEL_PRIVILEGE_PREFIX, e.g. "sudo -n")');
    }
    const probe = spawnSync(this.prefix[0]!, [...this.prefix.slice(1), 'true'], { encoding: 'utf8', timeout: 10_000 });
    if (probe.error || probe.status !== 0) {
      const code = (probe.error as NodeJS.ErrnoException | undefined)?.code;
      const why = code === 'ENOENT' || code === 'EACCES' ? `${this.prefix[0]} cannot be run: ${code === 'ENOENT' ? 'not installed' : 'permission denied'}`
        : probe.error ? probe.error.message : (probe.stderr || `exit code ${probe.status}`).trim();
      throw new PrivilegeError(
        `labtel needs root for network namespaces and FRR, and "${this.prefix.join(' ')}" refused (${why}). ` +
        'Run labtel as root, or allow your user to run ip, sysctl, kill, chown, install and FRR\'s daemons without a password (sudoers NOPASSWD), or set another prefix.',
      );
    }
    this.checked = true;
  }
}

function prefixFromEnv(): string[] | undefined {
  const text = process.env.LABTEL_PRIVILEGE_PREFIX;
  if (text === undefined) return undefined;
  return text.split(/\s+/).filter(Boolean);
}
