import { readFileSync } from 'node:fs';
import type { Privileges } from './privileges';
import { run } from './run';

/**
 * A process the lab started, identified by pid AND start time (field 22 of /proc/PID/stat, in clock
 * ticks since boot) so that a later destroy never signals an unrelated process that reused the pid.
 */
export interface ProcessIdentity {
  readonly pid: number;
  readonly startTime: string;
}

interface ProcStat { readonly state: string; readonly startTime: string }

function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: split after the last ")".
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, startTime: fields[19]! };
  } catch {
    return undefined;
  }
}

export function processStartTime(pid: number): string | undefined {
  return procStat(pid)?.startTime;
}

/** True while the very process (same pid, same start time) runs; a zombie counts as gone. */
export function isRunning(p: ProcessIdentity): boolean {
  const s = procStat(p.pid);
  return s !== undefined && s.startTime === p.startTime && s.state !== 'Z' && s.state !== 'X';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signalGroup(privileges: Privileges, pid: number, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> | void {
  if (privileges.isRoot) {
    // Lab processes are started in their own session, so the pid is also the process group: the
    // group takes helpers such as pmacctd's plugin processes with it.
    try { process.kill(-pid, signal); } catch { try { process.kill(pid, signal); } catch { /* gone */ } }
    return;
  }
  return run(privileges.wrap(['kill', `-${signal.slice(3)}`, '--', `-${pid}`]), { allowFailure: true }).then(() => undefined);
}

/**
 * Stops processes: SIGTERM to each one's group, up to `graceMs` to exit, then SIGKILL. Only processes
 * whose start time still matches are signalled.
 */
export async function stopProcesses(privileges: Privileges, procs: readonly ProcessIdentity[], graceMs = 3000): Promise<void> {
  const live = procs.filter(isRunning);
  if (live.length === 0) return;
  await Promise.all(live.map((p) => signalGroup(privileges, p.pid, 'SIGTERM')));
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && live.some(isRunning)) await sleep(20);
  await Promise.all(live.filter(isRunning).map((p) => signalGroup(privileges, p.pid, 'SIGKILL')));
  const killDeadline = Date.now() + 2000;
  while (Date.now() < killDeadline && live.some(isRunning)) await sleep(20);
}

/** Identities of the given pids as they are now (pids that already exited are left out). */
export function identify(pids: readonly number[]): ProcessIdentity[] {
  return pids.flatMap((pid) => {
    const startTime = processStartTime(pid);
    return startTime === undefined ? [] : [{ pid, startTime }];
  });
}
