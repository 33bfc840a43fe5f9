import type { BackendKind } from '../backend';
import type { Transport } from './transport';

/**
 * What a lab host has, checked in one command over its connection: the login (root, or whether the
 * privilege prefix works), namespaces, the embedded backend's FRR and pmacct, containerlab and Docker,
 * Node for labtel's core and the agents, tcpdump and iperf3. Returned as data (the Lab view shows it;
 * `labtel host check NAME` prints it) with what is missing and what for.
 */
export interface HealthItem {
  readonly name: string;
  readonly ok: boolean;
  /** A version or path when found; what is wrong when not. */
  readonly detail: string;
  /** What needs it: a backend, "agents", "traffic" or "labtel" (labtel itself). */
  readonly neededFor: readonly HealthNeed[];
}

export type HealthNeed = 'labtel' | 'netns' | 'containerlab' | 'agents' | 'traffic';

export interface HostHealth {
  readonly host: string;
  readonly reachable: boolean;
  /** Why the host could not be checked (connection errors). */
  readonly error?: string;
  readonly root: boolean;
  readonly items: readonly HealthItem[];
  readonly checkedAt: string;
}

/** The items a host running `backend` lacks (everything labtel, the backend, agents and traffic need). */
export function missingFor(health: HostHealth, backend: BackendKind): HealthItem[] {
  const needs = new Set<HealthNeed>(['labtel', backend, 'agents', 'traffic']);
  return health.items.filter((i) => !i.ok && i.neededFor.some((n) => needs.has(n)));
}

/**
 * Prints one "key<TAB>value" line per probe. Fixed text; the node command, FRR folder and privilege
 * prefix come as arguments ($1, $2, then the prefix words).
 */
export const healthScript = [
  'node=$1; frr=$2; shift 2',
  'say() { printf "%s\\t%s\\n" "$1" "$2"; }',
  'say uid "$(id -u)"',
  'for t in ip tar unshare vtysh pmacctd tcpdump iperf3 containerlab docker; do say "path.$t" "$(command -v "$t" 2>/dev/null)"; done',
  'say node "$("$node" -p \'process.version+" "+process.versions.modules+" "+process.arch+" "+process.platform\' 2>/dev/null)"',
  'for d in zebra bgpd; do if [ -x "$frr/$d" ]; then say "frr.$d" "$frr/$d"; else say "frr.$d" ""; fi; done',
  'say frr.user "$(id -u frr 2>/dev/null)"',
  'if [ "$(id -u)" = 0 ]; then say priv root; elif [ $# -gt 0 ] && "$@" true </dev/null >/dev/null 2>&1; then say priv prefix; else say priv no; fi',
  'if [ "$(id -u)" = 0 ]; then set --; fi',
  'if "$@" unshare -n true </dev/null >/dev/null 2>&1; then say netns yes; else say netns no; fi',
  'if command -v containerlab >/dev/null 2>&1; then say clab "$(containerlab version 2>/dev/null | sed -n "s/^ *version: *//p" | head -n 1)"; fi',
  'if command -v docker >/dev/null 2>&1; then say docker "$("$@" docker version --format "{{.Server.Version}}" 2>/dev/null)"; fi',
].join('\n');

/** The minimum Node for labtel's bundles (package.json engines). */
const minimumNodeMajor = 20;

/** Turns the script's output into the health items. */
export function parseHealth(host: string, output: string, prefix: readonly string[], checkedAt = new Date().toISOString()): HostHealth {
  const v = new Map<string, string>();
  for (const line of output.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) v.set(line.slice(0, tab), line.slice(tab + 1).trim());
  }
  const root = v.get('uid') === '0';
  const items: HealthItem[] = [];
  const item = (name: string, ok: boolean, detail: string, ...neededFor: HealthNeed[]) => items.push({ name, ok, detail, neededFor });
  const tool = (name: string, missing: string, ...neededFor: HealthNeed[]) => {
    const where = v.get(`path.${name}`) ?? '';
    item(name, where !== '', where || missing, ...neededFor);
  };
  const priv = v.get('priv');
  item('root', priv === 'root' || priv === 'prefix',
    priv === 'root' ? 'logged in as root' : priv === 'prefix' ? `not root; "${prefix.join(' ')}" works` : `not root, and "${prefix.join(' ') || '(no prefix)'}" cannot run commands as root (allow it without a password, or log in as root)`,
    'netns', 'containerlab');
  const node = v.get('node') ?? '';
  const major = Number(/^v(\d+)/.exec(node)?.[1] ?? 0);
  item('node', major >= minimumNodeMajor, node ? `${node.split(' ')[0]} (ABI ${node.split(' ').slice(1).join(' ')})${major >= minimumNodeMajor ? '' : `: labtel needs Node ${minimumNodeMajor} or later`}` : 'not found: install Node.js (labtel\'s core and the agents run with it)', 'labtel', 'agents');
  tool('tar', 'not found: labtel copies the lab\'s files with tar', 'labtel');
  tool('ip', 'not found: install iproute2', 'netns', 'agents');
  item('namespaces', v.get('netns') === 'yes', v.get('netns') === 'yes' ? 'a network namespace can be made' : 'cannot make a network namespace (unshare -n failed): a container without CAP_SYS_ADMIN?', 'netns');
  const frrOk = (v.get('frr.zebra') ?? '') !== '' && (v.get('frr.bgpd') ?? '') !== '' && (v.get('frr.user') ?? '') !== '';
  item('frr', frrOk, frrOk ? v.get('frr.zebra')!.replace(/\/zebra$/, '') : 'FRR\'s zebra/bgpd or its user frr is missing: install Debian\'s frr', 'netns');
  tool('vtysh', 'not found: install frr (vtysh)', 'netns');
  tool('pmacctd', 'not found: install pmacct (the sFlow exporter)', 'netns');
  tool('tcpdump', 'not found: install tcpdump', 'agents');
  tool('iperf3', 'not found: install iperf3 (traffic profiles)', 'traffic');
  const clab = v.get('clab');
  item('containerlab', clab !== undefined && clab !== '', clab ? `containerlab ${clab}` : 'not found: install containerlab', 'containerlab');
  const docker = v.get('docker');
  item('docker', docker !== undefined && docker !== '', docker ? `Docker ${docker}` : docker === undefined ? 'not found: install Docker' : 'docker is installed but its daemon does not answer', 'containerlab');
  return { host, reachable: true, root, items, checkedAt };
}

/** Runs the check on a host. A connection failure is a HostHealth with reachable false and the reason. */
export async function checkHealth(host: string, transport: Transport, options: { node: string; frrDir?: string; prefix: readonly string[] }): Promise<HostHealth> {
  try {
    const r = await transport.run(['sh', '-c', healthScript, 'labtel', options.node, options.frrDir ?? '/usr/lib/frr', ...options.prefix], { allowFailure: true, timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(r.stderr.trim() || `the check exited with ${r.code}`);
    return parseHealth(host, r.stdout, options.prefix);
  } catch (err) {
    return { host, reachable: false, error: (err as Error).message, root: false, items: [], checkedAt: new Date().toISOString() };
  }
}

/** The check as text: one line per item, then what is missing for the host's backend. */
export function renderHealth(health: HostHealth, backend: BackendKind): string {
  if (!health.reachable) return `${health.host}: not reachable: ${health.error}`;
  const width = Math.max(...health.items.map((i) => i.name.length));
  const lines = [`${health.host} (${health.root ? 'root' : 'not root'})`, ...health.items.map((i) => `  ${i.ok ? 'ok     ' : 'MISSING'}  ${i.name.padEnd(width)}  ${i.detail}  [${i.neededFor.join(', ')}]`)];
  const missing = missingFor(health, backend);
  lines.push(missing.length === 0 ? `ready for the ${backend} backend and the agents` : `missing for the ${backend} backend: ${missing.map((i) => `${i.name} (${i.neededFor.join(', ')})`).join(', ')}`);
  return lines.join('\n');
}
