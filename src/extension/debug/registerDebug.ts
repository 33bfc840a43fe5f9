import path from 'node:path';
import * as vscode from 'vscode';
import { labHostConfigurations, labLaunchConfigurations } from '../../debug/labConfigurations';
import { runningAgents } from '../../debug/runtime/nodeAgents';
import { createBackend, isBackendKind } from '../../lab/backends';
import { HostBackend } from '../../lab/host/hostBackend';
import { LabHost } from '../../lab/host/labHost';
import { localHostName, parseLabHosts } from '../../lab/host/labHosts';
import { readConfig } from '../config';
import { loadTopology } from '../../lab/topology';
import { DEBUG_TYPE, DEFAULT_TOPOLOGY, type LabAgentAttachArguments, type LabAgentLaunchArguments, type LabBackendKind } from '../../shared/debugLaunch';

/**
 * labtel's debugger in VS Code: the `labtel` debug type runs its adapter inline in the extension host
 * (the same LabDebugSession as `node dist/debugAdapter.js`); a configuration provider offers the lab's
 * launch configurations (initial, and in the Run and Debug list), fills defaults, and for an attach
 * without a pid or port offers the agents running in the node.
 */
export function registerDebug(context: vscode.ExtensionContext): void {
  const factory: vscode.DebugAdapterDescriptorFactory = {
    createDebugAdapterDescriptor: () => {
      // Required when a session starts, not imported: the adapter (the DAP library, WebSocket, the CDP
      // client) is a chunk of its own (scripts/build.mjs LAZY_CHUNKS) that activation does not parse.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { LabDebugSession } = require('../../debug/labDebugSession') as typeof import('../../debug/labDebugSession');
      return new vscode.DebugAdapterInlineImplementation(new LabDebugSession() as unknown as vscode.DebugAdapter);
    },
  };
  const provider = new LabDebugConfigurationProvider();
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, factory),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider, vscode.DebugConfigurationProviderTriggerKind.Initial),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
  );
}

function backendSetting(): LabBackendKind {
  const kind = vscode.workspace.getConfiguration('labtel').get<string>('backend') ?? 'netns';
  return isBackendKind(kind) ? kind : 'netns';
}

/** The lab hosts of labtel.labHosts by name (none when the setting does not parse: the Lab view says why). */
function labHostNames(): string[] {
  try {
    return parseLabHosts(readConfig().labHosts).map((h) => h.name);
  } catch {
    return [];
  }
}

class LabDebugConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): vscode.DebugConfiguration[] {
    const root = folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!root) return [];
    try {
      const local = labLaunchConfigurations(loadTopology(path.join(root, DEFAULT_TOPOLOGY)));
      return [...local, ...labHostConfigurations(local, labHostNames())];
    } catch {
      // No lab in this folder (or one that does not parse): a configuration to fill in instead.
      return [{ type: DEBUG_TYPE, request: 'launch', name: 'labtel: an agent in a lab node', agent: 'top-talkers', node: 'host-2', args: [], topology: DEFAULT_TOPOLOGY }];
    }
  }

  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    const root = folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!config.type && !config.request && !config.name) {
      // F5 with no launch.json: the lab's first configuration (top-talkers where the sFlow goes).
      const first = this.provideDebugConfigurations(folder)[0];
      if (!first) {
        await vscode.window.showErrorMessage('labtel: open the folder that holds the lab (lab/netgo.clab.yml) to debug an agent in it');
        return undefined;
      }
      config = first;
    }
    const filled: vscode.DebugConfiguration = { ...config, cwd: config.cwd ?? root, topology: config.topology ?? DEFAULT_TOPOLOGY, sourceMaps: config.sourceMaps ?? true };
    if (config.labHost && config.labHost !== localHostName) {
      // The adapter learns the host's settings from the configuration; the backend is the host's own.
      filled.labHosts = config.labHosts ?? readConfig().labHosts;
    } else {
      filled.backend = config.backend ?? backendSetting();
    }
    if (filled.request === 'attach' && filled.pid === undefined && filled.port === undefined) {
      const picked = await this.pickAgent(filled as unknown as LabAgentAttachArguments);
      if (!picked) return undefined;
      return { ...filled, ...picked };
    }
    return filled as vscode.DebugConfiguration & LabAgentLaunchArguments;
  }

  /** A pick list of the node programs running in the attach configuration's node. */
  private async pickAgent(args: LabAgentAttachArguments): Promise<{ pid?: number; port?: number } | undefined> {
    if (!args.node) {
      await vscode.window.showErrorMessage('labtel: an attach configuration needs "node", the lab node the agent runs in');
      return undefined;
    }
    let items: Array<vscode.QuickPickItem & { pid: number; port?: number }>;
    try {
      const topology = loadTopology(path.resolve(args.cwd ?? '.', args.topology ?? DEFAULT_TOPOLOGY));
      const hostConfig = args.labHost && args.labHost !== localHostName ? parseLabHosts(args.labHosts ?? []).find((h) => h.name === args.labHost) : undefined;
      let backend;
      if (hostConfig) {
        const host = new HostBackend(LabHost.ssh(hostConfig), topology, hostConfig.backend);
        await host.prepare();
        backend = host;
      } else {
        backend = createBackend(topology, args.backend);
      }
      const agents = await runningAgents(backend, args.node, args.runtimeExecutable ?? hostConfig?.node);
      items = agents.map((a) => ({
        label: `${path.basename(a.script)} ${a.args.join(' ')}`.trim(),
        description: `pid ${a.pid}${a.inspectorPort ? `, inspector on port ${a.inspectorPort}` : ''}`,
        pid: a.pid,
        port: a.inspectorPort,
      }));
    } catch (err) {
      await vscode.window.showErrorMessage(`labtel: ${(err as Error).message}`);
      return undefined;
    }
    if (!items.length) {
      await vscode.window.showErrorMessage(`labtel: no agent is running in node ${args.node}`);
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(items, { title: `Attach to an agent in ${args.node}`, placeHolder: 'the agent to debug' });
    if (!picked) return undefined;
    return picked.port !== undefined ? { port: picked.port } : { pid: picked.pid };
  }
}
