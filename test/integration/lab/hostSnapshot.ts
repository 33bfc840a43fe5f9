import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * What a lab can leave behind on the host, for before/after comparisons: `ip netns list`, `ip link` in
 * the root namespace, the process table and the lab's state folder. Other labs (other names, other
 * helpers' tests) may come and go meanwhile, so namespaces, processes and state are limited to what
 * could be this lab's: names containing clab-<lab>-, processes whose command line names the lab's
 * state folder or namespaces or that run in one of the lab's namespaces. The lab never creates a link
 * in the root namespace, so that list is compared whole. Zombies are left out: this machine's pid 1
 * does not reap orphans, so a daemon stopped after its parent exited stays a zombie (no namespace, no
 * socket, no memory) until reboot; a normal init reaps it at once.
 */
export interface HostSnapshot {
  readonly netns: string[];
  readonly rootLinks: string[];
  readonly processes: string[];
  readonly stateFiles: string[];
}

export function namespaceInodes(lab: string): Set<string> {
  const out = new Set<string>();
  if (!existsSync('/run/netns')) return out;
  for (const name of readdirSync('/run/netns')) {
    if (name.startsWith(`clab-${lab}-`)) {
      try { out.add(String(statSync(path.join('/run/netns', name)).ino)); } catch { /* raced with a delete */ }
    }
  }
  return out;
}

export function takeSnapshot(lab: string, stateRoot: string, labInodes: ReadonlySet<string> = new Set()): HostSnapshot {
  const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n')
    .map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(`clab-${lab}-`)).sort();
  const rootLinks = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n').filter(Boolean)
    .map((l) => l.split(': ')[1]!.split('@')[0]!).sort();
  const stateDir = path.join(stateRoot, lab);
  const processes: string[] = [];
  const inodes = new Set([...labInodes, ...namespaceInodes(lab)]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (cmdline === '') continue; // kernel thread
      const netInode = /\[(\d+)\]/.exec(readlinkSync(`/proc/${entry}/ns/net`))?.[1] ?? '';
      if (cmdline.includes(`${stateDir}/`) || cmdline.includes(`clab-${lab}-`) || inodes.has(netInode)) {
        processes.push(`${entry} ${fields[19]} ${cmdline}`);
      }
    } catch { /* exited while we looked */ }
  }
  const stateFiles: string[] = [];
  const walk = (p: string) => {
    stateFiles.push(path.relative(stateRoot, p));
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) walk(path.join(p, e));
  };
  if (existsSync(stateDir)) walk(stateDir);
  return { netns, rootLinks, processes: processes.sort(), stateFiles: stateFiles.sort() };
}
