/**
 * The webview's side of postMessage, typed by src/shared/webviewMessages. `acquireVsCodeApi` may be called
 * once per page; its state (getState/setState) is what VS Code keeps across a hidden tab or a window reload.
 */
import type { ExtensionToWebview, WebviewToExtension } from '../../src/shared/webviewMessages';

/** What every webview posts itself: `ready` once listening, `error` for an exception of its own. */
type BaseOut = { type: 'ready' } | { type: 'error'; message: string };

interface VsCodeApi<S, Out> {
  postMessage(message: Out | BaseOut): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S, Out>(): VsCodeApi<S, Out>;

export interface Host<S, In = ExtensionToWebview, Out = WebviewToExtension> {
  post(message: Out): void;
  readonly state: S | undefined;
  saveState(state: S): void;
  /** Listens for the extension's messages, then says `ready` so the extension sends what it has. */
  start(onMessage: (message: In) => void): void;
}

/** The panels' host by default; a webview with messages of its own (the capture viewer) names them. */
export function connectHost<S, In = ExtensionToWebview, Out = WebviewToExtension>(): Host<S, In, Out> {
  const api = acquireVsCodeApi<S, Out>();
  return {
    post: (m) => api.postMessage(m),
    state: api.getState(),
    saveState: (s) => api.setState(s),
    start(onMessage) {
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        const data = event.data;
        if (typeof data !== 'object' || data === null || typeof (data as { type?: unknown }).type !== 'string') return;
        try {
          onMessage(data as In);
        } catch (err) {
          api.postMessage({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
        }
      });
      window.addEventListener('error', (e) => api.postMessage({ type: 'error', message: `${e.message} (${e.filename}:${e.lineno}:${e.colno})` }));
      api.postMessage({ type: 'ready' });
    },
  };
}
