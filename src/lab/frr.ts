import path from 'node:path';

/**
 * Running Debian's FRR (8.4 here) without systemd, one instance per lab node inside the node's network
 * namespace. Each daemon gets explicit paths under the node's state folder instead of /var/run/frr and
 * /etc/frr, so instances never share a socket, pid file or config:
 *   --vty_socket DIR   the daemon's vty socket folder (vtysh --vty_socket DIR talks to this instance)
 *   -z DIR/zserv.api   zebra's API socket, the same for zebra and its clients
 *   -i DIR/NAME.pid    pid file
 *   -f CONF            the node's frr.conf (integrated: each daemon applies its own part and logs the
 *                      other daemons' lines as unknown, which is harmless)
 *   -P 0               no TCP vty (the unix socket is enough)
 *   -u frr -g frr      Debian's frr user: its group frrvty owns the vty sockets (root is refused unless
 *                      it is in frrvty); FRR keeps the capabilities it needs (NET_ADMIN, NET_RAW, …).
 * Daemons stay in the foreground (no -d) so labtel owns their pids.
 */
export const frrBinDir = process.env.LABTEL_FRR_DIR ?? '/usr/lib/frr';

export interface FrrPaths {
  readonly dir: string;
  readonly config: string;
}

export function frrDaemonArgv(daemon: string, paths: FrrPaths): string[] {
  const argv = [
    path.join(frrBinDir, daemon),
    '-u', 'frr', '-g', 'frr',
    '-P', '0',
    '--vty_socket', paths.dir,
    '-z', path.join(paths.dir, 'zserv.api'),
    '-i', path.join(paths.dir, `${daemon}.pid`),
    '-f', paths.config,
    '--log', `file:${path.join(paths.dir, `${daemon}.log`)}`,
  ];
  // Routes of a big lab arrive in bursts; a larger netlink buffer keeps zebra from dropping them.
  if (daemon === 'zebra') argv.push('-s', '16777216');
  return argv;
}

/** vtysh for one node's FRR instance: `vtysh … --vty_socket DIR`. */
export function vtyshArgv(dir: string, args: readonly string[]): string[] {
  return ['vtysh', '--vty_socket', dir, ...args];
}

/** One BGP neighbor from `show bgp summary json`. */
export interface BgpSession {
  readonly peer: string;
  readonly remoteAs: number | undefined;
  readonly state: string;
  readonly description: string | undefined;
  readonly addressFamily: string;
}

/**
 * Reads FRR's `show bgp summary json` (vtysh): one object per address family ("ipv4Unicast", …) with
 * "peers" keyed by neighbor address, each with "state" (Idle, Connect, Active, OpenSent, OpenConfirm,
 * Established) and "remoteAs". An instance without `router bgp` prints {}.
 */
export function parseBgpSummary(json: string): BgpSession[] {
  const doc = JSON.parse(json) as Record<string, { peers?: Record<string, { state?: string; remoteAs?: number; desc?: string; hostname?: string }> }>;
  const out: BgpSession[] = [];
  for (const [af, body] of Object.entries(doc)) {
    for (const [peer, p] of Object.entries(body?.peers ?? {})) {
      out.push({ peer, remoteAs: p.remoteAs, state: p.state ?? 'unknown', description: p.desc, addressFamily: af });
    }
  }
  return out;
}
