// The book's lab (lab/netgo.clab.yml) as the end-to-end tests give it to a workspace: copied in, its
// namespaces looked up on this machine, and brought down whatever a run left of it.
import { cpSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './corpus';

/** The namespaces of a deployed netgo lab on this machine (the lab is machine-wide). */
export function netgoNamespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith('clab-netgo-'));
}

/** Copies the repository's lab folder into a workspace, as a user's lab folder. */
export function copyNetgoLab(workspace: string): void {
  cpSync(path.join(repoRoot, 'lab'), path.join(workspace, 'lab'), { recursive: true });
}

/** `labtel lab down` on the workspace's copy of the lab: nothing of it may outlive a test. */
export function netgoDown(workspace: string): void {
  spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'labtel.js'), 'lab', 'down', '-t', path.join(workspace, 'lab', 'netgo.clab.yml')], { encoding: 'utf8' });
}
