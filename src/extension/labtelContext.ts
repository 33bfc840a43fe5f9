import * as vscode from 'vscode';
import type { PanelKind } from '../shared/webviewMessages';
import { agentCommands } from './agents/agentCommands';
import { AgentManager, rebuildAgents } from './agents/agentManager';
import { isAgentSource } from './agents/agentSources';
import type { CommandFactory, CommandTable } from './commandTable';
import { readConfig } from './config';
import type { LabtelApi, TreeSnapshot } from './api';
import { INSPECT_SCHEME, InspectDocumentProvider } from './lab/inspectDocument';
import { labCommands } from './lab/labCommands';
import { LabTreeProvider, type LabTreeItem } from './lab/labTreeProvider';
import { Labs } from './lab/labs';
import { NodeTerminals } from './lab/nodeTerminals';
import { panelActions } from './agents/panelActions';
import { Panels } from './panels';
import { panelCommands } from './panels/panelCommands';
import { LabStatusBar } from './statusBar';
import { registerCaptureViewer } from './viewer';
import type { CaptureEditorProvider } from './viewer/captureEditor';
import { viewerCommands } from './viewer/viewerCommands';
import { registerDebug } from './debug/registerDebug';
import { bpfCommands } from './bpf/bpfCommands';
import { COMPILED_SCHEME, CompiledBpfProvider } from './bpf/compiledDocument';
import { LaunchFilterDiagnostics } from './bpf/launchDiagnostics';
import { PcapFilterClient } from './bpf/languageClient';

/** A failure shown to the user once, with the log one click away. */
export class LabtelFailure extends Error {
  override readonly name = 'LabtelFailure';
}

const generalCommands: CommandTable = {
  'labtel.showVersion': (ctx) => () => {
    const version = ctx.api().version;
    void vscode.window.showInformationMessage(`labtel ${version}`);
    return version;
  },
  'labtel.showLog': (ctx) => () => ctx.output.show(true),
};

/**
 * Owns everything the extension starts — the labs and their watchers, the agents, the views, the status
 * bar, terminals, and (as they land) panels, the debug adapter and the language client — so that
 * deactivation disposes it in one place (dispose). Commands are registered from tables of factories,
 * each feature its own table, and all go through one error path.
 */
export class LabtelContext {
  readonly output: vscode.LogOutputChannel;
  readonly labs: Labs;
  readonly agents: AgentManager;
  readonly terminals: NodeTerminals;
  readonly labTree: LabTreeProvider;
  readonly statusBar: LabStatusBar;
  readonly panels: Panels;
  readonly viewer: CaptureEditorProvider;
  readonly pcapFilter: PcapFilterClient;
  private readonly registered: string[] = [];
  private readonly owned: vscode.Disposable[] = [];
  private readonly traffic = new Map<string, string>();
  private treeView: vscode.TreeView<LabTreeItem> | undefined;

  constructor(readonly extension: vscode.ExtensionContext, readonly activationStarted: number) {
    this.output = this.own(vscode.window.createOutputChannel('labtel', { log: true }));
    this.labs = this.own(new Labs(this.output));
    this.agents = new AgentManager({
      restartOnCrash: () => readConfig().restartOnCrash,
      agentNode: () => readConfig().agentNode,
      notify: (message) => void vscode.window.showWarningMessage(`labtel: ${message}`, 'Show Log').then((a) => { if (a) this.output.show(true); }),
    });
    this.terminals = this.own(new NodeTerminals());
    this.viewer = this.own(registerCaptureViewer(this.extension, this.output)).provider;
    registerDebug(extension);
    this.labTree = this.own(new LabTreeProvider(this.labs, this.agents));
    this.treeView = this.own(vscode.window.createTreeView('labtel.lab', { treeDataProvider: this.labTree, showCollapseAll: true }));
    this.own(this.treeView.onDidChangeVisibility((e) => this.labs.setSessionsWanted(e.visible)));
    this.labs.setSessionsWanted(this.treeView.visible);
    this.statusBar = this.own(new LabStatusBar(this.labs, this.agents));
    this.panels = this.own(new Panels(extension, panelActions(this.agents, this.labs), this.output));
    this.own(this.agents.onEvent(({ source, event }) => this.panels.accept(source, event)));
    this.own(this.agents.onDidChange(() => this.panels.setSources(this.agents.sources())));
    this.own(vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, this.own(new InspectDocumentProvider(this.labs, this.agents))));
    this.own(vscode.workspace.registerTextDocumentContentProvider(COMPILED_SCHEME, this.own(new CompiledBpfProvider())));
    // The pcap-filter language server starts with the first .pcapfilter document, not at activation.
    this.pcapFilter = this.own(new PcapFilterClient(extension, this.labs, this.output));
    this.own(new LaunchFilterDiagnostics());
    this.own(vscode.workspace.onDidSaveTextDocument((doc) => void this.restartOnSave(doc.uri)));
    this.own(vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('labtel.labHosts')) this.labs.resetHosts(); }));
    for (const table of [generalCommands, labCommands, agentCommands, panelCommands, bpfCommands, viewerCommands]) {
      for (const [id, factory] of Object.entries(table)) this.register(id, factory);
    }
    // The status bar needs the labs inspected (a process per lab): after activation, not during it.
    setTimeout(() => void this.statusBar.update(), 0);
  }

  private own<T extends vscode.Disposable>(d: T): T {
    this.owned.push(d);
    return d;
  }

  /** Every command goes through one error path: logged, shown once with "Show Log", never swallowed. */
  private register(id: string, factory: CommandFactory): void {
    const run = factory(this);
    this.registered.push(id);
    this.own(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.output.error(`${id}: ${message}`);
        void vscode.window.showErrorMessage(`labtel: ${message}`, 'Show Log').then((a) => { if (a) this.output.show(true); });
        return undefined;
      }
    }));
  }

  /** Wraps a failure with what was being done (logged with its detail). */
  failure(what: string, err: unknown): LabtelFailure {
    const detail = err instanceof Error ? err.message : String(err);
    this.output.error(`${what}: ${detail}`);
    return new LabtelFailure(`${what}: ${detail.split('\n')[0]}`);
  }

  trafficChanged(lab: string, profile: string | undefined): void {
    if (profile) this.traffic.set(lab, profile);
    else this.traffic.delete(lab);
  }

  private async restartOnSave(uri: vscode.Uri): Promise<void> {
    if (!readConfig().restartOnSave || !isAgentSource(this.extension.extensionPath, uri.fsPath)) return;
    if (this.agents.list().length === 0) return;
    try {
      await rebuildAgents(this.extension.extensionPath, this.output);
      const n = await this.agents.restartAll();
      void vscode.window.setStatusBarMessage(`labtel: agents rebuilt, ${n} restarted`, 5000);
    } catch (err) {
      void vscode.window.showErrorMessage(`labtel: ${(err as Error).message}`, 'Show Log').then((a) => { if (a) this.output.show(true); });
    }
  }

  /** What the tree shows now, walked the way VS Code walks it (for tests and the API). */
  async tree(element?: LabTreeItem, depth = 3): Promise<TreeSnapshot[]> {
    const children = await this.labTree.getChildren(element);
    return Promise.all(children.map(async (child) => {
      const item = this.labTree.getTreeItem(child);
      const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
      return {
        label,
        description: typeof item.description === 'string' ? item.description : '',
        contextValue: item.contextValue ?? '',
        children: depth > 1 && item.collapsibleState !== vscode.TreeItemCollapsibleState.None ? await this.tree(child, depth - 1) : [],
      };
    }));
  }

  api(): LabtelApi {
    return {
      version: this.extension.extension.packageJSON.version as string,
      commands: [...this.registered],
      activationMs: this.activationMs,
      labs: async () => (await this.labs.list()).map((l) => ({ file: l.file.fsPath, name: l.topology?.name, error: l.error, status: l.status, nodes: l.topology?.nodes.map((n) => n.name) ?? [] })),
      tree: () => this.tree(),
      agents: () => this.agents.list().map((a) => ({ id: a.id, lab: a.lab, node: a.node, agent: a.agent, state: a.state, pid: a.process?.pid, args: [...a.args] })),
      lastEvent: (id, type) => this.agents.get(id)?.lastOfType.get(type as never),
      statusBarText: () => this.statusBar.text,
      panel: (kind) => this.panels.snapshot(kind as PanelKind),
      traffic: (lab) => this.traffic.get(lab),
    };
  }

  activationMs = 0;

  async dispose(): Promise<void> {
    await Promise.all([this.agents.dispose(), this.pcapFilter.stop()]);
    for (const d of this.owned.reverse()) d.dispose();
  }
}
