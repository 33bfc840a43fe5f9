// The programs translated to JavaScript functions (src/bpf/jit.ts) against the interpreter, the oracle: the
// same return value for every program of the differential corpus on every frame of the generated captures (at
// the captured and the wire length), for edge cases instruction by instruction, and for random valid programs
// of every opcode on random packets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compile, execute, type LinkType, type Program } from '../../../src/bpf';
import {
  BPF_A, BPF_ABS, BPF_ADD, BPF_ALU, BPF_AND, BPF_B, BPF_DIV, BPF_H, BPF_IMM, BPF_IND, BPF_JA, BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JMP,
  BPF_JSET, BPF_K, BPF_LD, BPF_LDX, BPF_LEN, BPF_LSH, BPF_MEM, BPF_MISC, BPF_MOD, BPF_MSH, BPF_MUL, BPF_NEG, BPF_OR, BPF_RET,
  BPF_RSH, BPF_ST, BPF_STX, BPF_SUB, BPF_TAX, BPF_TXA, BPF_W, BPF_X, BPF_XOR, jump, stmt, type Instruction,
} from '../../../src/bpf/instruction';
import { run } from '../../../src/bpf/interpreter';
import { compileToFunction } from '../../../src/bpf/jit';
import { parseCapture } from '../../../src/protocols/capture';
import { corpus } from '../../integration/bpf/expressions';
import { seededRandom } from '../../helpers/seededRandom';

const fixtures = path.resolve(__dirname, '..', '..', 'fixtures', 'bpf');
const captures: Array<[string, LinkType]> = [['varied.pcap', 'en10mb'], ['varied-raw.pcap', 'raw']];

for (const [file, linkType] of captures) {
  test(`the translated function returns what the interpreter does for every corpus program on every frame of ${file}`, () => {
    const packets = [...parseCapture(readFileSync(path.join(fixtures, file)))];
    let programs = 0;
    let translated = 0;
    const disagreements: string[] = [];
    for (const { expression } of corpus) {
      let program: Program;
      try {
        program = compile(expression, { linkType });
      } catch {
        continue;
      }
      programs++;
      const f = compileToFunction(program);
      if (!f) continue;
      translated++;
      packets.forEach((p, i) => {
        for (const wire of [p.originalLength, p.data.length]) {
          const want = run(program, p.data, wire);
          const got = f(p.data, wire);
          if (want !== got) disagreements.push(`'${expression}' frame ${i + 1} (wire ${wire}): interpreter ${want}, translated ${got}`);
        }
      });
    }
    assert.deepEqual(disagreements.slice(0, 20), []);
    // Only protochain's loop (a backward jump) is left to the interpreter.
    const untranslated = corpus.filter(({ expression }) => {
      try {
        return compileToFunction(compile(expression, { linkType })) === undefined;
      } catch {
        return false;
      }
    });
    assert.ok(untranslated.every(({ expression }) => expression.includes('protochain')), `untranslated: ${untranslated.map((e) => e.expression)}`);
    assert.ok(programs > 300 && translated > 300, `${translated} of ${programs} programs translated`);
  });
}

const retA = stmt(BPF_RET | BPF_A, 0);
const packet = Uint8Array.from([0x45, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]);
const edges: Array<[string, Instruction[], number, number?]> = [
  ['a word load reads big-endian and unsigned', [stmt(BPF_LD | BPF_IMM, 0), stmt(BPF_LD | BPF_W | BPF_ABS, 0), retA], 0x45010203],
  ['a load ending past the packet rejects', [stmt(BPF_LD | BPF_W | BPF_ABS, 5), retA], 0],
  ['an indirect load whose X + k passes 32 bits rejects', [stmt(BPF_LDX | BPF_IMM, 0xffffffff), stmt(BPF_LD | BPF_B | BPF_IND, 2), retA], 0],
  ['BPF_MSH past the packet rejects', [stmt(BPF_LDX | BPF_B | BPF_MSH, 8), stmt(BPF_RET | BPF_K, 1)], 0],
  ['len loads the wire length', [stmt(BPF_LD | BPF_W | BPF_LEN, 0), retA], 1500, 1500],
  ['division by a zero X returns 0', [stmt(BPF_LD | BPF_IMM, 7), stmt(BPF_LDX | BPF_IMM, 0), stmt(BPF_ALU | BPF_DIV | BPF_X, 0), stmt(BPF_RET | BPF_K, 9)], 0],
  ['modulo by a zero X returns 0', [stmt(BPF_LDX | BPF_IMM, 0), stmt(BPF_ALU | BPF_MOD | BPF_X, 0), stmt(BPF_RET | BPF_K, 9)], 0],
  ['a shift by X of 32 gives 0', [stmt(BPF_LD | BPF_IMM, 1), stmt(BPF_LDX | BPF_IMM, 32), stmt(BPF_ALU | BPF_LSH | BPF_X, 0), retA], 0],
  ['a 32-bit product wraps', [stmt(BPF_LD | BPF_IMM, 0x10000), stmt(BPF_ALU | BPF_MUL | BPF_K, 0x10001), retA], 0x10000],
  ['negation wraps', [stmt(BPF_LD | BPF_IMM, 1), stmt(BPF_ALU | BPF_NEG, 0), retA], 0xffffffff],
  ['a jump with both targets equal falls through', [stmt(BPF_LD | BPF_IMM, 3), jump(BPF_JMP | BPF_JEQ | BPF_K, 3, 1, 1), stmt(BPF_RET | BPF_K, 1), stmt(BPF_RET | BPF_K, 2)], 2],
  ['ja skips forwards', [stmt(BPF_JMP | BPF_JA, 1), stmt(BPF_RET | BPF_K, 1), stmt(BPF_RET | BPF_K, 2)], 2],
  ['jset against X', [stmt(BPF_LD | BPF_IMM, 6), stmt(BPF_LDX | BPF_IMM, 4), jump(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1), stmt(BPF_RET | BPF_K, 1), stmt(BPF_RET | BPF_K, 2)], 1],
];
for (const [name, program, want, wire] of edges) {
  test(`translated: ${name}`, () => {
    const f = compileToFunction(program);
    assert.ok(f);
    assert.equal(f(packet, wire ?? packet.length), want);
    assert.equal(run(program, packet, wire), want);
  });
}

test('scratch memory starts at 0 for every packet in the translated function', () => {
  const program = [stmt(BPF_LD | BPF_MEM, 2), stmt(BPF_ALU | BPF_ADD | BPF_K, 1), stmt(BPF_ST, 2), retA];
  assert.equal(execute(program, packet), 1);
  assert.equal(execute(program, packet), 1);
});

test('a program with a backward jump (libpcap protochain) is not translated and still runs, interpreted', () => {
  const program = compile('ip6 protochain 17');
  assert.equal(compileToFunction(program), undefined);
  assert.equal(execute(program, packet), run(program, packet));
});

const ALU_OPS = [BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD, BPF_AND, BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH];
const JUMP_OPS = [BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET];

/** A random valid program: every opcode, forward jumps, small constants so tests and loads hit often. */
function randomProgram(rnd: () => number, length: number): Instruction[] {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const small = (): number => (rnd() < 0.2 ? Math.floor(rnd() * 0x100000000) : Math.floor(rnd() * 40));
  const program: Instruction[] = [];
  for (let i = 0; i < length - 1; i++) {
    const room = length - 1 - i - 1;
    const kind = Math.floor(rnd() * 9);
    const size = pick([BPF_W, BPF_H, BPF_B]);
    switch (kind) {
      case 0: program.push(stmt(BPF_LD | size | pick([BPF_ABS, BPF_IND]), small())); break;
      case 1: program.push(stmt(pick([BPF_LD | BPF_IMM, BPF_LDX | BPF_IMM, BPF_LD | BPF_W | BPF_LEN, BPF_LDX | BPF_W | BPF_LEN, BPF_LDX | BPF_B | BPF_MSH]), small())); break;
      case 2: program.push(stmt(pick([BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM, BPF_ST, BPF_STX]), Math.floor(rnd() * 16))); break;
      case 3: {
        const op = pick(ALU_OPS);
        const k = small();
        program.push(stmt(BPF_ALU | op | BPF_K, (op === BPF_DIV || op === BPF_MOD) && k === 0 ? 3 : k));
        break;
      }
      case 4: program.push(stmt(BPF_ALU | pick(ALU_OPS) | BPF_X, 0)); break;
      case 5: program.push(stmt(pick([BPF_MISC | BPF_TAX, BPF_MISC | BPF_TXA, BPF_ALU | BPF_NEG]), 0)); break;
      case 6: program.push(stmt(BPF_JMP | BPF_JA, Math.floor(rnd() * (room + 1)))); break;
      case 7: program.push(stmt(pick([BPF_RET | BPF_K, BPF_RET | BPF_A]), small())); break;
      default: {
        const jt = Math.min(255, Math.floor(rnd() * (room + 1)));
        const jf = Math.min(255, Math.floor(rnd() * (room + 1)));
        program.push(jump(BPF_JMP | pick(JUMP_OPS) | (rnd() < 0.3 ? BPF_X : BPF_K), small(), jt, jf));
      }
    }
  }
  program.push(stmt(pick([BPF_RET | BPF_K, BPF_RET | BPF_A]), 7));
  return program;
}

test('the translated function returns what the interpreter does for 3000 random programs on random packets', () => {
  const rnd = seededRandom(15);
  const disagreements: string[] = [];
  for (let n = 0; n < 3000; n++) {
    const program = randomProgram(rnd, 2 + Math.floor(rnd() * 40));
    const f = compileToFunction(program);
    assert.ok(f, `program ${n} not translated`);
    for (let j = 0; j < 8; j++) {
      const data = Uint8Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256));
      const wire = data.length + Math.floor(rnd() * 100);
      const want = run(program, data, wire);
      const got = f(data, wire);
      if (want !== got) disagreements.push(`program ${n} packet ${j}: interpreter ${want}, translated ${got}: ${JSON.stringify(program)}`);
    }
  }
  assert.deepEqual(disagreements.slice(0, 5), []);
});
