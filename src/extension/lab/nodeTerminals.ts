import * as vscode from 'vscode';

/** The node terminals this window opened, per lab: named in Destroy's question and closed with the lab. */
export class NodeTerminals implements vscode.Disposable {
  private readonly byLab = new Map<string, Set<vscode.Terminal>>();
  private readonly subscription = vscode.window.onDidCloseTerminal((t) => { for (const set of this.byLab.values()) set.delete(t); });

  add(lab: string, terminal: vscode.Terminal): void {
    const set = this.byLab.get(lab) ?? new Set();
    set.add(terminal);
    this.byLab.set(lab, set);
  }

  of(lab: string): vscode.Terminal[] {
    return [...(this.byLab.get(lab) ?? [])];
  }

  closeAll(lab: string): void {
    for (const t of this.of(lab)) t.dispose();
    this.byLab.delete(lab);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
