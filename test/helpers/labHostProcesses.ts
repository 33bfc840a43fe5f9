import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { SshLabHost } from './sshLabHost';

/**
 * The processes in a lab node's network namespace on a test lab host (its /run/netns is the host's own,
 * seen through the host's mount namespace), from /proc: the host's processes are this machine's.
 */
export function processesInHostNamespace(host: SshLabHost, namespace: string): Array<{ pid: number; cmdline: string }> {
  let inode: string;
  try {
    inode = host.inHost(['stat', '-c', '%i', `/run/netns/${namespace}`]).trim();
  } catch {
    return []; // the lab is not up there
  }
  const out: Array<{ pid: number; cmdline: string }> = [];
  for (const e of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      if (readlinkSync(`/proc/${e}/ns/net`) !== `net:[${inode}]`) continue;
      out.push({ pid: Number(e), cmdline: readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').join(' ').trim() });
    } catch { /* exited */ }
  }
  return out;
}

/** TCP listeners (local address:port) in a network namespace, by ss inside it: a lab node's on the host, or the host's own. */
export function tcpListeners(host: SshLabHost, namespace: { node: string } | { host: string }): string[] {
  const text = 'node' in namespace
    ? host.inHost(['ip', 'netns', 'exec', namespace.node, 'ss', '-Htln'])
    : execFileSync('ip', ['netns', 'exec', namespace.host, 'ss', '-Htln'], { encoding: 'utf8' });
  return text.split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/)[3]!);
}
