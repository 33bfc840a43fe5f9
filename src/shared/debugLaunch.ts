/**
 * The launch and attach arguments of labtel's debug adapter (debug type `labtel`): one definition for
 * launch.json, the DebugConfigurationProvider, the adapter and its tests.
 */
import type { AgentName } from './agents';

export const DEBUG_TYPE = 'labtel';

/** Where the book's lab lives in a workspace, as the CLI's `-t` default. */
export const DEFAULT_TOPOLOGY = 'lab/netgo.clab.yml';

export interface LabAgentLaunchArguments {
  /** capture | top-talkers | bgp-ping, or a path to a script to run with node inside the node. */
  readonly agent: AgentName | string;
  /** The lab node to run it in (a name from the topology). */
  readonly node: string;
  /** The lab's topology file, relative to the workspace folder (default lab/netgo.clab.yml). */
  readonly topology?: string;
  /** The agent's own flags. */
  readonly args?: readonly string[];
  /** Stop at the agent's first line (node --inspect-brk). */
  readonly stopOnEntry?: boolean;
  readonly env?: Readonly<Record<string, string>>;
  /** Map the bundle's locations to the TypeScript sources (default true). */
  readonly sourceMaps?: boolean;
  /** A lab host from labtel.labHosts (or a Host of ~/.ssh/config); absent or "local": this machine. */
  readonly labHost?: string;
  /** The lab hosts as the labtel.labHosts setting lists them (the extension fills it in; default: LABTEL_HOSTS_FILE). */
  readonly labHosts?: readonly LabHostEntry[];
  /** The workspace folder: where the topology, dist/agents/ and the TypeScript sources are (default: the adapter's cwd). */
  readonly cwd?: string;
  /** The node executable inside the lab node (default `node`, found on the node's PATH). */
  readonly runtimeExecutable?: string;
  /** How the lab is deployed (default netns, or LABTEL_BACKEND). */
  readonly backend?: LabBackendKind;
}

/** The lab backends, as src/lab names them (repeated here: src/shared imports nothing). */
export type LabBackendKind = 'netns' | 'containerlab';

export interface LabAgentAttachArguments {
  readonly node: string;
  readonly topology?: string;
  /** The agent's process id inside the node (its inspector is turned on with SIGUSR1)… */
  readonly pid?: number;
  /** …or the inspector port it already listens on, on 127.0.0.1 inside the node. */
  readonly port?: number;
  readonly sourceMaps?: boolean;
  readonly labHost?: string;
  readonly labHosts?: readonly LabHostEntry[];
  readonly cwd?: string;
  readonly runtimeExecutable?: string;
  readonly backend?: LabBackendKind;
}

/** One entry of labtel.labHosts as settings.json holds it (src/lab/host/labHosts.ts reads and checks it). */
export type LabHostEntry = Readonly<Record<string, unknown>>;

/** The port Node's inspector takes when SIGUSR1 turns it on in a running process. */
export const DEFAULT_INSPECTOR_PORT = 9229;
