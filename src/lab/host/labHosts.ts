import { readFileSync } from 'node:fs';
import type { BackendKind } from '../backend';

/**
 * The `labtel.labHosts` setting (and the CLI's --hosts-file, same shape): the machines besides this one
 * where labtel deploys labs and runs agents, over SSH. Each entry:
 *
 *   {
 *     "name": "lab1",                 // how labtel names the host (required; "local" is this machine)
 *     "ssh": "lab1",                  // the SSH destination: a Host of ~/.ssh/config, user@host or an address (default: name)
 *     "sshConfig": "~/.ssh/labs",     // optional ssh -F file instead of ~/.ssh/config
 *     "workDir": ".cache/labtel",     // labtel's folder on the host, relative to the login's home (default)
 *     "privilegePrefix": "sudo -n",   // how a non-root login becomes root there (default "sudo -n")
 *     "node": "node",                 // Node.js on the host, for labtel's core and the agents (default "node")
 *     "backend": "netns"              // the backend there: netns (default) or containerlab
 *   }
 *
 * No entry carries a secret: logins are by key (ssh-agent or an IdentityFile in ssh_config) with
 * BatchMode, and a key called like a secret (password, passphrase, …) is refused by name. A host name
 * that no entry lists is still usable: `labtel --host NAME` passes NAME to ssh with the defaults.
 */
export interface LabHostConfig {
  readonly name: string;
  readonly ssh: string;
  readonly sshConfig: string | undefined;
  readonly workDir: string;
  readonly privilegePrefix: readonly string[];
  readonly node: string;
  readonly backend: BackendKind;
}

export const localHostName = 'local';
export const defaultWorkDir = '.cache/labtel';
const defaultPrivilegePrefix = ['sudo', '-n'];

export class LabHostsError extends Error {
  override readonly name = 'LabHostsError';
}

const hostNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
const knownKeys = new Set(['name', 'ssh', 'sshConfig', 'workDir', 'privilegePrefix', 'node', 'backend']);
const secretKeys = /pass|secret|token|credential|private|^key$|identity/i;

/** The entry labtel uses for a host no setting lists: ssh to the name, every default. */
export function defaultLabHost(name: string): LabHostConfig {
  checkName(name, `host "${name}"`);
  return { name, ssh: name, sshConfig: undefined, workDir: defaultWorkDir, privilegePrefix: defaultPrivilegePrefix, node: 'node', backend: 'netns' };
}

function checkName(name: string, where: string): void {
  if (!hostNamePattern.test(name)) throw new LabHostsError(`${where}: "${name}" is not a host name (letters, digits, "_", ".", "@", "-"; up to 64)`);
  if (name === localHostName) throw new LabHostsError(`${where}: "${localHostName}" is this machine and cannot name a lab host`);
}

/** Reads the setting's value; every mistake is one error naming its place, e.g. labtel.labHosts[1].workDir. */
export function parseLabHosts(value: unknown, source = 'labtel.labHosts'): LabHostConfig[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new LabHostsError(`${source}: must be a list of hosts ([{ "name": … }, …])`);
  const seen = new Set<string>();
  return value.map((raw: unknown, i) => {
    const at = `${source}[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new LabHostsError(`${at}: must be an object with at least "name"`);
    const entry = raw as Record<string, unknown>;
    for (const key of Object.keys(entry)) {
      if (secretKeys.test(key)) {
        throw new LabHostsError(`${at}.${key}: labtel stores no secrets in settings; log in with a key (ssh-agent, or IdentityFile in ssh_config) and remove "${key}"`);
      }
      if (!knownKeys.has(key)) throw new LabHostsError(`${at}.${key}: unknown key; a host takes ${[...knownKeys].join(', ')}`);
    }
    const str = (key: string): string | undefined => {
      const v = entry[key];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || v.trim() === '' || /[\0\n\r]/.test(v)) throw new LabHostsError(`${at}.${key}: must be a non-empty string on one line`);
      return v;
    };
    const name = str('name');
    if (name === undefined) throw new LabHostsError(`${at}.name: every host needs a name`);
    checkName(name, `${at}.name`);
    if (seen.has(name)) throw new LabHostsError(`${at}.name: "${name}" is listed twice`);
    seen.add(name);
    const ssh = str('ssh') ?? name;
    if (ssh.startsWith('-') || /\s/.test(ssh)) throw new LabHostsError(`${at}.ssh: "${ssh}" is not an SSH destination (a Host name, user@host or an address)`);
    const workDir = str('workDir') ?? defaultWorkDir;
    if (workDir === '/' || workDir.split('/').includes('..')) throw new LabHostsError(`${at}.workDir: "${workDir}" must be a folder of labtel's own (not "/", no "..")`);
    const backend = str('backend') ?? 'netns';
    if (backend !== 'netns' && backend !== 'containerlab') throw new LabHostsError(`${at}.backend: must be "netns" or "containerlab", not "${backend}"`);
    return { name, ssh, sshConfig: str('sshConfig'), workDir, privilegePrefix: prefix(entry.privilegePrefix, `${at}.privilegePrefix`), node: str('node') ?? 'node', backend };
  });
}

function prefix(value: unknown, at: string): readonly string[] {
  if (value === undefined) return defaultPrivilegePrefix;
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value) && value.every((w) => typeof w === 'string' && w !== '')) return value as string[];
  throw new LabHostsError(`${at}: must be a command like "sudo -n" or a list of words`);
}

/**
 * A hosts file for the CLI (--hosts-file, LABTEL_HOSTS_FILE): JSON holding the setting's value, or a
 * settings.json-like object with a "labtel.labHosts" key. Syntax errors say file:line:col.
 */
export function loadLabHostsFile(file: string): LabHostConfig[] {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (err) {
    throw new LabHostsError(`${file}: cannot read the hosts file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let doc: unknown;
  try { doc = JSON.parse(text); } catch (err) {
    const pos = /position (\d+)/.exec((err as Error).message);
    const where = pos ? lineColumn(text, Number(pos[1])) : '';
    throw new LabHostsError(`${file}${where}: not valid JSON (${(err as Error).message.replace(/ in JSON at position \d+.*$/, '')})`);
  }
  const value = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>)['labtel.labHosts'] : doc;
  return parseLabHosts(value, `${file}: labtel.labHosts`);
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `:${before.length}:${before.at(-1)!.length + 1}`;
}

/** The configured host called `name`, or one made from the name with every default. */
export function findLabHost(hosts: readonly LabHostConfig[], name: string): LabHostConfig {
  return hosts.find((h) => h.name === name) ?? defaultLabHost(name);
}
