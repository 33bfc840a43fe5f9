/**
 * The webview's side of postMessage, typed by src/shared/webviewMessages. `acquireVsCodeApi` may be called
 * once per page; its state (getState/setState) is what VS Code keeps across a hidden tab or a window reload.
 */
import type { ExtensionToWebview, WebviewToExtension } from '../../src/shared/webviewMessages';

interface VsCodeApi<S> {
  postMessage(message: WebviewToExtension): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

export interface Host<S> {
  post(message: WebviewToExtension): void;
  readonly state: S | undefined;
  saveState(state: S): void;
  /** Listens for the extension's messages, then says `ready` so the extension sends what it has. */
  start(onMessage: (message: ExtensionToWebview) => void): void;
}

export function connectHost<S>(): Host<S> {
  const api = acquireVsCodeApi<S>();
  return {
    post: (m) => api.postMessage(m),
    state: api.getState(),
    saveState: (s) => api.setState(s),
    start(onMessage) {
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        const data = event.data;
        if (typeof data !== 'object' || data === null || typeof (data as { type?: unknown }).type !== 'string') return;
        try {
          onMessage(data as ExtensionToWebview);
        } catch (err) {
          api.postMessage({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
        }
      });
      window.addEventListener('error', (e) => api.postMessage({ type: 'error', message: `${e.message} (${e.filename}:${e.lineno}:${e.colno})` }));
      api.postMessage({ type: 'ready' });
    },
  };
}
