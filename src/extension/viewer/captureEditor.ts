/**
 * The capture viewer: a custom readonly editor (`labtel.capture`) for .pcap, .pcapng and .cap files. The
 * document owns an indexer worker over the file; the webview asks for the rows in view and a packet's
 * detail, one request at a time, and the host answers from the worker. A filter runs in the worker too (the
 * host only passes the expression on); "decode as" restarts the worker with the new sFlow ports and applies
 * the filter again; export writes a pcapng the user names.
 */
import * as vscode from 'vscode';
import path from 'node:path';
import { SFLOW_PORT } from '../../protocols/sflow';
import { CAPTURE_VIEW_TYPE, type CaptureToWebview, type FilterErrorInfo, type FilterState, type WebviewToCapture } from '../../shared/captureMessages';
import { makeNonce, panelHtml } from '../panels/html';
import { IndexerClient } from './indexerClient';
import { parseCaptureMessage } from './captureInput';
import { PacketFilterError } from './packetFilter';

/** How long open() waits for VS Code to ask for the document after openWith returned (it normally has). */
const OPEN_WAIT_MS = 10_000;
/** A window of rows larger than this is cut: the webview asks for what is in view plus some overscan. */
const MAX_ROWS_PER_REQUEST = 500;

/** What a filter kept, once its pass over the whole file is done. */
export interface CaptureFilterResult {
  readonly expression: string;
  /** Packets that match. */
  readonly matched: number;
  /** Packets in the file (as far as it is readable). */
  readonly packets: number;
  readonly untested: FilterState['untested'];
}

/** What an export wrote. */
export interface CaptureExportResult {
  readonly written: number;
  readonly path: string;
}

/** View numbers a worker may use before the next worker's start (filters applied in one worker's life). */
const VIEWS_PER_WORKER = 1_000_000;

const noFilter: FilterState = { view: 0, expression: '', matched: 0, scanned: 0, done: false, untested: [] };

export class CaptureDocument implements vscode.CustomDocument {
  indexer!: IndexerClient;
  sflowPorts: number[] = [SFLOW_PORT];
  openedAt = Date.now();
  /** The expression the list is filtered with ('' for none): applied again when the worker restarts. */
  filterExpression = '';
  filterState: FilterState = noFilter;
  private filterWaiters: Array<{ view: number; resolve: (s: FilterState) => void; reject: (e: Error) => void }> = [];
  private restarts = 0;
  private listeners = new Set<(m: CaptureToWebview) => void>();

  constructor(readonly uri: vscode.Uri, private readonly bundle: string, private readonly log: vscode.LogOutputChannel) {
    this.start();
  }

  start(): void {
    void this.indexer?.dispose();
    this.openedAt = Date.now();
    // The pages show every packet until the new worker has the filter again (under a view number of its own).
    this.filterState = noFilter;
    this.broadcast({ type: 'capture/filter', state: noFilter });
    this.restarts++;
    const firstView = this.restarts * VIEWS_PER_WORKER + 1;
    const indexer: IndexerClient = new IndexerClient(this.bundle, { path: this.uri.fsPath, sflowPorts: this.sflowPorts, firstView }, (p) => {
      if (p.done) this.log.info(`capture ${this.uri.fsPath}: ${p.count} packets indexed in ${Date.now() - this.openedAt} ms${p.error ? `; breaks at byte ${p.error.offset}: ${p.error.message}` : ''}`);
      this.broadcast({ type: 'capture/progress', count: p.count, bytesRead: p.bytesRead, done: p.done, elapsedMs: Date.now() - this.openedAt, ...(p.error ? { error: p.error } : {}) });
    }, (statistics) => this.broadcast({ type: 'capture/statistics', statistics }), (state) => {
      if (indexer !== this.indexer) return;
      this.filterState = state;
      this.broadcast({ type: 'capture/filter', state });
      this.settleWaiters(state);
    });
    this.indexer = indexer;
    if (this.filterExpression !== '') void this.applyFilter(this.filterExpression).catch((e: unknown) => this.log.warn(`capture ${this.uri.fsPath}: filter not applied again: ${String(e)}`));
  }

  /**
   * Filters the list with a pcap-filter expression ('' shows every packet) and resolves once every packet is
   * tested. A bad expression leaves the list as it was: the pages show the compiler's error, and the promise
   * rejects with a PacketFilterError (its message is `LINE:COLUMN: reason`).
   */
  async applyFilter(expression: string): Promise<CaptureFilterResult> {
    const indexer = this.indexer;
    const r = await indexer.request('filter', { expression });
    if ('error' in r) {
      this.broadcast({ type: 'capture/filterError', error: r.error });
      throw filterError(r.error);
    }
    this.filterExpression = r.view === 0 ? '' : expression;
    if (r.view === 0) this.settleWaiters(this.filterState);
    const state = r.view === 0 ? this.filterState : await new Promise<FilterState>((resolve, reject) => {
      if (this.filterState.view === r.view && this.filterState.done) resolve(this.filterState);
      else this.filterWaiters.push({ view: r.view, resolve, reject });
    });
    const packets = r.view === 0 ? state.matched : state.scanned;
    this.log.info(`capture ${this.uri.fsPath}: ${r.view === 0 ? 'filter cleared' : `${JSON.stringify(expression)} matches ${state.matched} of ${packets} packets`}`);
    return { expression: this.filterExpression, matched: state.matched, packets, untested: state.untested };
  }

  /** A done state resolves the waiters of its view; any state of another view means theirs was replaced. */
  private settleWaiters(state: FilterState): void {
    const waiting = this.filterWaiters;
    this.filterWaiters = [];
    for (const w of waiting) {
      if (w.view === state.view && state.done) w.resolve(state);
      else if (w.view !== state.view) w.reject(new FilterReplacedError());
      else this.filterWaiters.push(w);
    }
  }

  /** Writes packets (1-based numbers; the list shown when absent: every packet, or the filter's) to a new pcapng. */
  async exportPackets(target: vscode.Uri, numbers?: readonly number[]): Promise<CaptureExportResult> {
    const written = await this.indexer.request('export', numbers
      ? { path: target.fsPath, indexes: numbers.map((n) => n - 1) }
      : { path: target.fsPath, view: this.filterState.view });
    this.log.info(`capture ${this.uri.fsPath}: ${written} packet(s) exported to ${target.fsPath}`);
    return { written, path: target.fsPath };
  }

  onMessage(listener: (m: CaptureToWebview) => void): vscode.Disposable {
    this.listeners.add(listener);
    return new vscode.Disposable(() => this.listeners.delete(listener));
  }

  broadcast(m: CaptureToWebview): void {
    for (const l of this.listeners) l(m);
  }

  disposed = false;

  dispose(): void {
    this.disposed = true;
    void this.indexer.dispose();
    this.listeners.clear();
    for (const w of this.filterWaiters) w.reject(new Error('the capture was closed'));
    this.filterWaiters = [];
  }
}

/** A filter's pass was stopped because another expression (or none) was applied before it finished. */
export class FilterReplacedError extends Error {
  override readonly name = 'FilterReplacedError';
  constructor() {
    super('another filter was applied before this one had tested every packet');
  }
}

function filterError(e: FilterErrorInfo): PacketFilterError {
  return new PacketFilterError(e.message, e.start, e.end);
}

export class CaptureEditorProvider implements vscode.CustomReadonlyEditorProvider<CaptureDocument> {
  private readonly documents = new Map<string, CaptureDocument>();
  private readonly opened = new vscode.EventEmitter<CaptureDocument>();
  /** The capture whose editor was focused last (the commands act on it when given no file). */
  private active: CaptureDocument | undefined;

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {}

  openCustomDocument(uri: vscode.Uri): CaptureDocument {
    if (uri.scheme !== 'file') throw new Error(`the capture viewer reads local files only, not ${uri.scheme}: URIs`);
    const doc = new CaptureDocument(uri, path.join(this.context.extensionUri.fsPath, 'dist', 'captureIndexer.js'), this.log);
    this.documents.set(uri.toString(), doc);
    this.opened.fire(doc);
    return doc;
  }

  resolveCustomEditor(document: CaptureDocument, panel: vscode.WebviewPanel): void {
    const ext = this.context.extensionUri;
    const dist = vscode.Uri.joinPath(ext, 'dist', 'media');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist, vscode.Uri.joinPath(ext, 'media')] };
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
    // The page is set after the listener: its first message (ready) must find it.
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      title: path.basename(document.uri.fsPath),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'capture.js')).toString(),
      styleUris: [panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'capture.css')).toString()],
    });
    if (panel.active) this.active = document;
    const viewState = panel.onDidChangeViewState((e) => { if (e.webviewPanel.active) this.active = document; });
    panel.onDidDispose(() => {
      subscription.dispose();
      received.dispose();
      viewState.dispose();
    });
  }

  /** The open capture of this file, once VS Code has asked for it (undefined when it is not open). */
  documentOf(uri: vscode.Uri): CaptureDocument | undefined {
    const doc = this.documents.get(uri.toString());
    if (doc?.disposed) this.documents.delete(uri.toString());
    return doc && !doc.disposed ? doc : undefined;
  }

  /** The capture of the editor focused last, while it is open. */
  activeDocument(): CaptureDocument | undefined {
    return this.active && !this.active.disposed ? this.active : undefined;
  }

  /** Opens the file in the viewer (or brings its editor forward) and resolves with its document. */
  async open(uri: vscode.Uri): Promise<CaptureDocument> {
    if (uri.scheme !== 'file') throw new Error(`the capture viewer reads local files only, not ${uri.scheme}: URIs`);
    let sub: vscode.Disposable | undefined;
    const opened = new Promise<CaptureDocument>((resolve) => {
      sub = this.opened.event((d) => { if (d.uri.toString() === uri.toString()) resolve(d); });
    });
    try {
      await vscode.commands.executeCommand('vscode.openWith', uri, CAPTURE_VIEW_TYPE);
      // openWith returns once the editor is open: its document exists by then (kept, or made for this open).
      const doc = this.documentOf(uri) ?? await Promise.race([opened, new Promise<undefined>((resolve) => setTimeout(resolve, OPEN_WAIT_MS))]);
      if (!doc) throw new Error(`${uri.fsPath} did not open in the capture viewer`);
      return doc;
    } finally {
      sub?.dispose();
    }
  }

  /** Asks where to write, then exports (the selected packets, or the list shown). Undefined when the user cancels. */
  async exportWithDialog(doc: CaptureDocument, numbers?: readonly number[]): Promise<CaptureExportResult | undefined> {
    const base = doc.uri.fsPath.replace(/\.(pcapng|pcap|cap)$/i, '');
    const what = numbers ? `${numbers.length}-packets` : doc.filterExpression ? 'filtered' : 'all';
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(`${base}-${what}.pcapng`),
      filters: { 'pcapng capture': ['pcapng'] },
      title: numbers ? `Export ${numbers.length} packet(s) to pcapng` : doc.filterExpression ? `Export the packets matching ${doc.filterExpression} to pcapng` : 'Export all packets to pcapng',
    });
    return target ? doc.exportPackets(target, numbers) : undefined;
  }

  private async handle(doc: CaptureDocument, m: WebviewToCapture, post: (m: CaptureToWebview) => void): Promise<void> {
    const indexer = doc.indexer;
    switch (m.type) {
      case 'ready': {
        const stat = await vscode.workspace.fs.stat(doc.uri);
        post({ type: 'capture/info', fileName: path.basename(doc.uri.fsPath), fileSize: stat.size, sflowPorts: doc.sflowPorts });
        const p = indexer.last;
        if (p) post({ type: 'capture/progress', count: p.count, bytesRead: p.bytesRead, done: p.done, elapsedMs: Date.now() - doc.openedAt, ...(p.error ? { error: p.error } : {}) });
        if (doc.filterState.view !== 0) post({ type: 'capture/filter', state: doc.filterState });
        if (indexer.statistics) post({ type: 'capture/statistics', statistics: indexer.statistics });
        return;
      }
      case 'capture/rowsRequest': {
        const to = Math.min(m.to, m.from + MAX_ROWS_PER_REQUEST);
        const r = await indexer.request('rows', { from: m.from, to, view: m.view });
        post({ type: 'capture/rows', view: r.view, from: m.from, rows: r.rows });
        return;
      }
      case 'capture/detailRequest':
        post({ type: 'capture/detail', number: m.number, packet: await indexer.request('detail', { index: m.number - 1 }) });
        return;
      case 'capture/filter':
        // A bad expression is shown in the filter box (capture/filterError), not as a failure.
        // A later expression replacing this one is the user's own doing, not a failure either.
        await doc.applyFilter(m.expression).catch((e: unknown) => { if (!(e instanceof PacketFilterError || e instanceof FilterReplacedError)) throw e; });
        return;
      case 'capture/decodeAs':
        doc.sflowPorts = [...new Set(m.sflowPorts)];
        doc.start();
        post({ type: 'capture/info', fileName: path.basename(doc.uri.fsPath), fileSize: (await vscode.workspace.fs.stat(doc.uri)).size, sflowPorts: doc.sflowPorts });
        return;
      case 'capture/export': {
        const r = await this.exportWithDialog(doc, m.numbers);
        if (r) post({ type: 'capture/notice', text: `${r.written} packet(s) written to ${r.path}` });
        return;
      }
      case 'error':
        this.log.error(`capture viewer webview: ${m.message}`);
        return;
    }
  }
}

/** Registers the capture viewer's editor; the provider answers the viewer's commands. */
export function registerCaptureEditor(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): { provider: CaptureEditorProvider; registration: vscode.Disposable } {
  const provider = new CaptureEditorProvider(context, log);
  const registration = vscode.window.registerCustomEditorProvider(CAPTURE_VIEW_TYPE, provider, {
    supportsMultipleEditorsPerDocument: true,
    webviewOptions: { retainContextWhenHidden: false },
  });
  return { provider, registration };
}
