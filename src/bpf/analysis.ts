/**
 * Whether a program can accept any packet, by the reasoning libpcap's optimiser uses before `tcpdump -d`
 * refuses an expression that "rejects all packets" (optimize.c: fold_edge decides a jump from the tests on the
 * edges that dominate it; opt_j moves edges past decided jumps, to a fixed point). Here a forward pass over the
 * program keeps, at each instruction, only what holds on every way into it — the symbolic values of A, X and
 * scratch memory (named by how they were computed) and the outcomes of the tests made on them — and decides a
 * jump when a kept outcome repeats it, when its value was found equal to another constant, or when both sides
 * are constants. A jump decided on each path by a different test is not decided, as in libpcap, whose facts
 * come from dominating edges only.
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

interface State {
  a: string;
  x: string;
  mem: string[];
  facts: Fact[];
}

const sameFact = (f: Fact, g: Fact): boolean => f.value === g.value && f.code === g.code && f.operand === g.operand && f.outcome === g.outcome;

/** What holds on both ways into instruction `pc`: equal values stay, different ones become one unknown. */
function meet(s: State, t: State, pc: number): State {
  const v = (a: string, b: string, name: string): string => (a === b ? a : `(phi ${pc} ${name})`);
  return {
    a: v(s.a, t.a, 'a'),
    x: v(s.x, t.x, 'x'),
    mem: s.mem.map((m, i) => v(m, t.mem[i]!, `m${i}`)),
    facts: s.facts.filter((f) => t.facts.some((g) => sameFact(f, g))),
  };
}

/** The outcome of a jump on value a against operand, when the facts decide it. */
function decided(facts: Fact[], a: string, base: number, operand: string): boolean | undefined {
  const cb = constant(operand);
  for (const f of facts) {
    if (f.value !== a) continue;
    if (f.code === base && f.operand === operand) return f.outcome;
    if (f.outcome && f.code === (BPF_JMP | BPF_JEQ | BPF_K) && base === (BPF_JMP | BPF_JEQ | BPF_K) && cb !== undefined) return false;
  }
  return undefined;
}

/**
 * `relationJumps`: the jumps that compare relations. libpcap computes `A = B` as `A - B` compared with 0, a value
 * of its own: such tests decide each other but not the protocol tests on the same bytes (`ip[9] = 6 and udp`
 * is not refused), so their values are kept apart; the map gives their first load's form when it is not the
 * program's (lower.ts).
 */
export function acceptsSomething(program: readonly Instruction[], relationJumps: ReadonlyMap<number, string | undefined> = new Map()): boolean {
  const n = program.length;
  const into = new Array<State | undefined>(n);
  let loops = false;

  /** The state after a straight-line instruction, or undefined when it ends the way (division by zero). */
  const step = (st: State, pc: number): State | undefined => {
    let { a, x, mem } = st;
    const { code, k } = program[pc]!;
    switch (bpfClass(code)) {
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
        // Division by a zero X rejects the packet: nothing follows on this way.
        if (folded === undefined && cb === 0 && (op === 0x30 || op === 0x90)) return undefined;
        a = folded !== undefined ? `#${folded}` : `(${op} ${a} ${operand})`;
        break;
      }
    }
    return { a, x, mem, facts: st.facts };
  };

  /** A conditional jump's value, operand and code as libpcap's optimiser sees them, and its outcome if decided. */
  const judge = (st: State, pc: number): { fact: Omit<Fact, 'outcome'>; known: boolean | undefined } => {
    const { code, k } = program[pc]!;
    let operand = bpfSrc(code) === BPF_X ? st.x : `#${k}`;
    let base = code & ~BPF_X & 0xff;
    let value = st.a;
    if (constant(st.a) !== undefined && constant(operand) !== undefined) {
      return { fact: { value, code: base, operand }, known: decide(code, constant(st.a)!, constant(operand)!) };
    }
    if (relationJumps.has(pc) && bpfOp(code) === BPF_JEQ) {
      // libpcap compares A - B with 0: a value of its own, that only other relations on A share.
      // A load folded from a constant index is a value of its own form to libpcap (`ether[20]` is not `ip6[6]`).
      const a = relationJumps.get(pc) === undefined ? st.a : `${relationJumps.get(pc)}: ${st.a}`;
      if (constant(operand) !== undefined || constant(st.a) !== undefined) value = `(rel ${a})`;
      else [value, operand] = [`(rel ${a} - ${operand})`, '#0'];
      base = BPF_JMP | BPF_JEQ | BPF_K;
    }
    return { fact: { value, code: base, operand }, known: decided(st.facts, value, base, operand) };
  };

  const merge = (target: number, st: State): void => {
    const seen = into[target];
    into[target] = seen ? meet(seen, st, target) : st;
  };

  /**
   * Sends a way into `target`: where the jump it reaches is decided by what this way knows, the way goes on past
   * it (libpcap's opt_j moves the edge), else it joins what else comes in.
   */
  const send = (target: number, st: State): void => {
    let at = target;
    let cur: State | undefined = st;
    let entry = target;
    let entryState = st;
    for (;;) {
      const { code, k } = program[at]!;
      const cls = bpfClass(code);
      if (cls === BPF_RET) break;
      if (cls !== BPF_JMP) {
        cur = step(cur, at);
        if (!cur) return;
        at++;
        continue;
      }
      if (bpfOp(code) === BPF_JA) {
        if ((k | 0) < 0) break;
        at = at + 1 + (k | 0);
        continue;
      }
      const { fact, known } = judge(cur, at);
      if (known === undefined) break;
      const insn = program[at]!;
      at = at + 1 + (known ? insn.jt : insn.jf);
      cur = { ...cur, facts: [...cur.facts, { ...fact, outcome: known }] };
      entry = at;
      entryState = cur;
    }
    merge(entry, entryState);
  };

  into[0] = { a: 'A0', x: 'X0', mem: new Array<string>(16).fill('#0'), facts: [] };
  for (let pc = 0; pc < n; pc++) {
    const st = into[pc];
    if (!st) continue;
    const { code, k } = program[pc]!;
    const cls = bpfClass(code);
    if (cls === BPF_RET) {
      if (code === (BPF_RET | BPF_A) ? st.a !== '#0' : k !== 0) return true;
      continue;
    }
    if (cls !== BPF_JMP) {
      const next = step(st, pc);
      if (next) merge(pc + 1, next);
      continue;
    }
    if (bpfOp(code) === BPF_JA) {
      // A loop (protochain's): past the reach of this analysis; it may accept.
      if ((k | 0) < 0) loops = true;
      else send(pc + 1 + (k | 0), st);
      continue;
    }
    const insn = program[pc]!;
    const { fact, known } = judge(st, pc);
    if (known !== false) send(pc + 1 + insn.jt, { ...st, facts: [...st.facts, { ...fact, outcome: true }] });
    if (known !== true) send(pc + 1 + insn.jf, { ...st, facts: [...st.facts, { ...fact, outcome: false }] });
  }
  return loops;
}
