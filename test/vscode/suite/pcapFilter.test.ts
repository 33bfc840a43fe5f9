import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { readPackets, tcpdumpAccepts } from '../../helpers/tcpdump';
import { labtelExtension, openFile } from './documents';

// The pcap-filter language client and commands inside the real extension host: the server's diagnostics,
// hover, completion and quick fixes as VS Code's own provider commands see them, and the filter commands'
// results beside tcpdump's (Debian's libpcap, the oracle).

const WAIT_MS = 20_000;

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} within ${WAIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function tcpdump(capture: string, flags: string[], expression: string): string {
  const r = spawnSync('tcpdump', ['-r', capture, ...flags, '--', expression], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tcpdump ${flags.join(' ')} '${expression}': ${r.stderr}`);
  return r.stdout;
}

const haveTcpdump = spawnSync('sh', ['-c', 'command -v tcpdump'], { stdio: 'ignore' }).status === 0;

suite('pcap-filter language', () => {
  let capture: string;
  suiteSetup(async function () {
    if (!haveTcpdump) {
      if (process.env.CI === 'true') throw new Error('the pcap-filter suite needs tcpdump, its oracle');
      this.skip();
    }
    capture = path.join((await labtelExtension()).extensionPath, 'test', 'fixtures', 'bpf', 'varied.pcap');
  });

  test("the server's diagnostic reaches VS Code with its range and message", async () => {
    const doc = await openFile('diagnostic.pcapfilter', 'host and tcp\n');
    await vscode.window.showTextDocument(doc);
    const [d] = await until('no diagnostic for host and tcp', () => {
      const ds = vscode.languages.getDiagnostics(doc.uri);
      return ds.length ? ds : undefined;
    });
    assert.equal(d!.message, "expected a host address after 'host', found 'and'");
    assert.deepEqual([d!.range.start.line, d!.range.start.character, d!.range.end.line, d!.range.end.character], [0, 5, 0, 8]);
    assert.equal(d!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d!.source, 'pcap-filter');
  });

  test('hover, completion and a quick fix through VS Code\'s provider commands', async () => {
    const doc = await openFile('features.pcapfilter', 'ip & udp\n');
    await vscode.window.showTextDocument(doc);
    const diagnostic = await until('no diagnostic for ip & udp', () => vscode.languages.getDiagnostics(doc.uri)[0]);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diagnostic.range);
    const fix = actions.find((a) => a.title === "Replace '&' with 'and'");
    assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.getText(), 'ip and udp\n');
    await until('the diagnostic stays after the fix', () => (vscode.languages.getDiagnostics(doc.uri).length === 0 ? true : undefined));

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 8));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.ok(text.includes(tcpdump(capture, ['-d'], 'udp')), text);

    // At the end of `udp` the word is being written: what may stand there, not what may follow it.
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 10));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('udp') && labels.includes('host') && !labels.includes('or'), labels.slice(0, 30).join(' '));
  });

  test('Show Compiled BPF opens the listing tcpdump -d prints, and follows the filter as it is edited', async () => {
    const doc = await openFile('book.pcapfilter', '# the book\nip and udp\n');
    await vscode.window.showTextDocument(doc);
    const shown = await vscode.commands.executeCommand<string>('labtel.bpf.showCompiled');
    assert.equal(shown, tcpdump(capture, ['-d'], 'ip and udp'));
    const listing = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'labtel-bpf' && d.uri.query === doc.uri.toString());
    assert.ok(listing, 'no listing document');
    assert.equal(listing.languageId, 'bpf-asm');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(1, 0, 1, 10), 'icmp6');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const want = tcpdump(capture, ['-d'], 'icmp6');
    await until(`the listing did not become icmp6's:\n${want}`, () => (listing.getText() === want ? true : undefined));
    assert.notEqual(listing.getText(), shown, 'the listing did not follow the edit');
  });

  test('Copy BPF As: the C and decimal forms are tcpdump -dd and -ddd', async () => {
    const doc = await openFile('copy.pcapfilter', 'ip and udp\n');
    await vscode.window.showTextDocument(doc);
    for (const [format, flag] of [['c', '-dd'], ['decimal', '-ddd']] as const) {
      const copied = await vscode.commands.executeCommand<string>('labtel.bpf.copyAs', format);
      assert.equal(copied, tcpdump(capture, [flag], 'ip and udp'));
    }
  });

  test('Test Filter Against Capture reports the frames tcpdump -r accepts', async () => {
    const expression = 'udp port 53 or icmp6';
    const result = await vscode.commands.executeCommand<{ packets: number; matches: number[] }>('labtel.bpf.testCapture', vscode.Uri.file(capture), expression);
    const packets = readPackets(capture);
    const want = tcpdumpAccepts(capture, expression, packets).map((i) => i + 1);
    assert.ok(want.length > 0);
    assert.deepEqual(result.matches, want);
    assert.equal(result.packets, packets.length);
  });

  test("a launch configuration's bad --filter is marked in launch.json", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'labtel-launch-'));
    mkdirSync(path.join(dir, '.vscode'));
    const file = path.join(dir, '.vscode', 'launch.json');
    const text = '{\n  "configurations": [\n    { "type": "labtel", "request": "launch", "name": "c", "agent": "capture", "node": "r3", "args": ["--filter", "udp port 6343 and host"] },\n  ],\n}\n';
    writeFileSync(file, text);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const [d] = await until('no diagnostic in launch.json', () => vscode.languages.getDiagnostics(doc.uri)[0] && vscode.languages.getDiagnostics(doc.uri));
    assert.equal(d!.message, "pcap-filter: expected a host address after 'host', found the end of the expression");
    assert.equal(doc.getText(new vscode.Range(d!.range.start.translate(0, -4), d!.range.start)), 'host');
  });
});
