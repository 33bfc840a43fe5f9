/**
 * The pcap-filter tokenizer, with libpcap's scanner.l rules: the longest match wins and, between matches of the
 * same length, the earlier rule (keywords, then numbers, addresses, TCP/ICMP constants, then names). So `1-2`
 * is a name, not an arithmetic expression; `tcp-syn` is the constant 2; keywords are lower case only.
 */
import { parseIpv6 } from './addressText';
import { ParseError } from './parseError';

export type TokenKind =
  | 'keyword' // a reserved word: host, tcp, and …
  | 'number' // decimal, 0x hex or 0 octal, or a named constant (tcp-syn, icmp-echo …)
  | 'ipv4' // 1 to 4 dotted numbers
  | 'ipv6'
  | 'mac'
  | 'name' // a host, service or protocol name, or a \escaped name
  | 'op' // punctuation and operators
  | 'end';

export interface Token {
  kind: TokenKind;
  /** The token's text (for an escaped name, without its backslash). */
  text: string;
  /** For 'number': the value. */
  value?: number;
  start: number;
  end: number;
}

/** Every reserved word of libpcap 1.10's scanner. */
export const KEYWORDS = new Set([
  'dst', 'src', 'host', 'gateway', 'net', 'mask', 'port', 'portrange', 'proto', 'protochain', 'link', 'ether', 'ppp',
  'slip', 'fddi', 'tr', 'wlan', 'arp', 'rarp', 'ip', 'sctp', 'tcp', 'udp', 'icmp', 'igmp', 'igrp', 'pim', 'vrrp', 'carp',
  'radio', 'ip6', 'icmp6', 'ah', 'esp', 'atalk', 'aarp', 'decnet', 'lat', 'sca', 'moprc', 'mopdl', 'iso', 'esis',
  'es-is', 'isis', 'is-is', 'l1', 'l2', 'iih', 'lsp', 'snp', 'csnp', 'psnp', 'clnp', 'stp', 'ipx', 'netbeui', 'less',
  'greater', 'byte', 'broadcast', 'multicast', 'and', 'or', 'not', 'len', 'inbound', 'outbound', 'ifindex', 'vlan',
  'mpls', 'pppoed', 'pppoes', 'geneve', 'lane', 'llc', 'metac', 'bcc', 'oam', 'oamf4', 'oamf4ec', 'oamf4sc', 'sc',
  'ilmic', 'vpi', 'vci', 'connectmsg', 'metaconnect', 'on', 'ifname', 'rnr', 'rulenum', 'reason', 'rset', 'srnr',
  'subrulenum', 'action', 'fisu', 'lssu', 'lsu', 'msu', 'hfisu', 'hlssu', 'hmsu', 'sio', 'opc', 'dpc', 'sls', 'hsio',
  'hopc', 'hdpc', 'hsls', 'type', 'subtype', 'direction', 'dir', 'address1', 'addr1', 'address2', 'addr2', 'address3',
  'addr3', 'address4', 'addr4', 'ra', 'ta',
]);

/** Named constants the scanner turns into numbers (pcap-filter(7): tcpflags, icmptype … and their values). */
export const CONSTANTS = new Map<string, number>([
  ['icmptype', 0], ['icmpcode', 1], ['icmp-echoreply', 0], ['icmp-unreach', 3], ['icmp-sourcequench', 4],
  ['icmp-redirect', 5], ['icmp-echo', 8], ['icmp-routeradvert', 9], ['icmp-routersolicit', 10], ['icmp-timxceed', 11],
  ['icmp-paramprob', 12], ['icmp-tstamp', 13], ['icmp-tstampreply', 14], ['icmp-ireq', 15], ['icmp-ireqreply', 16],
  ['icmp-maskreq', 17], ['icmp-maskreply', 18],
  ['icmp6type', 0], ['icmp6code', 1], ['icmp6-destinationunreach', 1], ['icmp6-packettoobig', 2], ['icmp6-timeexceeded', 3],
  ['icmp6-parameterproblem', 4], ['icmp6-echo', 128], ['icmp6-echoreply', 129], ['icmp6-multicastlistenerquery', 130],
  ['icmp6-multicastlistenerreportv1', 131], ['icmp6-multicastlistenerdone', 132], ['icmp6-routersolicit', 133],
  ['icmp6-routeradvert', 134], ['icmp6-neighborsolicit', 135], ['icmp6-neighboradvert', 136], ['icmp6-redirect', 137],
  ['icmp6-routerrenum', 138], ['icmp6-nodeinformationquery', 139], ['icmp6-nodeinformationresponse', 140],
  ['icmp6-ineighbordiscoverysolicit', 141], ['icmp6-ineighbordiscoveryadvert', 142], ['icmp6-multicastlistenerreportv2', 143],
  ['icmp6-homeagentdiscoveryrequest', 144], ['icmp6-homeagentdiscoveryreply', 145], ['icmp6-mobileprefixsolicit', 146],
  ['icmp6-mobileprefixadvert', 147], ['icmp6-certpathsolicit', 148], ['icmp6-certpathadvert', 149],
  ['icmp6-multicastrouteradvert', 151], ['icmp6-multicastroutersolicit', 152], ['icmp6-multicastrouterterm', 153],
  ['tcpflags', 13], ['tcp-fin', 0x01], ['tcp-syn', 0x02], ['tcp-rst', 0x04], ['tcp-push', 0x08], ['tcp-ack', 0x10],
  ['tcp-urg', 0x20], ['tcp-ece', 0x40], ['tcp-cwr', 0x80],
]);

const N = '(?:0[xX][0-9A-Fa-f]+|[0-9]+)';
const B = '[0-9A-Fa-f][0-9A-Fa-f]?';
const B2 = '[0-9A-Fa-f]{4}';

/** The scanner's rules after the keywords, in its order: the first of the longest matches wins. */
const RULES: Array<[TokenKind | 'illegal', RegExp]> = [
  ['op', /(?:>=|<=|!=|==|<<|>>|&&|\|\||[+\-*/%:[\]!<>()&|^=])/y],
  ['number', new RegExp(N, 'y')],
  ['ipv4', new RegExp(`${N}(?:\\.${N}){1,3}`, 'y')],
  ['mac', new RegExp(`${B}:${B}:${B}:${B}:${B}:${B}|${B}-${B}-${B}-${B}-${B}-${B}|${B}\\.${B}\\.${B}\\.${B}\\.${B}\\.${B}|${B2}\\.${B2}\\.${B2}|${B2}${B2}${B2}`, 'y')],
  ['name', /[A-Za-z0-9](?:[-_.A-Za-z0-9]*[.A-Za-z0-9])?/y],
  ['name', /\\[^ !()\n\t]+/y],
  // Runs of characters no rule takes (operators excluded, so `::/0` still reads as `::` `/` `0`).
  ['illegal', /[^ [\]\t\n\-_.A-Za-z0-9!<>()&|=+*/%:^]+/y],
];

/** Parses a numeric token's text as libpcap's stoulen() does: 0x hex, leading-0 octal, decimal; 32 bits at most. */
function numberValue(text: string, start: number, source: string): number {
  let v: bigint;
  if (/^0[xX]/.test(text)) v = BigInt(text);
  else if (text.length > 1 && text.startsWith('0')) {
    if (/[89]/.test(text)) throw new ParseError(source, start, start + text.length, `number ${text} contains non-octal digit`, 'a number');
    v = BigInt(`0o${text.slice(1)}`);
  } else v = BigInt(text);
  if (v > 0xffffffffn) throw new ParseError(source, start, start + text.length, `number ${text} overflows 32 bits`, 'a number');
  return Number(v);
}

/** Splits an expression into tokens; a character libpcap's scanner refuses is a ParseError at its position. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < source.length) {
    const ws = /[ \t\n\r]+/y;
    ws.lastIndex = pos;
    if (ws.exec(source)) {
      pos = ws.lastIndex;
      continue;
    }
    let best: { kind: TokenKind | 'illegal' | 'keyword' | 'constant'; text: string } | undefined;
    // Keywords and constants are literal rules placed before the general ones: they win ties.
    const word = /[A-Za-z0-9][-_.A-Za-z0-9]*/y;
    word.lastIndex = pos;
    const w = word.exec(source)?.[0];
    if (w) {
      for (let n = w.length; n > 0; n--) {
        const prefix = w.slice(0, n);
        if (KEYWORDS.has(prefix)) {
          best = { kind: 'keyword', text: prefix };
          break;
        }
        if (CONSTANTS.has(prefix)) {
          best = { kind: 'constant', text: prefix };
          break;
        }
      }
    }
    // IPv6 (libpcap's V6 rules match only well-formed addresses): the longest well-formed prefix.
    const v6 = /[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(?:\d+\.\d+\.\d+\.\d+)?/y;
    v6.lastIndex = pos;
    const v6text = v6.exec(source)?.[0];
    if (v6text) {
      for (let n = v6text.length; n > 1; n--) {
        if (parseIpv6(v6text.slice(0, n)) && (!best || n > best.text.length)) {
          best = { kind: 'ipv6', text: v6text.slice(0, n) };
          break;
        }
      }
    }
    for (const [kind, re] of RULES) {
      re.lastIndex = pos;
      const m = re.exec(source);
      if (m && (!best || m[0].length > best.text.length)) best = { kind, text: m[0] };
    }
    if (!best) {
      throw new ParseError(source, pos, pos + 1, `illegal character '${source[pos]}'`, 'a filter expression');
    }
    const start = pos;
    const end = pos + best.text.length;
    pos = end;
    switch (best.kind) {
      case 'illegal':
        throw new ParseError(source, start, end, `illegal token: ${best.text}`, 'a filter expression');
      case 'constant':
        tokens.push({ kind: 'number', text: best.text, value: CONSTANTS.get(best.text)!, start, end });
        break;
      case 'number':
        tokens.push({ kind: 'number', text: best.text, value: numberValue(best.text, start, source), start, end });
        break;
      case 'name':
        tokens.push({ kind: 'name', text: best.text.startsWith('\\') ? best.text.slice(1) : best.text, start, end });
        break;
      default:
        tokens.push({ kind: best.kind, text: best.text, start, end });
    }
  }
  tokens.push({ kind: 'end', text: '', start: source.length, end: source.length });
  return tokens;
}
