/**
 * Prints a program as `tcpdump -d` does (libpcap's bpf_image.c): `(NNN) op       operand`, the op padded to
 * 8 columns; a conditional jump pads its operand to 16 and gives both targets as absolute instruction numbers.
 * Arithmetic constants print in signed decimal, compared and masked constants in hexadecimal.
 */
import {
  BPF_A, BPF_ABS, BPF_ADD, BPF_ALU, BPF_AND, BPF_B, BPF_DIV, BPF_H, BPF_IMM, BPF_IND, BPF_JA, BPF_JEQ, BPF_JGE,
  BPF_JGT, BPF_JMP, BPF_JSET, BPF_K, BPF_LD, BPF_LDX, BPF_LEN, BPF_LSH, BPF_MEM, BPF_MISC, BPF_MOD, BPF_MSH,
  BPF_MUL, BPF_NEG, BPF_OR, BPF_RET, BPF_RSH, BPF_ST, BPF_STX, BPF_SUB, BPF_TAX, BPF_TXA, BPF_W, BPF_X, BPF_XOR,
  bpfClass, bpfOp, type Instruction,
} from './instruction';

const signed = (k: number): string => String(k | 0);
const hex = (k: number): string => `0x${(k >>> 0).toString(16)}`;

type Operand = (k: number) => string;

/** The mnemonic and operand format of each opcode, as bpf_image.c writes them. */
const IMAGES = new Map<number, [string, Operand]>([
  [BPF_RET | BPF_K, ['ret', (k) => `#${signed(k)}`]],
  [BPF_RET | BPF_A, ['ret', () => '']],
  [BPF_LD | BPF_W | BPF_ABS, ['ld', (k) => `[${signed(k)}]`]],
  [BPF_LD | BPF_H | BPF_ABS, ['ldh', (k) => `[${signed(k)}]`]],
  [BPF_LD | BPF_B | BPF_ABS, ['ldb', (k) => `[${signed(k)}]`]],
  [BPF_LD | BPF_W | BPF_LEN, ['ld', () => '#pktlen']],
  [BPF_LD | BPF_W | BPF_IND, ['ld', (k) => `[x + ${signed(k)}]`]],
  [BPF_LD | BPF_H | BPF_IND, ['ldh', (k) => `[x + ${signed(k)}]`]],
  [BPF_LD | BPF_B | BPF_IND, ['ldb', (k) => `[x + ${signed(k)}]`]],
  [BPF_LD | BPF_IMM, ['ld', (k) => `#${hex(k)}`]],
  [BPF_LDX | BPF_IMM, ['ldx', (k) => `#${hex(k)}`]],
  [BPF_LDX | BPF_W | BPF_LEN, ['ldx', () => '#pktlen']],
  [BPF_LDX | BPF_B | BPF_MSH, ['ldxb', (k) => `4*([${signed(k)}]&0xf)`]],
  [BPF_LD | BPF_MEM, ['ld', (k) => `M[${signed(k)}]`]],
  [BPF_LDX | BPF_MEM, ['ldx', (k) => `M[${signed(k)}]`]],
  [BPF_ST, ['st', (k) => `M[${signed(k)}]`]],
  [BPF_STX, ['stx', (k) => `M[${signed(k)}]`]],
  [BPF_JMP | BPF_JGT | BPF_K, ['jgt', (k) => `#${hex(k)}`]],
  [BPF_JMP | BPF_JGE | BPF_K, ['jge', (k) => `#${hex(k)}`]],
  [BPF_JMP | BPF_JEQ | BPF_K, ['jeq', (k) => `#${hex(k)}`]],
  [BPF_JMP | BPF_JSET | BPF_K, ['jset', (k) => `#${hex(k)}`]],
  [BPF_JMP | BPF_JGT | BPF_X, ['jgt', () => 'x']],
  [BPF_JMP | BPF_JGE | BPF_X, ['jge', () => 'x']],
  [BPF_JMP | BPF_JEQ | BPF_X, ['jeq', () => 'x']],
  [BPF_JMP | BPF_JSET | BPF_X, ['jset', () => 'x']],
  [BPF_ALU | BPF_NEG, ['neg', () => '']],
  [BPF_MISC | BPF_TAX, ['tax', () => '']],
  [BPF_MISC | BPF_TXA, ['txa', () => '']],
]);
const ALU_NAMES: Array<[number, string, Operand]> = [
  [BPF_ADD, 'add', signed], [BPF_SUB, 'sub', signed], [BPF_MUL, 'mul', signed], [BPF_DIV, 'div', signed],
  [BPF_MOD, 'mod', signed], [BPF_AND, 'and', hex], [BPF_OR, 'or', hex], [BPF_XOR, 'xor', hex],
  [BPF_LSH, 'lsh', signed], [BPF_RSH, 'rsh', signed],
];
for (const [op, name, fmt] of ALU_NAMES) {
  IMAGES.set(BPF_ALU | op | BPF_K, [name, (k) => `#${fmt(k)}`]);
  IMAGES.set(BPF_ALU | op | BPF_X, [name, () => 'x']);
}

const pad3 = (n: number): string => String(n).padStart(3, '0');

/** One instruction as bpf_image() prints it; n is its index in the program. */
export function imageOf(insn: Instruction, n: number): string {
  const image = IMAGES.get(insn.code);
  const [op, operand] = image ? [image[0], image[1](insn.k)] : ['unimp', hex(insn.code)];
  // A jump always is printed with its target; libpcap's protochain loop jumps backwards (k negative).
  if (insn.code === (BPF_JMP | BPF_JA)) return `(${pad3(n)}) ${'ja'.padEnd(8)} ${n + 1 + (insn.k | 0)}`;
  if (bpfClass(insn.code) === BPF_JMP && bpfOp(insn.code) !== BPF_JA) {
    return `(${pad3(n)}) ${op.padEnd(8)} ${operand.padEnd(16)} jt ${n + 1 + insn.jt}\tjf ${n + 1 + insn.jf}`;
  }
  return `(${pad3(n)}) ${op.padEnd(8)} ${operand}`;
}

/** The whole program as `tcpdump -d` prints it, one instruction a line, each line ending in a newline. */
export function disassemble(program: readonly Instruction[]): string {
  return program.map((insn, n) => `${imageOf(insn, n)}\n`).join('');
}
