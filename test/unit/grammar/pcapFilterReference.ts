// The test's own model of pcap-filter(7) words, independent of the grammar: every keyword libpcap 1.10's
// lexer (scanner.l) knows, with the scope the grammar contract gives it, and a lexer that finds keyword
// tokens in an expression the way libpcap does (the longest run of [A-Za-z0-9][-_.A-Za-z0-9]*[.A-Za-z0-9]
// is one token; a backslash makes it a plain name; colon forms are addresses).
import { spawnSync } from 'node:child_process';

export const SCOPE = {
  protocol: 'support.type.protocol.pcap-filter',
  primitive: 'keyword.other.primitive.pcap-filter',
  direction: 'storage.modifier.direction.pcap-filter',
  logical: 'keyword.operator.logical.pcap-filter',
  arithmetic: 'keyword.operator.arithmetic.pcap-filter',
  bitwise: 'keyword.operator.bitwise.pcap-filter',
  comparison: 'keyword.operator.comparison.pcap-filter',
  decimal: 'constant.numeric.decimal.pcap-filter',
  hex: 'constant.numeric.hex.pcap-filter',
  octal: 'constant.numeric.octal.pcap-filter',
  ipv4: 'constant.numeric.ipv4.pcap-filter',
  ipv6: 'constant.numeric.ipv6.pcap-filter',
  mac: 'constant.numeric.mac.pcap-filter',
  constant: 'constant.language.pcap-filter',
  bracketOpen: 'punctuation.section.brackets.begin.pcap-filter',
  bracketClose: 'punctuation.section.brackets.end.pcap-filter',
  size: 'punctuation.separator.size.pcap-filter',
  parenOpen: 'punctuation.section.parens.begin.pcap-filter',
  parenClose: 'punctuation.section.parens.end.pcap-filter',
  cidr: 'punctuation.separator.cidr.pcap-filter',
  range: 'punctuation.separator.range.pcap-filter',
  host: 'entity.name.host.pcap-filter',
  escape: 'constant.character.escape.pcap-filter',
  escapedName: 'constant.other.escaped-name.pcap-filter',
  comment: 'comment.line.number-sign.pcap-filter',
  commentStart: 'punctuation.definition.comment.pcap-filter',
  arcnet: 'constant.numeric.arcnet.pcap-filter',
  plain: 'source.pcap-filter',
} as const;

/** pcap-filter(7) "proto" qualifiers and protocol abbreviations (scanner.l: LINK, IP, TCP, ... ISO, VLAN, MPLS, ...). */
const protocols = `link ether ppp slip fddi tr wlan radio arp rarp ip ip6 sctp tcp udp icmp icmp6 igmp igrp pim vrrp carp ah esp
  atalk aarp decnet lat sca moprc mopdl iso esis es-is isis is-is l1 l2 iih lsp snp csnp psnp clnp stp ipx netbeui
  vlan mpls pppoed pppoes geneve llc`;
/** Type qualifiers and the primitives that don't follow the qualifier pattern (pf, 802.11, SunATM, MTP2 included). */
const primitives = `host net mask port portrange proto protochain gateway less greater len length byte broadcast multicast
  type subtype dir direction ifindex ifname on rnr rulenum srnr subrulenum rset ruleset reason action
  lane metac bcc oam oamf4 oamf4ec oamf4sc sc ilmic vpi vci connectmsg metaconnect
  fisu lssu lsu msu hfisu hlssu hmsu sio opc dpc sls hsio hopc hdpc hsls`;
/** dir qualifiers, and inbound/outbound (the capture direction). */
const directions = 'src dst ra ta addr1 addr2 addr3 addr4 address1 address2 address3 address4 inbound outbound';
const logical = 'and or not';
/** Field offsets and values libpcap names (pcap-filter(7), "Some offsets and field values may be expressed as names"). */
const constants = `tcpflags icmptype icmpcode icmp6type icmp6code
  tcp-fin tcp-syn tcp-rst tcp-push tcp-ack tcp-urg tcp-ece tcp-cwr
  icmp-echoreply icmp-unreach icmp-sourcequench icmp-redirect icmp-echo icmp-routeradvert icmp-routersolicit
  icmp-timxceed icmp-paramprob icmp-tstamp icmp-tstampreply icmp-ireq icmp-ireqreply icmp-maskreq icmp-maskreply
  icmp6-destinationunreach icmp6-packettoobig icmp6-timeexceeded icmp6-parameterproblem icmp6-echo icmp6-echoreply
  icmp6-multicastlistenerquery icmp6-multicastlistenerreportv1 icmp6-multicastlistenerdone icmp6-routersolicit
  icmp6-routeradvert icmp6-neighborsolicit icmp6-neighboradvert icmp6-redirect icmp6-routerrenum
  icmp6-nodeinformationquery icmp6-nodeinformationresponse icmp6-ineighbordiscoverysolicit
  icmp6-ineighbordiscoveryadvert icmp6-multicastlistenerreportv2 icmp6-homeagentdiscoveryrequest
  icmp6-homeagentdiscoveryreply icmp6-mobileprefixsolicit icmp6-mobileprefixadvert icmp6-certpathsolicit
  icmp6-certpathadvert icmp6-multicastrouteradvert icmp6-multicastroutersolicit icmp6-multicastrouterterm`;

const words = (s: string) => s.split(/\s+/).filter(Boolean);

/** Every keyword → the scope the grammar must give it when it stands as a token of its own. */
export const KEYWORDS: ReadonlyMap<string, string> = new Map([
  ...words(protocols).map((w) => [w, SCOPE.protocol] as const),
  ...words(primitives).map((w) => [w, SCOPE.primitive] as const),
  ...words(directions).map((w) => [w, SCOPE.direction] as const),
  ...words(logical).map((w) => [w, SCOPE.logical] as const),
  ...words(constants).map((w) => [w, SCOPE.constant] as const),
]);

export interface LexToken {
  text: string;
  start: number;
  end: number;
  keyword: boolean;
}

// libpcap's lexer, reduced to what decides whether a word is a keyword.
const LEX = new RegExp([
  '(?<space>\\s+)',
  '(?<comment>#.*)',
  '(?<escaped>\\\\[^ !()\\n\\t]+)',
  '(?<colon>[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(?:/[0-9]+)?)',
  '(?<word>[A-Za-z0-9](?:[-_.A-Za-z0-9]*[.A-Za-z0-9])?)',
  '(?<op>&&|\\|\\||<<|>>|>=|<=|==|!=|.)',
].join('|'), 'gy');

/** The words of an expression as libpcap would lex them, marking those that are keywords. */
export function lexPcapFilter(expr: string): LexToken[] {
  const out: LexToken[] = [];
  LEX.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = LEX.exec(expr)) !== null) {
    const g = m.groups ?? {};
    if (g.space !== undefined || g.comment !== undefined) continue;
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length, keyword: g.word !== undefined && KEYWORDS.has(m[0]) });
  }
  return out;
}

/** Compiles an expression with the real libpcap (through tcpdump, argv array): exit status and stderr. */
export function compileWithTcpdump(expr: string, linktype = 'EN10MB'): { ok: boolean; stderr: string; program: string } {
  const r = spawnSync('tcpdump', ['-d', '-y', linktype, '--', expr], { encoding: 'utf8' });
  return { ok: r.status === 0, stderr: (r.stderr ?? '').trim(), program: r.stdout ?? '' };
}
