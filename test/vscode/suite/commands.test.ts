import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { labtelExtension } from './documents';

suite('commands', () => {
  test('labtel.showVersion returns the package version', async () => {
    const ext = await labtelExtension();
    const version = await vscode.commands.executeCommand<string>('labtel.showVersion');
    assert.equal(version, (ext.packageJSON as { version: string }).version);
  });

  test('every command in package.json is registered', async () => {
    const ext = await labtelExtension();
    const declared = ((ext.packageJSON as { contributes?: { commands?: Array<{ command: string }> } }).contributes?.commands ?? []).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((c) => !registered.has(c)), []);
  });
});
