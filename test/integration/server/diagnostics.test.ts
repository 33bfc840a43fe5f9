// The pcap-filter language server's diagnostics, through LSP from a real client: for each mistake, the range
// the server marks and what it says was expected. libpcap is the oracle that each row is a mistake at all:
// `tcpdump -d` refuses every expression of the table (comments blanked as the server blanks them).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { expressionOfFilterFile } from '../../../src/bpf/filterFile';
import { repoRoot } from '../../helpers/corpus';
import { LanguageServerSession } from '../../helpers/languageServer';
import { tcpdumpCompile } from '../../helpers/tcpdump';
import { have } from '../../helpers/tools';

/** An Ethernet capture: what tcpdump -r takes the link type from. */
const capture = path.join(repoRoot, 'test', 'fixtures', 'bpf', 'varied.pcap');

type Span = [startLine: number, startCharacter: number, endLine: number, endCharacter: number];

// text, the range marked (0-based line and character, end exclusive), a fragment of the message.
const mistakes: Array<[text: string, range: Span, message: string]> = [
  ['host', [0, 4, 0, 4], "expected a host address after 'host', found the end of the expression"],
  ['host and tcp', [0, 5, 0, 8], "expected a host address after 'host', found 'and'"],
  ['tcp and', [0, 7, 0, 7], "expected a filter primitive after 'and'"],
  ['tcp or or udp', [0, 7, 0, 9], "expected a filter primitive after 'or', found 'or'"],
  ['(tcp', [0, 4, 0, 4], "expected ')' after 'tcp'"],
  ['tcp)', [0, 3, 0, 4], "expected 'and' or 'or' after 'tcp', found ')'"],
  ['tcp and 80', [0, 8, 0, 10], "'80' has no qualifier to take from the primitive before it"],
  ['port 80-90', [0, 5, 0, 10], "unknown port '80-90'"],
  ['port 99999', [0, 5, 0, 10], 'illegal port number 99999 > 65535'],
  ['tcp port http-alt-typo', [0, 9, 0, 22], "unknown port 'http-alt-typo'"],
  ['host 192.0.2.0/24', [0, 0, 0, 17], 'Mask syntax for networks only'],
  ['net 192.0.2.1/24', [0, 0, 0, 16], 'non-network bits set in "192.0.2.1/24"'],
  ['tcp AND udp', [0, 4, 0, 7], "expected 'and' or 'or' after 'tcp', found 'AND'"],
  ['TCP', [0, 0, 0, 3], "expected a filter primitive, found 'TCP'"],
  ['tcp & udp', [0, 4, 0, 5], "found '&'"],
  ['tcp | udp', [0, 4, 0, 5], "found '|'"],
  ['tcp and udp', [0, 0, 0, 11], 'expression rejects all packets'],
  ['vlan 5000', [0, 5, 0, 9], 'VLAN tag 5000 greater than maximum 4095'],
  ['host 300.1.2.3', [0, 5, 0, 14], "invalid IPv4 address '300.1.2.3'"],
  ['src host-2', [0, 4, 0, 10], "unknown host 'host-2'"],
  ['ether host 1.2.3.4', [0, 0, 0, 18], 'illegal link layer address'],
  ['ip6 host 192.0.2.1', [0, 0, 0, 18], "'ip6' modifier applied to ip host"],
  ['ip host 2001:db8::1', [0, 0, 0, 19], "'ip' modifier applied to ip6 host"],
  ['tcp[13] & 2 = 0 and ip6', [0, 0, 0, 23], 'expression rejects all packets'],
  ['tcp[1:3] = 0', [0, 6, 0, 7], 'data size must be 1, 2, or 4'],
  ['ip[0] & 0xf >', [0, 13, 0, 13], "after '>', found the end of the expression"],
  ['greater foo', [0, 8, 0, 11], "expected a number after 'greater', found 'foo'"],
  ['ip proto tcp', [0, 9, 0, 12], "expected a protocol number or name after 'proto', found 'tcp'"],
  ['ip proto foo', [0, 9, 0, 12], "unknown ip proto 'foo'"],
  ['net 2001:db8::1/32', [0, 0, 0, 18], 'non-network bits set in "2001:db8::1/32"'],
  ['host 2001:db8::/129', [0, 0, 0, 19], 'mask length must be <= 128'],
  ['src port 80 and dst', [0, 19, 0, 19], "expected 'host', 'net', 'port', 'portrange' or a host address after 'dst'"],
  ['ether proto foo', [0, 12, 0, 15], "unknown ether proto 'foo'"],
  ['tcp port 80 $', [0, 12, 0, 13], 'illegal token: $'],
  ['192.0.2.1', [0, 0, 0, 9], "expected a filter primitive, found '192.0.2.1'"],
  ['mpls 1048576', [0, 5, 0, 12], 'MPLS label 1048576 greater than maximum 1048575'],
  ['gateway 192.0.2.1', [0, 0, 0, 17], "'gateway' requires a name"],
  ['host 08', [0, 5, 0, 7], 'number 08 contains non-octal digit'],
  // Over several lines, with comments: the range is in the file's lines and columns.
  ['tcp port 80 and\nhost\nand udp', [2, 0, 2, 3], "expected a host address after 'host', found 'and'"],
  ['# BGP sessions\ntcp port bgp and # to come\n', [1, 16, 1, 16], "expected a filter primitive after 'and'"],
  ['udp port 6343 # sFlow\n  or (icmp and\n      icmp[icmptype] = icmp-echo', [2, 32, 2, 32], "expected ')' after 'icmp-echo'"],
];

describe('pcap-filter language server: diagnostics over LSP', () => {
  let server: LanguageServerSession;
  before(async () => {
    server = await LanguageServerSession.start();
  });
  after(() => server?.stop());

  test(`the table holds at least 30 mistakes (${mistakes.length})`, () => {
    assert.ok(mistakes.length >= 30);
  });

  mistakes.forEach(([text, range, message], i) => {
    test(`${JSON.stringify(text)} → ${range.join(':')} "${message}"`, async (t) => {
      if (have('tcpdump')) {
        const libpcap = tcpdumpCompile(capture, expressionOfFilterFile(text));
        assert.equal(libpcap.ok, false, `tcpdump -d accepts ${JSON.stringify(text)}: not a mistake`);
      } else if (process.env.CI === 'true') assert.fail('needs tcpdump, the oracle that each row is a mistake');
      else t.diagnostic('tcpdump missing: the rows are not cross-checked against libpcap');
      const diagnostics = await server.diagnose(`file:///mistakes/${i}.pcapfilter`, text);
      const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
      assert.equal(errors.length, 1, JSON.stringify(diagnostics));
      const d = errors[0]!;
      assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], range);
      assert.ok(d.message.includes(message), `message "${d.message}" lacks "${message}"`);
      assert.equal(d.source, 'pcap-filter');
    });
  });

  test('a filter libpcap accepts gets no error, and the error goes once the text is fixed', async () => {
    const uri = 'file:///fixed.pcapfilter';
    assert.equal((await server.diagnose(uri, 'host and tcp')).length, 1);
    assert.deepEqual(await server.diagnose(uri, 'host 192.0.2.1 and tcp'), []);
  });

  test("C's operators get hints, not errors, each marked where it is", async () => {
    const text = 'tcp&&!udp || icmp';
    const diagnostics = await server.diagnose('file:///c-operators.pcapfilter', text);
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.code, text.slice(d.range.start.character, d.range.end.character)]), [
      [DiagnosticSeverity.Hint, 'c-operator', '&&'],
      [DiagnosticSeverity.Hint, 'c-operator', '!'],
      [DiagnosticSeverity.Hint, 'c-operator', '||'],
    ]);
    if (have('tcpdump')) assert.ok(tcpdumpCompile(capture, text).ok, 'libpcap accepts C operators');
  });
});
