import type { BackendKind } from '../lab/backend';
import { defaultPrivilegePrefix } from '../lab/privileges';

/**
 * Every `labtel.*` setting with its key and default (read in config.ts, the one place that reads them). The manifest (package.json contributes.configuration)
 * declares the same keys and defaults; test/unit/extension/config.test.ts checks the two agree.
 */
export interface LabtelConfig {
  /** How labs are deployed: the embedded network-namespace backend or containerlab. */
  readonly backend: BackendKind;
  /** Put in front of privileged commands when VS Code does not run as root. */
  readonly privilegePrefix: readonly string[];
  /** Saving a file the agents are built from rebuilds the bundles and restarts the running agents (the book's Tilt loop). */
  readonly restartOnSave: boolean;
  /** An agent that exits by itself is started again, with a growing delay. */
  readonly restartOnCrash: boolean;
  /** Ask before destroying a lab. */
  readonly confirmDestroy: boolean;
  /** The traffic profile Start Traffic offers first. */
  readonly trafficProfile: string;
  /**
   * The Node.js that runs agents inside lab nodes. Not VS Code's own: desktop VS Code runs extensions on
   * Electron, and the agents' native libpcap binding (cap) is built for the system's Node.
   */
  readonly agentNode: string;
}

export const SECTION = 'labtel';

/** The defaults, written once: the manifest's must be the same. */
export const DEFAULTS: LabtelConfig = {
  backend: 'netns',
  privilegePrefix: defaultPrivilegePrefix,
  restartOnSave: false,
  restartOnCrash: true,
  confirmDestroy: true,
  trafficProfile: 'default',
  agentNode: 'node',
};

/** Setting key (under `labtel.`) of each field. */
export const KEYS: Readonly<Record<keyof LabtelConfig, string>> = {
  backend: 'backend',
  privilegePrefix: 'privilegePrefix',
  restartOnSave: 'agents.restartOnSave',
  restartOnCrash: 'agents.restartOnCrash',
  confirmDestroy: 'lab.confirmDestroy',
  trafficProfile: 'traffic.profile',
  agentNode: 'agents.node',
};

