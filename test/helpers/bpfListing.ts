/**
 * Reads a `tcpdump -d` listing (libpcap's bpf_image format) back into instructions, so that a listing shown
 * to the user — in a hover, in the "Show Compiled BPF" document — can be run and judged on packets. Written
 * for the tests from the format itself (op, operand, `jt N jf M` as absolute targets), not from labtel's
 * disassembler; checked against `tcpdump -ddd` where it is used.
 */
import {
  BPF_A, BPF_ABS, BPF_ADD, BPF_ALU, BPF_AND, BPF_B, BPF_DIV, BPF_H, BPF_IMM, BPF_IND, BPF_JA, BPF_JEQ, BPF_JGE,
  BPF_JGT, BPF_JMP, BPF_JSET, BPF_K, BPF_LD, BPF_LDX, BPF_LEN, BPF_LSH, BPF_MEM, BPF_MISC, BPF_MOD, BPF_MSH,
  BPF_MUL, BPF_NEG, BPF_OR, BPF_RET, BPF_RSH, BPF_ST, BPF_STX, BPF_SUB, BPF_TAX, BPF_TXA, BPF_W, BPF_X, BPF_XOR,
  type Instruction,
} from '../../src/bpf/instruction';

const SIZES: Record<string, number> = { ld: BPF_W, ldh: BPF_H, ldb: BPF_B };
const JUMPS: Record<string, number> = { jeq: BPF_JEQ, jgt: BPF_JGT, jge: BPF_JGE, jset: BPF_JSET };
const ALU: Record<string, number> = {
  add: BPF_ADD, sub: BPF_SUB, mul: BPF_MUL, div: BPF_DIV, mod: BPF_MOD, and: BPF_AND, or: BPF_OR, xor: BPF_XOR, lsh: BPF_LSH, rsh: BPF_RSH,
};

/** A number as bpf_image prints it: `#0x…` hexadecimal or signed decimal, kept as the unsigned 32-bit k. */
const num = (text: string): number => (/^-?0x/.test(text) ? parseInt(text, 16) : Number(text)) >>> 0;

export function parseListing(listing: string): Instruction[] {
  return listing.split('\n').filter((l) => l.trim() !== '').map((line, n) => {
    const m = /^\((\d+)\) (\S+)\s*(.*?)\s*$/.exec(line);
    if (!m || Number(m[1]) !== n) throw new Error(`line ${n + 1}: not a tcpdump -d line: ${line}`);
    const [, , op, rest] = m as unknown as [string, string, string, string];
    const at = (target: string): number => Number(target) - n - 1;
    let r: RegExpExecArray | null;
    const ins = (code: number, k = 0, jt = 0, jf = 0): Instruction => ({ code, jt, jf, k });
    if (op === 'ret') return rest === '' ? ins(BPF_RET | BPF_A) : ins(BPF_RET | BPF_K, num(rest.slice(1)));
    if (op in SIZES) {
      if (rest === '#pktlen') return ins(BPF_LD | BPF_W | BPF_LEN);
      if ((r = /^#(\S+)$/.exec(rest))) return ins(BPF_LD | BPF_IMM, num(r[1]!));
      if ((r = /^M\[(\d+)\]$/.exec(rest))) return ins(BPF_LD | BPF_MEM, num(r[1]!));
      if ((r = /^\[x \+ (-?\d+)\]$/.exec(rest))) return ins(BPF_LD | SIZES[op]! | BPF_IND, num(r[1]!));
      if ((r = /^\[(-?\d+)\]$/.exec(rest))) return ins(BPF_LD | SIZES[op]! | BPF_ABS, num(r[1]!));
    }
    if (op === 'ldx') {
      if (rest === '#pktlen') return ins(BPF_LDX | BPF_W | BPF_LEN);
      if ((r = /^#(\S+)$/.exec(rest))) return ins(BPF_LDX | BPF_IMM, num(r[1]!));
      if ((r = /^M\[(\d+)\]$/.exec(rest))) return ins(BPF_LDX | BPF_MEM, num(r[1]!));
    }
    if (op === 'ldxb' && (r = /^4\*\(\[(-?\d+)\]&0xf\)$/.exec(rest))) return ins(BPF_LDX | BPF_B | BPF_MSH, num(r[1]!));
    if ((op === 'st' || op === 'stx') && (r = /^M\[(\d+)\]$/.exec(rest))) return ins(op === 'st' ? BPF_ST : BPF_STX, num(r[1]!));
    if (op === 'ja') return ins(BPF_JMP | BPF_JA, at(rest) >>> 0);
    if (op in JUMPS && (r = /^(#\S+|x)\s+jt (\d+)\s+jf (\d+)$/.exec(rest))) {
      const src = r[1] === 'x' ? BPF_X : BPF_K;
      return ins(BPF_JMP | JUMPS[op]! | src, src === BPF_X ? 0 : num(r[1]!.slice(1)), at(r[2]!), at(r[3]!));
    }
    if (op in ALU) return rest === 'x' ? ins(BPF_ALU | ALU[op]! | BPF_X) : ins(BPF_ALU | ALU[op]! | BPF_K, num(rest.slice(1)));
    if (op === 'neg') return ins(BPF_ALU | BPF_NEG);
    if (op === 'tax') return ins(BPF_MISC | BPF_TAX);
    if (op === 'txa') return ins(BPF_MISC | BPF_TXA);
    throw new Error(`line ${n + 1}: unknown instruction: ${line}`);
  });
}
