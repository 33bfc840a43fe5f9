import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFile } from './documents';

suite('contributed languages', () => {
  test('pcap-filter and bpf-asm are registered', async () => {
    const ids = await vscode.languages.getLanguages();
    for (const id of ['pcap-filter', 'bpf-asm']) assert.ok(ids.includes(id), `${id} missing from ${ids.length} languages`);
  });

  const byExtension: Array<[file: string, text: string, languageId: string]> = [
    ['sample.pcapfilter', 'udp and dst port 6343\n', 'pcap-filter'],
    ['sample.bpf', 'tcp port 179\n', 'pcap-filter'],
    ['sample.bpfasm', '(000) ldh      [12]\n(001) ret      #262144\n', 'bpf-asm'],
  ];
  for (const [file, text, languageId] of byExtension) {
    test(`a ${extensionGlob(file)} document gets languageId ${languageId}`, async () => {
      const doc = await openFile(file, text);
      assert.equal(doc.languageId, languageId);
    });
  }
});

function extensionGlob(file: string): string {
  return `*${file.slice(file.lastIndexOf('.'))}`;
}
