/**
 * The pcap-filter expressions in an agent's arguments — the capture agent's `--filter EXPR` (also `-f EXPR`,
 * `--filter=EXPR` and the Go-style `-filter`) — checked as the Start Agent flags box and launch configurations
 * are written, with the message the agent itself would print: `--filter "host and": 1:9: expected …`.
 */
import type { ParseError } from '../../bpf';
import { bpfCore } from './bpfCore';

/** The agent that takes a filter, and its flag's spellings. */
export const FILTER_AGENT = 'capture';
const SEPARATE = new Set(['--filter', '-filter', '-f']);
const JOINED = /^(--?filter=)([\s\S]*)$/;

export interface FilterArgument {
  /** Which argument holds the expression. */
  readonly index: number;
  readonly expression: string;
  /** Where the expression starts in that argument (after `--filter=`). */
  readonly offset: number;
}

export function filterArguments(argv: readonly string[]): FilterArgument[] {
  const out: FilterArgument[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    let m: RegExpExecArray | null;
    if (SEPARATE.has(a) && i + 1 < argv.length) out.push({ index: ++i, expression: argv[i]!, offset: 0 });
    else if ((m = JOINED.exec(a))) out.push({ index: i, expression: m[2]!, offset: m[1]!.length });
  }
  return out;
}

/** The first filter argument that does not compile, with its error; undefined when all do. */
export function filterArgumentError(argv: readonly string[]): { argument: FilterArgument; error: ParseError } | undefined {
  for (const argument of filterArguments(argv)) {
    try {
      bpfCore().compile(argument.expression);
    } catch (err) {
      if (err instanceof bpfCore().ParseError) return { argument, error: err };
      throw err;
    }
  }
  return undefined;
}

/** The agent's own wording for a bad filter, or undefined. */
export function filterArgumentProblem(argv: readonly string[]): string | undefined {
  const bad = filterArgumentError(argv);
  return bad && `--filter "${bad.argument.expression}": ${bad.error.message}`;
}
