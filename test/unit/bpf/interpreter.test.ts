// The interpreter's semantics, instruction by instruction, on hand-made programs: the kernel's and libpcap's
// rules for loads past the packet, division by zero, shifts, scratch memory and BPF_MSH, and what validate()
// refuses. (Agreement with libpcap and the kernel on whole programs: test/integration/bpf.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BPF_ABS, BPF_ALU, BPF_B, BPF_DIV, BPF_H, BPF_IMM, BPF_IND, BPF_JA, BPF_JMP, BPF_K, BPF_LD, BPF_LDX, BPF_LEN, BPF_LSH,
  BPF_MEM, BPF_MISC, BPF_MOD, BPF_MSH, BPF_NEG, BPF_RET, BPF_A, BPF_ST, BPF_TAX, BPF_W, BPF_X, stmt, jump, type Instruction,
} from '../../../src/bpf/instruction';
import { InvalidProgramError, run, validate } from '../../../src/bpf/interpreter';

const retA = stmt(BPF_RET | BPF_A, 0);
const packet = Uint8Array.from([0x45, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]);

const cases: Array<[string, Instruction[], number, number?]> = [
  ['a word load reads big-endian', [stmt(BPF_LD | BPF_W | BPF_ABS, 0), retA], 0x45010203],
  ['a halfword load reads big-endian', [stmt(BPF_LD | BPF_H | BPF_ABS, 6), retA], 0x0607],
  ['a load ending past the packet rejects it', [stmt(BPF_LD | BPF_W | BPF_ABS, 5), retA], 0],
  ['a byte load at the length rejects', [stmt(BPF_LD | BPF_B | BPF_ABS, 8), stmt(BPF_RET | BPF_K, 1)], 0],
  ['an indirect load adds X', [stmt(BPF_LDX | BPF_IMM, 2), stmt(BPF_LD | BPF_B | BPF_IND, 1), retA], 0x03],
  ['an indirect load whose X + k overflows 32 bits rejects', [stmt(BPF_LDX | BPF_IMM, 0xffffffff), stmt(BPF_LD | BPF_B | BPF_IND, 2), retA], 0],
  ['BPF_MSH loads 4 * (low nibble)', [stmt(BPF_LDX | BPF_B | BPF_MSH, 0), stmt(BPF_MISC | 0x80, 0), retA], 20],
  ['BPF_MSH past the packet rejects', [stmt(BPF_LDX | BPF_B | BPF_MSH, 9), stmt(BPF_RET | BPF_K, 1)], 0],
  ['len is the wire length, not the captured one', [stmt(BPF_LD | BPF_W | BPF_LEN, 0), retA], 1500, 1500],
  ['division by a zero X returns 0', [stmt(BPF_LD | BPF_IMM, 7), stmt(BPF_LDX | BPF_IMM, 0), stmt(BPF_ALU | BPF_DIV | BPF_X, 0), stmt(BPF_RET | BPF_K, 9)], 0],
  ['modulo by a zero X returns 0', [stmt(BPF_LD | BPF_IMM, 7), stmt(BPF_LDX | BPF_IMM, 0), stmt(BPF_ALU | BPF_MOD | BPF_X, 0), stmt(BPF_RET | BPF_K, 9)], 0],
  ['division truncates', [stmt(BPF_LD | BPF_IMM, 7), stmt(BPF_ALU | BPF_DIV | BPF_K, 2), retA], 3],
  ['a shift by X of 32 or more gives 0', [stmt(BPF_LD | BPF_IMM, 1), stmt(BPF_LDX | BPF_IMM, 40), stmt(BPF_ALU | BPF_LSH | BPF_X, 0), retA], 0],
  ['negation wraps to 32 bits', [stmt(BPF_LD | BPF_IMM, 1), stmt(BPF_ALU | BPF_NEG, 0), retA], 0xffffffff],
  ['scratch memory starts zeroed and keeps what is stored', [stmt(BPF_LD | BPF_MEM, 3), stmt(BPF_ALU | 0x00 | BPF_K, 5), stmt(BPF_ST, 3), stmt(BPF_LDX | BPF_MEM, 3), stmt(BPF_MISC | 0x80, 0), retA], 5],
  ['tax copies A to X', [stmt(BPF_LD | BPF_IMM, 4), stmt(BPF_MISC | BPF_TAX, 0), stmt(BPF_LD | BPF_B | BPF_IND, 0), retA], 0x04],
  ['jset tests bits; jumps are relative to the next instruction', [stmt(BPF_LD | BPF_B | BPF_ABS, 0), jump(BPF_JMP | 0x40 | BPF_K, 0x04, 1, 0), stmt(BPF_RET | BPF_K, 1), stmt(BPF_RET | BPF_K, 2)], 2],
];
for (const [name, program, want, wire] of cases) {
  test(name, () => assert.equal(run(program, packet, wire), want));
}

test('scratch memory is zeroed again for the next packet', () => {
  const program = [stmt(BPF_LD | BPF_MEM, 0), stmt(BPF_ALU | 0x00 | BPF_K, 1), stmt(BPF_ST, 0), retA];
  assert.equal(run(program, packet), 1);
  assert.equal(run(program, packet), 1);
});

const invalid: Array<[string, Instruction[]]> = [
  ['a constant division by zero', [stmt(BPF_ALU | BPF_DIV | BPF_K, 0), retA]],
  ['a jump past the end', [jump(BPF_JMP | 0x10 | BPF_K, 0, 5, 0), retA]],
  ['a scratch index of 16', [stmt(BPF_ST, 16), retA]],
  ['an unknown opcode', [stmt(0xff, 0), retA]],
  ['a program that does not end in a return', [stmt(BPF_LD | BPF_IMM, 0)]],
  ['an empty program', []],
];
for (const [name, program] of invalid) {
  test(`validate refuses ${name}`, () => assert.throws(() => validate(program), InvalidProgramError));
}

test("validate lets through libpcap's backward ja (protochain's loop) when it lands inside the program", () => {
  validate([stmt(BPF_LD | BPF_IMM, 0), stmt(BPF_JMP | BPF_JA, -2 >>> 0), retA]);
  assert.throws(() => validate([stmt(BPF_JMP | BPF_JA, -3 >>> 0), retA]), InvalidProgramError);
});
