/**
 * Whether a program can accept any packet, by the reasoning libpcap's optimiser uses before `tcpdump -d`
 * refuses an expression that "rejects all packets" (optimize.c fold_edge): along a path, a jump that repeats a
 * test already made on the same value, with the same operand, goes the same way; once a value was found equal
 * to a constant, a test for equality with another constant fails; tests on constants are decided. Paths are
 * explored symbolically, values named by how they were computed.
 */
import {
  BPF_A, BPF_ALU, BPF_JA, BPF_JEQ, BPF_JMP, BPF_K, BPF_LD, BPF_LDX, BPF_MEM, BPF_MISC, BPF_NEG, BPF_RET, BPF_ST, BPF_STX,
  BPF_TAX, BPF_X, bpfClass, bpfMode, bpfOp, bpfSrc, type Instruction,
} from './instruction';

interface Fact {
  value: string;
  code: number;
  operand: string;
  outcome: boolean;
}

/** Past this many explored instructions the answer is "it may accept" (the analysis only ever refuses less). */
const EXPLORATION_LIMIT = 200_000;

const constant = (v: string): number | undefined => (v.startsWith('#') ? Number(v.slice(1)) : undefined);

function fold(op: number, a: number, b: number): number | undefined {
  switch (op) {
    case 0x00: return (a + b) >>> 0;
    case 0x10: return (a - b) >>> 0;
    case 0x20: return Math.imul(a, b) >>> 0;
    case 0x30: return b === 0 ? undefined : (a / b) >>> 0;
    case 0x90: return b === 0 ? undefined : a % b;
    case 0x40: return (a | b) >>> 0;
    case 0x50: return (a & b) >>> 0;
    case 0xa0: return (a ^ b) >>> 0;
    case 0x60: return b < 32 ? (a << b) >>> 0 : 0;
    case 0x70: return b < 32 ? a >>> b : 0;
    default: return undefined;
  }
}

function decide(code: number, a: number, b: number): boolean {
  switch (bpfOp(code)) {
    case 0x10: return a === b;
    case 0x20: return a > b;
    case 0x30: return a >= b;
    default: return (a & b) !== 0;
  }
}

export function acceptsSomething(program: readonly Instruction[]): boolean {
  let budget = EXPLORATION_LIMIT;
  const walk = (pc: number, a: string, x: string, mem: string[], facts: Fact[]): boolean => {
    for (;;) {
      if (--budget < 0) return true;
      const insn = program[pc]!;
      const { code, k } = insn;
      switch (bpfClass(code)) {
        case BPF_RET:
          return code === (BPF_RET | BPF_A) ? a !== '#0' : k !== 0;
        case BPF_LD:
          a = bpfMode(code) === BPF_MEM ? mem[k]! : bpfMode(code) === 0x00 ? `#${k}` : bpfMode(code) === 0x40 ? `ld${code}[${x}+${k}]` : `ld${code}[${k}]`;
          break;
        case BPF_LDX:
          x = bpfMode(code) === BPF_MEM ? mem[k]! : bpfMode(code) === 0x00 ? `#${k}` : `ldx${code}[${k}]`;
          break;
        case BPF_ST:
          mem = [...mem];
          mem[k] = a;
          break;
        case BPF_STX:
          mem = [...mem];
          mem[k] = x;
          break;
        case BPF_MISC:
          if ((code & 0xf8) === BPF_TAX) x = a;
          else a = x;
          break;
        case BPF_ALU: {
          const op = bpfOp(code);
          if (op === BPF_NEG) {
            const c = constant(a);
            a = c === undefined ? `(neg ${a})` : `#${-c >>> 0}`;
            break;
          }
          const operand = bpfSrc(code) === BPF_X ? x : `#${k}`;
          const ca = constant(a);
          const cb = constant(operand);
          const folded = ca !== undefined && cb !== undefined ? fold(op, ca, cb) : undefined;
          if (folded === undefined && cb === 0 && (op === 0x30 || op === 0x90)) return false;
          a = folded !== undefined ? `#${folded}` : `(${op} ${a} ${operand})`;
          break;
        }
        case BPF_JMP: {
          if (bpfOp(code) === BPF_JA) {
            // A loop (protochain's): past the reach of this analysis; it may accept.
            if ((k | 0) < 0) return true;
            pc += 1 + (k | 0);
            continue;
          }
          const operand = bpfSrc(code) === BPF_X ? x : `#${k}`;
          const base = code & ~BPF_X & 0xff;
          const ca = constant(a);
          const cb = constant(operand);
          let known: boolean | undefined;
          if (ca !== undefined && cb !== undefined) known = decide(code, ca, cb);
          else {
            for (const f of facts) {
              if (f.value !== a) continue;
              if (f.code === base && f.operand === operand) known = f.outcome;
              else if (f.outcome && f.code === (BPF_JMP | BPF_JEQ | BPF_K) && base === (BPF_JMP | BPF_JEQ | BPF_K) && cb !== undefined) known = false;
              if (known !== undefined) break;
            }
          }
          if (known !== undefined) {
            pc += 1 + (known ? insn.jt : insn.jf);
            continue;
          }
          if (walk(pc + 1 + insn.jt, a, x, mem, [...facts, { value: a, code: base, operand, outcome: true }])) return true;
          facts = [...facts, { value: a, code: base, operand, outcome: false }];
          pc += 1 + insn.jf;
          continue;
        }
      }
      pc++;
    }
  };
  // A and X start unknown to libpcap's optimiser (`byte N & V` works on the A it finds), memory at zero.
  return walk(0, 'A0', 'X0', new Array<string>(16).fill('#0'), []);
}
