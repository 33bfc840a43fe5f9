// A real VS Code for the tests: code-server 4.100.3 (Code 1.100.3) from the cache that
// scripts/install-code-server.sh fills, opened in Debian's Chromium through playwright-core.
// Shared by the extension-host runner (test/vscode/run-in-code-server.mjs) and the e2e tests
// (test/e2e/*.test.ts). Everything started here is stopped by stop()/close(), and also when this
// process exits or is interrupted, so no code-server or Chromium outlives a test run.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const codeServerVersion = '4.100.3';
export const codeServerDir = process.env.LABTEL_CODE_SERVER_DIR ?? path.join(repoRoot, '.cache', 'code-server');
const entry = path.join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const chromiumPath = process.env.LABTEL_CHROMIUM ?? '/usr/bin/chromium';

/** Cleanups still to run, newest first; run on stop() and on every way out of the process. */
const pending = new Set();
function onExit() { for (const fn of [...pending].reverse()) { try { fn(); } catch { /* best effort on the way out */ } } }
process.once('exit', onExit);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => { onExit(); process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1)); });
}

/** Why the real VS Code cannot run here, or undefined when it can. */
export function codeServerMissing() {
  if (!existsSync(path.join(codeServerDir, `.installed-${codeServerVersion}`)) || !existsSync(entry)) {
    return `code-server ${codeServerVersion} is not installed in ${codeServerDir}: run scripts/install-code-server.sh (or scripts/setup.sh as root)`;
  }
  if (!existsSync(chromiumPath)) return `Chromium not found at ${chromiumPath}: apt-get install chromium (scripts/setup.sh)`;
  return undefined;
}

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A fresh folder under the system's temp folder. */
export function tempDir(prefix) {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

// Settings that keep the workbench quiet and deterministic: no welcome page, no tips, no trust prompt.
const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  'editor.minimap.enabled': false,
  'editor.fontSize': 16,
};

/**
 * Starts code-server on a free loopback port with fresh user-data and extensions folders.
 * @param {{ folder: string, logFile?: string, env?: Record<string, string>, settings?: Record<string, unknown> }} options
 */
export async function startCodeServer(options) {
  const missing = codeServerMissing();
  if (missing) throw new Error(missing);
  const port = await freePort();
  const state = tempDir('labtel-code-server-');
  const userDataDir = path.join(state, 'user-data');
  const extensionsDir = path.join(state, 'extensions');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...userSettings, ...options.settings }, null, 2));

  const logFile = options.logFile ?? `${state}.log`;
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  const args = [
    entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, options.folder,
  ];
  // Its own process group, so stopping it also stops the extension host and the other helpers it forks.
  const child = spawn(process.execPath, args, {
    cwd: options.folder, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env },
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  let exited = false;
  child.once('exit', () => { exited = true; });

  const kill = () => {
    if (exited || child.pid === undefined) return;
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  };
  const removeState = () => rmSync(state, { recursive: true, force: true });
  pending.add(kill);
  pending.add(removeState);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      pending.delete(kill);
      throw new Error(`code-server exited before it listened; log: ${logFile}\n${tail(logFile)}`);
    }
    try {
      const res = await globalThis.fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { kill(); throw new Error(`code-server did not answer on ${url} within 60 s; log: ${logFile}\n${tail(logFile)}`); }
    await sleep(200);
  }

  return {
    port,
    url,
    logFile,
    userDataDir,
    get exited() { return exited; },
    /** A path on this machine as the browser's workbench addresses it. */
    remoteUri(p) { return `vscode-remote://127.0.0.1:${port}${encodeURI(path.resolve(p))}`; },
    /**
     * The workbench URL for a folder, with the payload entries VS Code web understands
     * (extensionDevelopmentPath, extensionTestsPath, openFile ...).
     * @param {string} folder
     * @param {Array<[string, string]>} payload
     */
    workbenchUrl(folder, payload = []) {
      const q = `folder=${encodeURIComponent(path.resolve(folder))}`;
      return payload.length ? `${url}/?${q}&payload=${encodeURIComponent(JSON.stringify(payload))}` : `${url}/?${q}`;
    },
    async stop() {
      kill();
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      pending.delete(kill);
      log.end();
      removeState();
      pending.delete(removeState);
    },
  };
}

/**
 * Debian's Chromium through playwright-core, headless, with a fresh profile.
 * @param {{ consoleLog?: string[], viewport?: { width: number, height: number } }} [options]
 */
export async function openChromium(options = {}) {
  const { chromium } = await import('playwright-core');
  const profile = tempDir('labtel-chromium-');
  const removeProfile = () => rmSync(profile, { recursive: true, force: true });
  pending.add(removeProfile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: options.viewport ?? { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  // playwright kills the browser on its own exit hooks too; this covers an exit while a test still runs.
  const browserProcess = context.browser()?.process?.();
  const kill = () => { try { browserProcess?.kill('SIGKILL'); } catch { /* gone */ } };
  pending.add(kill);
  const page = context.pages()[0] ?? await context.newPage();
  if (options.consoleLog) {
    const lines = options.consoleLog;
    page.on('console', (m) => lines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => lines.push(`[pageerror] ${e.message}`));
  }
  return {
    context,
    page,
    async close() {
      try { await context.close(); } catch { /* already closed */ }
      kill();
      pending.delete(kill);
      removeProfile();
      pending.delete(removeProfile);
    },
  };
}

/** The last lines of a log file, for failure messages. */
export function tail(file, lines = 40) {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** Waits until check() returns a value other than undefined, or throws what() after timeoutMs. */
export async function waitFor(check, { timeoutMs, what, intervalMs = 250 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(typeof what === 'function' ? what() : what);
    await sleep(intervalMs);
  }
}
