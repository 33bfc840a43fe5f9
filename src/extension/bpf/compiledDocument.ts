/**
 * "labtel: Show Compiled BPF": a read-only `bpf-asm` document beside the filter, holding the program exactly as
 * `tcpdump -d` prints it (Ethernet link type), kept up to date as the filter is edited. The document's URI names
 * its filter: labtel-bpf:/NAME.bpfasm?<the filter's URI>.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { compiledListing } from './compiledListing';

export const COMPILED_SCHEME = 'labtel-bpf';

/** How long the listing waits after a keystroke before compiling again. */
const REFRESH_DELAY_MS = 150;

export function compiledUri(filter: vscode.Uri): vscode.Uri {
  const name = path.posix.basename(filter.path).replace(/\.(pcapfilter|bpf)$/, '');
  return vscode.Uri.from({ scheme: COMPILED_SCHEME, path: `/${name}.bpfasm`, query: filter.toString() });
}

export class CompiledBpfProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Filter URI → the listing's URI, for the listings that have been opened. */
  private readonly shown = new Map<string, vscode.Uri>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        const key = e.document.uri.toString();
        const listing = this.shown.get(key);
        if (!listing) return;
        clearTimeout(this.timers.get(key));
        this.timers.set(key, setTimeout(() => this.changed.fire(listing), REFRESH_DELAY_MS));
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === COMPILED_SCHEME) this.shown.delete(d.uri.query);
      }),
    ];
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    this.shown.set(uri.query, uri);
    const filter = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri.query));
    return compiledListing(filter.getText());
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
