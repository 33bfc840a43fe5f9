import * as vscode from 'vscode';
import type { AgentManager } from './agents/agentManager';
import type { LabEntry, Labs } from './lab/labs';

const STATUS_ICON: Readonly<Record<LabEntry['status'], string>> = {
  down: '$(circle-outline)', deploying: '$(loading~spin)', up: '$(vm-running)', degraded: '$(warning)', destroying: '$(loading~spin)', failed: '$(error)', invalid: '$(error)',
};

/** One status bar item: the lab that is up (or the first), its state and how many agents run; a click shows the Lab view. */
export class LabStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('labtel.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly labs: Labs, private readonly agents: AgentManager) {
    this.item.name = 'labtel lab';
    this.item.command = 'labtel.lab.focus';
    this.subscriptions = [labs.onDidChange(() => void this.update()), agents.onDidChange(() => void this.update())];
  }

  /** The text shown now (for tests). */
  get text(): string {
    return this.item.text;
  }

  async update(): Promise<void> {
    const all = (await this.labs.list()).filter((l) => l.topology);
    if (all.length === 0) {
      this.item.hide();
      return;
    }
    const lab = all.find((l) => l.status !== 'down') ?? all[0]!;
    const running = this.agents.list().filter((a) => a.state === 'running').length;
    const name = lab.topology!.name;
    this.item.text = `${STATUS_ICON[lab.status]} ${name}${lab.status === 'up' ? '' : ` ${lab.status === 'down' ? 'not deployed' : lab.status}`}${running ? ` · $(pulse) ${running}` : ''}`;
    this.item.tooltip = `labtel: lab ${name} (local) is ${lab.status}; ${running} agent${running === 1 ? '' : 's'} running${all.length > 1 ? `; ${all.length} labs in this workspace` : ''}`;
    this.item.backgroundColor = lab.status === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : lab.status === 'degraded' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
