/**
 * Lowers a predicate to a classic BPF program: jumping code built from the end backwards (each test is
 * generated after the tests it jumps to, so every jump goes forwards), then laid out in order. A test whose two
 * targets are the same is dropped (libpcap's optimiser does the same); a jump further than a jt/jf byte can reach
 * goes through a `ja`.
 */
import { BPF_JA, BPF_JMP, BPF_K, BPF_RET, stmt, type Instruction, type Program } from './instruction';
import type { Predicate } from './predicate';

interface Block {
  stmts: Instruction[];
  /** A conditional jump to two blocks, an unconditional one, or a return. */
  end: { kind: 'jump'; code: number; k: number; ifTrue: Block; ifFalse: Block } | { kind: 'goto'; to: Block } | { kind: 'ret'; k: number };
  /** Position in the laid-out program (index of the first instruction). */
  at: number;
}

const MAX_JUMP = 255;

/** The program for a predicate; `accept` is the length an accepting return keeps (the snap length). */
export function lower(p: Predicate, accept: number): Program {
  const blocks: Block[] = [];
  const add = (b: Omit<Block, 'at'>): Block => {
    const block = { ...b, at: -1 };
    blocks.push(block);
    return block;
  };
  const reject = add({ stmts: [], end: { kind: 'ret', k: 0 } });
  const acceptBlock = add({ stmts: [], end: { kind: 'ret', k: accept } });

  const gen = (q: Predicate, t: Block, f: Block): Block => {
    switch (q.kind) {
      case 'const':
        return q.value ? t : f;
      case 'not':
        return gen(q.operand, f, t);
      case 'and':
        return gen(q.left, gen(q.right, t, f), f);
      case 'or':
        return gen(q.left, t, gen(q.right, t, f));
      case 'test':
        if (t === f) return t;
        return add({ stmts: q.stmts, end: { kind: 'jump', code: q.code, k: q.k, ifTrue: t, ifFalse: f } });
    }
  };
  const entry = gen(p, acceptBlock, reject);

  // Lay out from the entry: blocks were created after their targets, so reverse creation order runs forwards.
  const order = blocks.slice(0, blocks.indexOf(entry) + 1).reverse();
  // Keep only blocks reachable from the entry.
  const reachable = new Set<Block>();
  const visit = (b: Block): void => {
    if (reachable.has(b)) return;
    reachable.add(b);
    if (b.end.kind === 'jump') {
      visit(b.end.ifTrue);
      visit(b.end.ifFalse);
    } else if (b.end.kind === 'goto') visit(b.end.to);
  };
  visit(entry);
  let laid = order.filter((b) => reachable.has(b));

  // Insert `ja` trampolines until every conditional jump reaches its targets.
  for (;;) {
    let at = 0;
    for (const b of laid) {
      b.at = at;
      at += b.stmts.length + 1;
    }
    const far = laid.find((b) => b.end.kind === 'jump' && Math.max(b.end.ifTrue.at, b.end.ifFalse.at) - (b.at + b.stmts.length + 1) > MAX_JUMP);
    if (!far || far.end.kind !== 'jump') break;
    const end = far.end;
    const which = end.ifTrue.at > end.ifFalse.at ? 'ifTrue' : 'ifFalse';
    const tramp: Block = { stmts: [], end: { kind: 'goto', to: end[which] }, at: -1 };
    end[which] = tramp;
    laid = [...laid.slice(0, laid.indexOf(far) + 1), tramp, ...laid.slice(laid.indexOf(far) + 1)];
  }

  const program: Program = [];
  for (const b of laid) {
    program.push(...b.stmts);
    const pc = b.at + b.stmts.length;
    if (b.end.kind === 'ret') program.push(stmt(BPF_RET | BPF_K, b.end.k));
    else if (b.end.kind === 'goto') program.push(stmt(BPF_JMP | BPF_JA, b.end.to.at - pc - 1));
    else program.push({ code: b.end.code, jt: b.end.ifTrue.at - pc - 1, jf: b.end.ifFalse.at - pc - 1, k: b.end.k });
  }
  return program;
}
