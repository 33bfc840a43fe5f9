import type { Backend, BackendKind } from './backend';
import { ContainerlabBackend } from './containerlabBackend';
import { NetnsBackend } from './netnsBackend';
import type { Privileges } from './privileges';
import type { Topology } from './topology';

export function isBackendKind(text: string): text is BackendKind {
  return text === 'netns' || text === 'containerlab';
}

/** The backend for a topology: netns unless asked otherwise (option, or LABTEL_BACKEND). */
export function createBackend(topology: Topology, kind: BackendKind = defaultBackendKind(), options: { privileges?: Privileges } = {}): Backend {
  return kind === 'containerlab' ? new ContainerlabBackend(topology, options) : new NetnsBackend(topology, options);
}

export function defaultBackendKind(): BackendKind {
  const env = process.env.LABTEL_BACKEND;
  return env !== undefined && isBackendKind(env) ? env : 'netns';
}
