/**
 * Arithmetic and relations (`tcp[13] & 2 != 0`, `len > 100`): values computed into the accumulator, with
 * right-hand operands parked in scratch memory, and the guards a protocol load needs (libpcap's gen_load:
 * `tcp[…]` is IPv4 only, first fragments only; `icmp6[…]` is IPv6 with next header 58).
 */
import type { ArithNode, RelationNode } from '../ast';
import { compileError } from '../compileError';
import {
  BPF_ABS, BPF_ADD, BPF_ALU, BPF_AND, BPF_B, BPF_DIV, BPF_H, BPF_IMM, BPF_IND, BPF_JEQ, BPF_JGE, BPF_JGT, BPF_K, BPF_LD, BPF_LDX,
  BPF_LEN, BPF_LSH, BPF_MEM, BPF_MISC, BPF_MOD, BPF_MUL, BPF_NEG, BPF_OR, BPF_RSH, BPF_ST, BPF_SUB, BPF_TAX,
  BPF_W, BPF_X, BPF_XOR, stmt, type Instruction,
} from '../instruction';
import { and, effect, not, relationTest, TRUE, type Predicate } from '../predicate';
import { IPPROTO, IPV6_HEADER_LENGTH, ipv4FirstFragment } from './ip';
import { equals, ETHERTYPE, linkType } from './link';
import { protocolAbbreviation } from './protocols';
import { loadIpv4HeaderLength, networkOffset, type CodegenState, type Offset } from './state';

const ALU_CODES: Record<string, number> = {
  '+': BPF_ADD, '-': BPF_SUB, '*': BPF_MUL, '/': BPF_DIV, '%': BPF_MOD, '&': BPF_AND, '|': BPF_OR, '^': BPF_XOR, '<<': BPF_LSH, '>>': BPF_RSH,
};
const SIZES = { 1: BPF_B, 2: BPF_H, 4: BPF_W } as const;
/** Protocols whose `[…]` counts from the transport header after IPv4's variable-length header. */
const TRANSPORT_OVER_IPV4 = new Set(['tcp', 'udp', 'sctp', 'icmp', 'igmp', 'igrp', 'pim', 'vrrp', 'carp']);
/** Protocols whose `[…]` counts from the network-layer header (libpcap's gen_load_internal: IP, ARP, DEC's, AppleTalk). */
const NETWORK_LAYER = new Set(['ip', 'arp', 'rarp', 'ip6', 'atalk', 'decnet', 'sca', 'lat', 'moprc', 'mopdl']);
const LARGEST_SHIFT = 31;

interface Value {
  stmts: Instruction[];
  /** The packet must be of these protocols for the value to mean anything. */
  guard: Predicate;
  /** The value when it is a constant (then stmts is `ld #k`). */
  constant?: number;
  /**
   * How libpcap's code loads the value when stmts starts with an absolute load folded from a constant index:
   * `ldb [x + base]` with X the index, so `ether[20]` (base 0) and `ip6[6]` (base 14) are different values to
   * its branch optimiser, which runs before constant X are folded into absolute loads.
   */
  loadForm?: string;
}

/** The value of an arithmetic tree made of constants only (unsigned 32-bit, as BPF computes it). */
export function constantValue(node: ArithNode): number | undefined {
  switch (node.type) {
    case 'number':
      return node.value >>> 0;
    case 'negate': {
      const v = constantValue(node.operand);
      return v === undefined ? undefined : -v >>> 0;
    }
    case 'binary': {
      const a = constantValue(node.left);
      const b = constantValue(node.right);
      if (a === undefined || b === undefined) return undefined;
      switch (node.operator) {
        case '+': return (a + b) >>> 0;
        case '-': return (a - b) >>> 0;
        case '*': return Math.imul(a, b) >>> 0;
        case '/': return b === 0 ? undefined : (a / b) >>> 0;
        case '%': return b === 0 ? undefined : a % b;
        case '&': return (a & b) >>> 0;
        case '|': return (a | b) >>> 0;
        case '^': return (a ^ b) >>> 0;
        case '<<': return b < 32 ? (a << b) >>> 0 : 0;
        case '>>': return b < 32 ? a >>> b : 0;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

class ArithCompiler {
  constructor(private readonly s: CodegenState) {}

  /** A value into A; scratch slots from `slot` upwards are free. */
  value(node: ArithNode, slot: number): Value {
    switch (node.type) {
      case 'number':
        return { stmts: [stmt(BPF_LD | BPF_IMM, node.value)], guard: TRUE, constant: node.value >>> 0 };
      case 'len':
        return { stmts: [stmt(BPF_LD | BPF_W | BPF_LEN, 0)], guard: TRUE };
      case 'negate': {
        const v = this.value(node.operand, slot);
        return { stmts: [...v.stmts, stmt(BPF_ALU | BPF_NEG, 0)], guard: v.guard };
      }
      case 'binary': {
        const code = ALU_CODES[node.operator]!;
        const right = node.right;
        if (right.type === 'number') {
          if ((code === BPF_DIV || code === BPF_MOD) && right.value === 0) {
            throw compileError(this.s, node.range, code === BPF_DIV ? 'division by zero' : 'modulus by zero');
          }
          if ((code === BPF_LSH || code === BPF_RSH) && right.value > LARGEST_SHIFT) {
            throw compileError(this.s, node.range, 'shift by more than 31 bits');
          }
          const l = this.value(node.left, slot);
          return { stmts: [...l.stmts, stmt(BPF_ALU | code | BPF_K, right.value)], guard: l.guard, loadForm: l.loadForm };
        }
        const r = this.value(right, slot);
        const l = this.value(node.left, slot + 1);
        this.checkSlot(slot, node);
        return {
          stmts: [...r.stmts, stmt(BPF_ST, slot), ...l.stmts, stmt(BPF_LDX | BPF_MEM, slot), stmt(BPF_ALU | code | BPF_X, 0)],
          // libpcap's gen_arth keeps the left operand's protocol checks and drops the right one's when both have
          // some (gen_and's backpatch is overwritten later): `ip[0] - tcp[0] != 0` checks only for IPv4.
          guard: l.guard !== TRUE ? l.guard : r.guard,
        };
      }
      case 'load':
        return this.load(node, slot);
    }
  }

  private checkSlot(slot: number, node: ArithNode): void {
    if (slot >= this.s.scratchLimit) throw compileError(this.s, node.range, 'too many registers needed to evaluate expression');
  }

  private load(node: Extract<ArithNode, { type: 'load' }>, slot: number): Value {
    const s = this.s;
    const size = SIZES[node.size];
    const proto = node.proto;
    let base: Offset;
    let guard: Predicate;
    let transport = false;
    if (proto === 'link') {
      base = s.offLinkHeader;
      guard = TRUE;
    } else if (NETWORK_LAYER.has(proto)) {
      base = networkOffset(s);
      guard = protocolAbbreviation(s, proto, node.range);
    } else if (TRANSPORT_OVER_IPV4.has(proto)) {
      base = networkOffset(s);
      transport = true;
      guard = and(linkType(s, ETHERTYPE.IP), protocolAbbreviation(s, proto, node.range), ipv4FirstFragment(s));
    } else if (proto === 'icmp6') {
      base = networkOffset(s, IPV6_HEADER_LENGTH);
      guard = and(linkType(s, ETHERTYPE.IPV6), equals(networkOffset(s, 6), 1, IPPROTO.ICMPV6));
    } else {
      throw compileError(s, node.range, `unsupported index operation: '${proto}[…]'`, 'a protocol with a header to index');
    }
    const index = node.index;
    const ind = stmt(BPF_LD | size | BPF_IND, base.k);
    // X = the index plus the variable part of the base (libpcap's gen_load_internal).
    const addBase = transport ? loadIpv4HeaderLength(s) : base.reg !== undefined ? [stmt(BPF_LDX | BPF_MEM, base.reg)] : undefined;
    const k = constantValue(index);
    if (k !== undefined) {
      // A constant index on a constant base is folded into the offset modulo 2^32, as libpcap's optimiser does
      // (`ip[-1]` reads [13]); after Geneve libpcap does not optimise, and adds the index to X.
      if (base.reg === undefined && !transport) return { stmts: [stmt(BPF_LD | size | BPF_ABS, (base.k + k) >>> 0)], guard, loadForm: `[x + ${base.k}], x = ${k}` };
      // Over IPv4 libpcap's code adds the index to X (`ld #k; add x; tax; ld [x + base]`), folded into the load's
      // offset only once its optimiser simplifies statements, after its branch optimisation: to that, the value is
      // not the same as a port test's `ld [x + base + k]` after the same `ldxb` (optimize.c: opt_blks moves
      // branches only while do_stmts is 0).
      if (base.reg === undefined) {
        return { stmts: [...addBase!, stmt(BPF_LD | size | BPF_IND, (base.k + k) >>> 0)], guard, loadForm: `[x + ${base.k}], x = ${k} + ip header` };
      }
      return { stmts: [...addBase!, stmt(BPF_LD | BPF_IMM, k), stmt(BPF_ALU | BPF_ADD | BPF_X, 0), stmt(BPF_MISC | BPF_TAX, 0), ind], guard };
    }
    const i = this.value(index, slot);
    if (!addBase) return { stmts: [...i.stmts, stmt(BPF_MISC | BPF_TAX, 0), ind], guard: and(guard, i.guard) };
    this.checkSlot(slot, node);
    return {
      stmts: [
        ...i.stmts, stmt(BPF_ST, slot), ...addBase, stmt(BPF_LD | BPF_MEM, slot),
        stmt(BPF_ALU | BPF_ADD | BPF_X, 0), stmt(BPF_MISC | BPF_TAX, 0), ind,
      ],
      guard: and(guard, i.guard),
    };
  }
}

/** `left op right`: guards of both sides, then the comparison. */
export function relation(s: CodegenState, node: RelationNode): Predicate {
  const c = new ArithCompiler(s);
  const jump = { '=': BPF_JEQ, '!=': BPF_JEQ, '>': BPF_JGT, '<=': BPF_JGT, '>=': BPF_JGE, '<': BPF_JGE }[node.operator];
  const negate = node.operator === '!=' || node.operator === '<=' || node.operator === '<';
  // Constants on both sides: libpcap's optimiser folds the comparison, loads and all.
  const [cl, cr] = [constantValue(node.left), constantValue(node.right)];
  if (cl !== undefined && cr !== undefined) {
    const holds = jump === BPF_JEQ ? cl === cr : jump === BPF_JGT ? cl > cr : cl >= cr;
    const folded: Predicate = { kind: 'const', value: holds !== negate, comparesConstants: true };
    const mirrored = mirroredStores(s, c, node);
    return mirrored.length ? and(effect(mirrored), folded) : folded;
  }
  const left = c.value(node.left, 1);
  let cmp: Predicate;
  let guard: Predicate;
  if (node.right.type === 'number') {
    cmp = relationTest([...mirroredStores(s, c, node), ...left.stmts], jump, node.right.value, left.loadForm);
    guard = left.guard;
  } else {
    const right = c.value(node.right, 1);
    const l = c.value(node.left, 1);
    const mirrored = mirroredStores(s, c, node);
    cmp = relationTest([...mirrored, ...right.stmts, stmt(BPF_ST, 0), ...l.stmts, stmt(BPF_LDX | BPF_MEM, 0)], jump | BPF_X, 0);
    guard = and(l.guard, right.guard);
  }
  return and(guard, negate ? not(cmp) : cmp);
}

/**
 * The stores libpcap's code for this relation makes in registers a later `geneve` takes for its offsets,
 * made into labtel's registers for those offsets (libpcapRegisters.ts): each the value of an operand or an
 * intermediate result. They run where libpcap's do, after the relation's protocol checks and before its
 * comparison, and load nothing the relation does not load itself. Empty without a later `geneve`.
 */
function mirroredStores(s: CodegenState, c: ArithCompiler, node: RelationNode): Instruction[] {
  const planned = s.libpcapRegisters.relationStores.get(node) ?? [];
  return planned.flatMap(({ register, value }) => [...c.value(value, 1).stmts, stmt(BPF_ST, register)]);
}
