/**
 * The pcap-filter parser: libpcap's grammar.y as recursive descent.
 * - `and` and `or` have equal precedence and associate to the left; `not` binds tighter.
 * - A bare value after `and`/`or`/`not` takes the qualifiers of the primitive before it (`host a and b`,
 *   `port 80 or (53 or 123)`); after a primitive that has none (`tcp`, a relation) that is an error, as in libpcap.
 * - A value cannot start an expression (`192.0.2.1` alone is a syntax error).
 * - Arithmetic precedence, lowest first: `|`, `^`, `&`, `<<` `>>`, `+` `-`, `*` `/` `%`, unary `-`.
 */
import type {
  AddressType,
  ArithNode,
  ArithOperator,
  Direction,
  FilterAst,
  FilterNode,
  Qualifiers,
  Range,
  RelationOperator,
  Value,
} from './ast';
import { tokenize, type Token } from './lexer';
import { expectedReason, ParseError } from './parseError';

/** Protocol names that can qualify a primitive or stand alone (grammar.y's pname), by keyword. */
export const PROTOCOL_KEYWORDS = new Map<string, string>([
  ['link', 'link'], ['ether', 'link'], ['ppp', 'link'], ['slip', 'link'], ['fddi', 'link'], ['tr', 'link'], ['wlan', 'link'],
  ['ip', 'ip'], ['arp', 'arp'], ['rarp', 'rarp'], ['sctp', 'sctp'], ['tcp', 'tcp'], ['udp', 'udp'], ['icmp', 'icmp'],
  ['igmp', 'igmp'], ['igrp', 'igrp'], ['pim', 'pim'], ['vrrp', 'vrrp'], ['carp', 'carp'], ['atalk', 'atalk'], ['aarp', 'aarp'],
  ['decnet', 'decnet'], ['lat', 'lat'], ['sca', 'sca'], ['moprc', 'moprc'], ['mopdl', 'mopdl'], ['ip6', 'ip6'],
  ['icmp6', 'icmp6'], ['ah', 'ah'], ['esp', 'esp'], ['iso', 'iso'], ['esis', 'esis'], ['es-is', 'esis'], ['isis', 'isis'],
  ['is-is', 'isis'], ['l1', 'l1'], ['l2', 'l2'], ['iih', 'iih'], ['lsp', 'lsp'], ['snp', 'snp'], ['csnp', 'csnp'],
  ['psnp', 'psnp'], ['clnp', 'clnp'], ['stp', 'stp'], ['ipx', 'ipx'], ['netbeui', 'netbeui'], ['radio', 'radio'],
]);

const DIRECTIONS = new Set(['src', 'dst', 'addr1', 'addr2', 'addr3', 'addr4', 'address1', 'address2', 'address3', 'address4', 'ra', 'ta']);
const ADDRESS_TYPES = new Set(['host', 'net', 'port', 'portrange']);
const RELATIONS = new Map<string, RelationOperator>([['=', '='], ['==', '='], ['!=', '!='], ['<', '<'], ['<=', '<='], ['>', '>'], ['>=', '>=']]);
/** Binary arithmetic operators by precedence level, lowest first. */
const ARITH_LEVELS: ArithOperator[][] = [['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
/** Keyword primitives taking an optional number (`vlan [id]`). */
const OPTIONAL_NUMBER = new Set(['vlan', 'mpls', 'pppoes', 'geneve']);
/** Keyword primitives taking a required number. */
const REQUIRED_NUMBER = new Set(['less', 'greater', 'ifindex']);
/** Keyword primitives standing alone. */
const BARE_KEYWORDS = new Set(['pppoed', 'inbound', 'outbound', 'llc']);
/** Keyword primitives of other link types (pflog, ATM, SS7 MTP, 802.11): parsed with their argument, refused by the compiler. */
const FOREIGN_KEYWORDS = new Set([
  'on', 'ifname', 'rnr', 'rulenum', 'reason', 'rset', 'srnr', 'subrulenum', 'action', 'lane', 'metac', 'bcc', 'oam', 'oamf4',
  'oamf4ec', 'oamf4sc', 'sc', 'ilmic', 'connectmsg', 'metaconnect', 'vpi', 'vci', 'fisu', 'lssu', 'lsu', 'msu', 'hfisu',
  'hlssu', 'hmsu', 'sio', 'opc', 'dpc', 'sls', 'hsio', 'hopc', 'hdpc', 'hsls', 'type', 'subtype', 'dir', 'direction',
]);

/** What a missing value after each type qualifier is called in error messages. */
const EXPECTED_VALUE: Record<string, string> = {
  host: 'a host address',
  net: 'a network address',
  port: 'a port number or name',
  portrange: 'a port range',
  gateway: 'a host name',
  proto: 'a protocol number or name',
  protochain: 'a protocol number or name',
};

interface Parsed {
  node: FilterNode;
  /** The qualifiers a following bare value inherits; null when the primitive has none. */
  q: Qualifiers | null;
}

/** A failed attempt, to backtrack from. */
class Backtrack extends Error {}

/** An error no alternative can repair (libpcap reports it during parsing): ends the parse. */
class Fatal extends Error {
  constructor(readonly error: ParseError) {
    super(error.message);
  }
}

class Parser {
  private pos = 0;
  /** The error that got furthest, reported when every alternative fails. */
  private furthest: ParseError | undefined;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  private get tok(): Token {
    return this.tokens[this.pos]!;
  }

  private atEnd(): boolean {
    return this.tok.kind === 'end';
  }

  private peek(n = 1): Token {
    return this.tokens[Math.min(this.pos + n, this.tokens.length - 1)]!;
  }

  private is(text: string, t: Token = this.tok): boolean {
    return (t.kind === 'keyword' || t.kind === 'op') && t.text === text;
  }

  private isAnd(t: Token = this.tok): boolean {
    return this.is('and', t) || this.is('&&', t);
  }

  private isOr(t: Token = this.tok): boolean {
    return this.is('or', t) || this.is('||', t);
  }

  private isNot(t: Token = this.tok): boolean {
    return this.is('not', t) || this.is('!', t);
  }

  private previousText(): string | undefined {
    return this.pos > 0 ? this.source.slice(this.tokens[this.pos - 1]!.start, this.tokens[this.pos - 1]!.end) : undefined;
  }

  /** A syntax error at the current token: expected X after the previous token. */
  private error(expected: string): ParseError {
    const t = this.tok;
    const e = new ParseError(this.source, t.start, t.end, expectedReason(expected, this.previousText(), t.text), expected, t.text);
    if (!this.furthest || e.start >= this.furthest.start) this.furthest = e;
    return e;
  }

  private expect(text: string, expected = `'${text}'`): Token {
    if (!this.is(text)) throw this.error(expected);
    return this.tokens[this.pos++]!;
  }

  private range(start: number): Range {
    return { start, end: this.tokens[this.pos - 1]!.end };
  }

  /** Runs an alternative; on failure puts the position back and returns undefined. */
  private attempt<T>(f: () => T): T | undefined {
    const saved = this.pos;
    try {
      return f();
    } catch (e) {
      if (!(e instanceof ParseError) && !(e instanceof Backtrack)) throw e;
      this.pos = saved;
      return undefined;
    }
  }

  parseProgram(): FilterNode | undefined {
    if (this.atEnd()) return undefined;
    try {
      const { node } = this.parseExpr({ inherit: null });
      if (!this.atEnd()) throw this.error(`'and' or 'or'`);
      return node;
    } catch (e) {
      if (e instanceof ParseError && this.furthest && this.furthest.start > e.start) throw this.furthest;
      throw e;
    }
  }

  /** expr: term ((and|or) (id | term))* — equal precedence, left associative. */
  private parseExpr(ctx: { inherit: Qualifiers | null }): Parsed {
    let left = this.parseTerm(ctx.inherit);
    while (this.isAnd() || this.isOr()) {
      const op = this.isAnd() ? 'and' : 'or';
      this.pos++;
      const right = this.attempt(() => this.parseIdInContext(left.q)) ?? this.parseTerm(left.q);
      left = { node: { type: op, left: left.node, right: right.node, range: { start: left.node.range.start, end: right.node.range.end } }, q: right.q };
    }
    return left;
  }

  /** A bare value (with its not/parentheses) standing where a term could: only when what follows ends it. */
  private parseIdInContext(q: Qualifiers | null): Parsed {
    const parsed = this.parseId(q);
    if (!(this.isAnd() || this.isOr() || this.is(')') || this.atEnd())) throw new Backtrack();
    if (q === null) {
      const value = firstValue(parsed.node);
      throw new Fatal(
        new ParseError(
          this.source, value.range.start, value.range.end,
          `'${value.text}' has no qualifier to take from the primitive before it; write its kind, e.g. 'host ${value.text}' or 'port ${value.text}'`,
          'a qualified primitive', value.text,
        ),
      );
    }
    return parsed;
  }

  /** term: not term | rterm. */
  private parseTerm(inherit: Qualifiers | null): Parsed {
    const start = this.tok.start;
    if (this.isNot()) {
      this.pos++;
      const inner = this.attempt(() => this.parseIdInContext(inherit)) ?? this.parseTerm(inherit);
      return { node: { type: 'not', operand: inner.node, range: this.range(start) }, q: inner.q };
    }
    return this.parseRterm(inherit);
  }

  private parseRterm(inherit: Qualifiers | null): Parsed {
    const t = this.tok;
    const start = t.start;
    if (this.is('(')) {
      // Either a parenthesised expression or the start of arithmetic: `(ip[0] & 0xf) > 5`.
      const grouped = this.attempt(() => {
        this.pos++;
        const inner = this.parseExpr({ inherit });
        this.expect(')', `')'`);
        if (this.isArithContinuation()) throw new Backtrack();
        return inner;
      });
      if (grouped) return grouped;
      return this.parseRelation();
    }
    if (t.kind === 'keyword') {
      const proto = PROTOCOL_KEYWORDS.get(t.text);
      if (proto !== undefined) {
        if (this.is('[', this.peek())) return this.parseRelation();
        this.pos++;
        return this.parseAfterProtocol(proto, start);
      }
      if (DIRECTIONS.has(t.text) || ADDRESS_TYPES.has(t.text) || t.text === 'gateway' || t.text === 'proto' || t.text === 'protochain') {
        return this.parseHeadAndId(undefined, start);
      }
      if (t.text === 'len') return this.parseRelation();
      return this.parseOther(undefined, start);
    }
    if (t.kind === 'number' || this.is('-')) return this.parseRelation();
    throw this.error('a filter primitive');
  }

  /** After a protocol name: a head (`ip src host …`), `broadcast`/`multicast`, or the protocol alone. */
  private parseAfterProtocol(proto: string, start: number): Parsed {
    const t = this.tok;
    if (t.kind === 'keyword') {
      if (DIRECTIONS.has(t.text) || ADDRESS_TYPES.has(t.text) || t.text === 'gateway' || t.text === 'proto' || t.text === 'protochain') {
        return this.parseHeadAndId(proto, start);
      }
      if (t.text === 'broadcast' || t.text === 'multicast') return this.parseOther(proto, start);
    }
    return { node: { type: 'protocol', proto, range: this.range(start) }, q: null };
  }

  /** head id: [dir] [type] value, or proto/protochain/gateway value. */
  private parseHeadAndId(proto: string | undefined, start: number): Parsed {
    const q: Qualifiers = {};
    if (proto !== undefined) q.proto = proto;
    let last = '';
    if (DIRECTIONS.has(this.tok.text)) {
      q.dir = this.parseDirection();
      last = q.dir;
    }
    const t = this.tok;
    if (t.kind === 'keyword' && (ADDRESS_TYPES.has(t.text) || (q.dir === undefined && ['gateway', 'proto', 'protochain'].includes(t.text)))) {
      q.type = t.text as AddressType;
      last = t.text;
      this.pos++;
    }
    const expected = EXPECTED_VALUE[q.type ?? 'host'] ?? 'a value';
    if (!this.startsId()) throw this.error(q.type === undefined && last !== '' ? `'host', 'net', 'port', 'portrange' or ${expected}` : expected);
    const parsed = this.parseId(q, false);
    // The primitive's range covers its qualifiers too.
    parsed.node.range = { start, end: parsed.node.range.end };
    return { node: parsed.node, q };
  }

  private parseDirection(): Direction {
    const first = this.tok.text;
    this.pos++;
    const norm = (d: string): Direction => (d.startsWith('address') ? (`addr${d.slice(7)}` as Direction) : (d as Direction));
    if ((first === 'src' || first === 'dst') && (this.isAnd() || this.isOr())) {
      const other = this.peek();
      if (other.kind === 'keyword' && (other.text === 'src' || other.text === 'dst') && other.text !== first) {
        const op = this.isAnd() ? 'and' : 'or';
        this.pos += 2;
        return `src ${op} dst` as Direction;
      }
    }
    return norm(first);
  }

  private startsId(): boolean {
    const k = this.tok.kind;
    return k === 'number' || k === 'ipv4' || k === 'ipv6' || k === 'mac' || k === 'name' || this.isNot() || this.is('(');
  }

  /**
   * id: a value with the given qualifiers, `not id`, or `( id (and|or) id … )`. `inherited` says the qualifiers
   * were not written here; null qualifiers (after `tcp`, a relation …) cannot be inherited.
   */
  private parseId(q: Qualifiers | null, inherited = true): Parsed {
    const start = this.tok.start;
    if (this.isNot()) {
      this.pos++;
      const inner = this.parseId(q, inherited);
      return { node: { type: 'not', operand: inner.node, range: this.range(start) }, q };
    }
    if (this.is('(')) {
      this.pos++;
      let left = this.parseId(q, inherited);
      while (this.isAnd() || this.isOr()) {
        const op = this.isAnd() ? 'and' : 'or';
        this.pos++;
        const right = this.parseId(q, inherited);
        left = { node: { type: op, left: left.node, right: right.node, range: { start: left.node.range.start, end: right.node.range.end } }, q };
      }
      this.expect(')', `')'`);
      return left;
    }
    const value = this.parseValue();
    const node: FilterNode = { type: 'qualified', qualifiers: q ?? {}, inherited, value, range: value.range };
    if (value.kind === 'ipv4' || value.kind === 'ipv6') {
      if (this.is('/')) {
        this.pos++;
        if (this.tok.kind !== 'number') throw this.error('a prefix length');
        node.prefixLength = this.valueOf(this.tokens[this.pos++]!);
      } else if (value.kind === 'ipv4' && this.is('mask')) {
        this.pos++;
        if (this.tok.kind !== 'ipv4') throw this.error('a network mask');
        node.mask = this.valueOf(this.tokens[this.pos++]!);
      }
    }
    node.range = this.range(start);
    return { node, q };
  }

  private valueOf(t: Token): Value {
    const v: Value = { kind: t.kind === 'number' ? 'number' : (t.kind as Value['kind']), text: t.text, range: { start: t.start, end: t.end } };
    if (t.value !== undefined) v.number = t.value;
    return v;
  }

  private parseValue(): Value {
    const t = this.tok;
    if (t.kind === 'number' || t.kind === 'ipv4' || t.kind === 'ipv6' || t.kind === 'mac' || t.kind === 'name') {
      this.pos++;
      return this.valueOf(t);
    }
    throw this.error('a value');
  }

  /** other: `[proto] broadcast|multicast`, `less N`, `vlan [N]`, `byte N op N` … */
  private parseOther(proto: string | undefined, start: number): Parsed {
    const t = this.tok;
    const keyword = t.text;
    if (t.kind !== 'keyword') throw this.error('a filter primitive');
    this.pos++;
    const node: FilterNode = { type: 'keyword', keyword, range: { start, end: t.end } };
    if (proto !== undefined) node.proto = proto;
    if (keyword === 'broadcast' || keyword === 'multicast' || BARE_KEYWORDS.has(keyword)) {
      if (keyword === 'llc' && this.tok.kind === 'name') node.argument = this.valueOf(this.tokens[this.pos++]!);
      else if (keyword === 'llc' && this.is('rnr')) node.argument = this.valueOf(this.tokens[this.pos++]!);
    } else if (REQUIRED_NUMBER.has(keyword)) {
      if (this.tok.kind !== 'number') throw this.error('a number');
      node.argument = this.valueOf(this.tokens[this.pos++]!);
    } else if (OPTIONAL_NUMBER.has(keyword)) {
      const n = this.attempt(() => this.parsePnum());
      if (n) node.argument = n;
    } else if (keyword === 'byte') {
      if (this.tok.kind !== 'number') throw this.error('a byte offset');
      node.argument = this.valueOf(this.tokens[this.pos++]!);
      const op = this.tok;
      if (!['&', '|', '<', '>', '='].some((o) => this.is(o))) throw this.error(`one of '&', '|', '<', '>', '='`);
      this.pos++;
      if (this.tok.kind !== 'number') throw this.error('a number');
      const value = this.valueOf(this.tokens[this.pos++]!);
      node.operator = op.text;
      node.operand = value;
    } else if (FOREIGN_KEYWORDS.has(keyword)) {
      if (this.tok.kind === 'number' || this.tok.kind === 'name') node.argument = this.valueOf(this.tokens[this.pos++]!);
    } else {
      this.pos--;
      throw this.error('a filter primitive');
    }
    node.range = this.range(start);
    return { node, q: null };
  }

  /** pnum: NUM | ( pnum ). */
  private parsePnum(): Value {
    if (this.is('(')) {
      this.pos++;
      const v = this.parsePnum();
      this.expect(')');
      return v;
    }
    if (this.tok.kind !== 'number') throw this.error('a number');
    return this.valueOf(this.tokens[this.pos++]!);
  }

  private isArithContinuation(): boolean {
    return this.tok.kind === 'op' && (RELATIONS.has(this.tok.text) || ARITH_LEVELS.some((l) => (l as string[]).includes(this.tok.text)));
  }

  /** arth relop arth. */
  private parseRelation(): Parsed {
    const start = this.tok.start;
    const left = this.parseArith(0);
    const op = RELATIONS.get(this.tok.kind === 'op' ? this.tok.text : '');
    if (op === undefined) throw this.error(`a comparison ('=', '!=', '<', '<=', '>', '>=')`);
    this.pos++;
    const right = this.parseArith(0);
    return { node: { type: 'relation', operator: op, left, right, range: this.range(start) }, q: null };
  }

  private parseArith(level: number): ArithNode {
    if (level === ARITH_LEVELS.length) return this.parseUnary();
    let left = this.parseArith(level + 1);
    for (;;) {
      const t = this.tok;
      const op = ARITH_LEVELS[level]!.find((o) => this.is(o, t));
      if (!op) return left;
      this.pos++;
      const right = this.parseArith(level + 1);
      left = { type: 'binary', operator: op, left, right, range: { start: left.range.start, end: right.range.end } };
    }
  }

  private parseUnary(): ArithNode {
    const t = this.tok;
    const start = t.start;
    if (this.is('-')) {
      this.pos++;
      const operand = this.parseUnary();
      return { type: 'negate', operand, range: this.range(start) };
    }
    if (this.is('(')) {
      this.pos++;
      const inner = this.parseArith(0);
      this.expect(')', `')'`);
      return { ...inner, range: this.range(start) } as ArithNode;
    }
    if (t.kind === 'number') {
      this.pos++;
      return { type: 'number', value: t.value!, range: { start, end: t.end } };
    }
    if (this.is('len')) {
      this.pos++;
      return { type: 'len', range: { start, end: t.end } };
    }
    const proto = t.kind === 'keyword' ? PROTOCOL_KEYWORDS.get(t.text) : undefined;
    if (proto !== undefined && this.is('[', this.peek())) {
      this.pos += 2;
      const index = this.parseArith(0);
      let size: 1 | 2 | 4 = 1;
      if (this.is(':')) {
        this.pos++;
        const s = this.tok;
        if (s.kind !== 'number') throw this.error('a size (1, 2 or 4)');
        if (s.value !== 1 && s.value !== 2 && s.value !== 4) {
          throw new ParseError(this.source, s.start, s.end, `data size must be 1, 2, or 4, not ${s.text}`, 'a size (1, 2 or 4)');
        }
        size = s.value;
        this.pos++;
      }
      this.expect(']', `']'`);
      return { type: 'load', proto: t.text === 'ether' ? 'link' : proto, index, size, range: this.range(start) };
    }
    throw this.error('a number, len or a protocol field like tcp[13]');
  }
}

/** The first value of a bare id (`not (a or b)` → a). */
function firstValue(node: FilterNode): Value {
  if (node.type === 'qualified') return node.value;
  if (node.type === 'not') return firstValue(node.operand);
  if (node.type === 'and' || node.type === 'or') return firstValue(node.left);
  throw new Error(`a bare id holds no ${node.type}`);
}

/** Parses a pcap-filter expression; throws ParseError with the position and what was expected. */
export function parse(source: string): FilterAst {
  const tokens = tokenize(source);
  try {
    return { source, root: new Parser(source, tokens).parseProgram() };
  } catch (e) {
    if (e instanceof Fatal) throw e.error;
    throw e;
  }
}
