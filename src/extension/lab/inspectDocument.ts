import * as vscode from 'vscode';
import type { AgentManager } from '../agents/agentManager';
import type { Labs } from './labs';

export const INSPECT_SCHEME = 'labtel-inspect';

export function inspectUri(lab: string): vscode.Uri {
  return vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${lab}.json` });
}

/** "Inspect Lab": the lab's live state as a read-only JSON document (nodes, interfaces, processes, BGP, agents). */
export class InspectDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly labs: Labs, private readonly agents: AgentManager) {
    this.subscription = labs.onDidChange((entry) => { if (entry?.topology) this.changed.fire(inspectUri(entry.topology.name)); });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const name = uri.path.replace(/^\//, '').replace(/\.json$/, '');
    const entry = await this.labs.byName(name);
    if (!entry) return JSON.stringify({ error: `no lab called ${name} in this workspace` }, null, 2);
    return JSON.stringify({
      lab: name,
      file: entry.file.fsPath,
      status: entry.status,
      failure: entry.failure,
      ...entry.info,
      bgpSessions: entry.sessions,
      agents: this.agents.list(name).map((a) => ({ node: a.node, agent: a.agent, args: a.args, state: a.state, pid: a.process?.pid, restarts: a.restarts })),
    }, null, 2);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
