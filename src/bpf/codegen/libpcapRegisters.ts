/**
 * What libpcap's scratch registers hold when `geneve` takes them, so that labtel's program leaves the same
 * values in Geneve's offset registers on packets that are not Geneve.
 *
 * libpcap (gencode.c, init_regs / alloc_reg / free_reg) hands registers out from a cursor that starts at M[0]:
 * alloc_reg returns the cursor's register if it is free, else moves the cursor on (wrapping) to the next free
 * one; free_reg marks a register free and leaves the cursor where it is. The calls come in the order the
 * grammar reduces the expression, left to right:
 * - arithmetic (gen_loadi, gen_loadlen, gen_load, gen_neg, gen_arth) stores every operand and every
 *   intermediate result in a register of its own; gen_load allocates its result before freeing its index's,
 *   gen_arth frees both operands before allocating its result, gen_relation frees both sides;
 * - gen_protochain allocates one register for the header it steps over and frees it at the end; without an
 *   ip/ip6 qualifier it first allocates one more, then calls itself for IPv4 and for IPv6, and never frees
 *   that outer one;
 * - gen_geneve_offsets allocates the link-type register, then the link-header one, then the link-payload one,
 *   and never frees them.
 * Geneve's registers are stored only when the packet is Geneve; on every other packet, what follows `geneve`
 * (after an `or`, or under `not`) reads the offsets from whatever the code before stored there — a relation's
 * operand, a protochain's next header — or nothing. libpcap does not optimise a program with `geneve` in it,
 * so all those stores run, and a load at such an offset past a short packet rejects it.
 *
 * labtel keeps its own layout (Geneve's offsets at the top of scratch memory, arithmetic below) and mirrors the
 * values: each relation or protochain that stores into a register a later `geneve` takes also stores the same
 * value into labtel's register for that offset.
 */
import type { ArithNode, FilterNode, QualifiedNode, Range, RelationNode } from '../ast';
import { BPF_MEMWORDS } from '../instruction';

/** Registers per `geneve`: link type, link header, link payload, in libpcap's order of allocation. */
export const GENEVE_REGISTERS = 3;

/**
 * labtel's registers for the nth `geneve` (0-based) in the expression: link type, link header, link payload,
 * taken from the top of scratch memory down.
 */
export function geneveRegisters(nth: number): { type: number; header: number; payload: number } {
  const top = BPF_MEMWORDS - GENEVE_REGISTERS * nth;
  return { type: top - 1, header: top - 2, payload: top - 3 };
}

/** A value libpcap's relation code leaves in one of labtel's Geneve registers: the subtree it computes. */
export interface MirroredStore {
  register: number;
  value: ArithNode;
}

export interface RegisterPlan {
  /** For each relation: the last value its code stores in each register a later `geneve` takes. */
  relationStores: Map<RelationNode, MirroredStore[]>;
  /**
   * For each `protochain`: the labtel register to step over headers with, per IP version, when a later
   * `geneve` takes libpcap's register for it (labtel's default, M[0], otherwise).
   */
  protochainRegisters: Map<QualifiedNode, { ip?: number; ip6?: number }>;
  /**
   * The primitive where libpcap runs out of registers, if it does: alloc_reg fails with "too many registers
   * needed to evaluate expression" (each unqualified `protochain` keeps one, each `geneve` three).
   */
  exhaustedAt?: Range;
}

/** libpcap's allocator: a cursor and the registers in use. */
class Allocator {
  private readonly used: boolean[] = new Array<boolean>(BPF_MEMWORDS).fill(false);
  private cursor = 0;

  /** The next register, or undefined when all are in use (libpcap fails the compile there). */
  alloc(): number | undefined {
    for (let tries = 0; tries < BPF_MEMWORDS; tries++) {
      if (!this.used[this.cursor]) {
        this.used[this.cursor] = true;
        return this.cursor;
      }
      this.cursor = (this.cursor + 1) % BPF_MEMWORDS;
    }
    return undefined;
  }

  free(n: number | undefined): void {
    if (n !== undefined) this.used[n] = false;
  }
}

class RegistersExhausted extends Error {
  constructor(readonly at: Range) {
    super('too many registers needed to evaluate expression');
  }
}

/** A store libpcap's code makes: the register, who makes it, and for arithmetic, the value. */
interface Store {
  register: number;
  relation?: RelationNode;
  value?: ArithNode;
  protochain?: { node: QualifiedNode; version: 'ip' | 'ip6' };
}

/** The plan for an expression, from a walk in libpcap's order of reduction. */
export function planRegisters(root: FilterNode | undefined): RegisterPlan {
  const registers = new Allocator();
  const stores: Store[] = [];
  /** libpcap's register → labtel's register for the same Geneve offset. */
  const taken = new Map<number, number>();
  let geneves = 0;
  /** The primitive being walked. */
  let at: Range = { start: 0, end: 0 };

  const alloc = (): number => {
    const n = registers.alloc();
    if (n === undefined) throw new RegistersExhausted(at);
    return n;
  };

  /** An arithmetic value's register, after its code has stored it (gencode.c gen_loadi … gen_arth). */
  const arith = (node: ArithNode, relation: RelationNode): number => {
    const stored = (register: number): number => {
      stores.push({ register, relation, value: node });
      return register;
    };
    switch (node.type) {
      case 'number':
      case 'len':
        return stored(alloc());
      case 'load': {
        const index = arith(node.index, relation);
        const result = alloc();
        registers.free(index);
        return stored(result);
      }
      case 'negate':
        return stored(arith(node.operand, relation));
      case 'binary': {
        const left = arith(node.left, relation);
        const right = arith(node.right, relation);
        registers.free(left);
        registers.free(right);
        return stored(alloc());
      }
    }
  };

  const protochain = (node: QualifiedNode, version: 'ip' | 'ip6'): void => {
    const register = alloc();
    stores.push({ register, protochain: { node, version } });
    registers.free(register);
  };

  const walk = (node: FilterNode): void => {
    switch (node.type) {
      case 'and':
      case 'or':
        walk(node.left);
        walk(node.right);
        return;
      case 'not':
        walk(node.operand);
        return;
      case 'relation': {
        at = node.range;
        const left = arith(node.left, node);
        const right = arith(node.right, node);
        registers.free(left);
        registers.free(right);
        return;
      }
      case 'qualified':
        if (node.qualifiers.type !== 'protochain') return;
        at = node.range;
        if (node.qualifiers.proto === 'ip' || node.qualifiers.proto === 'ip6') return protochain(node, node.qualifiers.proto);
        alloc();
        protochain(node, 'ip');
        protochain(node, 'ip6');
        return;
      case 'keyword':
        at = node.range;
        if (node.keyword === 'geneve') geneve();
        return;
      case 'protocol':
        return;
    }
  };

  const geneve = (): void => {
    const mine = geneveRegisters(geneves++);
    for (const labtel of [mine.type, mine.header, mine.payload]) taken.set(alloc(), labtel);
  };

  const plan: RegisterPlan = { relationStores: new Map(), protochainRegisters: new Map() };
  try {
    if (root) walk(root);
  } catch (e) {
    if (!(e instanceof RegistersExhausted)) throw e;
    plan.exhaustedAt = e.at;
  }

  for (const store of stores) {
    const labtel = taken.get(store.register);
    if (labtel === undefined) continue;
    if (store.relation && store.value) {
      const list = plan.relationStores.get(store.relation) ?? [];
      // The last store in a register is the value it keeps.
      const at = list.findIndex((m) => m.register === labtel);
      if (at >= 0) list.splice(at, 1);
      list.push({ register: labtel, value: store.value });
      plan.relationStores.set(store.relation, list);
    } else if (store.protochain) {
      const entry = plan.protochainRegisters.get(store.protochain.node) ?? {};
      entry[store.protochain.version] = labtel;
      plan.protochainRegisters.set(store.protochain.node, entry);
    }
  }
  return plan;
}
