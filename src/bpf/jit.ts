/**
 * A classic BPF program translated once into a JavaScript function, straight-line, with the interpreter's
 * semantics (interpreter.ts, the oracle; test/unit/bpf/jit.test.ts holds the two to the same result on every
 * program and packet of the differential corpus):
 * - a load outside the captured bytes returns 0 (the packet is rejected);
 * - division or modulo by a zero X returns 0; shifts of 32 or more give 0;
 * - scratch memory M[0..15] starts at 0 for each packet (locals of the function).
 *
 * Jumps in a validated program go forwards, so every jump target t becomes a labelled block holding the
 * instructions before it: `break Lt` lands on instruction t. All blocks open at the start, the one for the
 * furthest target outermost, so they nest. A program with a backward jump (libpcap's protochain loop) or too
 * many targets to nest is not translated; the caller runs the interpreter instead.
 *
 * The translation only writes numbers from the program into the source (opcodes select fixed templates), so
 * no text from outside reaches `new Function`.
 */
import {
  BPF_A, BPF_ABS, BPF_ADD, BPF_ALU, BPF_AND, BPF_B, BPF_DIV, BPF_H, BPF_IMM, BPF_JA, BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JMP,
  BPF_JSET, BPF_K, BPF_LD, BPF_LDX, BPF_LEN, BPF_LSH, BPF_MEM, BPF_MISC, BPF_MOD, BPF_MUL, BPF_NEG, BPF_OR, BPF_RET,
  BPF_RSH, BPF_ST, BPF_STX, BPF_SUB, BPF_TXA, BPF_W, BPF_X, BPF_XOR, bpfClass, bpfMode, bpfOp, bpfSrc, type Instruction,
} from './instruction';
import { validate } from './interpreter';

/** A compiled program: the program's return value for a packet (0 rejects it). */
export type CompiledFilter = (packet: Uint8Array, wireLength: number) => number;

/** More jump targets than this would nest blocks deeper than engines parse comfortably; the interpreter runs those. */
const MAX_TARGETS = 600;

/** The bytes at `at` (a constant offset, or the variable t) as an unsigned value of size 4, 2 or 1. */
function read(size: number, at: number | 't'): string {
  const byte = (i: number): string => (at === 't' ? (i === 0 ? 'p[t]' : `p[t + ${i}]`) : `p[${at + i}]`);
  if (size === BPF_W) return `((${byte(0)} << 24) | (${byte(1)} << 16) | (${byte(2)} << 8) | ${byte(3)}) >>> 0`;
  if (size === BPF_H) return `(${byte(0)} << 8) | ${byte(1)}`;
  return byte(0);
}

const WIDTH: Record<number, number> = { [BPF_W]: 4, [BPF_H]: 2, [BPF_B]: 1 };

const ALU: Record<number, (a: string, b: string) => string> = {
  [BPF_ADD]: (a, b) => `(${a} + ${b}) >>> 0`,
  [BPF_SUB]: (a, b) => `(${a} - ${b}) >>> 0`,
  [BPF_MUL]: (a, b) => `Math.imul(${a}, ${b}) >>> 0`,
  [BPF_DIV]: (a, b) => `(${a} / ${b}) >>> 0`,
  [BPF_MOD]: (a, b) => `${a} % ${b}`,
  [BPF_AND]: (a, b) => `(${a} & ${b}) >>> 0`,
  [BPF_OR]: (a, b) => `(${a} | ${b}) >>> 0`,
  [BPF_XOR]: (a, b) => `(${a} ^ ${b}) >>> 0`,
  [BPF_LSH]: (a, b) => `${b} < 32 ? (${a} << ${b}) >>> 0 : 0`,
  [BPF_RSH]: (a, b) => `${b} < 32 ? ${a} >>> ${b} : 0`,
};

const CONDITION: Record<number, (operand: string) => string> = {
  [BPF_JEQ]: (o) => `a === ${o}`,
  [BPF_JGT]: (o) => `a > ${o}`,
  [BPF_JGE]: (o) => `a >= ${o}`,
  [BPF_JSET]: (o) => `(a & ${o}) !== 0`,
};

/** The statement for one instruction at index i (its jumps as breaks to labelled blocks). */
function statement(insn: Instruction, i: number): string {
  const { code, k } = insn;
  switch (bpfClass(code)) {
    case BPF_RET:
      return code === (BPF_RET | BPF_A) ? 'return a;' : `return ${k};`;
    case BPF_LD: {
      const mode = bpfMode(code);
      const size = code & 0x18;
      if (mode === BPF_IMM) return `a = ${k};`;
      if (mode === BPF_LEN) return 'a = wl;';
      if (mode === BPF_MEM) return `a = m${k};`;
      if (mode === BPF_ABS) return `if (${k + WIDTH[size]!} > len) return 0; a = ${read(size, k)};`;
      return `t = x + ${k}; if (t + ${WIDTH[size]!} > len) return 0; a = ${read(size, 't')};`;
    }
    case BPF_LDX: {
      const mode = bpfMode(code);
      if (mode === BPF_IMM) return `x = ${k};`;
      if (mode === BPF_LEN) return 'x = wl;';
      if (mode === BPF_MEM) return `x = m${k};`;
      return `if (${k} >= len) return 0; x = (p[${k}] & 15) << 2;`;
    }
    case BPF_ST:
      return `m${k} = a;`;
    case BPF_STX:
      return `m${k} = x;`;
    case BPF_MISC:
      return (code & 0xf8) === BPF_TXA ? 'a = x;' : 'x = a;';
    case BPF_ALU: {
      const op = bpfOp(code);
      if (op === BPF_NEG) return 'a = -a >>> 0;';
      if (bpfSrc(code) === BPF_K) return `a = ${ALU[op]!('a', String(k))};`;
      const guard = op === BPF_DIV || op === BPF_MOD ? 'if (x === 0) return 0; ' : '';
      return `${guard}a = ${ALU[op]!('a', 'x')};`;
    }
    default: {
      // BPF_JMP: targets are absolute instruction numbers; the next one needs no break.
      const next = i + 1;
      if (bpfOp(code) === BPF_JA) return next + k === next ? '' : `break L${next + k};`;
      const t = next + insn.jt;
      const f = next + insn.jf;
      if (t === f) return t === next ? '' : `break L${t};`;
      const cond = CONDITION[bpfOp(code)]!(bpfSrc(code) === BPF_X ? 'x' : String(k));
      if (t === next) return `if (!(${cond})) break L${f};`;
      if (f === next) return `if (${cond}) break L${t};`;
      return `if (${cond}) break L${t}; break L${f};`;
    }
  }
}

/** Jump targets other than the next instruction; undefined when a jump goes backwards. */
function targets(program: readonly Instruction[]): Set<number> | undefined {
  const out = new Set<number>();
  for (let i = 0; i < program.length; i++) {
    const { code, k, jt, jf } = program[i]!;
    if (bpfClass(code) !== BPF_JMP) continue;
    const jumps = bpfOp(code) === BPF_JA ? [k | 0] : [jt, jf];
    for (const j of jumps) {
      if (j < 0) return undefined;
      if (j > 0) out.add(i + 1 + j);
    }
  }
  return out;
}

/** The JavaScript source of a program's function body (parameters p, wl), or undefined when it is not translated. */
export function translate(program: readonly Instruction[]): string | undefined {
  validate(program);
  const jumpTargets = targets(program);
  if (!jumpTargets || jumpTargets.size > MAX_TARGETS) return undefined;
  const memory = new Set<number>();
  for (const { code, k } of program) {
    const cls = bpfClass(code);
    if (cls === BPF_ST || cls === BPF_STX || ((cls === BPF_LD || cls === BPF_LDX) && bpfMode(code) === BPF_MEM)) memory.add(k);
  }
  const lines = ["'use strict';", 'const len = p.length;', 'let a = 0, x = 0, t = 0;'];
  if (memory.size) lines.push(`let ${[...memory].sort((a, b) => a - b).map((m) => `m${m} = 0`).join(', ')};`);
  const sorted = [...jumpTargets].sort((a, b) => b - a);
  lines.push(sorted.map((t) => `L${t}: {`).join(' '));
  program.forEach((insn, i) => {
    if (jumpTargets.has(i)) lines.push('}');
    lines.push(statement(insn, i));
  });
  // The last instruction returns (validate); this keeps the function's result a number for the engine.
  lines.push('return 0;');
  return lines.join('\n');
}

/** The program compiled to a function, or undefined when it is not translated or the engine refuses `new Function`. */
export function compileToFunction(program: readonly Instruction[]): CompiledFilter | undefined {
  const body = translate(program);
  if (body === undefined) return undefined;
  try {
    return new Function('p', 'wl', body) as CompiledFilter;
  } catch {
    // A Content-Security-Policy without 'unsafe-eval', or a nesting the engine cannot parse.
    return undefined;
  }
}
