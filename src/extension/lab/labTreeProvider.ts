import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NodeInfo } from '../../lab/backend';
import type { NodeBgpSession } from '../../lab/bgpStatus';
import type { TopologyNode } from '../../lab/topology';
import type { AgentManager, ManagedAgent } from '../agents/agentManager';
import type { LabEntry, LabStatus, Labs } from './labs';

/** What the tree shows: a lab, a node, an agent running in it, a BGP session of it, an interface. */
export type LabTreeItem =
  | { kind: 'lab'; entry: LabEntry }
  | { kind: 'node'; entry: LabEntry; node: TopologyNode; info: NodeInfo | undefined }
  | { kind: 'agent'; entry: LabEntry; agent: ManagedAgent }
  | { kind: 'session'; entry: LabEntry; node: string; session: NodeBgpSession }
  | { kind: 'interface'; node: string; name: string; up: boolean | undefined; addresses: readonly string[] };

const STATUS_TEXT: Readonly<Record<LabStatus, string>> = {
  down: 'not deployed', deploying: 'deploying…', up: 'running', degraded: 'degraded', destroying: 'destroying…', failed: 'failed', invalid: 'invalid topology',
};
const STATUS_ICON: Readonly<Record<LabStatus, [string, string | undefined]>> = {
  down: ['circle-outline', undefined],
  deploying: ['loading~spin', undefined],
  up: ['pass-filled', 'testing.iconPassed'],
  degraded: ['warning', 'list.warningForeground'],
  destroying: ['loading~spin', undefined],
  failed: ['error', 'list.errorForeground'],
  invalid: ['error', 'list.errorForeground'],
};

/**
 * The Lab view: each containerlab topology of the workspace with its state; its nodes with kind, roles,
 * state, the agents labtel runs in them, their BGP sessions and interfaces with addresses.
 */
export class LabTreeProvider implements vscode.TreeDataProvider<LabTreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LabTreeItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly labs: Labs, private readonly agents: AgentManager) {
    // Any change redraws from the top: the tree is small, and a lab's change shows on its nodes too.
    this.subscriptions = [labs.onDidChange(() => this.changed.fire(undefined)), agents.onDidChange(() => this.changed.fire(undefined))];
  }

  async getChildren(element?: LabTreeItem): Promise<LabTreeItem[]> {
    if (!element) return (await this.labs.list()).map((entry) => ({ kind: 'lab' as const, entry }));
    if (element.kind === 'lab') {
      return (element.entry.topology?.nodes ?? []).map((node) => ({ kind: 'node' as const, entry: element.entry, node, info: element.entry.info?.nodes.find((n) => n.name === node.name) }));
    }
    if (element.kind === 'node') {
      const name = element.node.name;
      const agents = this.agents.list(element.entry.topology?.name).filter((a) => a.node === name).map((agent) => ({ kind: 'agent' as const, entry: element.entry, agent }));
      const sessions = (element.entry.sessions ?? []).filter((s) => s.node === name).map((session) => ({ kind: 'session' as const, entry: element.entry, node: name, session }));
      const deployed = element.info && element.info.state !== 'absent';
      const interfaces = deployed
        ? element.info!.interfaces.filter((i) => i.name !== 'lo' || i.addresses.some((a) => !a.startsWith('127.') && a !== '::1/128'))
          .map((i) => ({ kind: 'interface' as const, node: name, name: i.name, up: i.up, addresses: i.name === 'lo' ? i.addresses.filter((a) => !a.startsWith('127.') && a !== '::1/128') : i.addresses }))
        : element.node.interfaces.map((i) => ({ kind: 'interface' as const, node: name, name: i, up: undefined, addresses: [] as string[] }));
      return [...agents, ...sessions, ...interfaces];
    }
    return [];
  }

  getTreeItem(element: LabTreeItem): vscode.TreeItem {
    switch (element.kind) {
      case 'lab': return labItem(element.entry, this.agents.list(element.entry.topology?.name).length);
      case 'node': return nodeItem(element, this.agents.list(element.entry.topology?.name).filter((a) => a.node === element.node.name).length);
      case 'agent': return agentItem(element.agent);
      case 'session': return sessionItem(element.session);
      case 'interface': return interfaceItem(element);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

function icon(name: string, color?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(name, color ? new vscode.ThemeColor(color) : undefined);
}

function labItem(entry: LabEntry, agents: number): vscode.TreeItem {
  const item = new vscode.TreeItem(entry.topology?.name ?? path.basename(entry.file.fsPath), entry.topology ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = `lab:${entry.file.fsPath}`;
  item.resourceUri = entry.file;
  // contextValue drives the inline actions and menus: labtel.lab.<status>.
  item.contextValue = `labtel.lab.${entry.status}`;
  const parts = [STATUS_TEXT[entry.status]];
  if (entry.info?.deployed) parts.push(entry.info.backend);
  if (agents) parts.push(`${agents} agent${agents === 1 ? '' : 's'}`);
  item.description = parts.join(' · ');
  const [name, color] = STATUS_ICON[entry.status];
  item.iconPath = icon(name, color);
  const tip = new vscode.MarkdownString(undefined, true);
  tip.isTrusted = false;
  tip.appendMarkdown(`**${escapeMd(entry.topology?.name ?? '')}** — ${STATUS_TEXT[entry.status]}\n\n`);
  tip.appendText(vscode.workspace.asRelativePath(entry.file));
  if (entry.error) tip.appendText(`\n\n${entry.error}`);
  if (entry.failure) tip.appendText(`\n\nLast failure: ${entry.failure}`);
  item.tooltip = tip;
  item.command = { command: 'vscode.open', title: 'Open topology', arguments: [entry.file] };
  return item;
}

function nodeItem(element: LabTreeItem & { kind: 'node' }, agents: number): vscode.TreeItem {
  const state = element.info?.state ?? 'absent';
  const item = new vscode.TreeItem(element.node.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `node:${element.entry.file.fsPath}:${element.node.name}`;
  const roles = element.info?.roles.length ? ` · ${element.info.roles.join(', ')}` : '';
  const agentText = agents ? ` · ${agents} agent${agents === 1 ? '' : 's'}` : '';
  item.description = `${element.node.kind}${roles}${state === 'absent' ? '' : ` · ${state}`}${agentText}`;
  item.iconPath = state === 'running' ? icon('vm-running', 'testing.iconPassed') : state === 'degraded' ? icon('warning', 'list.warningForeground') : icon('vm-outline');
  item.contextValue = state === 'absent' ? 'labtel.node' : 'labtel.node.running';
  item.tooltip = element.info && state !== 'absent'
    ? `${element.info.namespace}\n${element.info.processes.map((p) => `${p.name} ${p.pid}${p.alive ? '' : ' (dead)'}`).join('\n')}`
    : `${element.node.name} (not deployed)`;
  return item;
}

function agentItem(agent: ManagedAgent): vscode.TreeItem {
  const item = new vscode.TreeItem(agent.agent, vscode.TreeItemCollapsibleState.None);
  item.id = `agent:${agent.id}`;
  const exit = agent.lastExit ? (agent.lastExit.signal ?? `exit ${agent.lastExit.code}`) : '';
  item.description = agent.state === 'running' ? `running · pid ${agent.process?.pid ?? '?'}`
    : agent.state === 'restarting' ? `restarting (${agent.restarts}) after ${exit}` : `${agent.state}${exit ? ` (${exit})` : ''}`;
  item.iconPath = agent.state === 'running' ? icon('pulse', 'testing.iconPassed') : agent.state === 'restarting' ? icon('sync~spin') : icon('error', 'list.errorForeground');
  item.contextValue = 'labtel.agent';
  const stats = agent.lastOfType.get('stats');
  item.tooltip = `${agent.agent} ${agent.args.join(' ')}\n${agent.events} events${stats?.type === 'stats' ? `; ${stats.datagrams} datagrams, ${stats.malformed} malformed` : ''}`;
  item.command = { command: 'labtel.agent.showLog', title: 'Show Agent Log', arguments: [agent.id] };
  return item;
}

function sessionItem(s: NodeBgpSession): vscode.TreeItem {
  const item = new vscode.TreeItem(`BGP ${s.peerNode ?? s.peer}`, vscode.TreeItemCollapsibleState.None);
  item.id = `session:${s.node}:${s.peer}`;
  const waiting = !s.betweenRouters && s.state !== 'Established' ? ' — waiting for a BGP agent' : '';
  item.description = `${s.state}${waiting} · ${s.peer} AS${s.remoteAs ?? '?'}`;
  item.iconPath = s.state === 'Established' ? icon('circle-filled', 'testing.iconPassed') : s.betweenRouters ? icon('circle-filled', 'list.errorForeground') : icon('circle-outline');
  item.contextValue = 'labtel.bgpSession';
  item.tooltip = `${s.node} → ${s.peer}${s.description ? ` (${s.description})` : ''}: ${s.state}`;
  return item;
}

function interfaceItem(element: LabTreeItem & { kind: 'interface' }): vscode.TreeItem {
  const item = new vscode.TreeItem(element.name, vscode.TreeItemCollapsibleState.None);
  item.description = element.addresses.join(', ');
  item.iconPath = icon(element.up === false ? 'debug-disconnect' : 'plug');
  item.contextValue = 'labtel.interface';
  return item;
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
