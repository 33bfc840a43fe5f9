import * as vscode from 'vscode';
import { AGENT_NAMES, AGENT_SUMMARIES, isAgentName, type AgentName } from '../../shared/agents';
import { agentPresets, type AgentPreset } from '../../agents/client/agentPresets';
import type { CommandTable } from '../commandTable';
import type { LabTreeItem } from '../lab/labTreeProvider';
import { requireTopology } from '../lab/labs';
import { pickLab, requireDeployed } from '../lab/pickers';
import { FILTER_AGENT, filterArgumentProblem } from '../bpf/filterArguments';

/** What a test, a link or another extension may pass to Start Agent instead of picking. */
export interface StartAgentRequest {
  readonly lab?: string;
  /** A lab host of labtel.labHosts; absent: this machine. */
  readonly labHost?: string;
  readonly node: string;
  readonly agent: AgentName;
  readonly args?: readonly string[];
}

function isStartRequest(x: unknown): x is StartAgentRequest {
  return typeof x === 'object' && x !== null && isAgentName((x as StartAgentRequest).agent) && typeof (x as StartAgentRequest).node === 'string';
}

/** Splits flags typed in an input box like a shell would split words in quotes (no expansion of anything). */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]!));
  return out;
}

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `"${a.replace(/(["\\])/g, '\\$1')}"`;
}

export const agentCommands: CommandTable = {
  // Quick picks: the agent, then the node (with what the lab suggests), then its flags prefilled.
  'labtel.agent.start': (ctx) => async (arg?: unknown) => {
    if (isStartRequest(arg)) {
      const entry = await pickLab(ctx.labs, arg.labHost ? `${arg.lab ?? ''}@${arg.labHost}` : arg.lab);
      if (!entry) throw new Error(`no lab ${arg.lab ?? ''}${arg.labHost ? ` on ${arg.labHost}` : ''} in this workspace`);
      requireDeployed(entry, `starting ${arg.agent}`);
      const preset = agentPresets(requireTopology(entry)).find((p) => p.agent === arg.agent && p.node === arg.node);
      const managed = await ctx.agents.start(ctx.labs.backend(requireTopology(entry), entry.host), arg.node, arg.agent, arg.args ?? preset?.args ?? []);
      return managed.id;
    }
    const entry = await pickLab(ctx.labs, arg, (e) => e.info?.deployed === true, 'labtel: start an agent in which lab?');
    if (!entry) return undefined;
    requireDeployed(entry, 'starting an agent');
    const topology = requireTopology(entry);
    const presets = agentPresets(topology);
    const itemNode = (arg as LabTreeItem | undefined)?.kind === 'node' ? (arg as LabTreeItem & { kind: 'node' }).node.name : undefined;

    const agent = await vscode.window.showQuickPick(AGENT_NAMES.map((a) => ({ label: a, description: AGENT_SUMMARIES[a], agent: a })), {
      title: `labtel: start which agent${itemNode ? ` in ${itemNode}` : ''}?`,
      // A step of a three-step flow: a panel or log that reveals itself meanwhile must not cancel it.
      ignoreFocusOut: true,
    });
    if (!agent) return undefined;
    type NodePick = vscode.QuickPickItem & { preset?: AgentPreset; node: string };
    let picked: NodePick | undefined;
    const suggested: NodePick[] = presets.filter((p) => p.agent === agent.agent && (!itemNode || p.node === itemNode)).map((p) => ({ label: p.node, description: p.label, preset: p, node: p.node }));
    if (itemNode && suggested.length <= 1) picked = suggested[0] ?? { label: itemNode, node: itemNode };
    else {
      const others: NodePick[] = topology.nodes.filter((n) => !suggested.some((s) => s.node === n.name)).map((n) => ({ label: n.name, description: n.kind, node: n.name }));
      picked = await vscode.window.showQuickPick([
        ...(suggested.length ? [{ label: 'suggested by the lab', kind: vscode.QuickPickItemKind.Separator, node: '' } as NodePick, ...suggested] : []),
        ...(others.length ? [{ label: 'other nodes', kind: vscode.QuickPickItemKind.Separator, node: '' } as NodePick, ...others] : []),
      ], { title: `labtel: run ${agent.agent} in which node of ${topology.name}?`, ignoreFocusOut: true });
    }
    if (!picked) return undefined;
    const flags = await vscode.window.showInputBox({
      title: `labtel: ${agent.agent} in ${picked.node} — flags`,
      prompt: `The agent's own flags (see "node dist/agents/${agent.agent}.js --help"); --format json is added.`,
      value: (picked.preset?.args ?? []).map(quoteArg).join(' '),
      ignoreFocusOut: true,
      // The capture agent's --filter is checked as it is typed, with the agent's own message.
      validateInput: agent.agent === FILTER_AGENT ? (text) => filterArgumentProblem(splitArgs(text)) : undefined,
    });
    if (flags === undefined) return undefined;
    const managed = await ctx.agents.start(ctx.labs.backend(topology, entry.host), picked.node, agent.agent, splitArgs(flags));
    managed.log.show(true);
    return managed.id;
  },

  'labtel.agent.stop': (ctx) => async (arg?: unknown) => {
    const id = typeof arg === 'string' ? arg : (arg as LabTreeItem | undefined)?.kind === 'agent' ? (arg as LabTreeItem & { kind: 'agent' }).agent.id : undefined;
    if (id) return ctx.agents.stop(id).then(() => id);
    const running = ctx.agents.list();
    if (running.length === 0) {
      void vscode.window.showInformationMessage('labtel: no agent is running.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(running.map((a) => ({ label: `${a.agent} @ ${a.node}`, description: `${a.lab}${a.labHost === 'local' ? '' : ` on ${a.labHost}`} · ${a.state}`, id: a.id })), { title: 'labtel: stop which agent?' });
    if (!picked) return undefined;
    await ctx.agents.stop(picked.id);
    return picked.id;
  },

  'labtel.agent.stopAll': (ctx) => async () => ctx.agents.stopAll(),

  'labtel.agent.showLog': (ctx) => (arg?: unknown) => {
    const id = typeof arg === 'string' ? arg : (arg as LabTreeItem | undefined)?.kind === 'agent' ? (arg as LabTreeItem & { kind: 'agent' }).agent.id : undefined;
    const agent = id ? ctx.agents.get(id) : undefined;
    if (!agent) throw new Error(`no agent ${id ?? ''} is running`);
    agent.log.show(true);
    return agent.id;
  },
};

