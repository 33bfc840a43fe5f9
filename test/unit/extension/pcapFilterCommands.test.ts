// The pcap-filter feature's side of package.json and its vscode-free parts: the commands are declared where
// the filter editor shows them, the languages are the ids the client and server use, activation needs no
// onLanguage event (implied by the contributed language), and what the commands produce — the compiled listing,
// the copied forms, the labs' addresses — against tcpdump and the book's topology.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compile } from '../../../src/bpf';
import { loadTopology } from '../../../src/lab/topology';
import { compiledListing } from '../../../src/extension/bpf/compiledListing';
import { COPY_FORMATS } from '../../../src/extension/bpf/copyFormats';
import { labAddresses } from '../../../src/extension/bpf/labAddresses';
import type { LabInfo } from '../../../src/lab/backend';
import { BPF_ASM_LANGUAGE_ID, PCAP_FILTER_LANGUAGE_ID } from '../../../src/shared/pcapFilterLanguage';
import { repoRoot } from '../../helpers/corpus';
import { tcpdumpCompile } from '../../helpers/tcpdump';
import { requirePrereqs } from '../../helpers/tools';

interface Menu { command: string; when?: string; group?: string }
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: {
    commands: Array<{ command: string; title: string; category: string }>;
    languages: Array<{ id: string; extensions: string[] }>;
    menus: Record<string, Menu[]>;
    configurationDefaults: Record<string, Record<string, unknown>>;
  };
};
const capture = path.join(repoRoot, 'test', 'fixtures', 'bpf', 'varied.pcap');
const menu = (name: string, command: string): Menu | undefined => manifest.contributes.menus[name]?.find((m) => m.command === command);

const commands: Array<[id: string, title: string]> = [
  ['labtel.bpf.showCompiled', 'Show Compiled BPF'],
  ['labtel.bpf.copyAs', 'Copy BPF As…'],
  ['labtel.bpf.testCapture', 'Test Filter Against Capture'],
];

for (const [id, title] of commands) {
  test(`package.json: ${id} is "labtel: ${title}" and in the pcap-filter editor's context menu`, () => {
    const c = manifest.contributes.commands.find((x) => x.command === id);
    assert.deepEqual(c && { title: c.title, category: c.category }, { title, category: 'labtel' });
    assert.equal(menu('editor/context', id)?.when, `resourceLangId == ${PCAP_FILTER_LANGUAGE_ID}`);
  });
}

test('package.json: Show Compiled BPF is on the filter editor\'s title bar; the palette offers the filter commands only in a filter editor', () => {
  assert.equal(menu('editor/title', 'labtel.bpf.showCompiled')?.when, `resourceLangId == ${PCAP_FILTER_LANGUAGE_ID}`);
  assert.equal(menu('commandPalette', 'labtel.bpf.showCompiled')?.when, `editorLangId == ${PCAP_FILTER_LANGUAGE_ID}`);
  assert.equal(menu('commandPalette', 'labtel.bpf.copyAs')?.when, `editorLangId == ${PCAP_FILTER_LANGUAGE_ID}`);
  // Testing a filter can start anywhere: it asks for the expression.
  assert.equal(menu('commandPalette', 'labtel.bpf.testCapture'), undefined);
  assert.match(menu('explorer/context', 'labtel.bpf.testCapture')?.when ?? '', /pcap\|pcapng\|cap/);
});

test('package.json: the languages are the ids client and server use; no redundant onLanguage activation', () => {
  const ids = manifest.contributes.languages.map((l) => l.id);
  assert.ok(ids.includes(PCAP_FILTER_LANGUAGE_ID) && ids.includes(BPF_ASM_LANGUAGE_ID), ids.join());
  assert.ok(manifest.contributes.languages.find((l) => l.id === PCAP_FILTER_LANGUAGE_ID)!.extensions.includes('.pcapfilter'));
  // VS Code 1.74+ activates on a contributed language by itself; listing it again is a manifest warning.
  assert.deepEqual(manifest.activationEvents.filter((e) => e.startsWith('onLanguage:')), []);
});

test("package.json: a listing's '#262144' is a number, not a colour: no colour decorators in BPF assembly or filters", () => {
  for (const id of [BPF_ASM_LANGUAGE_ID, PCAP_FILTER_LANGUAGE_ID]) {
    assert.equal(manifest.contributes.configurationDefaults[`[${id}]`]?.['editor.colorDecorators'], false, id);
  }
});

test("Show Compiled BPF's listing of the book's 'ip and udp' (with a comment) is tcpdump -d's", (t) => {
  if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
  const libpcap = tcpdumpCompile(capture, 'ip and udp');
  assert.ok(libpcap.ok, libpcap.error);
  assert.equal(compiledListing('# the book, chapter 10\nip and udp\n'), libpcap.stdout);
});

test("Show Compiled BPF's listing of a mistake is one bpf-asm comment naming line and column", () => {
  assert.equal(compiledListing('# first line\nhost and tcp'), "; does not compile: 2:6: expected a host address after 'host', found 'and'\n");
});

const libpcapForms: Record<string, string> = { c: '-dd', decimal: '-ddd', listing: '-d' };
for (const format of COPY_FORMATS) {
  const flag = libpcapForms[format.id];
  test(`Copy BPF As ${format.label}: ${flag ? `what tcpdump ${flag} prints for 'ip and udp'` : 'names every instruction of ip and udp'}`, (t) => {
    const program = compile('ip and udp');
    const text = format.render(program);
    if (flag) {
      if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
      assert.equal(text, tcpdumpCompile(capture, 'ip and udp', [flag]).stdout);
    } else {
      // Go and TypeScript: one element a line, each instruction once (their exact text is export.ts's tests').
      assert.equal(text.split('\n').filter((l) => /^\s+(bpf\.|\{ code)/.test(l)).length, program.length);
    }
  });
}

test("the labs' addresses: netgo's hosts and routers from the topology, a deployed lab's interfaces, no loopback", () => {
  const topology = loadTopology(path.join(repoRoot, 'lab', 'netgo.clab.yml'));
  const fromFile = labAddresses([{ topology, info: undefined }]);
  const owner = (a: string) => fromFile.find((x) => x.address === a)?.node;
  assert.equal(owner('203.0.113.2'), 'host-2');
  assert.equal(owner('203.0.113.251'), 'host-3');
  assert.equal(owner('203.0.113.1'), 'r1');
  assert.ok(fromFile.every((a) => a.lab === 'netgo'));

  const info = {
    lab: 'netgo', backend: 'netns', deployed: true, stateDir: undefined,
    nodes: [{
      name: 'host-1', kind: 'linux', state: 'running', namespace: 'clab-netgo-host-1', namespacePath: '', processes: [], roles: [],
      interfaces: [{ name: 'lo', up: true, addresses: ['127.0.0.1/8', '::1/128'] }, { name: 'eth1', up: true, addresses: ['203.0.113.0/31', '2001:db8:1::1/64'] }],
    }],
  } as unknown as LabInfo;
  const deployed = labAddresses([{ topology, info }]);
  assert.deepEqual(deployed.filter((a) => a.node === 'host-1').map((a) => [a.address, a.interface]), [['203.0.113.0', 'eth1'], ['2001:db8:1::1', 'eth1']]);
  assert.ok(!deployed.some((a) => a.address.startsWith('127.') || a.address === '::1'));
});
