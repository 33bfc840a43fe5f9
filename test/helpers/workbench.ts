// A real VS Code workbench for the end-to-end tests: the extension built, a workspace folder made for the
// test, code-server serving it with the extension under development, and Debian's Chromium showing it.
// Every e2e file opens one in `before` and closes it in `after`; what differs between them (the workspace's
// files, settings, the page's listeners, what "ready" looks like) is passed in.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from './corpus';

const loadCodeServer = () => import('../vscode/codeServer.mjs');
type CodeServerHelper = Awaited<ReturnType<typeof loadCodeServer>>;
export type CodeServer = Awaited<ReturnType<CodeServerHelper['startCodeServer']>>;
type Chromium = Awaited<ReturnType<CodeServerHelper['openChromium']>>;

/** Where the e2e tests leave their logs and screenshots. */
export const e2eResultsDir = path.join(repoRoot, 'test-results', 'e2e');

export interface WorkbenchOptions {
  /** Names the workspace folder, the code-server log and the browser console log of this test file. */
  name: string;
  /** The test ran buildExtension() itself before (it needed dist/ earlier): not built again. */
  alreadyBuilt?: boolean;
  /** Fills the fresh workspace folder before code-server opens it. */
  prepare?: (workspace: string) => void | Promise<void>;
  /** User settings, over the quiet defaults of test/vscode/codeServer.mjs. */
  settings?: Record<string, unknown>;
  /** Environment of code-server and so of the extension host. */
  env?: Record<string, string>;
  viewport?: { width: number; height: number };
  /** A file of the workspace the workbench opens in an editor. */
  openFile?: string;
  /** Runs before the workbench loads: page listeners and init scripts that must see its first frame. */
  beforeLoad?: (page: Page) => void | Promise<void>;
  /** Resolves when the workbench shows what the test starts from. */
  ready: (page: Page) => Promise<unknown>;
  /** Where the screenshot of the last state goes (default: test-results/e2e/NAME-last-state.png). */
  lastStateShot?: string;
  /** Runs in `close` while the page is still open (e.g. ending a debug session or destroying a lab). */
  beforeClose?: (page: Page) => Promise<unknown>;
  /** Runs in `close` once code-server has stopped, before the workspace goes (e.g. `labtel lab down` on its lab). */
  afterClose?: (workspace: string) => void | Promise<void>;
}

export interface Workbench {
  page: Page;
  server: CodeServer;
  workspace: string;
  /** Every console line and page error of the workbench, written to a log file on close. */
  browserLog: string[];
  /** The last state's screenshot, the console log, then the browser, code-server and the workspace go. */
  close(): Promise<void>;
}

/** Builds the extension (esbuild, a few seconds) so the workbench loads what the sources say. */
export function buildExtension(): void {
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(build.status, 0, `build failed:\n${build.stdout}${build.stderr}`);
}

export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const helper = await loadCodeServer();
  const missing = helper.codeServerMissing();
  if (missing) throw new Error(missing);
  mkdirSync(e2eResultsDir, { recursive: true });
  if (!options.alreadyBuilt) buildExtension();
  const workspace = mkdtempSync(path.join(tmpdir(), `labtel-e2e-${options.name}-`));
  const browserLog: string[] = [];
  let server: CodeServer | undefined;
  let browser: Chromium | undefined;
  const close = async (page?: Page) => {
    if (page) {
      await page.screenshot({ path: options.lastStateShot ?? path.join(e2eResultsDir, `${options.name}-last-state.png`) }).catch(() => undefined);
      if (options.beforeClose) await options.beforeClose(page).catch(() => undefined);
    }
    if (browserLog.length) writeFileSync(path.join(e2eResultsDir, `browser-console-${options.name}.log`), browserLog.join('\n'));
    await browser?.close();
    await server?.stop();
    try {
      await options.afterClose?.(workspace);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  };
  try {
    await options.prepare?.(workspace);
    server = await helper.startCodeServer({
      folder: workspace, logFile: path.join(e2eResultsDir, `code-server-${options.name}.log`), env: options.env, settings: options.settings,
    });
    browser = await helper.openChromium({ consoleLog: browserLog, viewport: options.viewport });
    const page = browser.page;
    await options.beforeLoad?.(page);
    const payload: Array<[string, string]> = [['extensionDevelopmentPath', server.remoteUri(repoRoot)]];
    if (options.openFile) payload.push(['openFile', server.remoteUri(path.resolve(workspace, options.openFile))]);
    await page.goto(server.workbenchUrl(workspace, payload), { timeout: 150_000 });
    await options.ready(page);
    return { page, server, workspace, browserLog, close: () => close(page) };
  } catch (err) {
    await close(browser?.page);
    throw err;
  }
}

/** Polls `check` until it returns something other than undefined (test/vscode/codeServer.mjs's waitFor). */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, options: { timeoutMs: number; what: string | (() => string); intervalMs?: number }): Promise<T> {
  return (await loadCodeServer()).waitFor(check, options) as Promise<T>;
}
