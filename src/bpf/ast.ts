/**
 * The syntax tree of a pcap-filter expression. Every node carries the source range it was parsed from
 * (offsets into the expression, end exclusive), for diagnostics and hovers.
 */

export interface Range {
  start: number;
  end: number;
}

/** The protocol qualifiers and protocol-only primitives (pcap-filter(7) "proto"); `link` is also `ether`. */
export type ProtocolName = string;

/** Direction qualifiers: src, dst and their combinations; ra/ta/addr1-4 are 802.11's. */
export type Direction = 'src' | 'dst' | 'src or dst' | 'src and dst' | 'ra' | 'ta' | 'addr1' | 'addr2' | 'addr3' | 'addr4';

/** Type qualifiers: what the value names. */
export type AddressType = 'host' | 'net' | 'port' | 'portrange' | 'gateway' | 'proto' | 'protochain';

/**
 * The qualifiers in force for a value: those written before it, or inherited from the previous primitive
 * (`host a and b`). An absent field is libpcap's default for it.
 */
export interface Qualifiers {
  proto?: ProtocolName;
  dir?: Direction;
  type?: AddressType;
}

export type ValueKind = 'number' | 'ipv4' | 'ipv6' | 'mac' | 'name';

export interface Value {
  kind: ValueKind;
  text: string;
  /** For 'number'. */
  number?: number;
  range: Range;
}

/** A value with its qualifiers: `host 192.0.2.1`, `src net 2001:db8::/32`, `tcp port http`, `ip proto 6`. */
export interface QualifiedNode {
  type: 'qualified';
  qualifiers: Qualifiers;
  /** The qualifiers came from the previous primitive (`and b`), not written here. */
  inherited: boolean;
  value: Value;
  /** `/LEN` after an address. */
  prefixLength?: Value;
  /** `mask ADDR` after an IPv4 address. */
  mask?: Value;
  range: Range;
}

/** A protocol on its own: `ip`, `tcp`, `icmp6`, `ether` … */
export interface ProtocolNode {
  type: 'protocol';
  proto: ProtocolName;
  range: Range;
}

/** Keyword primitives: `broadcast`, `ip multicast`, `less 60`, `vlan 100`, `mpls`, `pppoes 3`, `geneve` … */
export interface KeywordNode {
  type: 'keyword';
  keyword: string;
  /** The protocol written before it (`ip broadcast`, `ether multicast`). */
  proto?: ProtocolName;
  /** Its numeric argument, when given (`vlan 100`, the offset of `byte 3 = 4`). */
  argument?: Value;
  /** `byte N OP M`: the operator and M. */
  operator?: string;
  operand?: Value;
  range: Range;
}

export type RelationOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** `ARITH relop ARITH`: `tcp[13] & 2 != 0`, `len > 100`. */
export interface RelationNode {
  type: 'relation';
  operator: RelationOperator;
  left: ArithNode;
  right: ArithNode;
  range: Range;
}

export interface AndOrNode {
  type: 'and' | 'or';
  left: FilterNode;
  right: FilterNode;
  range: Range;
}

export interface NotNode {
  type: 'not';
  operand: FilterNode;
  range: Range;
}

export type FilterNode = QualifiedNode | ProtocolNode | KeywordNode | RelationNode | AndOrNode | NotNode;

export type ArithOperator = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>';

export type ArithNode =
  | { type: 'number'; value: number; range: Range }
  | { type: 'len'; range: Range }
  /** `proto[index]` or `proto[index:size]`: bytes relative to the start of that protocol's header. */
  | { type: 'load'; proto: ProtocolName; index: ArithNode; size: 1 | 2 | 4; range: Range }
  | { type: 'binary'; operator: ArithOperator; left: ArithNode; right: ArithNode; range: Range }
  | { type: 'negate'; operand: ArithNode; range: Range };

/** A whole expression: undefined for the empty expression, which accepts every packet. */
export interface FilterAst {
  source: string;
  root: FilterNode | undefined;
}
