import { existsSync } from 'node:fs';
import path from 'node:path';
import { isAgentName } from '../../shared/agents';
import type { LabAgentAttachArguments, LabAgentLaunchArguments, LabBackendKind } from '../../shared/debugLaunch';
import type { Backend } from '../../lab/backend';
import { createBackend, defaultBackendKind } from '../../lab/backends';
import { HostBackend } from '../../lab/host/hostBackend';
import { labtelDistDir } from '../../lab/host/hostFiles';
import { LabHost } from '../../lab/host/labHost';
import { findLabHost, loadLabHostsFile, localHostName, parseLabHosts, type LabHostConfig } from '../../lab/host/labHosts';
import type { Topology } from '../../lab/topology';
import { LaunchError } from './agentRuntime';
import { LaunchConfigError, type LaunchPlan } from './launchPlan';

/** A path prefix in the lab node and the workspace folder it stands for. */
export interface PathPair {
  readonly remote: string;
  readonly local: string;
}

/** Where a debug session's agent runs: the lab's backend, and what differs on a lab host. */
export interface LabTarget {
  readonly backend: Backend;
  /** The lab host's name, or "local". */
  readonly hostName: string;
  /** The launch as it runs there (on a host: the host's node, its copy of the bundle, env in argv). */
  readonly plan: LaunchPlan | undefined;
  /** node in the lab node, for the relay and the attach helpers. */
  readonly runtimeExecutable: string;
  /** The host's copy of the build ↔ the workspace: source maps and breakpoints work on the workspace's files. */
  readonly paths: readonly PathPair[];
}

type TargetArgs = Pick<LabAgentLaunchArguments & LabAgentAttachArguments, 'labHost' | 'labHosts' | 'runtimeExecutable'> & { backend?: LabBackendKind };

/** The lab host a configuration names, or undefined for this machine. */
export function labHostConfigOf(args: TargetArgs): LabHostConfig | undefined {
  if (args.labHost === undefined || args.labHost === localHostName) return undefined;
  if (typeof args.labHost !== 'string' || args.labHost === '') throw new LaunchConfigError('"labHost" must name a lab host of labtel.labHosts (or a Host of ~/.ssh/config)');
  const hostsFile = process.env.LABTEL_HOSTS_FILE;
  const configs = args.labHosts !== undefined ? parseLabHosts(args.labHosts) : hostsFile ? loadLabHostsFile(hostsFile) : [];
  return findLabHost(configs, args.labHost);
}

/**
 * The backend and the plan for a launch. On this machine the plan is the one given. On a lab host
 * the workspace's build (dist/, with its source maps) is copied there once per content, as for any
 * agent run on the host (HostBackend.prepare), and the agent runs from that copy with the host's
 * node; the inspector's flags are the same, so it listens on 127.0.0.1 inside the node there too.
 */
export async function launchTarget(args: LabAgentLaunchArguments, plan: LaunchPlan, topology: Topology): Promise<LabTarget> {
  const config = labHostConfigOf(args);
  if (!config) {
    return { backend: createBackend(topology, args.backend ?? defaultBackendKind()), hostName: localHostName, plan, runtimeExecutable: args.runtimeExecutable ?? 'node', paths: [] };
  }
  if (!isAgentName(args.agent)) {
    throw new LaunchConfigError(`on lab host ${config.name} the agent is capture, top-talkers or bgp-ping (labtel copies their bundles there); "${args.agent}" is a file on this machine`);
  }
  const workspaceDist = path.dirname(path.dirname(plan.script));
  // The workspace's own build when it is a labtel build (the labtel repository); otherwise this labtel's.
  const distDir = existsSync(path.join(workspaceDist, 'cli.js')) ? workspaceDist : labtelDistDir();
  const host = LabHost.ssh(config);
  const backend = new HostBackend(host, topology, args.backend ?? config.backend, distDir);
  const bundleDir = await prepared(backend);
  const node = args.runtimeExecutable ?? config.node;
  const script = path.posix.join(bundleDir, path.basename(distDir), 'agents', `${args.agent}.js`);
  // A command on a host gets no environment from here: the variables go in front, through env(1).
  const env = Object.entries(plan.env).map(([k, v]) => `${k}=${v}`);
  const argv = [...(env.length ? ['env', ...env] : []), node, ...plan.nodeFlags, script, ...plan.agentArgs];
  return {
    backend, hostName: config.name, runtimeExecutable: node,
    plan: { ...plan, script: path.join(distDir, 'agents', `${args.agent}.js`), argv },
    paths: [{ remote: bundleDir, local: path.dirname(distDir) }],
  };
}

/** The backend for an attach: this machine's, or a lab host's (connected, the build copied for its helpers' node). */
export async function attachTarget(args: LabAgentAttachArguments, topology: Topology, workspace: string): Promise<LabTarget> {
  const config = labHostConfigOf(args);
  if (!config) {
    return { backend: createBackend(topology, args.backend ?? defaultBackendKind()), hostName: localHostName, plan: undefined, runtimeExecutable: args.runtimeExecutable ?? 'node', paths: [] };
  }
  const workspaceDist = path.join(workspace, 'dist');
  const distDir = existsSync(path.join(workspaceDist, 'cli.js')) ? workspaceDist : labtelDistDir();
  const backend = new HostBackend(LabHost.ssh(config), topology, args.backend ?? config.backend, distDir);
  const bundleDir = await prepared(backend);
  return { backend, hostName: config.name, plan: undefined, runtimeExecutable: args.runtimeExecutable ?? config.node, paths: [{ remote: bundleDir, local: path.dirname(distDir) }] };
}

/** Connects to the host and copies what it lacks; a failure is the launch's one error, naming the host. */
async function prepared(backend: HostBackend): Promise<string> {
  try {
    return (await backend.prepare()).bundleDir;
  } catch (err) {
    const message = (err as Error).message;
    throw new LaunchError(message.includes(backend.host.name) ? message : `lab host ${backend.host.name}: ${message}`);
  }
}
