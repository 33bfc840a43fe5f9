import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LabtelApi, TreeSnapshot } from '../../../src/extension/api';
import { startSshLabHost, type SshLabHost } from '../../helpers/sshLabHost';

// A lab host in the Lab view, in a real VS Code: Debian's sshd in a namespace of the test's own stands for
// the host (test/helpers/sshLabHost.ts: its own keys, known_hosts and ssh_config, never ~/.ssh), named in
// labtel.labHosts as a user names one. Deploy, traffic, an agent and destroy run there over SSH only; what
// is checked is the view's items, the Top Talkers model, and what is left in the host's namespaces.
async function api(): Promise<LabtelApi> {
  const ext = vscode.extensions.getExtension<LabtelApi>('labtel.labtel');
  assert.ok(ext, 'labtel is installed');
  return ext.activate();
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const child = (items: readonly TreeSnapshot[], label: string) => items.find((i) => i.label === label);

suite('lab hosts in the Lab view (a real sshd as the host)', function () {
  this.timeout(180_000);
  let host: SshLabHost;
  let labDir: string;

  suiteSetup(async function () {
    this.timeout(120_000);
    host = await startSshLabHost('labhost');
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    labDir = path.join(root, 'lab');
    if (!existsSync(path.join(labDir, 'netgo.clab.yml'))) await vscode.commands.executeCommand('labtel.lab.createNetgo');
    process.env.LABTEL_SSH_CONTROL_DIR = host.controlDir;
    const hosts = JSON.parse(readFileSync(host.hostsFile, 'utf8')) as Array<{ name: string }>;
    await vscode.workspace.getConfiguration('labtel').update('labHosts', hosts.filter((h) => h.name === 'labhost'), vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    await vscode.commands.executeCommand('labtel.lab.down', 'netgo@labhost', { confirm: false });
    await vscode.workspace.getConfiguration('labtel').update('labHosts', undefined, vscode.ConfigurationTarget.Global);
    await host?.stop();
    rmSync(labDir, { recursive: true, force: true });
  });

  test('the Lab view lists this machine first, then labhost, ready, with netgo not deployed there', async () => {
    const labtel = await api();
    const tree = await until('labhost checked and its lab inspected', 90_000, async () => {
      const t = await labtel.tree();
      const lab = child(child(t, 'labhost')?.children ?? [], 'netgo');
      return child(t, 'labhost')?.description.startsWith('ready') && lab?.description.startsWith('not deployed') ? t : undefined;
    });
    assert.deepEqual(tree.map((h) => h.label), ['local', 'labhost']);
    assert.match(tree[0]!.description, /^this machine/);
    assert.match(tree[1]!.description, /^ready · root/);
  });

  test('Deploy Lab on labhost fills its nodes; this machine\'s netgo stays down', async () => {
    const labtel = await api();
    const result = await vscode.commands.executeCommand<{ created: boolean }>('labtel.lab.up', 'netgo@labhost');
    assert.ok(result?.created, 'deployed on labhost');
    const tree = await labtel.tree();
    const remote = child(child(tree, 'labhost')!.children, 'netgo')!;
    assert.match(remote.description, /^running · netns/);
    assert.deepEqual(remote.children.map((n) => n.label).sort(), ['host-1', 'host-2', 'host-3', 'r1', 'r2', 'r3']);
    for (const n of remote.children) assert.match(n.description, /· running/, `${n.label}: ${n.description}`);
    assert.match(child(child(tree, 'local')!.children, 'netgo')!.description, /^not deployed/);
    assert.equal(host.inHost(['ls', '/run/netns']).split('\n').filter((n) => n.startsWith('clab-netgo-')).length, 6);
  });

  test('top-talkers in host-2 of labhost: the Top Talkers model ranks .253 > .252 > .251 and names the host', async () => {
    const labtel = await api();
    assert.equal(await vscode.commands.executeCommand('labtel.traffic.start', 'netgo@labhost', 'default'), 'default');
    const id = await vscode.commands.executeCommand<string>('labtel.agent.start', { lab: 'netgo', labHost: 'labhost', node: 'host-2', agent: 'top-talkers', args: ['--listen', '203.0.113.2:6343', '--interval', '1s'] });
    assert.equal(id, 'labhost:netgo/host-2/top-talkers');
    const agent = labtel.agents().find((a) => a.id === id);
    assert.equal(agent?.state, 'running');
    await until('the ranking from labhost', 60_000, () => {
      const model = labtel.panel('talkers') as { latest?: { rows: Array<{ a: string; b: string }> } };
      const hosts = model.latest?.rows.slice(0, 3).map((r) => [r.a, r.b].find((x) => x.startsWith('203.0.113.25'))?.split(':')[0]);
      return hosts?.join(' ') === '203.0.113.253 203.0.113.252 203.0.113.251' ? hosts : undefined;
    });
    assert.match(labtel.statusBarText(), /netgo@labhost/);
  });

  test('Destroy Lab on labhost leaves no namespace there and no agent', async () => {
    const labtel = await api();
    assert.equal(await vscode.commands.executeCommand('labtel.lab.down', 'netgo@labhost', { confirm: false }), true);
    assert.deepEqual(host.inHost(['ls', '/run/netns']).split('\n').filter((n) => n.startsWith('clab-netgo-')), []);
    assert.deepEqual(labtel.agents(), []);
    const remote = child(child(await labtel.tree(), 'labhost')!.children, 'netgo')!;
    assert.match(remote.description, /^not deployed/);
  });
});
