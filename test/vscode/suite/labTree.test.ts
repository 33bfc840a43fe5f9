import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { labtelExtension } from './documents';

interface LabsApi { labs(): Promise<Array<{ file: string; name?: string; error?: string; nodes: string[] }>> }

// The Lab view lists the workspace's containerlab topologies: a good file with its nodes, a bad one
// with the error that names its line.
suite('lab view', () => {
  let dir: string;

  suiteSetup(() => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'the extension-host tests run with a workspace folder');
    dir = path.join(root, 'labs-under-test');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'pair.clab.yml'), [
      'name: pair', 'topology:', '  nodes:', '    a: { kind: linux }', '    b: { kind: linux }', '  links:', '    - endpoints: ["a:eth1", "b:eth1"]', '',
    ].join('\n'));
    writeFileSync(path.join(dir, 'broken.clab.yml'), [
      'name: broken', 'topology:', '  nodes:', '    a: { kind: linux }', '  links:', '    - endpoints: ["a:eth1", "ghost:eth1"]', '',
    ].join('\n'));
  });

  suiteTeardown(() => rmSync(dir, { recursive: true, force: true }));

  test('lists each topology file with its nodes, and a broken one with its error and line', async () => {
    const ext = await labtelExtension();
    await vscode.commands.executeCommand('labtel.lab.refresh');
    const labs = await (ext.exports as unknown as LabsApi).labs();
    const pair = labs.find((l) => l.file.endsWith('pair.clab.yml'));
    const broken = labs.find((l) => l.file.endsWith('broken.clab.yml'));
    assert.deepEqual(pair && { name: pair.name, nodes: pair.nodes, error: pair.error }, { name: 'pair', nodes: ['a', 'b'], error: undefined });
    assert.ok(broken?.error, 'the broken topology carries its error');
    assert.match(broken.error, /broken\.clab\.yml:6:\d+/);
    assert.match(broken.error, /ghost/);
  });

  test('the lab commands are registered', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ['labtel.lab.refresh', 'labtel.lab.up', 'labtel.lab.down', 'labtel.node.shell']) assert.ok(registered.has(id), id);
  });
});
