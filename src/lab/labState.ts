import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProcessIdentity } from './processes';

/**
 * What a deployed lab consists of, written to <stateRoot>/<lab>/state.json so that destroy and inspect
 * work from a fresh process. Every namespace and link is recorded BEFORE it is created and every
 * process right after it is spawned (its namespace is recorded already, and destroy kills whatever runs
 * in the lab's namespaces), so a deploy killed at any point still leaves a state that destroy can
 * clean up completely — and destroy touches nothing that is not in it.
 */
export interface LabState {
  readonly version: 1;
  readonly lab: string;
  readonly backend: 'netns';
  readonly topologyFile: string;
  /** sha256 of the topology file and every bound file: a changed lab is redeployed, an unchanged one is left alone. */
  readonly topologyHash: string;
  readonly stateDir: string;
  readonly createdAt: string;
  readonly deployer: ProcessIdentity;
  phase: 'deploying' | 'up';
  /** Namespace names, clab-<lab>-<node>. */
  readonly namespaces: string[];
  readonly links: RecordedLink[];
  readonly processes: RecordedProcess[];
  /** Lab-level services started after deploy (the lab's Prometheus): stopped by destroy, not part of a deploy's health. */
  services?: RecordedProcess[];
}

export interface RecordedLink {
  readonly a: { readonly namespace: string; readonly interface: string };
  readonly b: { readonly namespace: string; readonly interface: string };
}

export interface RecordedProcess {
  readonly node: string;
  /** What it is: "zebra", "bgpd", "pmacctd", … */
  readonly name: string;
  readonly argv: readonly string[];
  readonly logFile: string;
  /** Set once spawned. */
  pid?: number;
  startTime?: string;
  /** A service's address:port inside its node. */
  listen?: string;
}

/** Where labs keep their state: /run/labtel (tmpfs, like the namespaces it describes), or LABTEL_STATE_ROOT. */
export function defaultStateRoot(): string {
  return process.env.LABTEL_STATE_ROOT ?? '/run/labtel';
}

export function labStateDir(lab: string, stateRoot = defaultStateRoot()): string {
  return path.join(stateRoot, lab);
}

export function readLabState(stateDir: string): LabState | undefined {
  try {
    return JSON.parse(readFileSync(path.join(stateDir, 'state.json'), 'utf8')) as LabState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the lab state ${path.join(stateDir, 'state.json')}: ${(err as Error).message}`);
  }
}

/** Writes state.json atomically (write then rename), so a kill mid-write leaves the previous version. */
export function writeLabState(state: LabState): void {
  mkdirSync(state.stateDir, { recursive: true });
  const file = path.join(state.stateDir, 'state.json');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, file);
}
