/**
 * A labtel panel's built webview bundle in a real Chromium page, as VS Code would load it: the page the
 * extension builds (src/extension/panels/html.ts, its CSP and nonce), the bundle and CSS served from one
 * resource origin, the --vscode-* variables of a real code-server theme (test/fixtures/panels), and a stub
 * `acquireVsCodeApi` that records what the webview posts. Used by the e2e harness test and `npm run bench -- ui`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { makeNonce, panelHtml } from '../../src/extension/panels/html';
import type { ExtensionToWebview, PanelKind, WebviewToExtension } from '../../src/shared/webviewMessages';
import { repoRoot } from './corpus';

export type ThemeName = 'light' | 'dark' | 'high-contrast';

/** The origin the bundle is served from, standing in for VS Code's webview resource origin. */
export const PANEL_ORIGIN = 'https://labtel-webview.test';

const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml' };

interface Theme { bodyClass: string; variables: Record<string, string> }

export function theme(name: ThemeName): Theme {
  return JSON.parse(readFileSync(path.join(repoRoot, 'test', 'fixtures', 'panels', `theme-${name}.json`), 'utf8')) as Theme;
}

export interface PanelPage {
  readonly page: Page;
  /** What the webview posted so far. */
  posted(): Promise<WebviewToExtension[]>;
  /** Posts messages to the webview as the extension does (one MessageEvent each). */
  send(messages: readonly ExtensionToWebview[]): Promise<void>;
  /** Content-Security-Policy violations the page reported. */
  violations(): Promise<string[]>;
  /** alert/confirm/prompt calls and markers an injected script would set: must stay empty. */
  injected(): Promise<string[]>;
  /** Console errors and uncaught exceptions. */
  readonly errors: string[];
  close(): Promise<void>;
}

type Chromium = { page: Page; close(): Promise<void> };

/**
 * Runs in the page before its own scripts: the stub VS Code API, recorders for CSP violations and for
 * anything an injected script would do, and the theme — on <html> through CSSOM and the theme kind's
 * class on <body>, as VS Code's webview host sets them — as soon as those elements exist.
 */
const INIT_SCRIPT = String.raw`function init({ state, vars, bodyClass }) {
  const posted = [], violations = [], injected = [];
  let saved = state === null ? undefined : state;
  window.__labtel = { posted, violations, injected };
  window.acquireVsCodeApi = function () {
    return {
      postMessage: function (m) { posted.push(JSON.parse(JSON.stringify(m))); },
      getState: function () { return saved; },
      setState: function (s) { saved = s; },
    };
  };
  for (const name of ['alert', 'confirm', 'prompt']) {
    window[name] = function () { injected.push(name + '(' + Array.from(arguments).join(',') + ')'); return null; };
  }
  document.addEventListener('securitypolicyviolation', function (e) {
    violations.push(e.violatedDirective + ': ' + (e.blockedURI || '(inline)') + ' ' + e.sourceFile + ':' + e.lineNumber);
  });
  let themed = false, classed = false;
  function apply() {
    if (!themed && document.documentElement) {
      for (const k in vars) document.documentElement.style.setProperty(k, vars[k]);
      themed = true;
    }
    if (!classed && document.body) {
      document.body.classList.add(bodyClass);
      document.body.dataset.vscodeThemeKind = bodyClass;
      classed = true;
    }
    return themed && classed;
  }
  if (!apply()) {
    const observer = new MutationObserver(function () { if (apply()) observer.disconnect(); });
    observer.observe(document, { childList: true, subtree: true });
  }
}`;

/** Flags for a browser whose frames are not held to the display's rate: a frame then takes what its work takes. */
export const UNCAPPED_FRAMES = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];

/** Debian's Chromium with the flags the test machine needs (test/vscode/codeServer.mjs) and `extraArgs`. */
async function launch(extraArgs: readonly string[]): Promise<Chromium> {
  if (extraArgs.length === 0) {
    const { openChromium } = (await import('../vscode/codeServer.mjs')) as { openChromium(): Promise<Chromium> };
    return openChromium();
  }
  const { chromium } = await import('playwright-core');
  const b = await chromium.launch({
    executablePath: process.env.LABTEL_CHROMIUM ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...extraArgs],
  });
  const page = await b.newPage();
  return { page, close: () => b.close() };
}

export async function openPanel(
  kind: PanelKind,
  themeName: ThemeName,
  options: { state?: unknown; viewport?: { width: number; height: number }; browserArgs?: readonly string[] } = {},
): Promise<PanelPage> {
  const bundle = path.join(repoRoot, 'dist', 'media', `${kind}.js`);
  if (!existsSync(bundle)) throw new Error(`${path.relative(repoRoot, bundle)} is not built: run npm run build`);
  const browser = await launch(options.browserArgs ?? []);
  const page = browser.page;
  await page.setViewportSize(options.viewport ?? { width: 1280, height: 800 });
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));

  const nonce = makeNonce();
  const html = panelHtml({
    cspSource: PANEL_ORIGIN, nonce, title: kind,
    scriptUri: `${PANEL_ORIGIN}/dist/media/${kind}.js`, styleUris: [`${PANEL_ORIGIN}/dist/media/${kind}.css`],
  });
  await page.route(`${PANEL_ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') return route.fulfill({ status: 200, contentType: 'text/html', body: html });
    // Only what localResourceRoots allow: media/ and dist/media/.
    const rel = path.normalize(decodeURIComponent(url.pathname)).replace(/^\/+/, '');
    if (!(rel.startsWith(`media${path.sep}`) || rel.startsWith(`dist${path.sep}media${path.sep}`))) return route.fulfill({ status: 404, body: '' });
    try {
      return route.fulfill({ status: 200, contentType: CONTENT_TYPES[path.extname(rel)] ?? 'application/octet-stream', body: readFileSync(path.join(repoRoot, rel)) });
    } catch {
      return route.fulfill({ status: 404, body: '' });
    }
  });
  // Anything else (an image an injected tag would load, a connection) is refused and recorded.
  await page.route((url) => !url.href.startsWith(PANEL_ORIGIN), async (route) => {
    errors.push(`request outside the webview origin: ${route.request().url()}`);
    await route.abort();
  });

  const t = theme(themeName);
  // Plain JavaScript text: tsx would wrap a TypeScript function's inner functions in helpers the page lacks.
  await page.addInitScript(`(${INIT_SCRIPT})(${JSON.stringify({ state: options.state ?? null, vars: t.variables, bodyClass: t.bodyClass })})`);

  await page.goto(`${PANEL_ORIGIN}/index.html`);
  await page.waitForFunction(() => ((window as unknown as { __labtel: { posted: Array<{ type: string }> } }).__labtel.posted.some((m) => m.type === 'ready')));

  return {
    page,
    errors,
    posted: () => page.evaluate(() => (window as unknown as { __labtel: { posted: WebviewToExtension[] } }).__labtel.posted),
    send: (messages) => page.evaluate((ms) => { for (const m of ms) window.postMessage(m, '*'); }, messages as ExtensionToWebview[]),
    violations: () => page.evaluate(() => (window as unknown as { __labtel: { violations: string[] } }).__labtel.violations),
    injected: () => page.evaluate(() => {
      const w = window as unknown as { __labtel: { injected: string[] }; __pwned?: unknown };
      return [...w.__labtel.injected, ...(w.__pwned === undefined ? [] : [`__pwned=${String(w.__pwned)}`])];
    }),
    close: () => browser.close(),
  };
}

/** Waits two animation frames: what a message changed is painted. */
export async function painted(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}
