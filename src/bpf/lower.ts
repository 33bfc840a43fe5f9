/**
 * Lowers a predicate to a classic BPF program: jumping code built from the end backwards (each test is
 * generated after the tests it jumps to, so every jump goes forwards), then laid out in order. A test whose two
 * targets are the same is dropped (libpcap's optimiser does the same); a jump further than a jt/jf byte can reach
 * goes through a `ja`.
 */
import { BPF_ALU, BPF_AND, BPF_JA, BPF_JEQ, BPF_JMP, BPF_JSET, BPF_K, BPF_LD, BPF_LDX, BPF_MEM, BPF_RET, BPF_ST, BPF_STX, stmt, type Instruction, type Program } from './instruction';
import type { Predicate } from './predicate';

interface Block {
  stmts: Instruction[];
  /** A conditional jump to two blocks, an unconditional one, or a return. */
  end: { kind: 'jump'; code: number; k: number; ifTrue: Block; ifFalse: Block; relation?: boolean; loadForm?: string } | { kind: 'goto'; to: Block } | { kind: 'ret'; k: number };
  /** Position in the laid-out program (index of the first instruction). */
  at: number;
  /** Creation order: a block is made after the blocks it jumps to, until a pull-up moves a test up. */
  id: number;
}

const MAX_JUMP = 255;

export interface LowerOptions {
  /**
   * The code libpcap generates and runs without optimising (when the expression holds protochain or geneve):
   * no threading, and every test kept with its loads, those whose outcome does not matter or that libpcap's
   * optimiser would fold included.
   */
  asGenerated?: boolean;
}

/** The program for a predicate; `accept` is the length an accepting return keeps (the snap length). */
export function lower(p: Predicate, accept: number, options: LowerOptions = {}): Program {
  const threads = !options.asGenerated;
  const blocks: Block[] = [];
  const add = (b: Omit<Block, 'at' | 'id'>): Block => {
    const block = { ...b, at: -1, id: blocks.length };
    blocks.push(block);
    return block;
  };
  const reject = add({ stmts: [], end: { kind: 'ret', k: 0 } });
  const acceptBlock = add({ stmts: [], end: { kind: 'ret', k: accept } });

  const gen = (q: Predicate, t: Block, f: Block): Block => {
    switch (q.kind) {
      case 'const': {
        const to = q.value ? t : f;
        // A relation of constants is a block in libpcap's code whose jump its optimiser decides (opt_peep sets
        // both of its edges to the outcome) and opt_j then skips, edge by edge, like any test both of whose edges
        // agree. Until then the tests before it keep their two different targets, and threading through what
        // follows can make those targets differ for good (libpcap keeps tests here that a fold would drop).
        if (q.comparesConstants && threads && t !== f) return add({ stmts: [], end: { kind: 'jump', code: BPF_JMP | BPF_JEQ | BPF_K, k: 0, ifTrue: to, ifFalse: to } });
        return to;
      }
      case 'not':
        return gen(q.operand, f, t);
      case 'and':
        return gen(q.left, gen(q.right, t, f), f);
      case 'or':
        return gen(q.left, t, gen(q.right, t, f));
      case 'effect':
        return add({ stmts: q.stmts, end: { kind: 'goto', to: t } });
      case 'test': {
        if (q.folds !== undefined && !options.asGenerated) return q.folds ? t : f;
        // A test whose outcome does not matter is dropped, unless its statements store (they are effects then),
        // or the program is left as generated (libpcap's unoptimised code keeps the test and its loads).
        if (t === f && !options.asGenerated) return stores(q.stmts) ? add({ stmts: q.stmts, end: { kind: 'goto', to: t } }) : t;
        const b = add({ stmts: q.stmts, end: { kind: 'jump', code: q.code, k: q.k, ifTrue: t, ifFalse: f, relation: q.relation, loadForm: q.loadForm } });
        // Blocks are made right to left: the last one made for the first test is the one evaluated first.
        if (q === first) firstBlock = b;
        return b;
      }
    }
  };
  const first = firstTest(p);
  let firstBlock: Block | undefined;
  const root = gen(p, acceptBlock, reject);
  let entry = threads ? optimise(root) : root;
  // libpcap's code always starts with its first test's block, and when optimising that test away it keeps the
  // block's statements in front of what remains (opt_root), unless that is a return: the loads still run, and a
  // load past a short packet rejects it.
  if (first && entry !== firstBlock && entry.end.kind !== 'ret' && first.stmts.length) {
    entry = add({ stmts: [...first.stmts, ...entry.stmts], end: { ...entry.end } });
  }

  // Lay out the blocks reachable from the entry, every jump going forwards.
  let laid = forwardOrder(entry);
  const original = new Map(laid.map((b) => [b, b.stmts]));
  dropReloads(laid, original);

  // Insert `ja` trampolines until every conditional jump reaches its targets. A `goto` to the block laid out
  // next is a fall-through and takes no instruction.
  const fallsThrough = (b: Block, i: number): boolean => b.end.kind === 'goto' && laid[i + 1] === b.end.to;
  for (;;) {
    let at = 0;
    laid.forEach((b, i) => {
      b.at = at;
      at += b.stmts.length + (fallsThrough(b, i) ? 0 : 1);
    });
    const far = laid.find((b) => b.end.kind === 'jump' && Math.max(b.end.ifTrue.at, b.end.ifFalse.at) - (b.at + b.stmts.length + 1) > MAX_JUMP);
    if (!far || far.end.kind !== 'jump') break;
    const end = far.end;
    const which = end.ifTrue.at > end.ifFalse.at ? 'ifTrue' : 'ifFalse';
    const tramp: Block = { stmts: [], end: { kind: 'goto', to: end[which] }, at: -1, id: -1 };
    end[which] = tramp;
    laid = [...laid.slice(0, laid.indexOf(far) + 1), tramp, ...laid.slice(laid.indexOf(far) + 1)];
  }

  const program: Program = [];
  for (const [i, b] of laid.entries()) {
    program.push(...b.stmts);
    const pc = b.at + b.stmts.length;
    if (b.end.kind === 'ret') program.push(stmt(BPF_RET | BPF_K, b.end.k));
    else if (b.end.kind === 'goto') {
      if (!fallsThrough(b, i)) program.push(stmt(BPF_JMP | BPF_JA, b.end.to.at - pc - 1));
    }
    else {
      program.push({ code: b.end.code, jt: b.end.ifTrue.at - pc - 1, jf: b.end.ifFalse.at - pc - 1, k: b.end.k });
    }
  }
  return program;
}

/** Whether statements write scratch memory. */
function stores(stmts: Instruction[]): boolean {
  return stmts.some((i) => (i.code & 0x07) === BPF_ST || (i.code & 0x07) === BPF_STX);
}

/**
 * What a test's statements compute, when they start with a load and only load from the packet (so equal keys
 * are equal values). Statements that start from the accumulator as it was (`byte N & V`) have no key.
 */
function valueKey(stmts: Instruction[]): string | undefined {
  if (stmts.length === 0) return undefined;
  const first = stmts[0]!.code & 0x07;
  if (first !== BPF_LD && first !== BPF_LDX) return undefined;
  for (const i of stmts) {
    const cls = i.code & 0x07;
    const mode = i.code & 0xe0;
    if (cls === BPF_ST || cls === BPF_STX || mode === BPF_MEM) return undefined;
  }
  return stmts.map((i) => `${i.code}:${i.k}`).join(',');
}

/** Facts known on entry to a block: `key|code|k` → outcome, and `=key` → the constant it equals. */
type Facts = Map<string, boolean | number>;

/** A jump as libpcap's optimiser compares it: the value in A, the opcode and constant, and whether its sense flips. */
interface LibpcapJump {
  key: string;
  code: number;
  k: number;
  /** The block's true edge is libpcap's false one (`and #k; jeq #0` is libpcap's `jset #k`, edges swapped). */
  flip: boolean;
}

/**
 * The jump a block ends with, as libpcap's optimiser sees it, for threading and pull-ups. Relations compared for
 * equality are a difference of their own (`ip[9] = 17` says nothing to libpcap about `ip[9] = 6` written as a
 * protocol test; threading across them would skip loads libpcap makes, and a load past a truncated packet
 * rejects it). A masked value compared with 0 is a `jset` on the value before the mask (opt_peep rewrites
 * `and #k; jeq #0` so, before opt_j runs again): it decides only other `jset` tests on that value, not
 * `and #k; jeq #k` on the masked one (the bottom-of-stack bit after `mpls`).
 */
function libpcapJump(b: Block): LibpcapJump | undefined {
  const key = valueKey(b.stmts);
  if (key === undefined || b.end.kind !== 'jump') return undefined;
  const { code, k } = b.end;
  if (b.end.relation && (code & 0xf0) === BPF_JEQ) {
    // The relation's first load as libpcap writes it (see Value.loadForm in codegen/arith.ts).
    const form = b.end.loadForm === undefined ? key : [b.end.loadForm, ...key.split(',').slice(1)].join(',');
    return { key: `rel:${form}`, code, k, flip: false };
  }
  // Any other relation compares its value as loaded: libpcap's form of the load still names that value.
  if (b.end.relation && b.end.loadForm !== undefined) {
    return { key: [b.end.loadForm, ...key.split(',').slice(1)].join(','), code, k, flip: false };
  }
  const last = b.stmts[b.stmts.length - 1]!;
  if (code === (BPF_JMP | BPF_JEQ) && k === 0 && b.stmts.length > 1 && last.code === (BPF_ALU | BPF_AND | BPF_K)) {
    return { key: valueKey(b.stmts.slice(0, -1))!, code: BPF_JMP | BPF_JSET, k: last.k, flip: true };
  }
  return { key, code, k, flip: false };
}

/** The successor a jump block goes to under these facts, when they decide it (libpcap's fold_edge). */
function decided(b: Block, facts: Facts): Block | undefined {
  if (b.end.kind !== 'jump') return undefined;
  if (b.end.ifTrue === b.end.ifFalse) return stores(b.stmts) ? undefined : b.end.ifTrue;
  const j = libpcapJump(b);
  if (j === undefined) return undefined;
  const known = facts.get(`${j.key}|${j.code}|${j.k}`);
  if (typeof known === 'boolean') return known !== j.flip ? b.end.ifTrue : b.end.ifFalse;
  const equal = facts.get(`=${j.key}`);
  if (typeof equal === 'number' && j.code === (BPF_JMP | BPF_JEQ) && equal !== j.k) return b.end.ifFalse;
  return undefined;
}

type Side = 'ifTrue' | 'ifFalse';
type EdgeSide = Side | 'to';

/** What taking one side of a block's jump says: `key|code|k` → libpcap's outcome, and `=key` → the constant. */
function edgeFacts(b: Block, side: EdgeSide): Array<[string, boolean | number]> {
  const j = side === 'to' ? undefined : libpcapJump(b);
  if (j === undefined) return [];
  const outcome = (side === 'ifTrue') !== j.flip;
  const out: Array<[string, boolean | number]> = [[`${j.key}|${j.code}|${j.k}`, outcome]];
  if (outcome && j.code === (BPF_JMP | BPF_JEQ)) out.push([`=${j.key}`, j.k]);
  return out;
}

/** A block's outgoing edges. */
function edgesOf(b: Block): EdgeSide[] {
  return b.end.kind === 'jump' ? ['ifTrue', 'ifFalse'] : b.end.kind === 'goto' ? ['to'] : [];
}

/**
 * Jump threading as libpcap's opt_j does it: an edge into a test that the edges dominating it decide goes
 * straight to the decided successor (fold_edge), and on past the next one while that is decided too. Each pass
 * takes the edge dominators of the graph as it was when the pass began (find_edom) and moves edges from the
 * leaves' level up; passes repeat until nothing moves. Only dominating edges count: a test made on every way
 * in, but by different blocks, decides nothing, as in libpcap. The order matters for short packets: a test
 * that libpcap skips near the leaves while a block above still dominates it is a load it does not make.
 */
function thread(entry: Block): void {
  for (let round = 0; round < 32; round++) {
    const order = forwardOrder(entry);
    // edom: for each block, the edges dominating every edge out of it (the edges on every way to it).
    const into = new Map<Block, Set<string> | undefined>([[entry, new Set()]]);
    const edom = new Map<string, Set<string>>();
    const edgeId = (b: Block, side: EdgeSide): string => `${b.id}:${side}`;
    const owner = new Map<string, [Block, EdgeSide]>();
    for (const b of order) {
      const before = into.get(b) ?? new Set<string>();
      for (const side of edgesOf(b)) {
        const id = edgeId(b, side);
        owner.set(id, [b, side]);
        const mine = new Set(before).add(id);
        edom.set(id, mine);
        const t = (b.end as unknown as Record<string, Block>)[side]!;
        const seen = into.get(t);
        into.set(t, seen ? new Set([...seen].filter((e) => mine.has(e))) : mine);
      }
    }
    const level = new Map<Block, number>();
    for (const b of [...order].reverse()) level.set(b, b.end.kind === 'ret' ? 0 : 1 + Math.max(...successors(b).map((t) => level.get(t)!)));
    const byLevel = [...order].reverse().filter((b) => level.get(b)! > 0).sort((x, y) => level.get(x)! - level.get(y)!);
    let changed = false;
    for (const b of byLevel) {
      for (const side of edgesOf(b)) {
        const facts: Facts = new Map();
        for (const e of edom.get(edgeId(b, side))!) {
          const [pb, ps] = owner.get(e)!;
          for (const [k, v] of edgeFacts(pb, ps)) facts.set(k, v);
        }
        const end = b.end as unknown as Record<string, Block>;
        let target = end[side]!;
        for (let next = decided(target, facts); next; next = decided(target, facts)) target = next;
        if (target !== end[side]) {
          end[side] = target;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
}

/**
 * The test a predicate makes first (its leftmost), if any. A relation of constants there (`2 > 3 and …`) was a
 * block of constant loads in libpcap's code: its first block then loads nothing from the packet.
 */
function firstTest(p: Predicate): Extract<Predicate, { kind: 'test' }> | undefined {
  const leftmost = (q: Predicate): Extract<Predicate, { kind: 'test' | 'const' }> | undefined => {
    switch (q.kind) {
      case 'test': return q;
      case 'const': return q.comparesConstants ? q : undefined;
      case 'not': return leftmost(q.operand);
      case 'and':
      case 'or': return leftmost(q.left) ?? leftmost(q.right);
      default: return undefined;
    }
  };
  const first = leftmost(p);
  return first?.kind === 'test' ? first : undefined;
}

/** Drops a test's loads when every block jumping to it ended with the same loads: A (and X) already hold them. */
function dropReloads(laid: Block[], original: Map<Block, Instruction[]>): void {
  const preds = new Map<Block, Block[]>();
  for (const b of laid) {
    const targets = b.end.kind === 'jump' ? [b.end.ifTrue, b.end.ifFalse] : b.end.kind === 'goto' ? [b.end.to] : [];
    for (const t of new Set(targets)) preds.set(t, [...(preds.get(t) ?? []), b]);
  }
  for (const b of laid.slice(1)) {
    const key = valueKey(original.get(b)!);
    const from = preds.get(b) ?? [];
    if (key === undefined || b.end.kind !== 'jump' || from.length === 0) continue;
    if (from.every((p) => p.end.kind === 'jump' && valueKey(original.get(p)!) === key)) b.stmts = [];
  }
}

/** The blocks a block goes to. */
function successors(b: Block): Block[] {
  return b.end.kind === 'jump' ? [b.end.ifTrue, b.end.ifFalse] : b.end.kind === 'goto' ? [b.end.to] : [];
}

/**
 * The blocks reachable from the entry in an order where every jump goes forwards: among the blocks whose
 * predecessors are all placed, the latest made goes first, which is reverse creation order until a pull-up
 * has moved a test above blocks made after it.
 */
function forwardOrder(entry: Block): Block[] {
  const reachable = new Set<Block>();
  const stack = [entry];
  while (stack.length) {
    const b = stack.pop()!;
    if (reachable.has(b)) continue;
    reachable.add(b);
    stack.push(...successors(b));
  }
  const waiting = new Map<Block, number>([...reachable].map((b) => [b, 0]));
  for (const b of reachable) for (const t of new Set(successors(b))) waiting.set(t, waiting.get(t)! + 1);
  const ready = [entry];
  const order: Block[] = [];
  while (ready.length) {
    ready.sort((a, b) => a.id - b.id);
    const b = ready.pop()!;
    order.push(b);
    for (const t of new Set(successors(b))) {
      const n = waiting.get(t)! - 1;
      waiting.set(t, n);
      if (n === 0) ready.push(t);
    }
  }
  return order;
}

/**
 * libpcap's branch optimisation (optimize.c, opt_blks without statement changes): jump threading (opt_j), then
 * the or/and pull-ups, repeated until nothing moves. The pull-ups decide which loads a packet meets first, and a
 * load past a short packet rejects it, so labtel moves tests where libpcap does.
 */
function optimise(root: Block): Block {
  for (let round = 0; round < 100; round++) {
    thread(root);
    if (!pullUp(root)) break;
  }
  // Then, as opt_root does last, an entry test whose outcome does not matter is skipped. Not before: while it
  // is there, it is the predecessor the pull-ups look at (its edges may both lead to the block below).
  let entry = root;
  for (let next = decided(entry, new Map()); next; next = decided(entry, new Map())) entry = next;
  return entry;
}

/**
 * The value each block leaves in A, as libpcap's value numbering names it: what its loads compute (a relation
 * compared for equality is its own difference, A - k), what every predecessor left when the block loads nothing,
 * else a value of the block's own.
 */
function valuesOfA(order: Block[], preds: Map<Block, Block[]>): Map<Block, string> {
  const out = new Map<Block, string>();
  for (const b of order) {
    let v: string | undefined;
    if (b.stmts.length === 0) {
      const from = (preds.get(b) ?? []).map((p) => out.get(p));
      if (from.length && from.every((x) => x === from[0])) v = from[0];
    } else if (b.end.kind === 'jump') {
      const j = libpcapJump(b);
      if (j !== undefined) v = j.key.startsWith('rel:') ? `${j.key}-${j.k}` : j.key;
    }
    out.set(b, v ?? `#${b.id}`);
  }
  return out;
}

/** Each block's dominators: the blocks every way from the entry to it goes through. */
function dominators(order: Block[], preds: Map<Block, Block[]>): Map<Block, Set<Block>> {
  const dom = new Map<Block, Set<Block>>();
  for (const b of order) {
    const from = preds.get(b) ?? [];
    let common: Set<Block> | undefined;
    for (const p of from) {
      const d = dom.get(p)!;
      common = common ? new Set([...common].filter((x) => d.has(x))) : new Set(d);
    }
    dom.set(b, new Set([...(common ?? []), b]));
  }
  return dom;
}

/**
 * libpcap's or_pullup and and_pullup (optimize.c), one move at a time. For "A or B" chains (same true target,
 * going down the false edges) below a block b whose predecessors all leave the same value in A: when a test
 * further down the chain compares that same value again, libpcap moves it up above the first test on another
 * value, so it runs while A still holds the value; `and` chains are the same with true and false swapped.
 * Returns whether a test moved.
 */
function pullUp(entry: Block): boolean {
  const order = forwardOrder(entry);
  const preds = new Map<Block, Block[]>();
  for (const b of order) for (const t of new Set(successors(b))) preds.set(t, [...(preds.get(t) ?? []), b]);
  const a = valuesOfA(order, preds);
  const dom = dominators(order, preds);
  // libpcap visits blocks by level, the leaves' parents first (find_levels: a block's level is one above its
  // highest successor's).
  const level = new Map<Block, number>();
  for (const b of [...order].reverse()) level.set(b, b.end.kind === 'ret' ? 0 : 1 + Math.max(...successors(b).map((t) => level.get(t)!)));
  const byLevel = order.filter((b) => level.get(b)! > 0).sort((x, y) => level.get(x)! - level.get(y)!);
  for (const b of byLevel) {
    for (const [same, other] of [['ifTrue', 'ifFalse'], ['ifFalse', 'ifTrue']] as const) {
      if (pullUpChain(b, same, other, preds, a, dom)) return true;
    }
  }
  return false;
}

/** One pull-up below b along `other` edges of tests sharing b's `same` target (or_pullup: same = ifTrue). */
function pullUpChain(b: Block, same: Side, other: Side, preds: Map<Block, Block[]>, a: Map<Block, string>, dom: Map<Block, Set<Block>>): boolean {
  const from = preds.get(b) ?? [];
  if (from.length === 0 || b.end.kind !== 'jump') return false;
  const val = a.get(from[0]!)!;
  if (from.some((p) => a.get(p) !== val)) return false;
  const target = b.end[same];
  const inChain = (x: Block): x is Block & { end: { kind: 'jump' } } => x.end.kind === 'jump' && x.end[same] === target && dom.get(x)!.has(b);
  // The first test of the chain on another value than the predecessors'.
  let diff: Block = b;
  let above: Block | undefined;
  for (;;) {
    if (!inChain(diff)) return false;
    if (a.get(diff) !== val) break;
    above = diff;
    const next = diff.end.kind === 'jump' ? diff.end[other] : undefined;
    if (!next) return false;
    diff = next;
  }
  // Below it, the first test on the predecessors' value again.
  let holder: Block = diff;
  for (;;) {
    const next = holder.end.kind === 'jump' ? holder.end[other] : undefined;
    if (!next || !inChain(next)) return false;
    if (a.get(next) === val) break;
    holder = next;
  }
  if (holder.end.kind !== 'jump') return false;
  const pull = holder.end[other];
  if (pull.end.kind !== 'jump') return false;
  holder.end[other] = pull.end[other];
  pull.end[other] = diff;
  if (above && above.end.kind === 'jump') above.end[other] = pull;
  else {
    for (const p of from) {
      if (p.end.kind === 'jump') {
        if (p.end.ifTrue === b) p.end.ifTrue = pull;
        if (p.end.ifFalse === b) p.end.ifFalse = pull;
      } else if (p.end.kind === 'goto' && p.end.to === b) p.end.to = pull;
    }
  }
  return true;
}
