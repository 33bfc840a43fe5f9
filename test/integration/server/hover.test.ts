// The hover over a primitive, through LSP: what the primitive is on its own (inherited qualifiers spelled out),
// a sentence saying what it accepts, and its program as `tcpdump -d` prints programs. libpcap is the oracle
// (Debian's tcpdump, the link type from an Ethernet capture): the listing shown, read back and run by labtel's
// interpreter, accepts exactly the frames of a varied capture that `tcpdump -r FILE PRIMITIVE` accepts; and where
// labtel's compiler lays the program out as libpcap's optimiser does (rows marked 'libpcap'), the listing is
// `tcpdump -d PRIMITIVE` byte for byte.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseDecimal } from '../../../src/bpf/export';
import { accepts } from '../../../src/bpf/interpreter';
import { parseListing } from '../../helpers/bpfListing';
import { repoRoot } from '../../helpers/corpus';
import { LanguageServerSession } from '../../helpers/languageServer';
import { readPackets, tcpdumpAccepts, tcpdumpCompile } from '../../helpers/tcpdump';
import { requirePrereqs } from '../../helpers/tools';

const capture = path.join(repoRoot, 'test', 'fixtures', 'bpf', 'varied.pcap');

// text, the word hovered (its first occurrence, or the nth), the primitive on its own, a fragment of the sentence,
// and 'libpcap' where the listing is tcpdump -d's own, or 'same verdicts' where only the packets it accepts are.
const hovers: Array<[text: string, at: string | [string, number], primitive: string, explains: string, listing: 'libpcap' | 'same verdicts']> = [
  ['ip and udp', 'udp', 'udp', 'UDP datagrams', 'libpcap'],
  ['ip and udp', 'ip', 'ip', 'IPv4 packets', 'libpcap'],
  ['vlan 100 and ip6', 'ip6', 'ip6', 'moves the offsets', 'libpcap'],
  ['vlan 100 and ip6', 'vlan', 'vlan 100', '802.1Q', 'libpcap'],
  ['ether multicast', 'multicast', 'ether multicast', 'group bit', 'libpcap'],
  ['not icmp6', 'icmp6', 'icmp6', 'neighbour discovery', 'libpcap'],
  ['ip6 src host 2001:db8::1', 'host', 'ip6 src host 2001:db8::1', 'source address is `2001:db8::1`', 'libpcap'],
  ['arp or rarp', ['arp', 1], 'rarp', 'Reverse ARP', 'libpcap'],
  ['ether host aa:bb:cc:dd:ee:02 and greater 1000', 'greater', 'greater 1000', 'at least N bytes', 'libpcap'],
  ['ether host aa:bb:cc:dd:ee:02', 'host', 'ether host aa:bb:cc:dd:ee:02', 'address is `aa:bb:cc:dd:ee:02`', 'libpcap'],
  ['ip proto 47', 'proto', 'ip proto 47', 'protocol field is `47`', 'libpcap'],
  ['host 192.0.2.1 and 192.0.2.2', '192.0.2.2', 'host 192.0.2.2', 'come from the primitive before it', 'same verdicts'],
  ['tcp port 179 or udp port 53', 'udp', 'udp port 53', 'port is `53`', 'same verdicts'],
  ['src net 192.0.2.0/24 and tcp', 'net', 'src net 192.0.2.0/24', 'source address is in the network `192.0.2.0/24`', 'same verdicts'],
  ['tcp[tcpflags] & tcp-syn != 0', 'tcp-syn', 'tcp[tcpflags] & tcp-syn != 0', 'TCP flags', 'same verdicts'],
  ['port 80 or (53 or 123)', '123', 'port 123', 'come from the primitive before it', 'same verdicts'],
  ['less 100', 'less', 'less 100', 'at most N bytes', 'same verdicts'],
  ['tcp dst portrange 79-81', '79', 'tcp dst portrange 79-81', 'destination port is in `79-81`', 'same verdicts'],
];

function positionOf(text: string, at: string | [string, number]): { line: number; character: number } {
  const [word, nth] = typeof at === 'string' ? [at, 0] : at;
  let i = -1;
  for (let n = 0; n <= nth; n++) i = text.indexOf(word, i + 1);
  assert.ok(i >= 0, `${word} not in ${text}`);
  return { line: 0, character: i };
}

describe('pcap-filter language server: hover over LSP', () => {
  let server: LanguageServerSession;
  const packets = readPackets(capture);
  before(async () => {
    server = await LanguageServerSession.start();
  });
  after(() => server?.stop());

  hovers.forEach(([text, at, primitive, explains, kind], i) => {
    test(`hover over ${JSON.stringify(at)} in ${JSON.stringify(text)} shows '${primitive}' and a listing ${kind === 'libpcap' ? "equal to tcpdump -d's" : 'with tcpdump -r\'s verdicts'}`, async (t) => {
      if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
      const uri = `file:///hover/${i}.pcapfilter`;
      assert.deepEqual(await server.diagnose(uri, text), []);
      const h = await server.hover(uri, positionOf(text, at));
      assert.ok(h, 'no hover');
      const value = typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
      assert.ok(value.startsWith(`**\`${primitive}\`**`), value);
      assert.ok(value.includes(explains), `"${explains}" not in:\n${value}`);
      // The hover's range is the primitive's, as written in the text.
      assert.ok(h.range && h.range.start.character <= positionOf(text, at).character && positionOf(text, at).character < h.range.end.character);

      const listing = /```bpf-asm\n([\s\S]*?)```/.exec(value)?.[1];
      assert.ok(listing, `no listing in:\n${value}`);
      const libpcap = tcpdumpCompile(capture, primitive, ['-d']);
      assert.ok(libpcap.ok, libpcap.error);
      // The listing reader agrees with libpcap's own decimal form of the same program.
      assert.deepEqual(parseListing(libpcap.stdout), parseDecimal(tcpdumpCompile(capture, primitive, ['-ddd']).stdout));
      if (kind === 'libpcap') assert.equal(listing, libpcap.stdout);
      const program = parseListing(listing);
      const frames = packets.flatMap((p, n) => (accepts(program, p.data, p.originalLength) ? [n] : []));
      const want = tcpdumpAccepts(capture, primitive, packets);
      assert.ok(want.length > 0, `no frame of ${path.basename(capture)} matches '${primitive}': the row tests nothing`);
      assert.deepEqual(frames, want, 'frames the listing accepts vs tcpdump -r');
    });
  });

  test('hover over an operator says how it binds, without a program', async () => {
    const uri = 'file:///hover/operator.pcapfilter';
    const text = 'tcp or udp and not icmp';
    await server.diagnose(uri, text);
    for (const [word, says] of [['or', 'same precedence'], ['not', 'binds tighter']] as const) {
      const h = await server.hover(uri, positionOf(text, word));
      const value = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
      assert.ok(value.includes(says), value);
      assert.ok(!value.includes('```'), value);
    }
  });

  test('while the text does not parse, a keyword still explains itself', async () => {
    const uri = 'file:///hover/broken.pcapfilter';
    const text = 'vlan and host';
    await server.diagnose(uri, text);
    const h = await server.hover(uri, positionOf(text, 'vlan'));
    const value = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
    assert.ok(value.includes('802.1Q'), value);
  });
});
