import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LabInfo, NodeInfo } from '../../lab/backend';
import { loadTopology, type Topology, type TopologyNode } from '../../lab/topology';

/** What the tree shows: a lab (one topology file), a node, or one interface of a node. */
export type LabTreeItem =
  | { kind: 'lab'; file: vscode.Uri; topology?: Topology; error?: string; info?: LabInfo }
  | { kind: 'node'; lab: LabTreeItem & { kind: 'lab' }; node: TopologyNode; info?: NodeInfo }
  | { kind: 'interface'; node: string; name: string; up?: boolean; addresses: readonly string[] };

/** Reads a lab's live state; injected so the tree works without privileges (and in tests). */
export type LabInspector = (topology: Topology) => Promise<LabInfo | undefined>;

/**
 * The Lab view: every containerlab topology file in the workspace, its nodes with their state,
 * roles and interfaces. A file with a mistake shows the error (file:line:col) instead of nodes.
 */
export class LabTreeProvider implements vscode.TreeDataProvider<LabTreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LabTreeItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;
  private labs: Array<LabTreeItem & { kind: 'lab' }> | undefined;

  constructor(private readonly inspect: LabInspector) {
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*.clab.{yml,yaml}');
    const refresh = () => this.refresh();
    this.watcher.onDidChange(refresh);
    this.watcher.onDidCreate(refresh);
    this.watcher.onDidDelete(refresh);
  }

  refresh(): void {
    this.labs = undefined;
    this.changed.fire(undefined);
  }

  /** The labs the tree shows now, loaded if needed. */
  async labItems(): Promise<Array<LabTreeItem & { kind: 'lab' }>> {
    if (!this.labs) {
      const files = await vscode.workspace.findFiles('**/*.clab.{yml,yaml}', '**/node_modules/**', 50);
      files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
      this.labs = await Promise.all(files.map(async (file) => {
        try {
          const topology = loadTopology(file.fsPath);
          let info: LabInfo | undefined;
          try {
            info = await this.inspect(topology);
          } catch {
            info = undefined; // Not inspectable (no privileges): the topology alone is still shown.
          }
          return { kind: 'lab' as const, file, topology, info };
        } catch (err) {
          return { kind: 'lab' as const, file, error: (err as Error).message };
        }
      }));
    }
    return this.labs;
  }

  async getChildren(element?: LabTreeItem): Promise<LabTreeItem[]> {
    if (!element) return this.labItems();
    if (element.kind === 'lab') {
      return (element.topology?.nodes ?? []).map((node) => ({ kind: 'node' as const, lab: element, node, info: element.info?.nodes.find((n) => n.name === node.name) }));
    }
    if (element.kind === 'node') {
      const live = element.info?.state !== 'absent' ? element.info?.interfaces : undefined;
      if (live?.length) return live.filter((i) => i.name !== 'lo').map((i) => ({ kind: 'interface' as const, node: element.node.name, name: i.name, up: i.up, addresses: i.addresses }));
      return element.node.interfaces.map((name) => ({ kind: 'interface' as const, node: element.node.name, name, addresses: [] }));
    }
    return [];
  }

  getTreeItem(element: LabTreeItem): vscode.TreeItem {
    if (element.kind === 'lab') {
      const item = new vscode.TreeItem(element.topology?.name ?? path.basename(element.file.fsPath), vscode.TreeItemCollapsibleState.Expanded);
      item.resourceUri = element.file;
      item.contextValue = element.info?.deployed ? 'labtel.lab.deployed' : 'labtel.lab';
      if (element.error) {
        item.description = 'invalid topology';
        item.tooltip = element.error;
        item.iconPath = new vscode.ThemeIcon('error');
        item.collapsibleState = vscode.TreeItemCollapsibleState.None;
      } else {
        item.description = element.info?.deployed ? `up (${element.info.backend})` : 'down';
        item.tooltip = element.file.fsPath;
        item.iconPath = new vscode.ThemeIcon('type-hierarchy');
      }
      item.command = { command: 'vscode.open', title: 'Open topology', arguments: [element.file] };
      return item;
    }
    if (element.kind === 'node') {
      const state = element.info?.state ?? 'absent';
      const item = new vscode.TreeItem(element.node.name, vscode.TreeItemCollapsibleState.Collapsed);
      const roles = element.info?.roles.length ? ` · ${element.info.roles.join(', ')}` : '';
      item.description = `${element.node.kind}${roles}${state === 'absent' ? '' : ` · ${state}`}`;
      item.iconPath = new vscode.ThemeIcon(state === 'running' ? 'vm-running' : state === 'degraded' ? 'warning' : 'vm-outline');
      item.contextValue = state === 'absent' ? 'labtel.node' : 'labtel.node.running';
      item.tooltip = element.info ? `${element.info.namespace}\n${element.info.processes.map((p) => `${p.name} ${p.pid}${p.alive ? '' : ' (dead)'}`).join('\n')}` : element.node.name;
      return item;
    }
    const item = new vscode.TreeItem(element.name, vscode.TreeItemCollapsibleState.None);
    item.description = element.addresses.join(', ');
    item.iconPath = new vscode.ThemeIcon(element.up === false ? 'debug-disconnect' : 'plug');
    item.contextValue = 'labtel.interface';
    return item;
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
