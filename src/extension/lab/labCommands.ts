import * as vscode from 'vscode';
import type { Backend, BackendKind } from '../../lab/backend';
import { createBackend } from '../../lab/backends';
import { Privileges } from '../../lab/privileges';
import { loadTopology, type Topology } from '../../lab/topology';
import type { LabTreeItem } from './labTreeProvider';

/** The backend for a topology with the user's settings (labtel.backend, labtel.privilegePrefix). */
export function backendFor(topology: Topology): Backend {
  const config = vscode.workspace.getConfiguration('labtel');
  const kind = config.get<BackendKind>('backend', 'netns');
  const prefix = config.get<string[]>('privilegePrefix', ['sudo', '-n']);
  return createBackend(topology, kind, { privileges: new Privileges(prefix) });
}

/** The topology a command acts on: the tree item it was invoked on, the active editor's file, or the only one. */
export async function pickTopology(arg: unknown, labs: () => Promise<Array<LabTreeItem & { kind: 'lab' }>>): Promise<Topology | undefined> {
  const item = arg as LabTreeItem | undefined;
  if (item?.kind === 'lab') return item.topology ?? loadTopology(item.file.fsPath);
  if (item?.kind === 'node') return item.lab.topology;
  if (arg instanceof vscode.Uri) return loadTopology(arg.fsPath);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && /\.clab\.ya?ml$/.test(active.fsPath)) return loadTopology(active.fsPath);
  const all = (await labs()).filter((l) => l.topology);
  if (all.length <= 1) return all[0]?.topology;
  const picked = await vscode.window.showQuickPick(all.map((l) => ({ label: l.topology!.name, description: vscode.workspace.asRelativePath(l.file), lab: l })), { title: 'labtel: which lab?' });
  return picked?.lab.topology;
}

/** A node command's node: the tree item, or asked for. */
export async function pickNode(arg: unknown, labs: () => Promise<Array<LabTreeItem & { kind: 'lab' }>>): Promise<{ topology: Topology; node: string } | undefined> {
  const item = arg as LabTreeItem | undefined;
  if (item?.kind === 'node' && item.lab.topology) return { topology: item.lab.topology, node: item.node.name };
  const topology = await pickTopology(undefined, labs);
  if (!topology) return undefined;
  const node = await vscode.window.showQuickPick(topology.nodes.map((n) => n.name), { title: `labtel: which node of ${topology.name}?` });
  return node ? { topology, node } : undefined;
}
