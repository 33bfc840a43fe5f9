/**
 * A program in the forms people paste: `tcpdump -dd` (C `struct sock_filter` initialisers), `tcpdump -ddd`
 * (decimal, the count first), Go `golang.org/x/net/bpf` instructions as the book writes them, and a TypeScript
 * array. parseDecimal() reads `-ddd` text back.
 */
import {
  BPF_A, BPF_ABS, BPF_ADD, BPF_ALU, BPF_AND, BPF_B, BPF_DIV, BPF_IMM, BPF_IND, BPF_JA, BPF_JEQ, BPF_JGE,
  BPF_JGT, BPF_JMP, BPF_JSET, BPF_K, BPF_LD, BPF_LDX, BPF_LEN, BPF_LSH, BPF_MEM, BPF_MISC, BPF_MOD, BPF_MSH,
  BPF_MUL, BPF_NEG, BPF_OR, BPF_RET, BPF_RSH, BPF_ST, BPF_STX, BPF_SUB, BPF_TAX, BPF_TXA, BPF_X, BPF_XOR,
  bpfClass, bpfMode, bpfOp, bpfSize, bpfSrc, loadWidth, type Instruction, type Program,
} from './instruction';

/** `tcpdump -dd`: one `{ code, jt, jf, k },` a line (libpcap's bpf_dump). */
export function toC(program: readonly Instruction[]): string {
  return program.map((i) => `{ 0x${i.code.toString(16)}, ${i.jt}, ${i.jf}, 0x${i.k.toString(16).padStart(8, '0')} },\n`).join('');
}

/** `tcpdump -ddd`: the instruction count, then `code jt jf k` in decimal, one a line. */
export function toDecimal(program: readonly Instruction[]): string {
  return `${program.length}\n${program.map((i) => `${i.code} ${i.jt} ${i.jf} ${i.k}\n`).join('')}`;
}

/** A failure to read `-ddd` text: which line and why. */
export class DecimalFormatError extends Error {
  override readonly name = 'DecimalFormatError';
}

/** Reads `tcpdump -ddd` output (the count line, then four unsigned numbers a line) back into a program. */
export function parseDecimal(text: string): Program {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const count = Number(lines[0]);
  if (!Number.isInteger(count) || count < 0) throw new DecimalFormatError(`line 1: expected the instruction count, found '${lines[0] ?? ''}'`);
  if (lines.length - 1 !== count) throw new DecimalFormatError(`line 1 announces ${count} instructions, ${lines.length - 1} follow`);
  return lines.slice(1).map((line, i) => {
    const f = line.split(/\s+/).map(Number);
    if (f.length !== 4 || f.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
      throw new DecimalFormatError(`line ${i + 2}: expected four unsigned numbers 'code jt jf k', found '${line}'`);
    }
    return { code: f[0]!, jt: f[1]!, jf: f[2]!, k: f[3]! };
  });
}

const hex = (k: number): string => `0x${k.toString(16)}`;
const ALU_OPS = new Map([
  [BPF_ADD, 'ALUOpAdd'], [BPF_SUB, 'ALUOpSub'], [BPF_MUL, 'ALUOpMul'], [BPF_DIV, 'ALUOpDiv'], [BPF_MOD, 'ALUOpMod'],
  [BPF_AND, 'ALUOpAnd'], [BPF_OR, 'ALUOpOr'], [BPF_XOR, 'ALUOpXor'], [BPF_LSH, 'ALUOpShiftLeft'], [BPF_RSH, 'ALUOpShiftRight'],
]);
const JUMP_CONDS = new Map([[BPF_JEQ, 'JumpEqual'], [BPF_JGT, 'JumpGreaterThan'], [BPF_JGE, 'JumpGreaterOrEqual'], [BPF_JSET, 'JumpBitsSet']]);

/** Go struct-literal fields, leaving out zero skips as the book's listings do. */
function skips(i: Instruction): string {
  return `${i.jt ? `, SkipTrue: ${i.jt}` : ''}${i.jf ? `, SkipFalse: ${i.jf}` : ''}`;
}

/** One instruction as a golang.org/x/net/bpf value; opcodes the package has no type for become RawInstruction. */
function goInstruction(i: Instruction): string {
  const cls = bpfClass(i.code);
  const raw = `bpf.RawInstruction{Op: ${hex(i.code)}, Jt: ${i.jt}, Jf: ${i.jf}, K: ${hex(i.k)}}`;
  switch (cls) {
    case BPF_LD:
      switch (bpfMode(i.code)) {
        case BPF_ABS: return `bpf.LoadAbsolute{Off: ${i.k}, Size: ${loadWidth(i.code)}}`;
        case BPF_IND: return `bpf.LoadIndirect{Off: ${i.k}, Size: ${loadWidth(i.code)}}`;
        case BPF_IMM: return `bpf.LoadConstant{Dst: bpf.RegA, Val: ${hex(i.k)}}`;
        case BPF_MEM: return `bpf.LoadScratch{Dst: bpf.RegA, N: ${i.k}}`;
        case BPF_LEN: return 'bpf.LoadExtension{Num: bpf.ExtLen}';
        default: return raw;
      }
    case BPF_LDX:
      switch (bpfMode(i.code)) {
        case BPF_IMM: return `bpf.LoadConstant{Dst: bpf.RegX, Val: ${hex(i.k)}}`;
        case BPF_MEM: return `bpf.LoadScratch{Dst: bpf.RegX, N: ${i.k}}`;
        case BPF_MSH: return bpfSize(i.code) === BPF_B ? `bpf.LoadMemShift{Off: ${i.k}}` : raw;
        default: return raw;
      }
    case BPF_ST: return `bpf.StoreScratch{Src: bpf.RegA, N: ${i.k}}`;
    case BPF_STX: return `bpf.StoreScratch{Src: bpf.RegX, N: ${i.k}}`;
    case BPF_ALU: {
      if (bpfOp(i.code) === BPF_NEG) return 'bpf.NegateA{}';
      const op = ALU_OPS.get(bpfOp(i.code));
      if (!op) return raw;
      return bpfSrc(i.code) === BPF_X ? `bpf.ALUOpX{Op: bpf.${op}}` : `bpf.ALUOpConstant{Op: bpf.${op}, Val: ${hex(i.k)}}`;
    }
    case BPF_JMP: {
      if (bpfOp(i.code) === BPF_JA) return `bpf.Jump{Skip: ${i.k}}`;
      const cond = JUMP_CONDS.get(bpfOp(i.code));
      if (!cond) return raw;
      return bpfSrc(i.code) === BPF_X
        ? `bpf.JumpIfX{Cond: bpf.${cond}${skips(i)}}`
        : `bpf.JumpIf{Cond: bpf.${cond}, Val: ${hex(i.k)}${skips(i)}}`;
    }
    case BPF_RET:
      if (i.code === (BPF_RET | BPF_K)) return `bpf.RetConstant{Val: ${i.k}}`;
      return i.code === (BPF_RET | BPF_A) ? 'bpf.RetA{}' : raw;
    case BPF_MISC:
      if (i.code === (BPF_MISC | BPF_TAX)) return 'bpf.TAX{}';
      return i.code === (BPF_MISC | BPF_TXA) ? 'bpf.TXA{}' : raw;
    default:
      return raw;
  }
}

/** The program as a Go `[]bpf.Instruction` literal for golang.org/x/net/bpf (bpf.Assemble turns it into raw code). */
export function toGo(program: readonly Instruction[]): string {
  return `[]bpf.Instruction{\n${program.map((i) => `\t${goInstruction(i)},\n`).join('')}}\n`;
}

/** The program as a TypeScript array of labtel's Instruction. */
export function toTypeScript(program: readonly Instruction[]): string {
  const body = program.map((i) => `  { code: 0x${i.code.toString(16).padStart(2, '0')}, jt: ${i.jt}, jf: ${i.jf}, k: 0x${i.k.toString(16)} },\n`).join('');
  return `const program: Instruction[] = [\n${body}];\n`;
}
