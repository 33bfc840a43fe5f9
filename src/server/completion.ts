/**
 * What may come next at a position of a filter: the words before the cursor decide the list — addresses of the
 * open lab after `host`, `src`, `dst`; service names after `port`; IP protocol names after `proto`; TCP/ICMP
 * constants inside `tcp[…]` arithmetic; qualifiers after a protocol; otherwise every primitive and operator.
 */
import { CONSTANTS, IP_PROTOCOLS, KEYWORDS, PROTOCOL_KEYWORDS, SERVICES, tokenize, type Token } from '../bpf';
import { expressionOfFilterFile } from '../bpf/filterFile';
import type { LabAddresses } from './labAddresses';
import { KEYWORD_DOCS, PROTOCOL_DOCS } from './primitiveDocs';

export type CandidateKind = 'keyword' | 'protocol' | 'address' | 'service' | 'constant' | 'operator';

export interface Candidate {
  label: string;
  kind: CandidateKind;
  /** A short note beside the label: the node owning an address, the ports of a service. */
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** The text inserted, when it differs from the label (`\tcp` for the protocol named tcp). */
  insertText?: string;
}

const DIRECTIONS = ['src', 'dst'];
const ADDRESS_TYPES = ['host', 'net', 'port', 'portrange', 'gateway', 'proto', 'protochain'];
/**
 * Keyword primitives that compile for Ethernet and raw IP capture files. Left out: other link types' words, and
 * inbound, outbound and ifindex, which libpcap compiles for live Linux captures only.
 */
const PRIMITIVES = ['less', 'greater', 'len', 'byte', 'broadcast', 'multicast', 'vlan', 'mpls', 'pppoed', 'pppoes', 'geneve', 'llc'];
const OPERATORS = ['and', 'or', 'not'];
/** Protocol words that never compile for Ethernet or raw IP captures (802.11 radio headers). */
const OTHER_LINK_TYPES = new Set(['radio']);
/** Operators after which arithmetic continues: where a named constant (tcp-syn, icmp-echo …) fits. */
const ARITHMETIC = new Set(['[', '&', '|', '^', '=', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', ':', '<<', '>>']);

function keyword(word: string): Candidate {
  return { label: word, kind: OPERATORS.includes(word) ? 'operator' : 'keyword', documentation: KEYWORD_DOCS[word] };
}

function protocols(): Candidate[] {
  return [...PROTOCOL_KEYWORDS.keys()].filter((p) => !OTHER_LINK_TYPES.has(p)).map((p) => ({ label: p, kind: 'protocol' as const, documentation: PROTOCOL_DOCS[p] ?? PROTOCOL_DOCS[PROTOCOL_KEYWORDS.get(p)!] }));
}

function addresses(lab: LabAddresses): Candidate[] {
  return lab.all().map((a) => ({ label: a.address, kind: 'address' as const, detail: `${a.node}${a.interface ? ` ${a.interface}` : ''} (${a.lab})` }));
}

function services(): Candidate[] {
  return [...SERVICES].map(([name, ports]) => ({
    label: name,
    kind: 'service' as const,
    detail: Object.entries(ports).map(([proto, port]) => `${proto} ${port}`).join(', '),
  }));
}

function ipProtocols(): Candidate[] {
  // netbase lists each protocol in lower case and its alias in upper case: the lower-case names suffice.
  return [...IP_PROTOCOLS].filter(([name]) => name === name.toLowerCase()).map(([name, n]) => ({
    label: name,
    kind: 'protocol' as const,
    detail: `IP protocol ${n}`,
    // Keywords (tcp, udp, icmp …) are names here only with a backslash (pcap-filter(7), "proto").
    insertText: KEYWORDS.has(name) ? `\\${name}` : name,
  }));
}

function constants(): Candidate[] {
  return [...CONSTANTS].map(([name, value]) => ({ label: name, kind: 'constant' as const, detail: `= ${value}` }));
}

/** What can start a primitive: where a filter begins, and after `and`, `or`, `not`, `(`. */
function primitiveStarts(): Candidate[] {
  return [...protocols(), ...[...DIRECTIONS, ...ADDRESS_TYPES, ...PRIMITIVES, 'not'].map(keyword)];
}

/** The tokens before the word the cursor is in (that word is what the editor filters the list by). */
function tokensBefore(expression: string, offset: number): Token[] {
  const head = expression.slice(0, offset).replace(/\\?[A-Za-z0-9_.:-]*$/, '');
  try {
    return tokenize(head).filter((t) => t.kind !== 'end');
  } catch {
    // An illegal character earlier on: the last word is context enough.
    const word = /(\S+)\s*$/.exec(head)?.[1];
    return word ? [{ kind: KEYWORDS.has(word) ? 'keyword' : 'name', text: word, start: 0, end: 0 }] : [];
  }
}

export function complete(text: string, offset: number, lab: LabAddresses): Candidate[] {
  const tokens = tokensBefore(expressionOfFilterFile(text), offset);
  const prev = tokens.at(-1);
  const before = tokens.at(-2);
  if (!prev) return primitiveStarts();
  if (prev.kind === 'keyword') {
    switch (prev.text) {
      case 'host':
      case 'gateway':
      case 'net':
        return addresses(lab);
      case 'src':
      case 'dst':
        return [...addresses(lab), ...['host', 'net', 'port', 'portrange'].map(keyword)];
      case 'port':
      case 'portrange':
        return services();
      case 'proto':
      case 'protochain':
        return before?.text === 'ether' || before?.text === 'link' ? [] : ipProtocols();
      case 'and':
      case 'or':
      case 'not':
        return primitiveStarts();
    }
    if (PROTOCOL_KEYWORDS.has(prev.text)) {
      return [...[...DIRECTIONS, ...ADDRESS_TYPES, 'broadcast', 'multicast'].map(keyword), ...['and', 'or'].map(keyword)];
    }
  }
  if (prev.kind === 'op') {
    if (prev.text === '(' || prev.text === '!' || prev.text === '&&' || prev.text === '||') return primitiveStarts();
    if (ARITHMETIC.has(prev.text)) return [...constants(), ...protocols(), keyword('len')];
  }
  // After a whole primitive: an operator is what comes next.
  return ['and', 'or'].map(keyword);
}
