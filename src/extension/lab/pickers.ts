import * as vscode from 'vscode';
import type { LabTreeItem } from './labTreeProvider';
import { requireTopology, type LabEntry, type Labs } from './labs';

/**
 * The lab a command acts on: the tree item it was invoked on, a topology Uri (explorer, editor title),
 * the active editor's topology, the only lab, or the one the user picks. `want` narrows the offer to
 * labs in a state where the command makes sense (deployed ones for Destroy…).
 */
export async function pickLab(labs: Labs, arg: unknown, want?: (e: LabEntry) => boolean, title = 'labtel: which lab?'): Promise<LabEntry | undefined> {
  const item = arg as LabTreeItem | undefined;
  if (item && typeof item === 'object' && 'entry' in item && item.entry) return item.entry;
  if (arg instanceof vscode.Uri) return labs.byFile(arg);
  if (typeof arg === 'string') return labs.byName(arg);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && /\.clab\.ya?ml$/.test(active.fsPath)) {
    const entry = await labs.byFile(active);
    if (entry) return entry;
  }
  const all = (await labs.list()).filter((l) => l.topology && (!want || want(l)));
  if (all.length === 0) {
    const any = (await labs.list()).length > 0;
    void vscode.window.showInformationMessage(any ? 'labtel: no lab is in a state for this.' : 'labtel: no containerlab topology (*.clab.yml) in this workspace.');
    return undefined;
  }
  if (all.length === 1) return all[0];
  const picked = await vscode.window.showQuickPick(all.map((l) => ({ label: l.topology!.name, description: l.status, detail: vscode.workspace.asRelativePath(l.file), entry: l })), { title });
  return picked?.entry;
}

/** A node of a lab: the tree item's, a name passed by a test or a link, or the user's pick. */
export async function pickNode(labs: Labs, arg: unknown, title: string, nodeArg?: unknown): Promise<{ entry: LabEntry; node: string } | undefined> {
  const item = arg as LabTreeItem | undefined;
  if (item && typeof item === 'object' && (item.kind === 'node' || item.kind === 'agent')) {
    return { entry: item.entry, node: item.kind === 'node' ? item.node.name : item.agent.node };
  }
  const entry = await pickLab(labs, arg);
  if (!entry) return undefined;
  const topology = requireTopology(entry);
  if (typeof nodeArg === 'string') return { entry, node: nodeArg };
  const node = await vscode.window.showQuickPick(topology.nodes.map((n) => {
    const info = entry.info?.nodes.find((x) => x.name === n.name);
    return { label: n.name, description: [n.kind, ...(info?.roles ?? []), info?.state ?? 'not deployed'].join(' · ') };
  }), { title: `${title} (${topology.name})` });
  return node ? { entry, node: node.label } : undefined;
}

/** Refuses a node command on a lab that is not up, saying so (not a failed `ip netns exec`). */
export function requireDeployed(entry: LabEntry, what: string): void {
  if (!entry.info?.deployed) {
    throw new Error(`lab ${entry.topology?.name ?? ''} is not deployed, so ${what} is not possible: deploy it first (labtel: Deploy Lab)`);
  }
}
