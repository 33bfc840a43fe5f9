/**
 * An expression that parses but that libpcap refuses to compile (`'port' modifier applied to ip host`,
 * `VLAN tag 4096 greater than maximum 4095` …), or that labtel cannot compile yet. Same shape as ParseError:
 * the range of the primitive at fault, and a message that names it.
 */
import type { Range } from './ast';
import { ParseError } from './parseError';

export class CompileError extends ParseError {
  override readonly name: string = 'CompileError';
}

/** The context in which errors are raised: the source text, to compute line and column. */
export interface ErrorSite {
  source: string;
}

export function compileError(site: ErrorSite, range: Range, reason: string, expected = 'an expression libpcap compiles'): CompileError {
  return new CompileError(site.source, range.start, range.end, reason, expected);
}
