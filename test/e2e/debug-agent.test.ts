// End to end: debugging an agent in a lab node from a real VS Code 1.100.3 (code-server in Chromium), as a
// user does it, with the real embedded lab (issue 14):
//   Deploy Lab → Start Traffic Profile → Run and Debug's "create a launch.json file" with the labtel debugger writes
//   the lab's configurations (the first: "labtel: top-talkers on host-2") → open src/flows/normaliseSflow.ts,
//   go to the flow-record line, F9 → F5. The editor shows the paused line, the Call Stack's top frame names
//   the .ts file and line, the Variables view lists the locals — all read from the workbench's DOM.
//   Shift+F5 stops it; nothing of the agent or its relay is left in host-2.
// Then the launches that cannot work, each one error dialog with the adapter's message, promptly: a node
// the lab does not have, an agent that fails at start-up, and (after Destroy Lab) a lab that is down.
// Screenshots go to test-results/e2e/debug/. The lab is machine-wide: run it under the lab lock,
//   flock /tmp/labtel-lab.lock node --import tsx --test test/e2e/debug-agent.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../helpers/corpus';
import { eventually, lineOf, processesInNamespace } from '../helpers/debugClient';
import { pick, runCommand as runPaletteCommand } from '../helpers/palette';
import { copyNetgoLab, netgoDown, netgoNamespaces } from '../helpers/netgoLab';
import { e2eResultsDir, openWorkbench, type Workbench } from '../helpers/workbench';
import { debugConfigurationRow, pausedView, toggleBreakpoint, until, variableNames } from '../helpers/workbenchDebug';

const shotsDir = path.join(e2eResultsDir, 'debug');
const FLOW_FILE = path.join('src', 'flows', 'normaliseSflow.ts');
// The line where readFlowSample has filled the flow record `out` from one flow sample (as the DAP test).
const RECORD_LINE = lineOf(path.join(repoRoot, FLOW_FILE), 'export function readFlowSample(', 'return seen;');
const CONFIG_NAME = 'labtel: top-talkers on host-2';
/** An error must be said well before the adapter's own waits (10 s) run out: no hang. */
const PROMPT_MS = 8_000;

function runCommand(page: Page, title: string): Promise<void> {
  return runPaletteCommand(page, title, { closeFirst: true });
}

/** The agent's and the relay's processes in host-2, seen from /proc (independent of the adapter). */
function debugProcessesInHost2(): string[] {
  try {
    return processesInNamespace('clab-netgo-host-2').filter((p) => /top-talkers\.js|labtel relay/.test(p.cmdline)).map((p) => `${p.pid} ${p.cmdline}`);
  } catch {
    return []; // the namespace is gone
  }
}

/** launch.json without its comments (VS Code writes it as JSON with comments). */
function readLaunchJson(file: string): { configurations: Array<Record<string, unknown>> } {
  const text = readFileSync(file, 'utf8').split('\n').filter((l) => !l.trim().startsWith('//')).join('\n');
  return JSON.parse(text) as { configurations: Array<Record<string, unknown>> };
}

describe('debugging top-talkers in a lab node from a real VS Code (code-server in Chromium)', () => {
  let workbench: Workbench | undefined;
  let page: Page;
  let workspace: string;
  let launchJson: string;

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'the lab needs root (namespaces, FRR)');
    assert.deepEqual(netgoNamespaces(), [], 'a netgo lab is already up on this machine: "labtel lab down" it first');
    mkdirSync(shotsDir, { recursive: true });
    workbench = await openWorkbench({
      name: 'debug',
      // The user's workspace: the lab, the agents' TypeScript sources and their bundles with source maps.
      prepare: (folder) => {
        copyNetgoLab(folder);
        cpSync(path.join(repoRoot, 'src'), path.join(folder, 'src'), { recursive: true });
        cpSync(path.join(repoRoot, 'dist', 'agents'), path.join(folder, 'dist', 'agents'), { recursive: true });
      },
      settings: { 'labtel.lab.confirmDestroy': false, 'workbench.colorTheme': 'Default Dark Modern', 'debug.openDebug': 'openOnDebugBreak' },
      viewport: { width: 1600, height: 1000 },
      lastStateShot: path.join(shotsDir, 'last-state.png'),
      ready: (p) => p.locator('.statusbar-item', { hasText: /netgo/ }).first().waitFor({ timeout: 150_000 }),
      beforeClose: (p) => p.keyboard.press('Shift+F5'),
      // Whatever the run left, the lab goes.
      afterClose: netgoDown,
    });
    page = workbench.page;
    workspace = workbench.workspace;
    launchJson = path.join(workspace, '.vscode', 'launch.json');
  }, { timeout: 320_000 });

  after(async () => {
    await workbench?.close();
  });

  test('Deploy Lab and Start Traffic Profile from the palette', async () => {
    await runCommand(page, 'labtel: Deploy Lab');
    await page.locator('.statusbar-item', { hasText: /netgo$/ }).first().waitFor({ timeout: 90_000 });
    assert.equal(netgoNamespaces().length, 6);
    await runCommand(page, 'labtel: Start Traffic Profile');
    await page.locator('.statusbar-item', { hasText: /traffic host-1/ }).first().waitFor({ timeout: 60_000 });
  });

  test('"create a launch.json file" in Run and Debug, with the labtel debugger, writes the lab\'s configurations, top-talkers on host-2 first', async () => {
    // Without a launch.json the workbench offers the link (its "Open 'launch.json'" command is hidden until one exists).
    await runCommand(page, 'View: Show Run and Debug');
    await page.locator('.welcome-view-content a', { hasText: 'create a launch.json file' }).first().click({ timeout: 20_000 });
    await pick(page, 'labtel: Lab Agent');
    const written = await eventually(() => { try { return readLaunchJson(launchJson); } catch { return undefined; } }, (v) => v !== undefined, 20_000);
    assert.ok(written, `${launchJson} was written`);
    const first = written.configurations[0]!;
    assert.deepEqual(
      { name: first.name, type: first.type, request: first.request, agent: first.agent, node: first.node, args: first.args },
      { name: CONFIG_NAME, type: 'labtel', request: 'launch', agent: 'top-talkers', node: 'host-2', args: ['--listen', '203.0.113.2:6343'] },
      'the lab\'s first configuration: top-talkers where r3 sends its sFlow (pmacctd.conf)',
    );
    // The lab's five, each once (the configuration provider is the only source: package.json has no initialConfigurations to repeat them).
    assert.deepEqual(written.configurations.map((c) => c.name), [
      CONFIG_NAME, 'labtel: capture on host-2', 'labtel: bgp-ping responder on host-1', 'labtel: bgp-ping prober on host-2', 'labtel: bgp-ping responder on host-3',
    ]);
    // The editor opened it, and the Run and Debug view has the first configuration selected for F5.
    await page.locator('.tab.active', { hasText: 'launch.json' }).first().waitFor({ timeout: 15_000 });
  });

  test('F9 on the flow-record line of normaliseSflow.ts, F5: the editor pauses there and the Variables view lists the locals', async () => {
    // Open the file and go to the line as a user does: Quick Open (the file's name), Go to Line (":N"), F9.
    await toggleBreakpoint(page, 'normaliseSflow.ts', RECORD_LINE);
    const started = Date.now();
    await page.keyboard.press('F5');
    // The paused line: the top stack frame's highlight in the editor, and the Call Stack's top frame.
    const paused = await pausedView(page, 60_000);
    const pausedAfter = Date.now() - started;
    assert.equal(paused.fileName, 'normaliseSflow.ts', 'the top frame is the TypeScript file');
    assert.equal(paused.line, RECORD_LINE, 'the top frame\'s line');
    assert.equal(paused.functionName, 'readFlowSample');
    assert.deepEqual(paused.highlightedLine, [String(RECORD_LINE)], 'the highlighted line\'s number in the gutter');
    assert.match(await page.locator('.tab.active').first().textContent() ?? '', /normaliseSflow\.ts/, 'the editor shows the paused file');

    // The Variables view: the Local scope, expanded, lists the function's locals.
    const list = await until(() => variableNames(page), (v) => ['sample', 'out', 'seen'].every((n) => v.includes(n)), 15_000);
    for (const n of ['sample', 'out', 'seen']) assert.ok(list.includes(n), `the Variables view lists ${n}: ${list.join(', ')}`);
    const scopes = await page.locator('.debug-variables .monaco-list-row .scope').allTextContents();
    assert.match(scopes[0] ?? '', /^Local: readFlowSample/, `the scopes: ${scopes.join(', ')}`);
    const shot = path.join(shotsDir, 'paused-top-talkers.png');
    await page.screenshot({ path: shot });
    assert.ok(statSync(shot).size > 50_000, `${shot} is a real screenshot`);
    assert.ok(pausedAfter < 60_000);

    // Shift+F5: the session ends, and the agent and its relay are gone from host-2.
    await page.keyboard.press('Shift+F5');
    await page.locator('.monaco-editor .debug-top-stack-frame-line').first().waitFor({ state: 'detached', timeout: 15_000 });
    const left = await eventually(debugProcessesInHost2, (l) => l.length === 0, 10_000);
    assert.deepEqual(left, [], 'no agent or relay left in host-2');
  });

  /** Starts `name` from "Debug: Select and Start Debugging" and returns the one error dialog's text, and how long it took. */
  async function launchError(name: string): Promise<{ message: string; ms: number; dialogs: number }> {
    const row = await debugConfigurationRow(page, name);
    const started = Date.now();
    await row.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.first().waitFor({ timeout: 30_000 });
    const ms = Date.now() - started;
    // A dialog without a detail shows its message in the detail's place (.dialog-message-detail).
    const message = (await dialog.locator('.dialog-message-container').first().innerText()).trim();
    await page.waitForTimeout(500); // a second dialog or an error toast would be there by now
    const dialogs = await dialog.count() + await page.locator('.notifications-toasts .notification-toast .codicon-error').count();
    await page.screenshot({ path: path.join(shotsDir, `error-${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}.png`) });
    await page.keyboard.press('Escape');
    await dialog.first().waitFor({ state: 'detached', timeout: 10_000 });
    return { message, ms, dialogs };
  }

  const failing = [
    { name: 'labtel: top-talkers on host-9', node: 'host-9', args: [] as string[], message: /^no node "host-9" in lab netgo \(.*netgo\.clab\.yml\); its nodes are: r1, r2, r3, host-1, host-2, host-3$/ },
    { name: 'labtel: top-talkers with a flag it refuses', node: 'host-2', args: ['--bogus'], message: /^the agent in node host-2 exited with code 2 at start-up: Unknown option '--bogus'/ },
  ];

  test('a launch that cannot work ends with one error dialog naming the node, promptly: a node the lab lacks, an agent that fails to start', async () => {
    const written = readLaunchJson(launchJson);
    written.configurations.push(...failing.map((f) => ({ type: 'labtel', request: 'launch', name: f.name, agent: 'top-talkers', node: f.node, args: f.args })));
    writeFileSync(launchJson, JSON.stringify(written, null, 2));
    await page.waitForTimeout(1000); // VS Code reads the changed launch.json
    for (const f of failing) {
      const r = await launchError(f.name);
      assert.match(r.message, f.message);
      assert.equal(r.dialogs, 1, `one error, not more (${f.name})`);
      // The node lookup fails at once; the agent's refusal once it has run (a loaded machine slows that).
      assert.ok(r.ms < (f.node === 'host-9' ? PROMPT_MS : 25_000), `${f.name}: the error came after ${r.ms} ms`);
      await eventually(debugProcessesInHost2, (l) => l.length === 0, 10_000);
      assert.deepEqual(debugProcessesInHost2(), [], `nothing left in host-2 after ${f.name}`);
    }
  });

  test('Destroy Lab, then F5 on top-talkers: one error dialog says the lab is down and how to bring it up', async () => {
    await runCommand(page, 'labtel: Destroy Lab');
    await page.locator('.statusbar-item', { hasText: /not deployed/ }).first().waitFor({ timeout: 90_000 });
    assert.deepEqual(netgoNamespaces(), []);
    const r = await launchError(CONFIG_NAME);
    assert.match(r.message, /^lab netgo is not deployed \(no namespace clab-netgo-host-2\): run "labtel lab up" first$/);
    assert.equal(r.dialogs, 1);
    assert.ok(r.ms < PROMPT_MS, `the error came after ${r.ms} ms`);
  });
});
