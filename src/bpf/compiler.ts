/**
 * pcap-filter to classic BPF, with libpcap's semantics: the expression is walked left to right (so `vlan`,
 * `mpls` and `pppoes` move offsets for what follows them), each primitive becomes a predicate over tests,
 * and the predicate is lowered to jumping code. Like `tcpdump -d`, a program that can accept no packet is an
 * error ("expression rejects all packets") — when libpcap would have optimised it, which is when it found out.
 */
import type { FilterAst, FilterNode } from './ast';
import { relation } from './codegen/arith';
import { planRegisters } from './codegen/libpcapRegisters';
import { keyword, qualified } from './codegen/primitives';
import { protocolAbbreviation } from './codegen/protocols';
import { initialState, type CodegenState, type LinkType } from './codegen/state';
import { CompileError, compileError } from './compileError';
import { BPF_K, BPF_RET, type Program } from './instruction';
import { lower } from './lower';
import { parse } from './parser';
import { and, not, or, TRUE, type Predicate } from './predicate';

export type { LinkType } from './codegen/state';

export interface CompileOptions {
  /** DLT_EN10MB (default) or raw IP (DLT_RAW / LINKTYPE_RAW 101). */
  linkType?: LinkType;
  /** What an accepting return keeps: the capture's snap length (tcpdump's default 262144). */
  snaplen?: number;
}

export const DEFAULT_SNAPLEN = 262144;

/** Capture-file link types the compiler handles: LINKTYPE_ETHERNET 1, LINKTYPE_RAW 101 (and DLT_RAW's 12 and 14). */
const CAPTURE_LINK_TYPES = new Map<number, LinkType>([[1, 'en10mb'], [101, 'raw'], [12, 'raw'], [14, 'raw']]);

/** The compiler's link type for a pcap/pcapng link type, or undefined when it has none. */
export function linkTypeOfCapture(linkType: number): LinkType | undefined {
  return CAPTURE_LINK_TYPES.get(linkType);
}

function predicateOf(s: CodegenState, node: FilterNode): Predicate {
  switch (node.type) {
    case 'and': {
      const left = predicateOf(s, node.left);
      return and(left, predicateOf(s, node.right));
    }
    case 'or': {
      const left = predicateOf(s, node.left);
      return or(left, predicateOf(s, node.right));
    }
    case 'not':
      return not(predicateOf(s, node.operand));
    case 'protocol':
      return protocolAbbreviation(s, node.proto, node.range);
    case 'relation':
      return relation(s, node);
    case 'qualified':
      return qualified(s, node);
    case 'keyword':
      return keyword(s, node);
  }
}

/** Whether a program is one return that accepts nothing. */
const rejectsEverything = (program: Program): boolean => program.length === 1 && program[0]!.code === (BPF_RET | BPF_K) && program[0]!.k === 0;

/** Compiles an expression (text or a parsed tree); throws ParseError or CompileError with the position. */
export function compile(expression: string | FilterAst, options: CompileOptions = {}): Program {
  const ast = typeof expression === 'string' ? parse(expression) : expression;
  const registers = planRegisters(ast.root);
  const state = initialState(options.linkType ?? 'en10mb', ast.source, options.snaplen ?? DEFAULT_SNAPLEN, registers);
  const predicate = ast.root ? predicateOf(state, ast.root) : TRUE;
  // libpcap's allocator ran out of scratch registers (codegen/libpcapRegisters.ts).
  if (registers.exhaustedAt) throw compileError(state, registers.exhaustedAt, 'too many registers needed to evaluate expression');
  // When libpcap does not optimise (protochain, geneve), its program is its generated code as it stands: every
  // test runs its loads where the expression puts them, and a load past a short packet rejects it. labtel's
  // program then keeps that shape too, rather than skipping tests its threading finds decided.
  const program = lower(predicate, state.snaplen, { asGenerated: !state.libpcapOptimises });
  // libpcap refuses what its optimiser reduces to a lone `ret #0` (gencode.c, pcap_compile: "expression
  // rejects all packets"). labtel's threading and pull-ups follow its optimiser's (lower.ts), so the same
  // program says the same; without optimisation libpcap never finds out.
  if (state.libpcapOptimises && rejectsEverything(program)) {
    const range = ast.root?.range ?? { start: 0, end: 0 };
    throw new CompileError(ast.source, range.start, range.end, 'expression rejects all packets', 'an expression some packet can match');
  }
  return program;
}
