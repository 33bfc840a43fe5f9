/**
 * The capture viewer: a custom readonly editor (`labtel.capture`) for .pcap, .pcapng and .cap files. The
 * document owns an indexer worker over the file; the webview asks for the rows in view and a packet's
 * detail, one request at a time, and the host answers from the worker. "Decode as" restarts the worker
 * with the new sFlow ports; export writes a pcapng the user names.
 */
import * as vscode from 'vscode';
import path from 'node:path';
import { SFLOW_PORT } from '../../protocols/sflow';
import { CAPTURE_VIEW_TYPE, type CaptureToWebview, type WebviewToCapture } from '../../shared/captureMessages';
import { makeNonce, panelHtml } from '../panels/html';
import { IndexerClient } from './indexerClient';
import { parseCaptureMessage } from './captureInput';
import { compilePacketFilter } from './packetFilter';

/** Until the viewer filters with src/bpf, the filter box says so instead of filtering. */
export const FILTER_UNAVAILABLE = 'filtering with pcap-filter expressions is not wired into the viewer yet (issue #17); labtel bpf test FILE EXPR filters a capture from the CLI';
/** A window of rows larger than this is cut: the webview asks for what is in view plus some overscan. */
const MAX_ROWS_PER_REQUEST = 500;

class CaptureDocument implements vscode.CustomDocument {
  indexer: IndexerClient | undefined;
  sflowPorts: number[] = [SFLOW_PORT];
  openedAt = Date.now();
  private listeners = new Set<(m: CaptureToWebview) => void>();

  constructor(readonly uri: vscode.Uri, private readonly bundle: string, private readonly log: vscode.LogOutputChannel) {
    this.start();
  }

  start(): void {
    void this.indexer?.dispose();
    this.openedAt = Date.now();
    this.indexer = new IndexerClient(this.bundle, { path: this.uri.fsPath, sflowPorts: this.sflowPorts }, (p) => {
      if (p.done) this.log.info(`capture ${this.uri.fsPath}: ${p.count} packets indexed in ${Date.now() - this.openedAt} ms${p.error ? `; breaks at byte ${p.error.offset}: ${p.error.message}` : ''}`);
      this.broadcast({ type: 'capture/progress', count: p.count, bytesRead: p.bytesRead, done: p.done, elapsedMs: Date.now() - this.openedAt, ...(p.error ? { error: p.error } : {}) });
    }, (statistics) => this.broadcast({ type: 'capture/statistics', statistics }));
  }

  onMessage(listener: (m: CaptureToWebview) => void): vscode.Disposable {
    this.listeners.add(listener);
    return new vscode.Disposable(() => this.listeners.delete(listener));
  }

  broadcast(m: CaptureToWebview): void {
    for (const l of this.listeners) l(m);
  }

  dispose(): void {
    void this.indexer?.dispose();
    this.listeners.clear();
  }
}

export class CaptureEditorProvider implements vscode.CustomReadonlyEditorProvider<CaptureDocument> {
  constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {}

  openCustomDocument(uri: vscode.Uri): CaptureDocument {
    if (uri.scheme !== 'file') throw new Error(`the capture viewer reads local files only, not ${uri.scheme}: URIs`);
    return new CaptureDocument(uri, path.join(this.context.extensionUri.fsPath, 'dist', 'captureIndexer.js'), this.log);
  }

  resolveCustomEditor(document: CaptureDocument, panel: vscode.WebviewPanel): void {
    const ext = this.context.extensionUri;
    const dist = vscode.Uri.joinPath(ext, 'dist', 'media');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist, vscode.Uri.joinPath(ext, 'media')] };
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      title: path.basename(document.uri.fsPath),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'capture.js')).toString(),
      styleUris: [panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'capture.css')).toString()],
    });
    const post = (m: CaptureToWebview) => void panel.webview.postMessage(m);
    const subscription = document.onMessage(post);
    const received = panel.webview.onDidReceiveMessage((raw: unknown) => {
      const m = parseCaptureMessage(raw);
      if (typeof m === 'string') {
        this.log.warn(`capture viewer: ignored a message from the webview: ${m}`);
        return;
      }
      this.handle(document, m, post).catch((err: unknown) => {
        const text = err instanceof Error ? err.message : String(err);
        this.log.error(`capture viewer ${document.uri.fsPath}: ${text}`);
        post({ type: 'capture/notice', text, error: true });
      });
    });
    panel.onDidDispose(() => {
      subscription.dispose();
      received.dispose();
    });
  }

  private async handle(doc: CaptureDocument, m: WebviewToCapture, post: (m: CaptureToWebview) => void): Promise<void> {
    const indexer = doc.indexer!;
    switch (m.type) {
      case 'ready': {
        const stat = await vscode.workspace.fs.stat(doc.uri);
        post({ type: 'capture/info', fileName: path.basename(doc.uri.fsPath), fileSize: stat.size, sflowPorts: doc.sflowPorts, ...(compilePacketFilter ? {} : { filterUnavailable: FILTER_UNAVAILABLE }) });
        const p = indexer.last;
        if (p) post({ type: 'capture/progress', count: p.count, bytesRead: p.bytesRead, done: p.done, elapsedMs: Date.now() - doc.openedAt, ...(p.error ? { error: p.error } : {}) });
        if (indexer.statistics) post({ type: 'capture/statistics', statistics: indexer.statistics });
        return;
      }
      case 'capture/rowsRequest': {
        const to = Math.min(m.to, m.from + MAX_ROWS_PER_REQUEST);
        post({ type: 'capture/rows', from: m.from, rows: await indexer.request('rows', { from: m.from, to }) });
        return;
      }
      case 'capture/detailRequest':
        post({ type: 'capture/detail', number: m.number, packet: await indexer.request('detail', { index: m.number - 1 }) });
        return;
      case 'capture/decodeAs':
        doc.sflowPorts = [...new Set(m.sflowPorts)];
        doc.start();
        post({ type: 'capture/info', fileName: path.basename(doc.uri.fsPath), fileSize: (await vscode.workspace.fs.stat(doc.uri)).size, sflowPorts: doc.sflowPorts, ...(compilePacketFilter ? {} : { filterUnavailable: FILTER_UNAVAILABLE }) });
        return;
      case 'capture/export': {
        const base = doc.uri.fsPath.replace(/\.(pcapng|pcap|cap)$/i, '');
        const target = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.file(`${base}-${m.numbers ? `${m.numbers.length}-packets` : 'all'}.pcapng`),
          filters: { 'pcapng capture': ['pcapng'] },
          title: m.numbers ? `Export ${m.numbers.length} packet(s) to pcapng` : 'Export all packets to pcapng',
        });
        if (!target) return;
        const written = await indexer.request('export', { path: target.fsPath, ...(m.numbers ? { indexes: m.numbers.map((n) => n - 1) } : {}) });
        post({ type: 'capture/notice', text: `${written} packet(s) written to ${target.fsPath}` });
        return;
      }
      case 'error':
        this.log.error(`capture viewer webview: ${m.message}`);
        return;
    }
  }
}

/** Registers the capture viewer; the returned disposable unregisters it. */
export function registerCaptureEditor(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.window.registerCustomEditorProvider(CAPTURE_VIEW_TYPE, new CaptureEditorProvider(context, log), {
    supportsMultipleEditorsPerDocument: true,
    webviewOptions: { retainContextWhenHidden: false },
  });
}
