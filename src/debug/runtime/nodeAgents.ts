import type { Backend } from '../../lab/backend';
import { execOutput } from '../../lab/execOutput';
import { withoutIpcChannel } from '../../lab/ipcChannel';

/** An agent process running in a lab node, as the attach pick list shows it. */
export interface RunningAgent {
  readonly pid: number;
  /** The script: dist/agents/NAME.js or whatever node runs. */
  readonly script: string;
  readonly args: string[];
  /** Its inspector's port on 127.0.0.1 in the node, when it was started with one that is fixed. */
  readonly inspectorPort: number | undefined;
}

/**
 * Lists the node processes in the node's own network namespace (its /proc/PID/ns/net is the lister's):
 * run inside the node by exec, so it is the node's view also where the lab is on another host.
 */
const LIST_SCRIPT = String.raw`// labtel agent list (src/debug/runtime/nodeAgents.ts)
const fs = require('fs');
const mine = fs.readlinkSync('/proc/self/ns/net');
const out = [];
for (const e of fs.readdirSync('/proc')) {
  if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
  try {
    if (fs.readlinkSync('/proc/' + e + '/ns/net') !== mine) continue;
    const argv = fs.readFileSync('/proc/' + e + '/cmdline', 'utf8').split('\0').filter(Boolean);
    out.push({ pid: Number(e), argv });
  } catch (err) { /* gone meanwhile, or not ours to read */ }
}
process.stdout.write(JSON.stringify(out));
`;

/** The node programs running in `node` (the relay and this lister excepted), newest last. */
export async function runningAgents(backend: Backend, node: string, runtimeExecutable = 'node'): Promise<RunningAgent[]> {
  const r = await execOutput(backend, node, withoutIpcChannel([runtimeExecutable, '-e', LIST_SCRIPT]));
  if (r.code !== 0) throw new Error(`could not list the processes in node ${node}: ${r.stderr.trim() || `exit code ${r.code}`}`);
  return agentsIn(JSON.parse(r.stdout) as Array<{ pid: number; argv: string[] }>);
}

/** Of a node's processes, those that are node running a script other than labtel's own helpers. */
export function agentsIn(processes: ReadonlyArray<{ pid: number; argv: readonly string[] }>): RunningAgent[] {
  const out: RunningAgent[] = [];
  for (const p of processes) {
    if (!/(^|\/)node(js)?$/.test(p.argv[0] ?? '')) continue;
    const rest = p.argv.slice(1);
    if (rest.includes('-e') || rest.includes('--eval')) continue; // the relay, a lister: not agents
    const scriptAt = rest.findIndex((a) => !a.startsWith('-'));
    if (scriptAt < 0) continue;
    const inspect = rest.slice(0, scriptAt).map((a) => /^--inspect(?:-brk)?=(?:[\d.]+:)?(\d+)$/.exec(a)?.[1]).find((x) => x !== undefined);
    const port = inspect === undefined ? undefined : Number(inspect);
    out.push({ pid: p.pid, script: rest[scriptAt]!, args: rest.slice(scriptAt + 1), inspectorPort: port === 0 ? undefined : port });
  }
  return out.sort((a, b) => a.pid - b.pid);
}
