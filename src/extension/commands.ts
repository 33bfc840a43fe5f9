import * as vscode from 'vscode';
import type { LabtelContext } from './labtelContext';
import { backendFor, pickNode, pickTopology } from './lab/labCommands';

export type CommandFactory = (ctx: LabtelContext) => (...args: unknown[]) => unknown;

/** Command id → factory. Each id is declared in package.json's contributes.commands. */
export const commandTable: Record<string, CommandFactory> = {
  'labtel.showVersion': (ctx) => () => {
    const version = ctx.api().version;
    void vscode.window.showInformationMessage(`labtel ${version}`);
    return version;
  },

  'labtel.lab.refresh': (ctx) => () => ctx.labTree.refresh(),

  'labtel.lab.up': (ctx) => async (arg?: unknown) => {
    const topology = await pickTopology(arg, () => ctx.labTree.labItems());
    if (!topology) return undefined;
    const backend = backendFor(topology);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `labtel: deploying ${topology.name} (${backend.kind})` }, () => backend.deploy());
    ctx.output.info(`lab ${topology.name} ${result.created ? 'deployed' : 'already up'} in ${result.seconds.toFixed(1)} s`);
    ctx.labTree.refresh();
    return result;
  },

  'labtel.lab.down': (ctx) => async (arg?: unknown) => {
    const topology = await pickTopology(arg, () => ctx.labTree.labItems());
    if (!topology) return undefined;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `labtel: destroying ${topology.name}` }, () => backendFor(topology).destroy());
    ctx.output.info(`lab ${topology.name} destroyed`);
    ctx.labTree.refresh();
    return true;
  },

  // A shell inside the node's namespace: the same `ip netns exec` either backend answers to.
  'labtel.node.shell': (ctx) => async (arg?: unknown) => {
    const picked = await pickNode(arg, () => ctx.labTree.labItems());
    if (!picked) return undefined;
    const namespace = `clab-${picked.topology.name}-${picked.node}`;
    const config = vscode.workspace.getConfiguration('labtel');
    const prefix = process.getuid?.() === 0 ? [] : config.get<string[]>('privilegePrefix', ['sudo', '-n']);
    const argv = [...prefix, 'ip', 'netns', 'exec', namespace, process.env.SHELL ?? '/bin/bash'];
    const terminal = vscode.window.createTerminal({ name: `${picked.topology.name}: ${picked.node}`, shellPath: argv[0]!, shellArgs: argv.slice(1), iconPath: new vscode.ThemeIcon('terminal') });
    terminal.show();
    return terminal.name;
  },
};
