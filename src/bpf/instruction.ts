/**
 * The classic BPF instruction: the 8-byte `struct sock_filter` / `struct bpf_insn` of Linux's
 * include/uapi/linux/filter.h and bpf_common.h, and libpcap's pcap/bpf.h. An opcode is a class (low 3 bits)
 * combined with a size and mode (loads, stores), or an operation and source (ALU, jumps), or a return value
 * source (RET), or a MISC operation.
 */

// Instruction classes (BPF_CLASS(code) = code & 0x07).
export const BPF_LD = 0x00;
export const BPF_LDX = 0x01;
export const BPF_ST = 0x02;
export const BPF_STX = 0x03;
export const BPF_ALU = 0x04;
export const BPF_JMP = 0x05;
export const BPF_RET = 0x06;
export const BPF_MISC = 0x07;

// Load sizes (BPF_SIZE(code) = code & 0x18).
export const BPF_W = 0x00;
export const BPF_H = 0x08;
export const BPF_B = 0x10;

// Load modes (BPF_MODE(code) = code & 0xe0).
export const BPF_IMM = 0x00;
export const BPF_ABS = 0x20;
export const BPF_IND = 0x40;
export const BPF_MEM = 0x60;
export const BPF_LEN = 0x80;
export const BPF_MSH = 0xa0;

// ALU and jump operations (BPF_OP(code) = code & 0xf0).
export const BPF_ADD = 0x00;
export const BPF_SUB = 0x10;
export const BPF_MUL = 0x20;
export const BPF_DIV = 0x30;
export const BPF_OR = 0x40;
export const BPF_AND = 0x50;
export const BPF_LSH = 0x60;
export const BPF_RSH = 0x70;
export const BPF_NEG = 0x80;
export const BPF_MOD = 0x90;
export const BPF_XOR = 0xa0;

export const BPF_JA = 0x00;
export const BPF_JEQ = 0x10;
export const BPF_JGT = 0x20;
export const BPF_JGE = 0x30;
export const BPF_JSET = 0x40;

// Operand source (BPF_SRC(code) = code & 0x08): the constant k or the index register X.
export const BPF_K = 0x00;
export const BPF_X = 0x08;

// Return value source (BPF_RVAL(code) = code & 0x18): k, X or the accumulator A.
export const BPF_A = 0x10;

// MISC operations (BPF_MISCOP(code) = code & 0xf8).
export const BPF_TAX = 0x00;
export const BPF_TXA = 0x80;

/** Words of scratch memory M[0..BPF_MEMWORDS-1] (pcap/bpf.h BPF_MEMWORDS). */
export const BPF_MEMWORDS = 16;

/** Largest program the kernel and libpcap load (BPF_MAXINSNS). */
export const BPF_MAXINSNS = 4096;

export const bpfClass = (code: number): number => code & 0x07;
export const bpfSize = (code: number): number => code & 0x18;
export const bpfMode = (code: number): number => code & 0xe0;
export const bpfOp = (code: number): number => code & 0xf0;
export const bpfSrc = (code: number): number => code & 0x08;
export const bpfRval = (code: number): number => code & 0x18;
export const bpfMiscOp = (code: number): number => code & 0xf8;

/** One instruction: opcode, jump offsets if true / if false (relative to the next instruction), and k. */
export interface Instruction {
  code: number;
  jt: number;
  jf: number;
  /** An unsigned 32-bit value. */
  k: number;
}

/** A classic BPF program, in execution order; execution starts at index 0. */
export type Program = Instruction[];

/** An instruction that does not jump. */
export function stmt(code: number, k: number): Instruction {
  return { code, jt: 0, jf: 0, k: k >>> 0 };
}

/** A conditional (or, with BPF_JA, unconditional) jump. */
export function jump(code: number, k: number, jt: number, jf: number): Instruction {
  return { code, jt, jf, k: k >>> 0 };
}

/** Bytes a load of this size reads. */
export function loadWidth(code: number): 1 | 2 | 4 {
  const size = bpfSize(code);
  return size === BPF_B ? 1 : size === BPF_H ? 2 : 4;
}
