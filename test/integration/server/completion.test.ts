// Completion from the pcap-filter language server, through LSP: what is offered depends on the words before the
// cursor. The oracles: the lab's addresses come from the book's topology (lab/netgo.clab.yml, read by src/lab),
// services and IP protocols agree with the system's /etc/services and /etc/protocols (getent), and every
// keyword offered at the start of a filter is one libpcap compiles on its own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { hostAddresses, routerAddresses } from '../../../src/lab/bgpStatus';
import { loadTopology } from '../../../src/lab/topology';
import type { LabAddress } from '../../../src/shared/pcapFilterLanguage';
import { repoRoot } from '../../helpers/corpus';
import { LanguageServerSession } from '../../helpers/languageServer';
import { tcpdumpCompile } from '../../helpers/tcpdump';
import { requirePrereqs } from '../../helpers/tools';

const capture = path.join(repoRoot, 'test', 'fixtures', 'bpf', 'varied.pcap');

function netgoAddresses(): LabAddress[] {
  const topology = loadTopology(path.join(repoRoot, 'lab', 'netgo.clab.yml'));
  return [...hostAddresses(topology), ...routerAddresses(topology)].map(([address, node]) => ({ address, node, lab: topology.name }));
}

function getent(database: string, key: string): string {
  const r = spawnSync('getent', [database, key], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

// text before the cursor (the cursor at its end), labels that must be offered, labels that must not be.
const contexts: Array<[text: string, offered: string[], notOffered: string[]]> = [
  ['', ['tcp', 'udp', 'ip6', 'host', 'src', 'port', 'vlan', 'not'], ['203.0.113.2', 'and', 'or', 'fisu', 'radio', 'inbound']],
  ['host ', ['203.0.113.2', '203.0.113.254'], ['tcp', 'and']],
  ['src ', ['203.0.113.0', 'host', 'net', 'port'], ['tcp']],
  ['tcp port ', ['bgp', 'http', 'domain'], ['tcp', '203.0.113.2']],
  ['ip proto ', ['tcp', 'ospf', 'gre'], ['host']],
  ['tcp[tcpflags] & ', ['tcp-syn', 'tcp-ack', 'icmp-echo'], ['host']],
  ['ip ', ['src', 'dst', 'host', 'net', 'proto', 'broadcast', 'multicast'], ['203.0.113.2', 'vlan']],
  ['tcp port 80 ', ['and', 'or'], ['host', 'tcp']],
  ['tcp port 80 and ', ['tcp', 'host', 'not'], ['and']],
  ['udp and (', ['udp', 'host', 'not'], []],
  ['# a comment\nudp and h', ['host', 'tcp'], []],
];

describe('pcap-filter language server: completion over LSP', () => {
  let server: LanguageServerSession;
  const lab = netgoAddresses();
  before(async () => {
    server = await LanguageServerSession.start(lab);
  });
  after(() => server?.stop());

  contexts.forEach(([text, offered, notOffered], i) => {
    test(`after ${JSON.stringify(text)}: offers ${offered.join(', ')}${notOffered.length ? `; not ${notOffered.join(', ')}` : ''}`, async () => {
      const uri = `file:///completion/${i}.pcapfilter`;
      await server.diagnose(uri, text);
      const lines = text.split('\n');
      const items = await server.complete(uri, { line: lines.length - 1, character: lines.at(-1)!.length });
      const labels = new Set(items.map((c) => c.label));
      for (const l of offered) assert.ok(labels.has(l), `${l} not offered: ${[...labels].slice(0, 40).join(' ')}`);
      for (const l of notOffered) assert.ok(!labels.has(l), `${l} offered`);
    });
  });

  test("the lab's addresses name their node", async () => {
    const uri = 'file:///completion/nodes.pcapfilter';
    await server.diagnose(uri, 'dst host ');
    const items = await server.complete(uri, { line: 0, character: 9 });
    for (const { address, node } of lab) {
      const item = items.find((c) => c.label === address);
      assert.ok(item, `${address} not offered`);
      assert.ok(item.detail?.startsWith(node), `${address}: ${item.detail}`);
    }
    assert.ok(lab.length >= 9, `netgo gives ${lab.length} addresses`);
  });

  test('addresses follow the lab: a notification replaces them', async () => {
    const uri = 'file:///completion/replaced.pcapfilter';
    await server.diagnose(uri, 'host ');
    await server.setLabAddresses([{ address: '2001:db8::7', node: 'v6-host', lab: 'v6' }]);
    const labels = (await server.complete(uri, { line: 0, character: 5 })).map((c) => c.label);
    assert.deepEqual(labels, ['2001:db8::7']);
    await server.setLabAddresses(lab);
  });

  test('service names carry the ports /etc/services gives them', async (t) => {
    if (!requirePrereqs(t, { tools: ['getent'] })) return;
    const uri = 'file:///completion/services.pcapfilter';
    await server.diagnose(uri, 'port ');
    const items = await server.complete(uri, { line: 0, character: 5 });
    for (const name of ['bgp', 'domain', 'http', 'snmp', 'ntp', 'ssh']) {
      const item = items.find((c) => c.label === name);
      assert.ok(item, `${name} not offered`);
      for (const proto of ['tcp', 'udp']) {
        const port = /\s(\d+)\//.exec(getent('services', `${name}/${proto}`))?.[1];
        if (port) assert.ok(item.detail?.includes(`${proto} ${port}`), `${name}: "${item.detail}" lacks ${proto} ${port}`);
        else assert.ok(!item.detail?.includes(`${proto} `), `${name}: "${item.detail}" names ${proto}, /etc/services does not`);
      }
    }
  });

  test("IP protocol names carry /etc/protocols' numbers; keywords are inserted with a backslash, which libpcap compiles", async (t) => {
    if (!requirePrereqs(t, { tools: ['getent', 'tcpdump'] })) return;
    const uri = 'file:///completion/protocols.pcapfilter';
    await server.diagnose(uri, 'ip proto ');
    const items = await server.complete(uri, { line: 0, character: 9 });
    for (const name of ['tcp', 'udp', 'ospf', 'gre', 'icmp', 'sctp']) {
      const item = items.find((c) => c.label === name);
      assert.ok(item, `${name} not offered`);
      const number = getent('protocols', name).split(/\s+/)[1];
      assert.equal(item.detail, `IP protocol ${number}`);
      const inserted = item.insertText ?? item.label;
      const r = tcpdumpCompile(capture, `ip proto ${inserted}`);
      assert.ok(r.ok, `tcpdump -d 'ip proto ${inserted}': ${r.error}`);
    }
  });

  test('every protocol and primitive offered at the start compiles with libpcap where it stands alone', async (t) => {
    if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
    const uri = 'file:///completion/start.pcapfilter';
    await server.diagnose(uri, '');
    const items = await server.complete(uri, { line: 0, character: 0 });
    // Words that need a value after them (host, port, less …) are checked with one.
    const example: Record<string, string> = {
      src: 'src 192.0.2.1', dst: 'dst 192.0.2.1', host: 'host 192.0.2.1', net: 'net 192.0.2.0/24', port: 'port 53', portrange: 'portrange 1-2',
      gateway: '', proto: 'ip proto 6', protochain: 'ip6 protochain 6', less: 'less 60', greater: 'greater 60', len: 'len > 60',
      byte: 'byte 9 = 6', broadcast: 'ether broadcast', multicast: 'ether multicast', not: 'not tcp',
    };
    for (const link of ['ether', 'link', 'ppp', 'slip', 'fddi', 'tr', 'wlan']) example[link] = `${link} host aa:bb:cc:dd:ee:01`;
    const refused: string[] = [];
    for (const item of items) {
      const text = example[item.label] ?? item.label;
      if (text === '') continue; // gateway needs a host name to resolve
      if (!tcpdumpCompile(capture, text).ok) refused.push(text);
    }
    assert.deepEqual(refused, []);
    assert.ok(items.length > 50, `${items.length} items`);
  });
});
