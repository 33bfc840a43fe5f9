/**
 * The compiler's middle form: a filter as a boolean formula over tests. A test runs a few straight-line
 * statements (loads, arithmetic) and ends in one conditional jump; and/or/not combine tests. Lowering
 * (lower.ts) turns the formula into jumping code, as libpcap's gencode does with its blocks and edges. An effect
 * runs statements for what they leave in scratch memory (Geneve's offsets) and is always true.
 */
import { BPF_JMP, type Instruction } from './instruction';

export type Predicate =
  /**
   * `relation`: a comparison written as a relation (`ip[9] = 6`), which libpcap computes as a difference
   * compared with 0; only the threading model tells it apart (lower.ts, libpcapJump).
   */
  /**
   * `folds`: the outcome libpcap's optimiser finds without the packet (a word under a zero mask), for a test
   * libpcap's generated code makes all the same; it runs, loads included, only when libpcap does not optimise.
   */
  | { kind: 'test'; stmts: Instruction[]; code: number; k: number; relation?: boolean; folds?: boolean; loadForm?: string }
  | { kind: 'and' | 'or'; left: Predicate; right: Predicate }
  | { kind: 'not'; operand: Predicate }
  /** `comparesConstants`: a relation of two constants (`2 > 3`), a block of constant loads in libpcap's code. */
  | { kind: 'const'; value: boolean; comparesConstants?: boolean }
  | { kind: 'effect'; stmts: Instruction[] };

export const TRUE: Predicate = { kind: 'const', value: true };
export const FALSE: Predicate = { kind: 'const', value: false };

/** A test: run stmts, then jump on `code` (a BPF_JMP opcode without the class) against k. */
export function test(stmts: Instruction[], op: number, k: number): Predicate {
  return { kind: 'test', stmts, code: BPF_JMP | op, k: k >>> 0 };
}

/** A test libpcap generates and its optimiser decides (see the `folds` field). */
export function foldedTest(stmts: Instruction[], op: number, k: number, outcome: boolean): Predicate {
  return { kind: 'test', stmts, code: BPF_JMP | op, k: k >>> 0, folds: outcome };
}

/** A test written as a relation (see the `relation` field). */
export function relationTest(stmts: Instruction[], op: number, k: number, loadForm?: string): Predicate {
  return { kind: 'test', stmts, code: BPF_JMP | op, k: k >>> 0, relation: true, ...(loadForm === undefined ? {} : { loadForm }) };
}

export function and(...ps: Predicate[]): Predicate {
  return ps.reduce((left, right) => ({ kind: 'and', left, right }));
}

export function or(...ps: Predicate[]): Predicate {
  return ps.reduce((left, right) => ({ kind: 'or', left, right }));
}

export function not(operand: Predicate): Predicate {
  return { kind: 'not', operand };
}

/** Statements run for their effect on scratch memory; always true. */
export function effect(stmts: Instruction[]): Predicate {
  return { kind: 'effect', stmts };
}
