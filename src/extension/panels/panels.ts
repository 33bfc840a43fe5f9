/**
 * The three webview panels' host: creates or reveals a panel, restores one after a window reload
 * (a WebviewPanelSerializer per view type), feeds the models every agent event, and posts what changed
 * a few times a second — never one postMessage per event. A webview that says `ready` gets everything its
 * model holds.
 */
import * as vscode from 'vscode';
import type { AgentEvent } from '../../shared/events';
import { PANEL_VIEW_TYPES, type ExtensionToWebview, type PanelKind, type PanelSource, type WebviewToExtension } from '../../shared/webviewMessages';
import { FlowsModel } from './flowsModel';
import { makeNonce, panelHtml } from './html';
import { RttModel } from './rttModel';
import { TalkersModel } from './talkersModel';
import { parseWebviewMessage } from './webviewInput';

/** What the panels ask of the rest of the extension (the AgentManager implements it). */
export interface PanelActions {
  /** Restart the capture agent with this pcap-filter expression. */
  captureFlow(filter: string): Promise<void>;
  /** Restart top-talkers with these flags. */
  configureTalkers(cfg: { window: number; top: number; by: 'bytes' | 'packets' | 'samples' }): Promise<void>;
}

/** How often changes are posted to an open panel: 4 times a second, as the top-talkers agent reports. */
export const FLUSH_INTERVAL_MS = 250;

const TITLES: Readonly<Record<PanelKind, string>> = { flows: 'labtel: Flows', talkers: 'labtel: Top Talkers', rtt: 'labtel: BGP RTT' };
const KINDS = Object.keys(PANEL_VIEW_TYPES) as PanelKind[];

interface OpenPanel {
  readonly panel: vscode.WebviewPanel;
  ready: boolean;
}

interface Model {
  drain(): ExtensionToWebview[];
  replay(): ExtensionToWebview[];
  snapshot(): object;
}

export class Panels implements vscode.Disposable {
  private readonly models: { flows: FlowsModel; talkers: TalkersModel; rtt: RttModel } = { flows: new FlowsModel(), talkers: new TalkersModel(), rtt: new RttModel() };
  private readonly open = new Map<PanelKind, OpenPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private sources: readonly PanelSource[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly actions: PanelActions,
    private readonly log: vscode.LogOutputChannel,
  ) {
    for (const kind of KINDS) {
      this.disposables.push(vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPES[kind], {
        // After a window reload VS Code hands back the panel; its webview keeps its own UI state (getState)
        // and asks for the data again with `ready`.
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
          this.adopt(kind, panel);
        },
      }));
    }
  }

  private model(kind: PanelKind): Model {
    return this.models[kind];
  }

  show(kind: PanelKind): vscode.WebviewPanel {
    const existing = this.open.get(kind);
    if (existing) {
      existing.panel.reveal();
      return existing.panel;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPES[kind], TITLES[kind], vscode.ViewColumn.Active, {});
    this.adopt(kind, panel);
    return panel;
  }

  private adopt(kind: PanelKind, panel: vscode.WebviewPanel): void {
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'media');
    panel.webview.options = { enableScripts: true, localResourceRoots: [media, dist] };
    panel.iconPath = vscode.Uri.joinPath(media, 'icons', 'labtel.svg');
    panel.title = TITLES[kind];
    const entry: OpenPanel = { panel, ready: false };
    this.open.get(kind)?.panel.dispose();
    this.open.set(kind, entry);
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      title: TITLES[kind],
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, `${kind}.js`)).toString(),
      styleUris: [panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, `${kind}.css`)).toString()],
    });
    const subs = [
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(kind, entry, m)),
      panel.onDidDispose(() => {
        for (const s of subs) s.dispose();
        if (this.open.get(kind) === entry) this.open.delete(kind);
        if (this.open.size === 0) this.stopTimer();
      }),
    ];
    this.startTimer();
  }

  private async onMessage(kind: PanelKind, entry: OpenPanel, raw: unknown): Promise<void> {
    const m: WebviewToExtension | string = parseWebviewMessage(raw);
    if (typeof m === 'string') {
      this.log.warn(`${kind} panel: ignored a message: ${m}`);
      return;
    }
    switch (m.type) {
      case 'ready':
        entry.ready = true;
        this.post(entry, [{ type: 'sources', sources: this.sources }, ...this.model(kind).replay()]);
        return;
      case 'flows/detailRequest':
        this.post(entry, [{ type: 'flows/detail', id: m.id, packet: this.models.flows.detail(m.id) }]);
        return;
      case 'flows/copyFilter':
        await vscode.env.clipboard.writeText(m.filter);
        void vscode.window.setStatusBarMessage(`labtel: copied "${m.filter}"`, 3000);
        return;
      case 'flows/captureFlow':
        try {
          await this.actions.captureFlow(m.filter);
          this.post(entry, [{ type: 'flows/filter', filter: m.filter }]);
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          this.log.error(`capture this flow (${m.filter}): ${error}`);
          this.post(entry, [{ type: 'flows/filter', filter: m.filter, error }]);
        }
        return;
      case 'talkers/config':
        try {
          await this.actions.configureTalkers({ window: m.window, top: m.top, by: m.by });
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          this.log.error(`top talkers settings: ${error}`);
          void vscode.window.showErrorMessage(`labtel: ${error}`);
        }
        return;
      case 'error':
        this.log.error(`${kind} panel: ${m.message}`);
        return;
    }
  }

  private post(entry: OpenPanel, messages: readonly ExtensionToWebview[]): void {
    for (const message of messages) void entry.panel.webview.postMessage(message);
  }

  /** Every agent event comes here; the ones no panel shows (stats, log) are dropped. */
  accept(source: PanelSource, event: AgentEvent): void {
    switch (event.type) {
      case 'flow':
        this.models.flows.accept(source, event);
        return;
      case 'talkers':
        this.models.talkers.accept(event);
        return;
      case 'rtt':
      case 'lost':
      case 'session':
        this.models.rtt.accept(event);
        return;
      case 'reply':
        // A responder's own event: the node it runs in is the responder bgp-ping's rtt events name.
        this.models.rtt.accept(event, source.node);
        return;
      default:
        return;
    }
  }

  setSources(sources: readonly PanelSource[]): void {
    this.sources = [...sources];
    for (const entry of this.open.values()) if (entry.ready) this.post(entry, [{ type: 'sources', sources: this.sources }]);
  }

  /** For tests: what a panel's model holds now, whether the panel is open and whether its webview said ready. */
  snapshot(kind: PanelKind): unknown {
    const entry = this.open.get(kind);
    return { open: entry !== undefined, ready: entry?.ready ?? false, ...this.model(kind).snapshot() };
  }

  /** Posts what changed to each ready panel; drains every model so a closed panel's deltas do not pile up. */
  private flush(): void {
    for (const kind of KINDS) {
      const messages = this.model(kind).drain();
      const entry = this.open.get(kind);
      if (entry?.ready && messages.length) this.post(entry, messages);
    }
  }

  private startTimer(): void {
    this.timer ??= setInterval(() => {
      try {
        this.flush();
      } catch (err) {
        this.log.error(`panels: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      }
    }, FLUSH_INTERVAL_MS);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // Nobody looks: drop the deltas; a panel opened later gets a replay.
    for (const kind of KINDS) this.model(kind).drain();
  }

  dispose(): void {
    this.stopTimer();
    for (const entry of [...this.open.values()]) entry.panel.dispose();
    this.open.clear();
    for (const d of this.disposables) d.dispose();
  }
}
