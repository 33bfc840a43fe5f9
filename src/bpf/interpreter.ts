/**
 * A classic BPF interpreter with the semantics of the Linux kernel's socket filters and libpcap's bpf_filter():
 * - a load outside the packet (absolute, indirect or BPF_MSH) ends the program with 0: the packet is rejected;
 * - division or modulo by a zero X ends the program with 0 (a constant zero divisor is refused by validate());
 * - shifts by X of 32 or more give 0 (libpcap's bpf_filter.c; the kernel's checker refuses constant ones);
 * - scratch memory M[0..15] starts zeroed for every packet;
 * - `ld len` / `ldx len` load the packet's length on the wire, which may exceed the captured bytes.
 * The returned value is the program's: the number of bytes to keep, 0 to drop the packet.
 */
import {
  BPF_A,
  BPF_ABS,
  BPF_ADD,
  BPF_ALU,
  BPF_AND,
  BPF_B,
  BPF_DIV,
  BPF_H,
  BPF_IMM,
  BPF_IND,
  BPF_JA,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JMP,
  BPF_JSET,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_LSH,
  BPF_MAXINSNS,
  BPF_MEM,
  BPF_MEMWORDS,
  BPF_MISC,
  BPF_MOD,
  BPF_MSH,
  BPF_MUL,
  BPF_NEG,
  BPF_OR,
  BPF_RET,
  BPF_RSH,
  BPF_ST,
  BPF_STX,
  BPF_SUB,
  BPF_TAX,
  BPF_TXA,
  BPF_W,
  BPF_X,
  BPF_XOR,
  bpfClass,
  bpfMode,
  bpfOp,
  bpfSrc,
  type Instruction,
} from './instruction';

/** Every opcode the kernel's classic BPF checker (net/core/filter.c) accepts. */
const VALID_CODES = new Set<number>([
  BPF_LD | BPF_IMM,
  BPF_LD | BPF_W | BPF_LEN,
  BPF_LD | BPF_MEM,
  BPF_LDX | BPF_IMM,
  BPF_LDX | BPF_W | BPF_LEN,
  BPF_LDX | BPF_MEM,
  BPF_LDX | BPF_B | BPF_MSH,
  BPF_ST,
  BPF_STX,
  BPF_RET | BPF_K,
  BPF_RET | BPF_A,
  BPF_MISC | BPF_TAX,
  BPF_MISC | BPF_TXA,
  BPF_ALU | BPF_NEG,
  BPF_JMP | BPF_JA,
  ...[BPF_W, BPF_H, BPF_B].flatMap((size) => [BPF_LD | size | BPF_ABS, BPF_LD | size | BPF_IND]),
  ...[BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD, BPF_AND, BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH].flatMap((op) => [
    BPF_ALU | op | BPF_K,
    BPF_ALU | op | BPF_X,
  ]),
  ...[BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET].flatMap((op) => [BPF_JMP | op | BPF_K, BPF_JMP | op | BPF_X]),
]);

/** A program the kernel would refuse to attach: why, and at which instruction. */
export class InvalidProgramError extends Error {
  override readonly name = 'InvalidProgramError';
  constructor(
    readonly index: number,
    readonly reason: string,
  ) {
    super(`instruction ${index}: ${reason}`);
  }
}

/**
 * Checks a program as the kernel's checker does: known opcodes, jumps that stay inside the program,
 * scratch memory indices below 16, no constant division by zero, and a return as the last instruction.
 */
export function validate(program: readonly Instruction[]): void {
  const n = program.length;
  if (n === 0 || n > BPF_MAXINSNS) throw new InvalidProgramError(0, `a program has 1 to ${BPF_MAXINSNS} instructions, not ${n}`);
  program.forEach((insn, i) => {
    const { code, k } = insn;
    if (!VALID_CODES.has(code)) throw new InvalidProgramError(i, `unknown opcode 0x${code.toString(16)}`);
    const cls = bpfClass(code);
    if ((cls === BPF_ST || cls === BPF_STX || ((cls === BPF_LD || cls === BPF_LDX) && bpfMode(code) === BPF_MEM)) && k >= BPF_MEMWORDS) {
      throw new InvalidProgramError(i, `scratch memory index ${k} is not below ${BPF_MEMWORDS}`);
    }
    if (cls === BPF_ALU && bpfSrc(code) === BPF_K && k === 0 && (bpfOp(code) === BPF_DIV || bpfOp(code) === BPF_MOD)) {
      throw new InvalidProgramError(i, 'division by the constant 0');
    }
    if (cls === BPF_JMP) {
      // The kernel only jumps forwards; libpcap's protochain loop jumps back with `ja` (k negative), which its
      // own interpreter runs, so a backward `ja` that lands inside the program is let through.
      const far = bpfOp(code) === BPF_JA ? i + 1 + (k | 0) : i + 1 + Math.max(insn.jt, insn.jf);
      if (far >= n || far < 0) throw new InvalidProgramError(i, `jump to ${far}, outside the program (${n} instructions)`);
    }
  });
  if (bpfClass(program[n - 1]!.code) !== BPF_RET) throw new InvalidProgramError(n - 1, 'the last instruction is not a return');
}

/** A program laid out in typed arrays for the interpreter's loop; built once per program and cached. */
const LD_W_ABS = BPF_LD | BPF_W | BPF_ABS;
const LD_H_ABS = BPF_LD | BPF_H | BPF_ABS;
const LD_B_ABS = BPF_LD | BPF_B | BPF_ABS;
const LD_W_IND = BPF_LD | BPF_W | BPF_IND;
const LD_H_IND = BPF_LD | BPF_H | BPF_IND;
const LD_B_IND = BPF_LD | BPF_B | BPF_IND;

/**
 * The opcodes run() handles, in the order of its switch: a program is prepared into these dense indices so the
 * switch compiles to a jump table (the case comments name each opcode).
 */
const DENSE_OPCODES = [
  BPF_RET | BPF_K,
  BPF_RET | BPF_A,
  LD_W_ABS,
  LD_H_ABS,
  LD_B_ABS,
  LD_W_IND,
  LD_H_IND,
  LD_B_IND,
  BPF_LDX | BPF_B | BPF_MSH,
  BPF_LD | BPF_W | BPF_LEN,
  BPF_LDX | BPF_W | BPF_LEN,
  BPF_LD | BPF_IMM,
  BPF_LDX | BPF_IMM,
  BPF_LD | BPF_MEM,
  BPF_LDX | BPF_MEM,
  BPF_ST,
  BPF_STX,
  BPF_JMP | BPF_JA,
  BPF_JMP | BPF_JEQ | BPF_K,
  BPF_JMP | BPF_JGT | BPF_K,
  BPF_JMP | BPF_JGE | BPF_K,
  BPF_JMP | BPF_JSET | BPF_K,
  BPF_JMP | BPF_JEQ | BPF_X,
  BPF_JMP | BPF_JGT | BPF_X,
  BPF_JMP | BPF_JGE | BPF_X,
  BPF_JMP | BPF_JSET | BPF_X,
  BPF_ALU | BPF_ADD | BPF_K,
  BPF_ALU | BPF_SUB | BPF_K,
  BPF_ALU | BPF_MUL | BPF_K,
  BPF_ALU | BPF_DIV | BPF_K,
  BPF_ALU | BPF_MOD | BPF_K,
  BPF_ALU | BPF_AND | BPF_K,
  BPF_ALU | BPF_OR | BPF_K,
  BPF_ALU | BPF_XOR | BPF_K,
  BPF_ALU | BPF_LSH | BPF_K,
  BPF_ALU | BPF_RSH | BPF_K,
  BPF_ALU | BPF_ADD | BPF_X,
  BPF_ALU | BPF_SUB | BPF_X,
  BPF_ALU | BPF_MUL | BPF_X,
  BPF_ALU | BPF_DIV | BPF_X,
  BPF_ALU | BPF_MOD | BPF_X,
  BPF_ALU | BPF_AND | BPF_X,
  BPF_ALU | BPF_OR | BPF_X,
  BPF_ALU | BPF_XOR | BPF_X,
  BPF_ALU | BPF_LSH | BPF_X,
  BPF_ALU | BPF_RSH | BPF_X,
  BPF_ALU | BPF_NEG,
  BPF_MISC | BPF_TAX,
  BPF_MISC | BPF_TXA,
];
const DENSE_INDEX = new Map(DENSE_OPCODES.map((code, i) => [code, i]));

interface Prepared {
  /** The program reads or writes scratch memory (which must then start zeroed). */
  usesMemory: boolean;
  /** Each instruction's index in DENSE_OPCODES. */
  op: Uint8Array;
  jt: Uint8Array;
  jf: Uint8Array;
  k: Uint32Array;
}

const scratch = new Uint32Array(BPF_MEMWORDS);
/** Where a program keeps its prepared form: a property on the array is cheaper to reach than a WeakMap. */
const PREPARED = Symbol('labtel.bpf.prepared');
type WithPrepared = readonly Instruction[] & { [PREPARED]?: Prepared };

function prepare(program: WithPrepared): Prepared {
  let p = program[PREPARED];
  // A program edited after its first run is prepared again (its length or an instruction changed).
  if (p && p.op.length === program.length) return p;
  validate(program);
  const n = program.length;
  const usesMemory = program.some((i) => bpfClass(i.code) === BPF_ST || bpfClass(i.code) === BPF_STX || bpfMode(i.code) === BPF_MEM);
  p = { usesMemory, op: new Uint8Array(n), jt: new Uint8Array(n), jf: new Uint8Array(n), k: new Uint32Array(n) };
  for (let i = 0; i < n; i++) {
    const insn = program[i]!;
    p.op[i] = DENSE_INDEX.get(insn.code) ?? 0xff;
    p.jt[i] = insn.jt;
    p.jf[i] = insn.jf;
    p.k[i] = insn.k;
  }
  Object.defineProperty(program, PREPARED, { value: p, enumerable: false, configurable: true, writable: true });
  return p;
}


const word = (p: Uint8Array, i: number): number => ((p[i]! << 24) | (p[i + 1]! << 16) | (p[i + 2]! << 8) | p[i + 3]!) >>> 0;
const half = (p: Uint8Array, i: number): number => (p[i]! << 8) | p[i + 1]!;

/**
 * Runs a program over a packet's captured bytes. wireLength is the packet's length on the wire (what
 * `len` loads); it defaults to the captured length. Throws InvalidProgramError for a program the kernel
 * would refuse; otherwise returns the program's return value (an unsigned 32-bit number, 0 = reject).
 */
export function run(program: readonly Instruction[], packet: Uint8Array, wireLength: number = packet.length): number {
  const { op: code, jt, jf, k, usesMemory } = prepare(program);
  const len = packet.length;
  // One scratch memory for every run (runs do not overlap: JavaScript runs one at a time), zeroed when used.
  const mem = scratch;
  if (usesMemory) mem.fill(0);
  let a = 0;
  let x = 0;
  let pc = 0;
  for (;;) {
    const c = code[pc]!;
    const kk = k[pc]!;
    switch (c) {
      case 0: // BPF_RET | BPF_K
        return kk;
      case 1: // BPF_RET | BPF_A
        return a;
      case 2: // LD_W_ABS
        if (kk + 4 > len) return 0;
        a = word(packet, kk);
        break;
      case 3: // LD_H_ABS
        if (kk + 2 > len) return 0;
        a = half(packet, kk);
        break;
      case 4: // LD_B_ABS
        if (kk >= len) return 0;
        a = packet[kk]!;
        break;
      case 5: { // LD_W_IND
        const at = x + kk;
        if (at + 4 > len) return 0;
        a = word(packet, at);
        break;
      }
      case 6: { // LD_H_IND
        const at = x + kk;
        if (at + 2 > len) return 0;
        a = half(packet, at);
        break;
      }
      case 7: { // LD_B_IND
        const at = x + kk;
        if (at >= len) return 0;
        a = packet[at]!;
        break;
      }
      case 8: // BPF_LDX | BPF_B | BPF_MSH
        if (kk >= len) return 0;
        x = (packet[kk]! & 0xf) << 2;
        break;
      case 9: // BPF_LD | BPF_W | BPF_LEN
        a = wireLength;
        break;
      case 10: // BPF_LDX | BPF_W | BPF_LEN
        x = wireLength;
        break;
      case 11: // BPF_LD | BPF_IMM
        a = kk;
        break;
      case 12: // BPF_LDX | BPF_IMM
        x = kk;
        break;
      case 13: // BPF_LD | BPF_MEM
        a = mem[kk]!;
        break;
      case 14: // BPF_LDX | BPF_MEM
        x = mem[kk]!;
        break;
      case 15: // BPF_ST
        mem[kk] = a;
        break;
      case 16: // BPF_STX
        mem[kk] = x;
        break;
      case 17: // BPF_JMP | BPF_JA
        pc += kk | 0;
        break;
      case 18: // BPF_JMP | BPF_JEQ | BPF_K
        pc += a === kk ? jt[pc]! : jf[pc]!;
        break;
      case 19: // BPF_JMP | BPF_JGT | BPF_K
        pc += a > kk ? jt[pc]! : jf[pc]!;
        break;
      case 20: // BPF_JMP | BPF_JGE | BPF_K
        pc += a >= kk ? jt[pc]! : jf[pc]!;
        break;
      case 21: // BPF_JMP | BPF_JSET | BPF_K
        pc += (a & kk) !== 0 ? jt[pc]! : jf[pc]!;
        break;
      case 22: // BPF_JMP | BPF_JEQ | BPF_X
        pc += a === x ? jt[pc]! : jf[pc]!;
        break;
      case 23: // BPF_JMP | BPF_JGT | BPF_X
        pc += a > x ? jt[pc]! : jf[pc]!;
        break;
      case 24: // BPF_JMP | BPF_JGE | BPF_X
        pc += a >= x ? jt[pc]! : jf[pc]!;
        break;
      case 25: // BPF_JMP | BPF_JSET | BPF_X
        pc += (a & x) !== 0 ? jt[pc]! : jf[pc]!;
        break;
      case 26: // BPF_ALU | BPF_ADD | BPF_K
        a = (a + kk) >>> 0;
        break;
      case 27: // BPF_ALU | BPF_SUB | BPF_K
        a = (a - kk) >>> 0;
        break;
      case 28: // BPF_ALU | BPF_MUL | BPF_K
        a = Math.imul(a, kk) >>> 0;
        break;
      case 29: // BPF_ALU | BPF_DIV | BPF_K
        a = (a / kk) >>> 0;
        break;
      case 30: // BPF_ALU | BPF_MOD | BPF_K
        a = a % kk;
        break;
      case 31: // BPF_ALU | BPF_AND | BPF_K
        a = (a & kk) >>> 0;
        break;
      case 32: // BPF_ALU | BPF_OR | BPF_K
        a = (a | kk) >>> 0;
        break;
      case 33: // BPF_ALU | BPF_XOR | BPF_K
        a = (a ^ kk) >>> 0;
        break;
      case 34: // BPF_ALU | BPF_LSH | BPF_K
        a = kk < 32 ? (a << kk) >>> 0 : 0;
        break;
      case 35: // BPF_ALU | BPF_RSH | BPF_K
        a = kk < 32 ? a >>> kk : 0;
        break;
      case 36: // BPF_ALU | BPF_ADD | BPF_X
        a = (a + x) >>> 0;
        break;
      case 37: // BPF_ALU | BPF_SUB | BPF_X
        a = (a - x) >>> 0;
        break;
      case 38: // BPF_ALU | BPF_MUL | BPF_X
        a = Math.imul(a, x) >>> 0;
        break;
      case 39: // BPF_ALU | BPF_DIV | BPF_X
        if (x === 0) return 0;
        a = (a / x) >>> 0;
        break;
      case 40: // BPF_ALU | BPF_MOD | BPF_X
        if (x === 0) return 0;
        a = a % x;
        break;
      case 41: // BPF_ALU | BPF_AND | BPF_X
        a = (a & x) >>> 0;
        break;
      case 42: // BPF_ALU | BPF_OR | BPF_X
        a = (a | x) >>> 0;
        break;
      case 43: // BPF_ALU | BPF_XOR | BPF_X
        a = (a ^ x) >>> 0;
        break;
      case 44: // BPF_ALU | BPF_LSH | BPF_X
        a = x < 32 ? (a << x) >>> 0 : 0;
        break;
      case 45: // BPF_ALU | BPF_RSH | BPF_X
        a = x < 32 ? a >>> x : 0;
        break;
      case 46: // BPF_ALU | BPF_NEG
        a = -a >>> 0;
        break;
      case 47: // BPF_MISC | BPF_TAX
        x = a;
        break;
      case 48: // BPF_MISC | BPF_TXA
        a = x;
        break;
      default:
        // validate() let through only the opcodes above.
        return 0;
    }
    pc++;
  }
}

/** Whether the program accepts the packet (returns a non-zero length). */
export function accepts(program: readonly Instruction[], packet: Uint8Array, wireLength: number = packet.length): boolean {
  return run(program, packet, wireLength) !== 0;
}

