import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LabtelApi, TreeSnapshot } from '../../../src/extension/api';

// The lab's whole life driven through the extension's commands, as the palette and the Lab view run
// them, with the real embedded lab: namespaces, FRR, pmacctd, iperf3 and the agents. What is checked is
// what the Lab view shows (its items, read through the same provider VS Code reads) and what is left on
// the machine afterwards.
const NODES = ['host-1', 'host-2', 'host-3', 'r1', 'r2', 'r3'];

async function api(): Promise<LabtelApi> {
  const ext = vscode.extensions.getExtension<LabtelApi>('labtel.labtel');
  assert.ok(ext, 'labtel is installed');
  return ext.activate();
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function netgo(tree: readonly TreeSnapshot[]): TreeSnapshot | undefined {
  return tree.find((l) => l.label === 'netgo');
}

/** r2's sessions to the other routers all Established, in the tree. */
function routerSessionsEstablished(lab: TreeSnapshot): boolean {
  const r2 = lab.children.find((n) => n.label === 'r2');
  const sessions = (r2?.children ?? []).filter((c) => c.label.startsWith('BGP ') && c.label !== 'BGP host-2');
  return sessions.length === 3 && sessions.every((c) => c.description.startsWith('Established'));
}

function namespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith('clab-netgo-'));
}

function agentProcesses(): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n').filter((l) => /dist\/agents\/(top-talkers|capture|bgp-ping)\.js/.test(l));
}

suite('lab lifecycle (real embedded lab)', function () {
  this.timeout(120_000);
  let labDir: string;

  suiteSetup(async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'the extension-host tests run with a workspace folder');
    assert.deepEqual(namespaces(), [], 'a netgo lab is already up on this machine: "labtel lab down" it first');
    labDir = path.join(root, 'lab');
    // The welcome view's command: the book's lab copied from the extension into the workspace.
    const file = await vscode.commands.executeCommand<string>('labtel.lab.createNetgo');
    assert.equal(file, path.join(labDir, 'netgo.clab.yml'));
    assert.ok(existsSync(path.join(labDir, 'netgo', 'r3', 'pmacctd.conf')), 'the node configs came with it');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('labtel.lab.down', 'netgo', { confirm: false });
    rmSync(labDir, { recursive: true, force: true });
  });

  test('the Lab view lists netgo, not deployed, with its six nodes', async () => {
    const labtel = await api();
    const lab = await until('netgo in the Lab view', 10_000, async () => netgo(await labtel.tree()));
    assert.match(lab.description, /^not deployed/);
    assert.deepEqual(lab.children.map((n) => n.label).sort(), NODES);
    assert.equal(lab.contextValue, 'labtel.lab.down');
  });

  test('Deploy Lab fills the tree: six running nodes, the routers\' BGP sessions Established', async () => {
    const labtel = await api();
    const result = await vscode.commands.executeCommand<{ created: boolean; seconds: number }>('labtel.lab.up', 'netgo');
    assert.ok(result?.created, 'the command deployed the lab');
    // Deploy returned once every session between routers was Established; a session may still reset just
    // after (a collision of the two sides' connections, a hold timer on a loaded machine) and come back. The
    // tree shows what FRR says now, so read it again, as the Lab view's poll does, until it settles.
    let lab = netgo(await labtel.tree())!;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline && !routerSessionsEstablished(lab);) {
      await new Promise((r) => setTimeout(r, 1000));
      await vscode.commands.executeCommand('labtel.lab.refresh');
      lab = netgo(await labtel.tree())!;
    }
    assert.match(lab.description, /^running · netns/);
    assert.equal(lab.contextValue, 'labtel.lab.up');
    for (const node of lab.children) assert.match(node.description, /· running/, `${node.label}: ${node.description}`);
    const r2 = lab.children.find((n) => n.label === 'r2')!;
    assert.match(r2.description, /^linux · frr · running/);
    const sessions = r2.children.filter((c) => c.label.startsWith('BGP '));
    assert.deepEqual(sessions.map((s) => s.label).sort(), ['BGP host-2', 'BGP r1', 'BGP r3', 'BGP r3']);
    for (const s of sessions.filter((x) => x.label !== 'BGP host-2')) assert.match(s.description, /^Established · 192\.0\.2\.\d+ AS6500[02]/, s.description);
    assert.match(sessions.find((x) => x.label === 'BGP host-2')!.description, /waiting for a BGP agent/);
    const eth4 = r2.children.find((c) => c.label === 'eth4');
    assert.equal(eth4?.description, '203.0.113.3/31');
    const lo = r2.children.find((c) => c.label === 'lo');
    assert.equal(lo?.description, '198.51.100.1/32', 'a router\'s loopback address is shown');
    assert.deepEqual(namespaces().sort(), NODES.map((n) => `clab-netgo-${n}`).sort());
    assert.match(labtel.statusBarText(), /netgo/);
  });

  test('Start Agent puts top-talkers under host-2 and its ranking reaches the Top Talkers model', async () => {
    const labtel = await api();
    assert.equal(await vscode.commands.executeCommand('labtel.traffic.start', 'netgo', 'default'), 'default');
    const id = await vscode.commands.executeCommand<string>('labtel.agent.start', { lab: 'netgo', node: 'host-2', agent: 'top-talkers', args: ['--listen', '203.0.113.2:6343', '--interval', '1s'] });
    assert.equal(id, 'netgo/host-2/top-talkers');
    const host2 = netgo(await labtel.tree())!.children.find((n) => n.label === 'host-2')!;
    const agent = host2.children.find((c) => c.label === 'top-talkers');
    assert.ok(agent, `top-talkers under host-2: ${host2.children.map((c) => c.label).join(', ')}`);
    assert.match(agent.description, /^running · pid \d+/);
    assert.match(host2.description, /1 agent/);
    assert.equal(agentProcesses().length, 1, agentProcesses().join('\n'));
    assert.match(labtel.statusBarText(), /\$\(pulse\) 1/);
    // Its events reach the Top Talkers panel's model: the traffic profile's three flows ranked by their rates.
    const ranked = await until('the Top Talkers model ranking the three iperf3 flows', 45_000, () => {
      const model = labtel.panel('talkers') as { latest?: { rows: Array<{ a: string; b: string }> }; rankings: number };
      const hosts = model.latest?.rows.slice(0, 3).map((r) => [r.a, r.b].find((x) => x.startsWith('203.0.113.25'))?.split(':')[0]);
      return hosts?.join(' ') === '203.0.113.253 203.0.113.252 203.0.113.251' ? model : undefined;
    });
    assert.ok(ranked.rankings >= 1);
  });

  test('an agent that dies is started again, and the tree says so', async () => {
    const labtel = await api();
    const before = labtel.agents().find((a) => a.id === 'netgo/host-2/top-talkers');
    assert.ok(before?.pid, 'top-talkers runs');
    process.kill(before.pid, 'SIGKILL');
    const restarting = await until('the tree shows the restart', 5_000, async () => {
      const host2 = netgo(await labtel.tree())!.children.find((n) => n.label === 'host-2')!;
      return host2.children.find((c) => c.label === 'top-talkers' && /^restarting \(1\) after SIGKILL/.test(c.description));
    });
    assert.ok(restarting);
    const after = await until('top-talkers runs again with a new pid', 10_000, () => {
      const a = labtel.agents().find((x) => x.id === 'netgo/host-2/top-talkers');
      return a?.state === 'running' && a.pid !== before.pid ? a : undefined;
    });
    assert.deepEqual(after.args, before.args, 'with the same flags');
    assert.equal(agentProcesses().length, 1, agentProcesses().join('\n'));
  });

  test('Destroy Lab stops the agents and leaves no namespace and no agent process', async () => {
    const labtel = await api();
    assert.equal(await vscode.commands.executeCommand('labtel.lab.down', 'netgo', { confirm: false }), true);
    const lab = netgo(await labtel.tree())!;
    assert.match(lab.description, /^not deployed/);
    assert.equal(lab.contextValue, 'labtel.lab.down');
    for (const node of lab.children) {
      assert.equal(node.children.filter((c) => c.label.startsWith('BGP ') || ['top-talkers', 'capture', 'bgp-ping'].includes(c.label)).length, 0, `${node.label} still shows sessions or agents`);
      assert.ok(node.children.every((c) => c.description === ''), `${node.label} still shows addresses`);
    }
    assert.deepEqual(labtel.agents(), []);
    assert.deepEqual(namespaces(), []);
    assert.deepEqual(agentProcesses(), []);
  });

  test('Open Terminal in Node on a lab that is down says so instead of failing in ip netns', async () => {
    const before = vscode.window.terminals.length;
    const result = await vscode.commands.executeCommand('labtel.node.shell', 'netgo', 'host-1');
    assert.equal(result, undefined);
    assert.equal(vscode.window.terminals.length, before, 'no terminal was opened');
  });
});
