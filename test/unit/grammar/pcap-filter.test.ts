// The pcap-filter grammar, tokenized as VS Code does (vscode-textmate + vscode-oniguruma), against a table of
// lines and the scope of every token, one group per primitive family of pcap-filter(7), invalid input included;
// then every keyword of libpcap's lexer one by one, and the corpus's 48 accepted expressions.
import { describe as suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpusPath, corpusSkip } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';
import { describe, innermost, tokenize, type Token } from './textmate';
import { KEYWORDS, SCOPE as S, compileWithTcpdump, lexPcapFilter } from './pcapFilterReference';

const GRAMMAR = 'source.pcap-filter';

type Expected = Array<[text: string, scope: string]>;

/** The tokens that carry text, as [text, innermost scope]; whitespace-only tokens are left out. */
async function scoped(line: string): Promise<Expected> {
  return (await tokenize(GRAMMAR, line))
    .filter((t) => t.text.trim() !== '')
    .map((t) => [t.text.trim(), innermost(t)]);
}

const INVALID = (what: string) => `invalid.illegal.${what}.pcap-filter`;

const families: Array<[family: string, rows: Array<[line: string, expected: Expected]>]> = [
  ['type qualifiers host/net/port/portrange, mask, gateway', [
    ['host 192.0.2.1', [['host', S.primitive], ['192.0.2.1', S.ipv4]]],
    ['net 10.1', [['net', S.primitive], ['10.1', S.ipv4]]],
    ['net 192.0.2.0 mask 255.255.255.0', [['net', S.primitive], ['192.0.2.0', S.ipv4], ['mask', S.primitive], ['255.255.255.0', S.ipv4]]],
    ['port 6343', [['port', S.primitive], ['6343', S.decimal]]],
    ['port domain', [['port', S.primitive], ['domain', S.plain]]],
    ['portrange 6000-6008', [['portrange', S.primitive], ['6000', S.decimal], ['-', S.range], ['6008', S.decimal]]],
    ['gateway snup', [['gateway', S.primitive], ['snup', S.host]]],
    ['host helios and (hot or ace)', [['host', S.primitive], ['helios', S.host], ['and', S.logical], ['(', S.parenOpen],
      ['hot', S.plain], ['or', S.logical], ['ace', S.plain], [')', S.parenClose]]],
    ['host foo-bar.example.net', [['host', S.primitive], ['foo-bar.example.net', S.host]]],
  ]],
  ['direction qualifiers', [
    ['src host 192.0.2.1', [['src', S.direction], ['host', S.primitive], ['192.0.2.1', S.ipv4]]],
    ['dst net 198.51.100.0/24', [['dst', S.direction], ['net', S.primitive], ['198.51.100.0', S.ipv4], ['/', S.cidr], ['24', S.decimal]]],
    ['src or dst port ftp-data', [['src', S.direction], ['or', S.logical], ['dst', S.direction], ['port', S.primitive], ['ftp-data', S.plain]]],
    ['src and dst net 203.0.113.0/24', [['src', S.direction], ['and', S.logical], ['dst', S.direction], ['net', S.primitive],
      ['203.0.113.0', S.ipv4], ['/', S.cidr], ['24', S.decimal]]],
    ['wlan ra 00:11:22:33:44:55 or wlan ta 0:2:3:4:5:6', [['wlan', S.protocol], ['ra', S.direction], ['00:11:22:33:44:55', S.mac],
      ['or', S.logical], ['wlan', S.protocol], ['ta', S.direction], ['0:2:3:4:5:6', S.mac]]],
    ['wlan addr1 00:11:22:33:44:55 or wlan addr4 0:2:3:4:5:6 or wlan address2 02-00-00-00-00-01', [['wlan', S.protocol],
      ['addr1', S.direction], ['00:11:22:33:44:55', S.mac], ['or', S.logical], ['wlan', S.protocol], ['addr4', S.direction],
      ['0:2:3:4:5:6', S.mac], ['or', S.logical], ['wlan', S.protocol], ['address2', S.direction], ['02-00-00-00-00-01', S.mac]]],
    ['inbound or outbound', [['inbound', S.direction], ['or', S.logical], ['outbound', S.direction]]],
  ]],
  ['protocol qualifiers and abbreviations', [
    ['ether src aa:bb:cc:dd:ee:ff', [['ether', S.protocol], ['src', S.direction], ['aa:bb:cc:dd:ee:ff', S.mac]]],
    ['fddi or tr or wlan or ip or ip6 or arp or rarp or decnet', [['fddi', S.protocol], ['or', S.logical], ['tr', S.protocol], ['or', S.logical],
      ['wlan', S.protocol], ['or', S.logical], ['ip', S.protocol], ['or', S.logical], ['ip6', S.protocol], ['or', S.logical],
      ['arp', S.protocol], ['or', S.logical], ['rarp', S.protocol], ['or', S.logical], ['decnet', S.protocol]]],
    ['sctp or tcp or udp or icmp or icmp6 or igmp or igrp or pim or ah or esp or vrrp', [['sctp', S.protocol], ['or', S.logical],
      ['tcp', S.protocol], ['or', S.logical], ['udp', S.protocol], ['or', S.logical], ['icmp', S.protocol], ['or', S.logical],
      ['icmp6', S.protocol], ['or', S.logical], ['igmp', S.protocol], ['or', S.logical], ['igrp', S.protocol], ['or', S.logical],
      ['pim', S.protocol], ['or', S.logical], ['ah', S.protocol], ['or', S.logical], ['esp', S.protocol], ['or', S.logical], ['vrrp', S.protocol]]],
    ['iso proto \\clnp or esis or is-is or stp or ipx or netbeui or lat or moprc or mopdl', [['iso', S.protocol], ['proto', S.primitive],
      ['\\', S.escape], ['clnp', S.escapedName], ['or', S.logical], ['esis', S.protocol], ['or', S.logical], ['is-is', S.protocol],
      ['or', S.logical], ['stp', S.protocol], ['or', S.logical], ['ipx', S.protocol], ['or', S.logical], ['netbeui', S.protocol],
      ['or', S.logical], ['lat', S.protocol], ['or', S.logical], ['moprc', S.protocol], ['or', S.logical], ['mopdl', S.protocol]]],
    ['ip proto \\tcp', [['ip', S.protocol], ['proto', S.primitive], ['\\', S.escape], ['tcp', S.escapedName]]],
    ['ether proto 0x88cc', [['ether', S.protocol], ['proto', S.primitive], ['0x88cc', S.hex]]],
    ['ip6 protochain 6', [['ip6', S.protocol], ['protochain', S.primitive], ['6', S.decimal]]],
    ['l1 or l2 or iih or lsp or snp or csnp or psnp', [['l1', S.protocol], ['or', S.logical], ['l2', S.protocol], ['or', S.logical],
      ['iih', S.protocol], ['or', S.logical], ['lsp', S.protocol], ['or', S.logical], ['snp', S.protocol], ['or', S.logical],
      ['csnp', S.protocol], ['or', S.logical], ['psnp', S.protocol]]],
  ]],
  ['encapsulations: vlan, mpls, pppoed, pppoes, geneve, llc', [
    ['vlan', [['vlan', S.protocol]]],
    ['vlan 100 && vlan 200', [['vlan', S.protocol], ['100', S.decimal], ['&&', S.logical], ['vlan', S.protocol], ['200', S.decimal]]],
    ['mpls 100000 && mpls 1024 && host 192.9.200.1', [['mpls', S.protocol], ['100000', S.decimal], ['&&', S.logical], ['mpls', S.protocol],
      ['1024', S.decimal], ['&&', S.logical], ['host', S.primitive], ['192.9.200.1', S.ipv4]]],
    ['pppoed or pppoes 0x27 && ip', [['pppoed', S.protocol], ['or', S.logical], ['pppoes', S.protocol], ['0x27', S.hex], ['&&', S.logical], ['ip', S.protocol]]],
    ['geneve 0xb && ip', [['geneve', S.protocol], ['0xb', S.hex], ['&&', S.logical], ['ip', S.protocol]]],
    ['llc or llc ui or llc rnr', [['llc', S.protocol], ['or', S.logical], ['llc', S.protocol], ['ui', S.constant], ['or', S.logical],
      ['llc', S.protocol], ['rnr', S.constant]]],
  ]],
  ['pf, 802.11, ATM and MTP2 primitives', [
    ['ifname eth0 or on eth1', [['ifname', S.primitive], ['eth0', S.plain], ['or', S.logical], ['on', S.primitive], ['eth1', S.plain]]],
    ['rnr 3 or rulenum 4 or srnr 5 or subrulenum 6', [['rnr', S.primitive], ['3', S.decimal], ['or', S.logical], ['rulenum', S.primitive],
      ['4', S.decimal], ['or', S.logical], ['srnr', S.primitive], ['5', S.decimal], ['or', S.logical], ['subrulenum', S.primitive], ['6', S.decimal]]],
    ['reason bad-offset or action block or ruleset main', [['reason', S.primitive], ['bad-offset', S.constant], ['or', S.logical],
      ['action', S.primitive], ['block', S.constant], ['or', S.logical], ['ruleset', S.primitive], ['main', S.plain]]],
    ['type mgt subtype beacon or dir tods', [['type', S.primitive], ['mgt', S.constant], ['subtype', S.primitive], ['beacon', S.constant],
      ['or', S.logical], ['dir', S.primitive], ['tods', S.constant]]],
    ['vpi 0 and vci 5 or oamf4sc or metaconnect', [['vpi', S.primitive], ['0', S.decimal], ['and', S.logical], ['vci', S.primitive],
      ['5', S.decimal], ['or', S.logical], ['oamf4sc', S.primitive], ['or', S.logical], ['metaconnect', S.primitive]]],
    ['fisu or sio 3 or hdpc 7', [['fisu', S.primitive], ['or', S.logical], ['sio', S.primitive], ['3', S.decimal], ['or', S.logical],
      ['hdpc', S.primitive], ['7', S.decimal]]],
  ]],
  ['length and cast primitives: less, greater, len, broadcast, multicast', [
    ['less 64 or greater 1500', [['less', S.primitive], ['64', S.decimal], ['or', S.logical], ['greater', S.primitive], ['1500', S.decimal]]],
    ['len <= 100 and length >= 20', [['len', S.primitive], ['<=', S.comparison], ['100', S.decimal], ['and', S.logical], ['length', S.primitive],
      ['>=', S.comparison], ['20', S.decimal]]],
    ['ether broadcast or ip multicast or ip6 multicast', [['ether', S.protocol], ['broadcast', S.primitive], ['or', S.logical],
      ['ip', S.protocol], ['multicast', S.primitive], ['or', S.logical], ['ip6', S.protocol], ['multicast', S.primitive]]],
  ]],
  ['byte-offset expressions proto[expr:size]', [
    ['ip[0] & 0xf != 5', [['ip', S.protocol], ['[', S.bracketOpen], ['0', S.decimal], [']', S.bracketClose], ['&', S.bitwise], ['0xf', S.hex],
      ['!=', S.comparison], ['5', S.decimal]]],
    ['ip[6:2] & 0x1fff = 0', [['ip', S.protocol], ['[', S.bracketOpen], ['6', S.decimal], [':', S.size], ['2', S.decimal], [']', S.bracketClose],
      ['&', S.bitwise], ['0x1fff', S.hex], ['=', S.comparison], ['0', S.decimal]]],
    ['udp[8 : 4] == 5', [['udp', S.protocol], ['[', S.bracketOpen], ['8', S.decimal], [':', S.size], ['4', S.decimal], [']', S.bracketClose],
      ['==', S.comparison], ['5', S.decimal]]],
    ['tcp[((tcp[12]&0xf0)>>2):4] = 0x47455420', [['tcp', S.protocol], ['[', S.bracketOpen], ['(', S.parenOpen], ['(', S.parenOpen],
      ['tcp', S.protocol], ['[', S.bracketOpen], ['12', S.decimal], [']', S.bracketClose], ['&', S.bitwise], ['0xf0', S.hex], [')', S.parenClose],
      ['>>', S.bitwise], ['2', S.decimal], [')', S.parenClose], [':', S.size], ['4', S.decimal], [']', S.bracketClose], ['=', S.comparison],
      ['0x47455420', S.hex]]],
    ['ether[0] & 1 != 0 and link[12:2] = 0x800', [['ether', S.protocol], ['[', S.bracketOpen], ['0', S.decimal], [']', S.bracketClose],
      ['&', S.bitwise], ['1', S.decimal], ['!=', S.comparison], ['0', S.decimal], ['and', S.logical], ['link', S.protocol], ['[', S.bracketOpen],
      ['12', S.decimal], [':', S.size], ['2', S.decimal], [']', S.bracketClose], ['=', S.comparison], ['0x800', S.hex]]],
  ]],
  ['named constants', [
    ['tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn', [['tcp', S.protocol], ['[', S.bracketOpen], ['tcpflags', S.constant], [']', S.bracketClose],
      ['&', S.bitwise], ['(', S.parenOpen], ['tcp-syn', S.constant], ['|', S.bitwise], ['tcp-ack', S.constant], [')', S.parenClose],
      ['==', S.comparison], ['tcp-syn', S.constant]]],
    ['tcp[tcpflags] & (tcp-fin|tcp-rst|tcp-push|tcp-urg|tcp-ece|tcp-cwr) != 0', [['tcp', S.protocol], ['[', S.bracketOpen],
      ['tcpflags', S.constant], [']', S.bracketClose], ['&', S.bitwise], ['(', S.parenOpen], ['tcp-fin', S.constant], ['|', S.bitwise],
      ['tcp-rst', S.constant], ['|', S.bitwise], ['tcp-push', S.constant], ['|', S.bitwise], ['tcp-urg', S.constant], ['|', S.bitwise],
      ['tcp-ece', S.constant], ['|', S.bitwise], ['tcp-cwr', S.constant], [')', S.parenClose], ['!=', S.comparison], ['0', S.decimal]]],
    ['icmp[icmptype] != icmp-echo and icmp[icmpcode] = 0 or icmp[0] = icmp-unreach', [['icmp', S.protocol], ['[', S.bracketOpen],
      ['icmptype', S.constant], [']', S.bracketClose], ['!=', S.comparison], ['icmp-echo', S.constant], ['and', S.logical], ['icmp', S.protocol],
      ['[', S.bracketOpen], ['icmpcode', S.constant], [']', S.bracketClose], ['=', S.comparison], ['0', S.decimal], ['or', S.logical],
      ['icmp', S.protocol], ['[', S.bracketOpen], ['0', S.decimal], [']', S.bracketClose], ['=', S.comparison], ['icmp-unreach', S.constant]]],
    ['icmp6[icmp6type] == icmp6-echoreply or icmp6[icmp6code] == 0', [['icmp6', S.protocol], ['[', S.bracketOpen], ['icmp6type', S.constant],
      [']', S.bracketClose], ['==', S.comparison], ['icmp6-echoreply', S.constant], ['or', S.logical], ['icmp6', S.protocol], ['[', S.bracketOpen],
      ['icmp6code', S.constant], [']', S.bracketClose], ['==', S.comparison], ['0', S.decimal]]],
  ]],
  ['arithmetic, bitwise, comparison and logical operators', [
    ['len - 14 + 2 * 3 / 1 % 7 > 0', [['len', S.primitive], ['-', S.arithmetic], ['14', S.decimal], ['+', S.arithmetic], ['2', S.decimal],
      ['*', S.arithmetic], ['3', S.decimal], ['/', S.arithmetic], ['1', S.decimal], ['%', S.arithmetic], ['7', S.decimal], ['>', S.comparison], ['0', S.decimal]]],
    ['ip[0] & 1 | 2 ^ 3 << 1 >> 1 < 9', [['ip', S.protocol], ['[', S.bracketOpen], ['0', S.decimal], [']', S.bracketClose], ['&', S.bitwise],
      ['1', S.decimal], ['|', S.bitwise], ['2', S.decimal], ['^', S.bitwise], ['3', S.decimal], ['<<', S.bitwise], ['1', S.decimal], ['>>', S.bitwise],
      ['1', S.decimal], ['<', S.comparison], ['9', S.decimal]]],
    ['!tcp && !udp || not (arp or rarp)', [['!', S.logical], ['tcp', S.protocol], ['&&', S.logical], ['!', S.logical], ['udp', S.protocol],
      ['||', S.logical], ['not', S.logical], ['(', S.parenOpen], ['arp', S.protocol], ['or', S.logical], ['rarp', S.protocol], [')', S.parenClose]]],
  ]],
  ['numbers: decimal, hex, octal', [
    ['ip[9] == 17 or ip[9] == 0x11 or ip[9] == 021', [['ip', S.protocol], ['[', S.bracketOpen], ['9', S.decimal], [']', S.bracketClose],
      ['==', S.comparison], ['17', S.decimal], ['or', S.logical], ['ip', S.protocol], ['[', S.bracketOpen], ['9', S.decimal], [']', S.bracketClose],
      ['==', S.comparison], ['0x11', S.hex], ['or', S.logical], ['ip', S.protocol], ['[', S.bracketOpen], ['9', S.decimal], [']', S.bracketClose],
      ['==', S.comparison], ['021', S.octal]]],
    ['len > 4294967295 or len < 0XFFFFFFFF', [['len', S.primitive], ['>', S.comparison], ['4294967295', S.decimal], ['or', S.logical],
      ['len', S.primitive], ['<', S.comparison], ['0XFFFFFFFF', S.hex]]],
  ]],
  ['addresses: IPv4 (partial), IPv6, MAC, CIDR', [
    ['net 10 or net 172.16 or net 192.168.1 or host 192.0.2.1', [['net', S.primitive], ['10', S.decimal], ['or', S.logical], ['net', S.primitive],
      ['172.16', S.ipv4], ['or', S.logical], ['net', S.primitive], ['192.168.1', S.ipv4], ['or', S.logical], ['host', S.primitive], ['192.0.2.1', S.ipv4]]],
    ['host 2001:db8::11 or host fe80::1 or host ::1 or host ::', [['host', S.primitive], ['2001:db8::11', S.ipv6], ['or', S.logical],
      ['host', S.primitive], ['fe80::1', S.ipv6], ['or', S.logical], ['host', S.primitive], ['::1', S.ipv6], ['or', S.logical], ['host', S.primitive], ['::', S.ipv6]]],
    ['host 2001:db8:0:0:0:0:0:1 or host ::ffff:192.0.2.1', [['host', S.primitive], ['2001:db8:0:0:0:0:0:1', S.ipv6], ['or', S.logical],
      ['host', S.primitive], ['::ffff:192.0.2.1', S.ipv6]]],
    ['net 2001:db8::/32 or net 192.0.2.0/24', [['net', S.primitive], ['2001:db8::', S.ipv6], ['/', S.cidr], ['32', S.decimal], ['or', S.logical],
      ['net', S.primitive], ['192.0.2.0', S.ipv4], ['/', S.cidr], ['24', S.decimal]]],
    ['ether host 02-00-00-00-00-01 or ether host 0200.0000.0001 or ether host 02.00.00.00.00.01 or ether host 020000000001', [
      ['ether', S.protocol], ['host', S.primitive], ['02-00-00-00-00-01', S.mac], ['or', S.logical],
      ['ether', S.protocol], ['host', S.primitive], ['0200.0000.0001', S.mac], ['or', S.logical],
      ['ether', S.protocol], ['host', S.primitive], ['02.00.00.00.00.01', S.mac], ['or', S.logical],
      ['ether', S.protocol], ['host', S.primitive], ['020000000001', S.mac]]],
    ['ether host deadbeefcafe', [['ether', S.protocol], ['host', S.primitive], ['deadbeefcafe', S.mac]]],
  ]],
  ['comments (# to the end of the line, this project\'s .pcapfilter convention)', [
    ['udp port 6343 # sFlow', [['udp', S.protocol], ['port', S.primitive], ['6343', S.decimal], ['#', S.commentStart], ['sFlow', S.comment]]],
    ['# tcp and udp', [['#', S.commentStart], ['tcp and udp', S.comment]]],
  ]],
  ['unknown words are plain, never keywords', [
    ['hosts', [['hosts', S.plain]]],
    ['tcpx or udpport or myhost', [['tcpx', S.plain], ['or', S.logical], ['udpport', S.plain], ['or', S.logical], ['myhost', S.plain]]],
    ['ip-foo or tcp_syn or tcp-synack or ip6.arpa or src2', [['ip-foo', S.plain], ['or', S.logical], ['tcp_syn', S.plain], ['or', S.logical],
      ['tcp-synack', S.plain], ['or', S.logical], ['ip6.arpa', S.plain], ['or', S.logical], ['src2', S.plain]]],
    ['len-1 > 4', [['len-1', S.plain], ['>', S.comparison], ['4', S.decimal]]],
    ['Host TCP', [['Host', S.plain], ['TCP', S.plain]]],
    ['host and', [['host', S.primitive], ['and', S.logical]]],
  ]],
  ['invalid input libpcap refuses', [
    ['host 300.1.2.3', [['host', S.primitive], ['300.1.2.3', INVALID('address')]]],
    ['net 203.0.113.0/33', [['net', S.primitive], ['203.0.113.0', S.ipv4], ['/', S.cidr], ['33', INVALID('prefix-length')]]],
    ['net 2001:db8::/129', [['net', S.primitive], ['2001:db8::', S.ipv6], ['/', S.cidr], ['129', INVALID('prefix-length')]]],
    ['port 99999', [['port', S.primitive], ['99999', INVALID('port')]]],
    ['vlan 5000', [['vlan', S.protocol], ['5000', INVALID('vlan-id')]]],
    ['mpls 1048576', [['mpls', S.protocol], ['1048576', INVALID('mpls-label')]]],
    ['ip[0:3] > 1', [['ip', S.protocol], ['[', S.bracketOpen], ['0', S.decimal], [':', S.size], ['3', INVALID('size')], [']', S.bracketClose],
      ['>', S.comparison], ['1', S.decimal]]],
    ['len > 08', [['len', S.primitive], ['>', S.comparison], ['08', INVALID('octal')]]],
    ['len > 4294967296', [['len', S.primitive], ['>', S.comparison], ['4294967296', INVALID('overflow')]]],
    ['ether host aa:bb:cc', [['ether', S.protocol], ['host', S.primitive], ['aa:bb:cc', INVALID('address')]]],
    ['tcp ] , ;', [['tcp', S.protocol], [']', 'invalid.illegal.pcap-filter'], [',', 'invalid.illegal.pcap-filter'], [';', 'invalid.illegal.pcap-filter']]],
  ]],
];

suite('pcap-filter grammar: table of lines and scopes', () => {
  for (const [family, rows] of families) {
    test(`scopes every token of the ${family}`, async () => {
      for (const [line, expected] of rows) {
        assert.deepEqual(await scoped(line), expected, `line: ${line}\n${describe(await tokenize(GRAMMAR, line))}`);
      }
    });
  }

  // libpcap is the judge of the table: a line the grammar marks invalid, or made of unknown words, must be
  // refused; every other line must compile (with its link type where the primitive needs one), except the
  // few listed here that name hosts this machine cannot resolve or use link-layer words on their own.
  const linktypeFor: Record<string, string> = {
    'wlan ra 00:11:22:33:44:55 or wlan ta 0:2:3:4:5:6': 'IEEE802_11',
    'wlan addr1 00:11:22:33:44:55 or wlan addr4 0:2:3:4:5:6 or wlan address2 02-00-00-00-00-01': 'IEEE802_11',
    'type mgt subtype beacon or dir tods': 'IEEE802_11',
    'ifname eth0 or on eth1': 'PFLOG',
    'rnr 3 or rulenum 4 or srnr 5 or subrulenum 6': 'PFLOG',
    'reason bad-offset or action block or ruleset main': 'PFLOG',
    'vpi 0 and vci 5 or oamf4sc or metaconnect': 'SUNATM',
    'fisu or sio 3 or hdpc 7': 'MTP2',
  };
  const notCompiled: Record<string, string> = {
    'gateway snup': 'gateway needs a name in /etc/hosts and /etc/ethers',
    'host helios and (hot or ace)': 'pcap-filter(7) example host names',
    'host foo-bar.example.net': 'a host name that does not resolve here',
    'fddi or tr or wlan or ip or ip6 or arp or rarp or decnet': 'bare link-layer words are no filter on their own',
  };

  test('libpcap agrees with the table: lines marked invalid or made of unknown words are refused, the rest compile', (t) => {
    if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
    let compiled = 0;
    for (const [family, rows] of families) {
      for (const [line, expected] of rows) {
        const filter = line.replace(/#.*$/, '').trim(); // the .pcapfilter comment is stripped before libpcap sees it
        if (filter === '' || notCompiled[line]) continue;
        const refused = family.startsWith('unknown words') || expected.some(([, scope]) => scope.startsWith('invalid.'));
        const r = compileWithTcpdump(filter, linktypeFor[line]);
        assert.equal(r.ok, !refused, `"${filter}" (${linktypeFor[line] ?? 'EN10MB'}): ${refused ? 'accepted by libpcap' : r.stderr}`);
        compiled++;
      }
    }
    assert.ok(compiled >= 60, `only ${compiled} table lines went through libpcap`);
  });
});

suite('pcap-filter grammar: every keyword of libpcap\'s lexer', () => {
  test('each keyword alone gets its scope', async () => {
    for (const [word, scope] of KEYWORDS) assert.deepEqual(await scoped(word), [[word, scope]], word);
  });

  test('each keyword keeps its scope between operators, parentheses and brackets', async () => {
    for (const [word, scope] of KEYWORDS) {
      const tokens = await scoped(`(!${word}&&${word}[0])`);
      assert.deepEqual(tokens.filter(([text]) => text === word), [[word, scope], [word, scope]], `(!${word}&&${word}[0])`);
    }
  });

  test('a keyword inside a longer word is not a keyword (hosts, tcpx, udpport, len-1, ip6.arpa)', async () => {
    for (const word of KEYWORDS.keys()) {
      for (const longer of [`${word}x`, `x${word}`, `${word}-x`, `${word}_x`, `${word}.x`, `${word}9`, `a-${word}`]) {
        // Some longer forms are keywords themselves (ip + 6, icmp + 6, tcp + -syn, es + -is): skip those.
        if (KEYWORDS.has(longer)) continue;
        const tokens = await scoped(longer);
        assert.deepEqual(tokens, [[longer, S.plain]], `${longer}:\n${tokens.map((p) => p.join(' → ')).join('\n')}`);
      }
    }
  });

  test('the word after host or gateway is a host name unless it is a keyword', async () => {
    for (const [word, scope] of KEYWORDS) {
      const tokens = await scoped(`host ${word}`);
      assert.deepEqual(tokens[1], [word, scope], `host ${word}`);
    }
    assert.deepEqual(await scoped('gateway router1'), [['gateway', S.primitive], ['router1', S.host]]);
  });
});

interface FiltersJson {
  filters: Record<string, number[]>;
  rejected_by_libpcap: string[];
}

function corpusFilters(): FiltersJson {
  return JSON.parse(readFileSync(corpusPath('bpf', 'filters.json'), 'utf8')) as FiltersJson;
}

/** The grammar tokens that overlap [start, end) of a line. */
function covering(tokens: Token[], start: number, end: number): Token[] {
  return tokens.filter((t) => t.start < end && t.end > start);
}

suite('pcap-filter grammar on the third-party corpus expressions (bpf/filters.json)', { skip: corpusSkip }, () => {
  const corpus = corpusFilters();
  const accepted = Object.keys(corpus.filters);

  test('the corpus holds the 48 accepted and 10 refused expressions this suite was written for', () => {
    assert.equal(accepted.length, 48);
    assert.equal(corpus.rejected_by_libpcap.length, 10);
  });

  test('every keyword of every accepted expression is one token with its scope', async () => {
    let keywords = 0;
    for (const expr of accepted) {
      const tokens = await tokenize(GRAMMAR, expr);
      for (const word of lexPcapFilter(expr).filter((w) => w.keyword)) {
        keywords++;
        const over = covering(tokens, word.start, word.end);
        assert.equal(over.length, 1, `"${word.text}" in "${expr}" spans ${over.length} tokens:\n${describe(tokens)}`);
        assert.equal(over[0].start, word.start, `"${word.text}" in "${expr}" starts elsewhere`);
        assert.equal(over[0].end, word.end, `"${word.text}" in "${expr}" ends elsewhere`);
        assert.equal(innermost(over[0]), KEYWORDS.get(word.text), `"${word.text}" in "${expr}":\n${describe(tokens)}`);
      }
    }
    assert.ok(keywords >= 80, `only ${keywords} keywords seen in the corpus`);
  });

  test('no token of an accepted expression is invalid, and every non-space character is in a scoped token or a name', async () => {
    for (const expr of accepted) {
      const tokens = await tokenize(GRAMMAR, expr);
      for (const t of tokens) {
        assert.ok(!t.scopes.some((s) => s.startsWith('invalid')), `"${t.text}" in "${expr}" is marked invalid:\n${describe(tokens)}`);
        if (t.text.trim() === '' || t.scopes.length > 1) continue;
        // Plain tokens must be names libpcap resolves (services, hosts): never operators or keywords.
        assert.match(t.text.trim(), /^[A-Za-z0-9][-_.A-Za-z0-9]*$/, `unscoped "${t.text}" in "${expr}"`);
        assert.ok(!KEYWORDS.has(t.text.trim()), `keyword "${t.text}" left plain in "${expr}"`);
      }
    }
  });

  test('the refused expressions the grammar can judge lexically are marked invalid', async () => {
    // The other six are refused for reasons no tokenizer sees: a missing operand, `and and`, an
    // unknown service name, an IPv4 address where gateway needs a name, tcp[] on IPv6, a filter that
    // matches nothing.
    const lexicallyInvalid = new Set(['host 300.1.2.3', 'net 203.0.113.0/33', 'port 99999', 'vlan 5000']);
    for (const expr of corpus.rejected_by_libpcap) {
      const tokens = await tokenize(GRAMMAR, expr);
      const invalid = tokens.some((t) => t.scopes.some((s) => s.startsWith('invalid')));
      assert.equal(invalid, lexicallyInvalid.has(expr), `"${expr}":\n${describe(tokens)}`);
    }
  });
});

suite('pcap-filter grammar: numeric limits match libpcap', () => {
  const cases: Array<[keyword: string, max: number, scope: string]> = [
    ['port', 65535, INVALID('port')],
    ['vlan', 4095, INVALID('vlan-id')],
    ['mpls', 1048575, INVALID('mpls-label')],
    ['len >', 4294967295, INVALID('overflow')],
  ];
  for (const [keyword, max, scope] of cases) {
    test(`${keyword} N is invalid exactly when N > ${max}`, async (t) => {
      const around = [0, 1, 9, 10, 99, 100].flatMap((d) => [max - d, max + 1 + d]).filter((n) => n >= 0);
      const digits = String(max).length;
      // A run of exactly 12 digits is a MAC address for libpcap's lexer (xxxxxxxxxxxx), not a number.
      const probes = [...around, 10 ** (digits - 1), 10 ** digits, 10 ** (digits + 1)].filter((n) => String(n).length !== 12);
      for (const n of probes) {
        const tokens = await scoped(`${keyword} ${n}`);
        const last = tokens[tokens.length - 1];
        assert.equal(last[1] === scope, n > max, `${keyword} ${n} → ${last[1]}`);
      }
      if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
      assert.equal(compileWithTcpdump(`${keyword} ${max}`).ok, true, `libpcap refuses ${keyword} ${max}`);
      assert.equal(compileWithTcpdump(`${keyword} ${max + 1}`).ok, false, `libpcap accepts ${keyword} ${max + 1}`);
    });
  }
});
