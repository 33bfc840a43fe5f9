import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isAgentName } from '../../shared/agents';
import { DEFAULT_TOPOLOGY, type LabAgentLaunchArguments } from '../../shared/debugLaunch';

/** What launching an agent under the inspector comes to: files checked, argv ready for backend.exec. */
export interface LaunchPlan {
  readonly workspace: string;
  readonly topologyFile: string;
  /** The script node runs: dist/agents/NAME.js or the path given. */
  readonly script: string;
  readonly argv: readonly string[];
  /** node's own flags in argv: the inspector's, source maps'. */
  readonly nodeFlags: readonly string[];
  /** The agent's flags in argv, after the script. */
  readonly agentArgs: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** A launch configuration that cannot work, said before anything starts. */
export class LaunchConfigError extends Error {
  override readonly name = 'LaunchConfigError';
}

/**
 * The launch's argv: always `--inspect-brk`, so breakpoints are set before the agent's first line
 * runs (with plain `--inspect` a breakpoint on start-up code would be set too late); without
 * stopOnEntry the adapter continues from that first pause itself. The port is 0 (a free one) and
 * the address loopback inside the node: nothing outside the node can reach the inspector.
 */
export function planLaunch(args: LabAgentLaunchArguments, defaultCwd: string): LaunchPlan {
  if (typeof args.agent !== 'string' || args.agent === '') throw new LaunchConfigError('the launch configuration needs "agent": capture, top-talkers, bgp-ping or a path to a script');
  if (typeof args.node !== 'string' || args.node === '') throw new LaunchConfigError('the launch configuration needs "node": the lab node to run the agent in');
  const workspace = path.resolve(args.cwd ?? defaultCwd);
  const topologyFile = path.resolve(workspace, args.topology ?? DEFAULT_TOPOLOGY);
  if (!existsSync(topologyFile)) throw new LaunchConfigError(`no topology file ${topologyFile} ("topology" in the launch configuration, relative to ${workspace})`);
  const script = isAgentName(args.agent) ? path.join(workspace, 'dist', 'agents', `${args.agent}.js`) : path.resolve(workspace, args.agent);
  if (!existsSync(script)) {
    throw new LaunchConfigError(isAgentName(args.agent)
      ? `the ${args.agent} agent is not built (no ${script}): run "npm run build"`
      : `no script ${script} ("agent" in the launch configuration)`);
  }
  for (const a of args.args ?? []) if (typeof a !== 'string') throw new LaunchConfigError(`"args" must be strings; got ${JSON.stringify(a)}`);
  const sourceMaps = args.sourceMaps ?? true;
  const nodeFlags = ['--inspect-brk=127.0.0.1:0', ...(sourceMaps ? ['--enable-source-maps'] : [])];
  const agentArgs = [...(args.args ?? [])];
  const argv = [args.runtimeExecutable ?? 'node', ...nodeFlags, script, ...agentArgs];
  return { workspace, topologyFile, script, argv, nodeFlags, agentArgs, env: args.env ?? {} };
}

/** The source map a script names in its last `//# sourceMappingURL=` comment, resolved beside it; undefined when none. */
export function sourceMapFileOf(script: string): string | undefined {
  const text = readFileSync(script, 'utf8');
  const tail = text.slice(Math.max(0, text.length - SOURCE_MAP_COMMENT_SEARCH));
  const m = /\/\/# sourceMappingURL=([^\s]+)\s*$/.exec(tail);
  if (!m || m[1]!.startsWith('data:')) return undefined;
  return path.resolve(path.dirname(script), m[1]!);
}

/** The comment is the bundle's last line; a few hundred bytes from the end is enough to find it. */
const SOURCE_MAP_COMMENT_SEARCH = 512;
