/**
 * What the server says about a filter file: the parser's or compiler's error (its range and its "expected …"
 * words), hints at C's spellings of the operators, and — when the open lab speaks IPv6 only — primitives that can
 * see nothing there. Each finding carries the fixes that repair it; a fix is offered only when the fixed text
 * gets past the mistake (it compiles, or its first error lies after the edit).
 */
import { compile, CompileError, KEYWORDS, parse, ParseError, tokenize, type Token } from '../bpf';
import type { ArithNode, FilterAst, FilterNode, QualifiedNode } from '../bpf/ast';
import { expressionOfFilterFile } from '../bpf/filterFile';
import { primitives, standaloneText, type Primitive } from './filterTree';
import type { LabAddresses } from './labAddresses';
import { networkOf, networkOfMask } from './networkText';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Why a finding was made; also the LSP diagnostic's code. */
export type FindingCode = 'syntax' | 'compile' | 'c-operator' | 'ipv4-on-ipv6-lab' | 'port-on-ipv6-lab';

/** A replacement of the characters [start, end) of the file. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

export interface Finding {
  start: number;
  end: number;
  severity: Severity;
  code: FindingCode;
  message: string;
  fixes: Fix[];
}

export interface FilterAnalysis {
  /** The file's text with its comments blanked: what is parsed and compiled. */
  expression: string;
  ast: FilterAst | undefined;
  /** The first mistake, as the parser or the compiler reported it. */
  error: ParseError | undefined;
  findings: Finding[];
}

/** C's spellings of the logical operators, which libpcap accepts, and pcap-filter(7)'s words. */
const C_OPERATORS: Readonly<Record<string, string>> = { '&&': 'and', '||': 'or', '!': 'not' };

/** Protocols whose packets exist only where IPv4 does. */
const IPV4_PROTOCOLS = new Set(['ip', 'icmp', 'igmp', 'igrp', 'vrrp', 'carp', 'arp', 'rarp']);
/** Their IPv6 counterparts, where there is one. */
const IPV6_COUNTERPART: Readonly<Record<string, string>> = { ip: 'ip6', icmp: 'icmp6' };
/** `proto[…]` accessors that read IPv6 packets; every other IP-family accessor (tcp[], udp[] …) reads IPv4 only. */
const IPV6_ACCESSORS = new Set(['ip6', 'icmp6', 'link']);

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/**
 * True when the fix gets past the mistake: a syntax error's fix must leave text that parses, a compile error's
 * text that compiles — or whose first error of that kind lies after the last edit (a later mistake of its own).
 */
function repairs(expression: string, fix: Fix, mistake: 'syntax' | 'compile' = 'compile'): boolean {
  const fixed = applyEdits(expression, fix.edits);
  let shift = 0;
  let editedEnd = 0;
  for (const e of [...fix.edits].sort((a, b) => a.start - b.start)) {
    editedEnd = e.start + shift + e.newText.length;
    shift += e.newText.length - (e.end - e.start);
  }
  try {
    if (mistake === 'syntax') parse(fixed);
    else compile(fixed);
    return true;
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    return err.start > editedEnd;
  }
}

/** `&&` → ` and `: the word, with a space on a side where the operator touched another token. */
function wordFor(expression: string, start: number, end: number, word: string): string {
  const before = start > 0 && !/[\s(]/.test(expression[start - 1]!) ? ' ' : '';
  const after = end < expression.length && (word === 'not' ? !/\s/.test(expression[end]!) : !/[\s)]/.test(expression[end]!)) ? ' ' : '';
  return `${before}${word}${after}`;
}

function keywordToken(tokens: readonly Token[] | undefined, text: string, from: number, to: number): Token | undefined {
  return tokens?.find((t) => t.kind === 'keyword' && t.text === text && t.start >= from && t.end <= to);
}

/** The qualified primitive the error's range names (its value or the whole primitive). */
function qualifiedAt(ast: FilterAst | undefined, e: ParseError): QualifiedNode | undefined {
  if (!ast) return undefined;
  return primitives(ast).find((p): p is QualifiedNode => p.type === 'qualified'
    && ((p.value.range.start === e.start && p.value.range.end === e.end) || (p.range.start === e.start && p.range.end === e.end)));
}

/** Fixes for `host 192.0.2.7/24`, `net 192.0.2.7/24`, `host 2001:db8::/32`: the network, or the host alone. */
function networkFixes(node: QualifiedNode, tokens: readonly Token[] | undefined): Fix[] {
  const value = node.value;
  const network = node.prefixLength
    ? networkOf(value.text, node.prefixLength.number ?? -1)
    : node.mask ? networkOfMask(value.text, node.mask.text) : undefined;
  if (network === undefined) return [];
  const suffix = node.prefixLength ? `/${node.prefixLength.text}` : ` mask ${node.mask!.text}`;
  const netEdits: TextEdit[] = [{ start: value.range.start, end: node.range.end, newText: `${network}${suffix}` }];
  const host = keywordToken(tokens, 'host', node.range.start, value.range.start);
  if (host) netEdits.push({ start: host.start, end: host.end, newText: 'net' });
  else if (node.qualifiers.type === undefined) netEdits[0]!.newText = `net ${netEdits[0]!.newText}`;
  return [
    { title: `Match the network ${network}${suffix}`, edits: netEdits, preferred: true },
    { title: `Match the host ${value.text} alone`, edits: [{ start: value.range.end, end: node.range.end, newText: '' }] },
  ];
}

/** Candidate fixes for the first error; repairs() keeps those that work. */
function errorFixes(expression: string, e: ParseError, ast: FilterAst | undefined, tokens: readonly Token[] | undefined, lab: LabAddresses): Fix[] {
  const fixes: Fix[] = [];
  const found = e.found;
  // C's bitwise operators where a logical one belongs: `tcp & udp`.
  if ((found === '&' || found === '|') && e.expected.includes("'and' or 'or'")) {
    const word = found === '&' ? 'and' : 'or';
    fixes.push({ title: `Replace '${found}' with '${word}'`, edits: [{ start: e.start, end: e.end, newText: wordFor(expression, e.start, e.end, word) }], preferred: true });
  }
  // Keywords are lower case only: `tcp AND udp`, `TCP port 80`.
  const lower = found.toLowerCase();
  if (lower !== found && KEYWORDS.has(lower)) {
    fixes.push({ title: `Write '${lower}' in lower case`, edits: [{ start: e.start, end: e.end, newText: lower }], preferred: true });
    const upper = (tokens ?? []).filter((t) => t.kind === 'name' && t.text !== t.text.toLowerCase() && KEYWORDS.has(t.text.toLowerCase()));
    if (upper.length > 1) fixes.push({ title: 'Write every keyword in lower case', edits: upper.map((t) => ({ start: t.start, end: t.end, newText: t.text.toLowerCase() })) });
  }
  // A bare value with no qualifier to inherit: `tcp and 80`.
  if (e.expected === 'a qualified primitive') {
    const kinds = /^[0-9]/.test(found) && !found.includes('.') && !found.includes(':') ? ['port', 'host'] : ['host', 'port'];
    kinds.forEach((k, i) => fixes.push({ title: `Write '${k} ${found}'`, edits: [{ start: e.start, end: e.start, newText: `${k} ` }], preferred: i === 0 }));
  }
  const node = e instanceof CompileError ? qualifiedAt(ast, e) : undefined;
  if (node) {
    let m: RegExpExecArray | null;
    // `port 6000-6010`: a range is portrange's.
    if (/^unknown port '[^']*-[^']*'$/.test(e.reason)) {
      const port = keywordToken(tokens, 'port', node.range.start, node.value.range.start);
      if (port) fixes.push({ title: `Use 'portrange ${node.value.text}'`, edits: [{ start: port.start, end: port.end, newText: 'portrange' }], preferred: true });
    }
    if (e.reason.startsWith('non-network bits set') || e.reason === 'Mask syntax for networks only') fixes.push(...networkFixes(node, tokens));
    // A lab node's name where libpcap wants an address (labtel resolves no names): the node's addresses.
    if ((m = /^unknown host '(.*)'$/.exec(e.reason))) {
      for (const address of lab.ofNode(m[1]!)) {
        fixes.push({ title: `Use ${m[1]}'s address ${address}`, edits: [{ start: node.value.range.start, end: node.value.range.end, newText: address }] });
      }
    }
  }
  // `tcp and udp`: no packet is both; with a single `and`, `or` is the likely meaning.
  if (e.reason === 'expression rejects all packets') {
    const ands = (tokens ?? []).filter((t) => (t.kind === 'keyword' && t.text === 'and') || (t.kind === 'op' && t.text === '&&'));
    if (ands.length === 1) {
      const t = ands[0]!;
      fixes.push({ title: `Replace '${t.text}' with 'or'`, edits: [{ start: t.start, end: t.end, newText: wordFor(expression, t.start, t.end, 'or') }] });
    }
  }
  const mistake = e instanceof CompileError ? 'compile' : 'syntax';
  return fixes.filter((f) => repairs(expression, f, mistake));
}

function cOperatorFindings(expression: string, tokens: readonly Token[]): Finding[] {
  const ops = tokens.filter((t) => t.kind === 'op' && C_OPERATORS[t.text] !== undefined);
  const edit = (t: Token): TextEdit => ({ start: t.start, end: t.end, newText: wordFor(expression, t.start, t.end, C_OPERATORS[t.text]!) });
  // Side by side (`&&!`), the second word's leading space already separates the two.
  const all: Fix = {
    title: 'Write every C-style operator as a word',
    edits: ops.map((t, i) => {
      const e = edit(t);
      return ops[i + 1]?.start === t.end ? { ...e, newText: e.newText.trimEnd() } : e;
    }),
  };
  return ops.map((t) => ({
    start: t.start,
    end: t.end,
    severity: 'hint' as const,
    code: 'c-operator' as const,
    message: `'${t.text}' is C's spelling, which libpcap accepts; pcap-filter(7) writes '${C_OPERATORS[t.text]}' (and a shell reads '${t.text}' itself when the filter is not quoted)`,
    fixes: ops.length > 1 ? [{ title: `Replace '${t.text}' with '${C_OPERATORS[t.text]}'`, edits: [edit(t)], preferred: true }, all] : [{ title: `Replace '${t.text}' with '${C_OPERATORS[t.text]}'`, edits: [edit(t)], preferred: true }],
  }));
}

/** The parent of each node, to know whether a primitive can take `ip6 and` in front without parentheses. */
function parents(root: FilterNode): Map<FilterNode, FilterNode> {
  const out = new Map<FilterNode, FilterNode>();
  const walk = (n: FilterNode): void => {
    const children = n.type === 'and' || n.type === 'or' ? [n.left, n.right] : n.type === 'not' ? [n.operand] : [];
    for (const c of children) {
      out.set(c, n);
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** True when every packet the node accepts is IPv6 (conservatively: false when unsure). */
function requiresIpv6(n: FilterNode): boolean {
  switch (n.type) {
    case 'protocol':
      return n.proto === 'ip6' || n.proto === 'icmp6';
    case 'qualified':
      return n.qualifiers.proto === 'ip6' || n.value.kind === 'ipv6';
    case 'and':
      return requiresIpv6(n.left) || requiresIpv6(n.right);
    case 'or':
      return requiresIpv6(n.left) && requiresIpv6(n.right);
    default:
      return false;
  }
}

/** True when an `and` above the node already restricts it to IPv6 (`ip6 and udp and port 53`). */
function restrictedToIpv6(node: FilterNode, parent: Map<FilterNode, FilterNode>): boolean {
  for (let child = node, up = parent.get(node); up; child = up, up = parent.get(up)) {
    if (up.type === 'and' && requiresIpv6(up.left === child ? up.right : up.left)) return true;
  }
  return false;
}

function instructionCount(text: string): number | undefined {
  try {
    return compile(text).length;
  } catch {
    return undefined;
  }
}

/** What an IPv4-only primitive is, for the message; undefined when the primitive can match IPv6 packets. */
function ipv4Only(p: Primitive): string | undefined {
  switch (p.type) {
    case 'protocol':
      return IPV4_PROTOCOLS.has(p.proto) ? `'${p.proto}' matches IPv4${p.proto.endsWith('arp') ? ' (ARP)' : ''} packets only` : undefined;
    case 'qualified':
      if (p.qualifiers.proto !== undefined && IPV4_PROTOCOLS.has(p.qualifiers.proto)) return `'${p.qualifiers.proto}' makes this an IPv4 test`;
      return p.value.kind === 'ipv4' && p.qualifiers.proto !== 'link' ? `${p.value.text} is an IPv4 address` : undefined;
    case 'keyword':
      if (p.keyword === 'byte') return "'byte' reads the IPv4 header";
      return p.proto !== undefined && IPV4_PROTOCOLS.has(p.proto) ? `'${p.proto} ${p.keyword}' is an IPv4 test` : undefined;
    case 'relation': {
      const loads: string[] = [];
      const walk = (a: ArithNode): void => {
        if (a.type === 'load') {
          if (!IPV6_ACCESSORS.has(a.proto)) loads.push(a.proto);
          walk(a.index);
        } else if (a.type === 'binary') {
          walk(a.left);
          walk(a.right);
        } else if (a.type === 'negate') walk(a.operand);
      };
      walk(p.left);
      walk(p.right);
      return loads.length ? `'${loads[0]}[…]' reads IPv4 packets only (libpcap's ${loads[0]}[] never looks into IPv6)` : undefined;
    }
  }
}

function ipv6LabFindings(ast: FilterAst, expression: string, tokens: readonly Token[] | undefined, lab: LabAddresses): Finding[] {
  const out: Finding[] = [];
  const labs = lab.labNames().join(', ');
  const all = primitives(ast);
  const parent = ast.root ? parents(ast.root) : new Map<FilterNode, FilterNode>();
  for (const p of all) {
    const why = ipv4Only(p);
    if (why) {
      const fixes: Fix[] = [];
      const proto = p.type === 'protocol' ? p.proto : p.type === 'qualified' ? p.qualifiers.proto : undefined;
      const counterpart = proto === undefined ? undefined : IPV6_COUNTERPART[proto];
      const token = proto === undefined ? undefined : keywordToken(tokens, proto, p.range.start, p.range.end);
      if (counterpart && token) fixes.push({ title: `Replace '${proto}' with '${counterpart}'`, edits: [{ start: token.start, end: token.end, newText: counterpart }], preferred: true });
      out.push({
        start: p.range.start, end: p.range.end, severity: 'warning', code: 'ipv4-on-ipv6-lab',
        message: `${why}, and the lab (${labs}) has IPv6 addresses only: this matches no packet there`,
        fixes: fixes.filter((f) => repairs(expression, f)),
      });
      continue;
    }
    // `port 179` on an IPv6-only lab: the IPv4 half of the program is dead weight; `ip6 and` says what is meant.
    if (p.type === 'qualified' && !p.inherited && !restrictedToIpv6(p, parent) && (p.qualifiers.type === 'port' || p.qualifiers.type === 'portrange')
      && (p.qualifiers.proto === undefined || ['tcp', 'udp', 'sctp'].includes(p.qualifiers.proto))) {
      const text = standaloneText(p, expression);
      const up = parent.get(p);
      const bare = up === undefined || up.type === 'and';
      const before = instructionCount(text);
      const after = instructionCount(`ip6 and ${text}`);
      const fix: Fix = { title: `Restrict to IPv6: 'ip6 and ${text}'`, edits: [{ start: p.range.start, end: p.range.end, newText: bare ? `ip6 and ${text}` : `(ip6 and ${text})` }], preferred: true };
      out.push({
        start: p.range.start, end: p.range.end, severity: 'information', code: 'port-on-ipv6-lab',
        message: `'${text}' tests IPv4 and IPv6 (${before ?? '?'} instructions); the lab (${labs}) has IPv6 addresses only: 'ip6 and ${text}' matches the same packets there (${after ?? '?'} instructions)`,
        fixes: [fix].filter((f) => repairs(expression, f)),
      });
    }
  }
  return out;
}

/** Parses, compiles and inspects a filter file's text. */
export function analyzeFilter(text: string, lab: LabAddresses): FilterAnalysis {
  const expression = expressionOfFilterFile(text);
  let tokens: Token[] | undefined;
  try {
    tokens = tokenize(expression);
  } catch {
    tokens = undefined;
  }
  let ast: FilterAst | undefined;
  let error: ParseError | undefined;
  try {
    ast = parse(expression);
    compile(ast);
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    error = err;
  }
  const findings: Finding[] = [];
  if (error) {
    // "found the end of the expression": marked just after its last word, not on the blank lines or comment after it.
    const atEnd = error.start === expression.length && error.end === expression.length;
    const start = atEnd ? expression.trimEnd().length : error.start;
    findings.push({
      start, end: atEnd ? start : error.end, severity: 'error', code: error instanceof CompileError ? 'compile' : 'syntax',
      message: error.reason, fixes: errorFixes(expression, error, ast, tokens, lab),
    });
  }
  if (tokens) findings.push(...cOperatorFindings(expression, tokens));
  if (ast && lab.ipv6Only()) findings.push(...ipv6LabFindings(ast, expression, tokens, lab));
  return { expression, ast, error, findings };
}
