/**
 * Diagnostics for the filters in launch configurations: a `.vscode/launch.json` open in an editor is checked as
 * it changes (launchFilters.ts), so a capture agent's `--filter` is known wrong before the debug session starts.
 */
import * as vscode from 'vscode';
import { launchFilterProblems } from './launchFilters';

const isLaunchJson = (d: vscode.TextDocument): boolean => /[\\/]\.vscode[\\/]launch\.json$/.test(d.uri.path);

export class LaunchFilterDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('labtel-launch-filters');
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.check(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    ];
    for (const d of vscode.workspace.textDocuments) this.check(d);
  }

  private check(doc: vscode.TextDocument): void {
    if (!isLaunchJson(doc)) return;
    this.collection.set(doc.uri, launchFilterProblems(doc.getText()).map((p) => {
      const d = new vscode.Diagnostic(new vscode.Range(doc.positionAt(p.start), doc.positionAt(p.end)), p.message, vscode.DiagnosticSeverity.Error);
      d.source = 'pcap-filter';
      return d;
    }));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
