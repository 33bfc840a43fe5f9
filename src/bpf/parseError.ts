/**
 * A mistake in a filter expression: where (offsets and a 1-based line and column), what was expected and what
 * was found. The message reads `LINE:COLUMN: expected X after 'Y', found 'Z'` (or a reason of its own).
 */
export class ParseError extends Error {
  override readonly name: string = 'ParseError';
  readonly line: number;
  readonly column: number;

  constructor(
    source: string,
    /** Offset of the first character of the mistake. */
    readonly start: number,
    /** Offset just past it (start when the mistake is a missing token at the end). */
    readonly end: number,
    /** What is wrong, in words. */
    readonly reason: string,
    /** What the parser expected there. */
    readonly expected: string,
    /** The text found there ('' at the end of the expression). */
    readonly found: string = source.slice(start, end),
  ) {
    const before = source.slice(0, start);
    const line = before.split('\n').length;
    const column = start - before.lastIndexOf('\n');
    super(`${line}:${column}: ${reason}`);
    this.line = line;
    this.column = column;
  }
}

/** A syntax error's reason: `expected X after 'Y', found 'Z'` (or `found the end of the expression`). */
export function expectedReason(expected: string, after: string | undefined, found: string): string {
  const where = after === undefined ? '' : ` after '${after}'`;
  return `expected ${expected}${where}, found ${found === '' ? 'the end of the expression' : `'${found}'`}`;
}
