import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFile } from './documents';

function insertedText(item: vscode.CompletionItem): string {
  const t = item.insertText;
  return typeof t === 'string' ? t : t?.value ?? '';
}

function label(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

suite('pcap-filter snippets', () => {
  // Prefix → text the snippet body must produce (its first line, placeholders resolved to defaults).
  const expected: Array<[prefix: string, body: RegExp]> = [
    ['sflow', /^udp port \$?\{?\d*:?6343\}?/],
    ['bgp', /^tcp port \$?\{?\d*:?179\}?/],
  ];
  for (const [prefix, body] of expected) {
    test(`completion at "${prefix}" offers the ${prefix} snippet`, async () => {
      const doc = await openFile(`snippet-${prefix}.pcapfilter`, `${prefix}`);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, prefix.length));
      const snippets = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet);
      const item = snippets.find((i) => label(i) === prefix);
      assert.ok(item, `no snippet "${prefix}" among ${snippets.map(label).join(', ') || 'no snippets'}`);
      assert.match(insertedText(item), body);
    });
  }
});
