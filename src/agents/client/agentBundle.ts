import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AgentName } from '../../shared/agents';

/**
 * The agent's single-file bundle, runnable with plain `node` in a lab node: beside the CLI's bundle
 * (dist/agents/), or the repo's dist/ when the CLI runs from source.
 */
export function agentBundlePath(name: AgentName): string {
  const candidates = [path.join(__dirname, 'agents', `${name}.js`), path.resolve(__dirname, '..', '..', '..', 'dist', 'agents', `${name}.js`)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`the ${name} agent is not built (looked in ${candidates.join(', ')}): run "npm run build"`);
  return found;
}
