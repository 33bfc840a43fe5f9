import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';

// Files the suites open: written to a temp folder on the extension host's machine, so the suites
// need no particular workspace and run the same under code-server and @vscode/test-electron.
const folder = mkdtempSync(path.join(tmpdir(), 'labtel-host-suite-'));

/** Writes `text` to a file called `name` and opens it as VS Code would. */
export async function openFile(name: string, text: string): Promise<vscode.TextDocument> {
  const file = path.join(folder, name);
  writeFileSync(file, text);
  return vscode.workspace.openTextDocument(vscode.Uri.file(file));
}

/** The labtel extension as VS Code sees it, activated. */
export async function labtelExtension(): Promise<vscode.Extension<{ version: string; commands: readonly string[] }>> {
  const ext = vscode.extensions.getExtension<{ version: string; commands: readonly string[] }>('labtel.labtel');
  if (!ext) throw new Error('extension labtel.labtel is not installed in this extension host');
  await ext.activate();
  return ext;
}
