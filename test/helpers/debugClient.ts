import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DEBUG_TYPE, type LabAgentLaunchArguments } from '../../src/shared/debugLaunch';
import { agentBundle } from './agentProcess';
import { repoRoot } from './corpus';

/** The standalone adapter, as other editors run it: `node dist/debugAdapter.js` (built with the agents). */
export function adapterPath(): string {
  agentBundle('top-talkers'); // builds every target once per test process
  return path.join(repoRoot, 'dist', 'debugAdapter.js');
}

/** A DebugClient on a fresh standalone adapter, its requests given `timeoutMs`; `env` is added to the adapter's environment. */
export async function startDebugClient(timeoutMs = 20_000, env: Record<string, string> = {}): Promise<DebugClient> {
  const dc = new DebugClient(process.execPath, adapterPath(), DEBUG_TYPE, { cwd: repoRoot, env: { ...process.env, ...env } }, true);
  dc.defaultTimeout = timeoutMs;
  await dc.start();
  return dc;
}

/**
 * The launch as VS Code makes it: initialize, launch, and once the adapter says `initialized`, the
 * breakpoints and configurationDone; resolves with the launch's response (or rejects with its error).
 */
export async function launchWithBreakpoints(
  dc: DebugClient,
  args: LabAgentLaunchArguments,
  breakpoints: Array<{ path: string; breakpoints: DebugProtocol.SourceBreakpoint[] }> = [],
): Promise<{ launch: DebugProtocol.LaunchResponse; set: DebugProtocol.SetBreakpointsResponse[] }> {
  await dc.initializeRequest({ adapterID: DEBUG_TYPE, linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const launching = dc.launchRequest({ ...args, cwd: args.cwd ?? repoRoot } as DebugProtocol.LaunchRequestArguments);
  const initialized = dc.waitForEvent('initialized', 20_000);
  // A failed launch answers without `initialized`: its error is what the caller should see.
  await Promise.race([initialized, launching]);
  const set: DebugProtocol.SetBreakpointsResponse[] = [];
  for (const b of breakpoints) set.push(await dc.setBreakpointsRequest({ source: { path: b.path }, breakpoints: b.breakpoints }));
  await dc.configurationDoneRequest();
  return { launch: await launching, set };
}

/** The 1-based line of the only line in `file` equal to `text` (trimmed), after the line containing `after`. */
export function lineOf(file: string, after: string, text: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.includes(after));
  if (start < 0) throw new Error(`${file}: no line with ${JSON.stringify(after)}`);
  const k = lines.findIndex((l, i) => i > start && l.trim() === text);
  if (k < 0) throw new Error(`${file}: no line ${JSON.stringify(text)} after ${JSON.stringify(after)}`);
  return k + 1;
}

/**
 * The processes in a network namespace, by /proc: every pid whose /proc/PID/ns/net is the namespace's
 * inode (what `ip netns pids` does), with its command line. Independent of the adapter's own view.
 */
export function processesInNamespace(namespace: string): Array<{ pid: number; cmdline: string }> {
  const inode = statSync(`/run/netns/${namespace}`).ino;
  const out: Array<{ pid: number; cmdline: string }> = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const link = readlinkSync(`/proc/${e}/ns/net`);
      if (link !== `net:[${inode}]`) continue;
      out.push({ pid: Number(e), cmdline: readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').join(' ').trim() });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** Waits until `pred` holds or `ms` pass; returns its last value. */
export async function eventually<T>(probe: () => T, pred: (v: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (pred(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}
