import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFile } from './documents';

// The extension API has no access to TextMate scopes, and `_workbench.captureSyntaxTokens` (which
// VS Code's colorize tests use) is compiled only into VS Code's own test builds, not into 1.100.3's
// web workbench. `_workbench.colorizeTextMateTokens` is: it makes the workbench's TextMate service
// resolve the language's grammar and tokenize every line, and throws when no grammar is found.
// The scopes themselves are checked through the editor's DOM by test/e2e/pcap-filter.test.ts.
suite('grammars load in the workbench', () => {
  const samples: Array<[file: string, text: string]> = [
    ['grammar.pcapfilter', 'ip and udp and (src host 192.0.2.1 or dst net 198.51.100.0/24) and port 6343\ntcp[tcpflags] & tcp-syn != 0\n'],
    ['grammar.bpfasm', '(000) ldh      [12]\n(001) jeq      #0x800           jt 2\tjf 5\n(002) ret      #262144\n'],
  ];
  for (const [file, text] of samples) {
    test(`the TextMate tokenizer for ${file.slice(file.indexOf('.'))} resolves and tokenizes`, async () => {
      const doc = await openFile(file, text);
      const result = await vscode.commands.executeCommand<{ tokenizeTime: number }>('_workbench.colorizeTextMateTokens', doc.uri);
      assert.equal(typeof result?.tokenizeTime, 'number');
    });
  }

  test('an unregistered language has no tokenizer (the check above can fail)', async () => {
    const doc = await openFile('grammar.txt', 'udp port 6343\n');
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('_workbench.colorizeTextMateTokens', doc.uri)),
      /Cannot resolve tokenizer/);
  });
});
