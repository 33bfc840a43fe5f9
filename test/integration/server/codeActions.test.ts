// Quick fixes from the pcap-filter language server, through LSP: for each common mistake the fix offered, and
// the text once it is applied. libpcap is the oracle: `tcpdump -d` refuses the mistake (where it is an error)
// and accepts the fixed text; on an IPv6-only lab, the fixed `ip6 and …` accepts the same IPv6 frames as the
// original (`tcpdump -r`): the same packets, where IPv6 is all there is.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { LabAddress } from '../../../src/shared/pcapFilterLanguage';
import { repoRoot } from '../../helpers/corpus';
import { applyAction, LanguageServerSession } from '../../helpers/languageServer';
import { readPackets, tcpdumpAccepts, tcpdumpCompile } from '../../helpers/tcpdump';
import { requirePrereqs } from '../../helpers/tools';

const capture = path.join(repoRoot, 'test', 'fixtures', 'bpf', 'varied.pcap');

const ipv4Lab: LabAddress[] = [
  { address: '203.0.113.2', node: 'host-2', lab: 'netgo' },
  { address: '203.0.113.0', node: 'host-1', lab: 'netgo' },
];
const ipv6Lab: LabAddress[] = [
  { address: '2001:db8::1', node: 'h1', lab: 'v6' },
  { address: '2001:db8::2', node: 'h2', lab: 'v6' },
  { address: 'fe80::1', node: 'h1', lab: 'v6' },
];

// text, the lab open, the diagnostic's code, the fix's title (a fragment), the text after the fix.
const fixes: Array<[text: string, lab: 'ipv4' | 'ipv6', code: string, title: string, fixed: string]> = [
  ['tcp and 80', 'ipv4', 'syntax', "Write 'port 80'", 'tcp and port 80'],
  ['udp or 192.0.2.1', 'ipv4', 'syntax', "Write 'host 192.0.2.1'", 'udp or host 192.0.2.1'],
  ['port 6000-6010', 'ipv4', 'compile', "Use 'portrange 6000-6010'", 'portrange 6000-6010'],
  ['host 192.0.2.0/24', 'ipv4', 'compile', 'Match the network 192.0.2.0/24', 'net 192.0.2.0/24'],
  ['net 192.0.2.1/24', 'ipv4', 'compile', 'Match the network 192.0.2.0/24', 'net 192.0.2.0/24'],
  ['host 192.0.2.1/24', 'ipv4', 'compile', 'Match the host 192.0.2.1 alone', 'host 192.0.2.1'],
  ['dst net 10.1.2.3 mask 255.255.0.0', 'ipv4', 'compile', 'Match the network 10.1.0.0 mask 255.255.0.0', 'dst net 10.1.0.0 mask 255.255.0.0'],
  ['src 2001:db8::1/32', 'ipv4', 'compile', 'Match the network 2001:db8::/32', 'src net 2001:db8::/32'],
  ['tcp OR udp', 'ipv4', 'syntax', "Write 'or' in lower case", 'tcp or udp'],
  ['IP6 AND TCP', 'ipv4', 'syntax', 'Write every keyword in lower case', 'ip6 and tcp'],
  ['tcp | udp', 'ipv4', 'syntax', "Replace '|' with 'or'", 'tcp or udp'],
  ['ip & tcp', 'ipv4', 'syntax', "Replace '&' with 'and'", 'ip and tcp'],
  ['tcp and udp', 'ipv4', 'compile', "Replace 'and' with 'or'", 'tcp or udp'],
  ['host host-2 and port 5201', 'ipv4', 'compile', "Use host-2's address 203.0.113.2", 'host 203.0.113.2 and port 5201'],
  ['tcp&&!udp', 'ipv4', 'c-operator', 'Write every C-style operator as a word', 'tcp and not udp'],
  ['tcp port 80 || udp', 'ipv4', 'c-operator', "Replace '||' with 'or'", 'tcp port 80 or udp'],
  ['icmp', 'ipv6', 'ipv4-on-ipv6-lab', "Replace 'icmp' with 'icmp6'", 'icmp6'],
  ['ip and udp', 'ipv6', 'ipv4-on-ipv6-lab', "Replace 'ip' with 'ip6'", 'ip6 and udp'],
  ['port 179', 'ipv6', 'port-on-ipv6-lab', "Restrict to IPv6: 'ip6 and port 179'", 'ip6 and port 179'],
  ['not tcp port 80', 'ipv6', 'port-on-ipv6-lab', "Restrict to IPv6: 'ip6 and tcp port 80'", 'not (ip6 and tcp port 80)'],
  ['udp dst portrange 50-60 or icmp6', 'ipv6', 'port-on-ipv6-lab', 'Restrict to IPv6', '(ip6 and udp dst portrange 50-60) or icmp6'],
];

describe('pcap-filter language server: quick fixes over LSP', () => {
  let server: LanguageServerSession;
  const packets = readPackets(capture);
  before(async () => {
    server = await LanguageServerSession.start(ipv4Lab);
  });
  after(() => server?.stop());

  fixes.forEach(([text, lab, code, title, fixed], i) => {
    test(`${JSON.stringify(text)} (${lab} lab): "${title}" → ${JSON.stringify(fixed)}`, async (t) => {
      if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
      await server.setLabAddresses(lab === 'ipv4' ? ipv4Lab : ipv6Lab);
      const uri = `file:///fixes/${i}.pcapfilter`;
      const diagnostics: Diagnostic[] = await server.diagnose(uri, text);
      const d = diagnostics.find((x) => x.code === code);
      assert.ok(d, `no ${code} diagnostic in ${JSON.stringify(diagnostics)}`);
      const actions = await server.codeActions(uri, d.range, [d]);
      const action = actions.find((a) => a.title.includes(title));
      assert.ok(action, `no "${title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.equal(action.kind, 'quickfix');
      assert.equal(applyAction(text, action, uri), fixed);

      const before = tcpdumpCompile(capture, text);
      if (code === 'syntax' || code === 'compile') assert.equal(before.ok, false, 'tcpdump -d accepts the mistake');
      const after = tcpdumpCompile(capture, fixed);
      assert.ok(after.ok, `tcpdump -d refuses the fixed text: ${after.error}`);
      assert.deepEqual((await server.diagnose(uri, fixed)).filter((x) => x.code === code && x.severity! <= 2), [], 'the fixed text still has the mistake');
      if (code === 'port-on-ipv6-lab') {
        const ipv6Frames = new Set(tcpdumpAccepts(capture, 'ip6', packets));
        assert.ok(ipv6Frames.size > 0);
        const ipv6Only = (frames: number[]) => frames.filter((n) => ipv6Frames.has(n));
        assert.deepEqual(ipv6Only(tcpdumpAccepts(capture, fixed, packets)), ipv6Only(tcpdumpAccepts(capture, text, packets)));
      }
    });
  });

  test('a lab with IPv4 addresses raises no IPv6-lab findings; the same text on an IPv6-only lab does', async () => {
    const uri = 'file:///fixes/lab-change.pcapfilter';
    await server.setLabAddresses(ipv4Lab);
    assert.deepEqual(await server.diagnose(uri, 'icmp or port 179'), []);
    const before = server.publishedCount;
    await server.setLabAddresses(ipv6Lab);
    // The notification alone makes the server judge the open document again.
    const p = await server.nextDiagnostics(uri, (x) => x.diagnostics.length > 0, before);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['ipv4-on-ipv6-lab', 'port-on-ipv6-lab']);
  });

  test('a port already restricted to IPv6 by an enclosing and raises nothing', async () => {
    await server.setLabAddresses(ipv6Lab);
    for (const [i, text] of ['ip6 and port 179', 'ip6 and udp and port 53', '(icmp6 or ip6) and tcp port 80', 'port 80 and ip6 host 2001:db8::1'].entries()) {
      assert.deepEqual(await server.diagnose(`file:///fixes/restricted-${i}.pcapfilter`, text), [], text);
    }
  });

  test('a fix that would not repair the mistake is not offered: no lab node is called foo', async () => {
    const uri = 'file:///fixes/unknown-host.pcapfilter';
    await server.setLabAddresses(ipv4Lab);
    const [d] = await server.diagnose(uri, 'host foo');
    assert.ok(d);
    assert.deepEqual(await server.codeActions(uri, d.range, [d]), []);
  });
});
