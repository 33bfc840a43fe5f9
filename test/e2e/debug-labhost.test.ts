// End to end (issues 14 and 18): a breakpoint in an agent running on a lab host hits, in a real VS Code
// 1.100.3 (code-server in Chromium). Debian's sshd in a namespace of the test's own is the host `labhost`
// (test/helpers/sshLabHost.ts), named in labtel.labHosts as a user names one; the netgo lab is deployed
// there over SSH (as `labtel --host labhost lab up` does; deploying from the Lab view is
// test/vscode/suite/labHosts.test.ts) with the traffic profile running. In the editor: F9 on the
// flow-record line of the workspace's normaliseSflow.ts, F5 on "labtel: top-talkers on host-2 @ labhost".
// The editor pauses on the local .ts line while the agent runs the host's copy of the bundle in host-2
// there; Shift+F5 leaves nothing in the node. Then an agent the user started there outside the debugger:
// an attach configuration without a pid lists it (by the host's pid), the pick attaches, the breakpoint
// hits in it, and detaching leaves it running. Screenshots: test-results/e2e/debug/paused-on-labhost.png,
// attach-pick-on-labhost.png.
//   flock /tmp/labtel-lab.lock node --import tsx --test test/e2e/debug-labhost.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { waitForRouterSessions } from '../../src/lab/bgpStatus';
import { HostBackend } from '../../src/lab/host/hostBackend';
import { LabHost } from '../../src/lab/host/labHost';
import { loadLabHostsFile } from '../../src/lab/host/labHosts';
import { loadTopology } from '../../src/lab/topology';
import { repoRoot } from '../helpers/corpus';
import { eventually, lineOf } from '../helpers/debugClient';
import { processesInHostNamespace, tcpListeners } from '../helpers/labHostProcesses';
import { startSshLabHost, type SshLabHost } from '../helpers/sshLabHost';
import { have } from '../helpers/tools';
import { copyNetgoLab } from '../helpers/netgoLab';
import { quickInput } from '../helpers/palette';
import { buildExtension, e2eResultsDir, openWorkbench, type Workbench } from '../helpers/workbench';
import { debugConfigurationRow, pausedView, toggleBreakpoint, until, variableNames } from '../helpers/workbenchDebug';

const shotsDir = path.join(e2eResultsDir, 'debug');
const RECORD_LINE = lineOf(path.join(repoRoot, 'src', 'flows', 'normaliseSflow.ts'), 'export function readFlowSample(', 'return seen;');
const CONFIG_NAME = 'labtel: top-talkers on host-2 @ labhost';
const ATTACH_NAME = 'labtel: attach in host-2 @ labhost';
const tools = ['sshd', 'ssh', 'ssh-keygen', 'ip', 'nsenter', 'unshare', 'vtysh', 'pmacctd', 'iperf3'];

describe('a breakpoint in top-talkers on a lab host, from a real VS Code (code-server in Chromium)', () => {
  let workbench: Workbench | undefined;
  let page: Page;
  let host: SshLabHost | undefined;
  let labHost: LabHost | undefined;
  let backend: HostBackend | undefined;

  /** The command line of the agent the launch started on the host (its runtime and bundle are reused by the attach test). */
  let launchedAgent = '';
  const debugProcesses = () => processesInHostNamespace(host!, 'clab-netgo-host-2').filter((p) => /top-talkers\.js|labtel relay/.test(p.cmdline));

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'the lab host needs root (namespaces, sshd, FRR)');
    assert.deepEqual(tools.filter((t) => !have(t)), [], 'tools the lab host needs (scripts/setup.sh installs them)');
    mkdirSync(shotsDir, { recursive: true });
    // The host gets its copy of the build when the lab deploys there, before the workbench opens.
    buildExtension();

    host = await startSshLabHost('labhost');
    const entry = (JSON.parse(readFileSync(host.hostsFile, 'utf8')) as Array<{ name: string }>).filter((h) => h.name === 'labhost');
    labHost = LabHost.ssh(loadLabHostsFile(host.hostsFile).find((h) => h.name === 'labhost')!, { controlDir: host.controlDir });
    backend = new HostBackend(labHost, loadTopology(path.join(repoRoot, 'lab', 'netgo.clab.yml')));
    await backend.deploy();
    await waitForRouterSessions(backend, 60_000);
    await backend.startTraffic('default', 300);

    workbench = await openWorkbench({
      name: 'debug-labhost',
      alreadyBuilt: true,
      // The workspace: the lab, the TypeScript sources and the build (the core and the agents, which go to the host).
      prepare: (folder) => {
        copyNetgoLab(folder);
        cpSync(path.join(repoRoot, 'src'), path.join(folder, 'src'), { recursive: true });
        cpSync(path.join(repoRoot, 'dist', 'agents'), path.join(folder, 'dist', 'agents'), { recursive: true });
        for (const f of ['cli.js', 'cli.js.map']) cpSync(path.join(repoRoot, 'dist', f), path.join(folder, 'dist', f));
        mkdirSync(path.join(folder, '.vscode'));
        writeFileSync(path.join(folder, '.vscode', 'launch.json'), JSON.stringify({
          version: '0.2.0',
          configurations: [{ type: 'labtel', request: 'launch', name: CONFIG_NAME, agent: 'top-talkers', node: 'host-2', args: ['--listen', '203.0.113.2:6343'], labHost: 'labhost' }],
        }, null, 2));
      },
      env: { LABTEL_SSH_CONTROL_DIR: host.controlDir },
      settings: { 'labtel.labHosts': entry, 'workbench.colorTheme': 'Default Dark Modern', 'debug.openDebug': 'openOnDebugBreak' },
      viewport: { width: 1600, height: 1000 },
      lastStateShot: path.join(shotsDir, 'labhost-last-state.png'),
      ready: (p) => p.locator('.statusbar-item', { hasText: /netgo/ }).first().waitFor({ timeout: 150_000 }),
      beforeClose: (p) => p.keyboard.press('Shift+F5'),
    });
    page = workbench.page;
  }, { timeout: 400_000 });

  after(async () => {
    await workbench?.close();
    if (backend) {
      await backend.stopTraffic().catch(() => false);
      await backend.destroy().catch(() => undefined);
    }
    await labHost?.close().catch(() => undefined);
    await host?.stop();
  });

  test('F9 on the flow-record line, F5 on "top-talkers on host-2 @ labhost": the editor pauses on the local .ts line; the agent is the host\'s', async () => {
    await toggleBreakpoint(page, 'normaliseSflow.ts', RECORD_LINE);
    await page.keyboard.press('F5');
    const paused = await pausedView(page, 90_000);
    assert.equal(paused.fileName, 'normaliseSflow.ts', 'the top frame is the workspace\'s TypeScript file');
    assert.equal(paused.line, RECORD_LINE);
    assert.equal(paused.functionName, 'readFlowSample');
    assert.deepEqual(paused.highlightedLine, [String(RECORD_LINE)], 'the highlighted line\'s number in the gutter');
    const names = await until(() => variableNames(page), (v) => ['sample', 'out', 'seen'].every((n) => v.includes(n)), 15_000);
    for (const n of ['sample', 'out', 'seen']) assert.ok(names.includes(n), `the Variables view lists ${n}: ${names.join(', ')}`);
    const shot = path.join(shotsDir, 'paused-on-labhost.png');
    await page.screenshot({ path: shot });
    assert.ok(statSync(shot).size > 50_000, `${shot} is a real screenshot`);

    // What paused is the agent in host-2 on labhost, run from labtel's folder there, its inspector on the node's loopback.
    const procs = debugProcesses();
    const agent = procs.find((p) => /top-talkers\.js/.test(p.cmdline));
    assert.ok(agent, `the agent in host-2 on labhost: ${procs.map((p) => p.cmdline.slice(0, 120)).join(' | ')}`);
    launchedAgent = agent.cmdline;
    assert.ok(agent.cmdline.includes(`${host!.workDir}/bundles/`) && agent.cmdline.includes('--inspect-brk=127.0.0.1:0'), agent.cmdline);
    assert.deepEqual(tcpListeners(host!, { node: 'clab-netgo-host-2' }).filter((a) => !a.startsWith('127.0.0.1:')), [], 'nothing in host-2 listens beyond loopback');

    await page.keyboard.press('Shift+F5');
    await page.locator('.monaco-editor .debug-top-stack-frame-line').first().waitFor({ state: 'detached', timeout: 20_000 });
    assert.deepEqual(await eventually(debugProcesses, (l) => l.length === 0, 15_000), [], 'no agent or relay left in host-2 on labhost');
  });

  test('an attach configuration without a pid lists the agents running in host-2 on labhost; the picked one pauses on the breakpoint; detaching leaves it running', async () => {
    // A collector the user started in host-2 on the host, outside the debugger: the host's node and bundle.
    assert.ok(launchedAgent, 'the launch test ran first');
    const [runtime] = launchedAgent.split(' ');
    const bundle = /\S*\/bundles\/\S*top-talkers\.js/.exec(launchedAgent)?.[0];
    assert.ok(runtime && bundle, launchedAgent);
    const argv = [runtime, bundle, '--listen', '203.0.113.2:6343', '--format', 'json'];
    const userAgent = backend!.exec('host-2', argv, { stdio: 'ignore' });
    try {
      const running = await eventually(() => debugProcesses().filter((p) => p.cmdline === argv.join(' ')), (l) => l.length === 1, 15_000);
      assert.equal(running.length, 1, `the user's agent runs in host-2: ${debugProcesses().map((p) => p.cmdline).join(' | ')}`);
      const pid = running[0]!.pid;

      const launch = path.join(workbench!.workspace, '.vscode', 'launch.json');
      const config = JSON.parse(readFileSync(launch, 'utf8')) as { configurations: object[] };
      config.configurations.push({ type: 'labtel', request: 'attach', name: ATTACH_NAME, node: 'host-2', labHost: 'labhost' });
      writeFileSync(launch, JSON.stringify(config, null, 2));
      await page.waitForTimeout(1000); // VS Code reads the changed launch.json

      await (await debugConfigurationRow(page, ATTACH_NAME)).click();

      // The pick list the adapter's host side made from the host's processes in host-2, read from the screen.
      const pickInput = quickInput(page, 'Attach to an agent in host-2');
      await pickInput.waitFor({ state: 'visible', timeout: 30_000 });
      const rows = page.locator('.quick-input-list .monaco-list-row');
      await rows.first().waitFor({ timeout: 10_000 });
      const listed = await rows.evaluateAll((els) => els.map((e) => ({
        label: e.querySelector('.label-name')?.textContent ?? '',
        description: e.querySelector('.label-description')?.textContent ?? '',
      })));
      const mine = listed.find((r) => r.description.startsWith(`pid ${pid}`));
      assert.ok(mine, `the pick list shows pid ${pid}: ${JSON.stringify(listed)}`);
      assert.equal(mine.label, 'top-talkers.js --listen 203.0.113.2:6343 --format json');
      assert.equal(listed.length, 1, `only the user's agent runs in host-2: ${JSON.stringify(listed)}`);
      await page.screenshot({ path: path.join(shotsDir, 'attach-pick-on-labhost.png') });

      // Picked: the session attaches to the running agent and the first test's breakpoint hits in it (the
      // traffic profile keeps sFlow coming); Shift+F5 then detaches and the agent runs on.
      await page.locator('.quick-input-list .monaco-list-row', { hasText: `pid ${pid}` }).first().click();
      const paused = await pausedView(page, 90_000);
      assert.equal(paused.fileName, 'normaliseSflow.ts');
      assert.equal(paused.line, RECORD_LINE, 'the attached agent pauses on the breakpoint');
      await page.keyboard.press('Shift+F5');
      await page.locator('.debug-toolbar').first().waitFor({ state: 'hidden', timeout: 30_000 });
      const after = await eventually(() => debugProcesses(), (l) => !l.some((p) => /labtel relay/.test(p.cmdline)), 15_000);
      assert.deepEqual(after.map((p) => p.pid), [pid], 'the user\'s agent is still running after the detach, and no relay is left');
    } finally {
      userAgent.kill('SIGTERM');
      await eventually(() => debugProcesses(), (l) => l.length === 0, 15_000);
    }
  });
});
