import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { namespaceName } from '../../lab/names';
import { Privileges } from '../../lab/privileges';
import { loadTrafficProfile, startTraffic, stopTraffic } from '../../lab/traffic';
import type { CommandTable } from '../commandTable';
import { readConfig } from '../config';
import type { LabtelContext } from '../labtelContext';
import { pickLab, pickNode, requireDeployed } from './pickers';
import { requireTopology, type LabEntry } from './labs';
import { inspectUri } from './inspectDocument';

const isDeployed = (e: LabEntry) => e.info?.deployed === true;
const isDown = (e: LabEntry) => !e.info?.deployed;

/** Deploys with a cancellable progress notification; a failure is one message with "Open Log". */
async function deploy(ctx: LabtelContext, entry: LabEntry): Promise<{ created: boolean; seconds: number } | undefined> {
  const topology = requireTopology(entry);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `labtel: deploying ${topology.name}`, cancellable: true },
      (progress, token) => ctx.labs.deploy(entry, progress, token),
    );
    const message = result.created ? `lab ${topology.name} deployed in ${result.seconds.toFixed(1)} s` : `lab ${topology.name} was already up`;
    ctx.output.info(message);
    void vscode.window.setStatusBarMessage(`$(pass) labtel: ${message}`, 5000);
    return result;
  } catch (err) {
    if (err instanceof vscode.CancellationError) {
      void vscode.window.showInformationMessage(`labtel: deploying ${topology.name} was cancelled; what it built was taken down.`);
      return undefined;
    }
    throw ctx.failure(`deploying ${topology.name} failed`, err);
  }
}

async function destroy(ctx: LabtelContext, entry: LabEntry, confirm: boolean): Promise<boolean> {
  const topology = requireTopology(entry);
  const agents = ctx.agents.list(topology.name).length;
  const terminals = ctx.terminals.of(topology.name).length;
  if (confirm && readConfig().confirmDestroy) {
    const also = [agents ? `${agents} agent${agents === 1 ? '' : 's'}` : '', terminals ? `${terminals} node terminal${terminals === 1 ? '' : 's'}` : ''].filter(Boolean);
    const answer = await vscode.window.showWarningMessage(
      `Destroy lab ${topology.name}?`,
      { modal: true, detail: `Every namespace, link and process of the lab is removed${also.length ? `; ${also.join(' and ')} will be stopped` : ''}.` },
      'Destroy',
    );
    if (answer !== 'Destroy') return false;
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `labtel: destroying ${topology.name}` }, async (progress) => {
    if (agents) {
      progress.report({ message: `stopping ${agents} agent${agents === 1 ? '' : 's'}` });
      await ctx.agents.stopAll(topology.name);
    }
    ctx.terminals.closeAll(topology.name);
    progress.report({ message: 'removing namespaces, links and processes' });
    try {
      await ctx.labs.destroy(entry);
    } catch (err) {
      throw ctx.failure(`destroying ${topology.name} failed`, err);
    }
  });
  ctx.output.info(`lab ${topology.name} destroyed${terminals ? ` (${terminals} node terminal${terminals === 1 ? '' : 's'} closed)` : ''}`);
  void vscode.window.setStatusBarMessage(`labtel: lab ${topology.name} destroyed`, 5000);
  return true;
}

export const labCommands: CommandTable = {
  'labtel.lab.refresh': (ctx) => () => ctx.labs.refresh(),

  'labtel.lab.up': (ctx) => async (arg?: unknown) => {
    const entry = await pickLab(ctx.labs, arg, isDown, 'labtel: deploy which lab?');
    return entry && deploy(ctx, entry);
  },

  // Tests and scripts pass { confirm: false } as the second argument.
  'labtel.lab.down': (ctx) => async (arg?: unknown, options?: unknown) => {
    const entry = await pickLab(ctx.labs, arg, isDeployed, 'labtel: destroy which lab?');
    return entry ? destroy(ctx, entry, (options as { confirm?: boolean } | undefined)?.confirm !== false) : false;
  },

  'labtel.lab.redeploy': (ctx) => async (arg?: unknown, options?: unknown) => {
    const entry = await pickLab(ctx.labs, arg, isDeployed, 'labtel: redeploy which lab?');
    if (!entry || !(await destroy(ctx, entry, (options as { confirm?: boolean } | undefined)?.confirm !== false))) return undefined;
    return deploy(ctx, entry);
  },

  'labtel.lab.inspect': (ctx) => async (arg?: unknown) => {
    const entry = await pickLab(ctx.labs, arg);
    if (!entry) return undefined;
    await ctx.labs.inspect(entry, { sessions: true });
    const doc = await vscode.workspace.openTextDocument(inspectUri(requireTopology(entry).name));
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return doc.getText();
  },

  // A shell inside the node's namespace (the same `ip netns exec` either backend answers to), its
  // prompt naming the lab and node, so the window says where the commands run.
  'labtel.node.shell': (ctx) => async (arg?: unknown, nodeArg?: unknown) => {
    const picked = await pickNode(ctx.labs, arg, 'labtel: open a terminal in which node?', nodeArg);
    if (!picked) return undefined;
    const topology = requireTopology(picked.entry);
    requireDeployed(picked.entry, `a terminal in ${picked.node}`);
    const config = readConfig();
    const rcFile = writePromptRc(ctx.extension.globalStorageUri.fsPath, topology.name, picked.node);
    const argv = new Privileges(config.privilegePrefix).wrap(['ip', 'netns', 'exec', namespaceName(topology.name, picked.node), '/bin/bash', '--rcfile', rcFile, '-i']);
    const terminal = vscode.window.createTerminal({ name: `${topology.name}: ${picked.node}`, shellPath: argv[0]!, shellArgs: argv.slice(1), iconPath: new vscode.ThemeIcon('terminal'), env: { LABTEL_LAB: topology.name, LABTEL_NODE: picked.node } });
    ctx.terminals.add(topology.name, terminal);
    terminal.show();
    return terminal.name;
  },

  'labtel.traffic.start': (ctx) => async (arg?: unknown, profileArg?: unknown) => {
    const entry = await pickLab(ctx.labs, arg, isDeployed, 'labtel: start traffic in which lab?');
    if (!entry) return undefined;
    const topology = requireTopology(entry);
    requireDeployed(entry, 'traffic');
    const backend = ctx.labs.backend(topology);
    const name = typeof profileArg === 'string' ? profileArg : await pickProfile(topology.file, topology.name, readConfig().trafficProfile);
    if (!name) return undefined;
    const profile = loadTrafficProfile(backend, name);
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `labtel: starting traffic "${profile.name}" in ${topology.name}` }, () => startTraffic(backend, profile));
    const what = `${profile.client} → ${profile.flows.map((f) => `${f.to} ${f.rate}bit/s`).join(', ')}`;
    ctx.output.info(`traffic "${profile.name}" started: ${what}`);
    ctx.trafficChanged(topology.name, profile.name);
    void vscode.window.setStatusBarMessage(`labtel: traffic ${what}`, 5000);
    return profile.name;
  },

  'labtel.traffic.stop': (ctx) => async (arg?: unknown) => {
    const entry = await pickLab(ctx.labs, arg, isDeployed, 'labtel: stop traffic in which lab?');
    if (!entry) return undefined;
    const topology = requireTopology(entry);
    const stopped = await stopTraffic(ctx.labs.backend(topology), { privileges: new Privileges(readConfig().privilegePrefix) });
    ctx.trafficChanged(topology.name, undefined);
    void vscode.window.setStatusBarMessage(stopped ? `labtel: traffic in ${topology.name} stopped` : `labtel: no traffic was running in ${topology.name}`, 5000);
    return stopped;
  },

  // The welcome view's offer: the book's lab, copied from the extension into the workspace.
  'labtel.lab.createNetgo': (ctx) => async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('open a folder first: the lab is copied into the workspace folder');
    const target = path.join(folder.uri.fsPath, 'lab');
    const file = path.join(target, 'netgo.clab.yml');
    if (existsSync(file)) throw new Error(`${vscode.workspace.asRelativePath(file)} exists already; nothing was overwritten`);
    mkdirSync(target, { recursive: true });
    cpSync(path.join(ctx.extension.extensionPath, 'lab', 'netgo'), path.join(target, 'netgo'), { recursive: true, errorOnExist: true, force: false });
    cpSync(path.join(ctx.extension.extensionPath, 'lab', 'netgo.clab.yml'), file, { errorOnExist: true, force: false });
    ctx.labs.refresh();
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    return file;
  },
};

async function pickProfile(topologyFile: string, lab: string, preferred: string): Promise<string | undefined> {
  const dir = vscode.Uri.file(path.join(path.dirname(topologyFile), lab, 'traffic'));
  let names: string[] = [];
  try {
    names = (await vscode.workspace.fs.readDirectory(dir)).filter(([n]) => /\.ya?ml$/.test(n)).map(([n]) => n.replace(/\.ya?ml$/, ''));
  } catch {
    throw new Error(`lab ${lab} has no traffic profiles (${dir.fsPath} does not exist)`);
  }
  if (names.length <= 1) return names[0];
  names.sort((a, b) => (a === preferred ? -1 : b === preferred ? 1 : a.localeCompare(b)));
  return vscode.window.showQuickPick(names, { title: `labtel: which traffic profile of ${lab}?` });
}

/** A bash rc file that keeps the user's ~/.bashrc and puts [lab:node] in the prompt. */
function writePromptRc(storage: string, lab: string, node: string): string {
  mkdirSync(storage, { recursive: true });
  const file = path.join(storage, `prompt-${lab}-${node}.bashrc`);
  // Lab and node names are checked against containerlab's name rules ([A-Za-z0-9_.-]) when the topology loads.
  writeFileSync(file, `[ -f ~/.bashrc ] && . ~/.bashrc\nPS1='\\[\\e[1;36m\\][${lab}:${node}]\\[\\e[0m\\] \\w\\$ '\n`);
  return file;
}
