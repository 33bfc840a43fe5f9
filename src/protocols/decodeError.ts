/**
 * A malformed input, with where it went wrong. Every decoder in src/protocols throws only this
 * (never a RangeError or TypeError from reading past the end): callers count it and skip the input.
 */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    /** What was being decoded, e.g. "sflow.flow_sample" or "ipv4". */
    readonly what: string,
    /** Byte offset into the buffer the decoder was given, where the problem was found. */
    readonly offset: number,
    /** What was wrong, for a person. */
    readonly reason: string,
  ) {
    super(`${what} at byte ${offset}: ${reason}`);
  }
}

/** Throws a DecodeError unless `need` bytes are available at `offset` before `end`. */
export function need(what: string, offset: number, need: number, end: number): void {
  if (offset < 0 || offset + need > end) {
    throw new DecodeError(what, offset, `needs ${need} bytes, ${Math.max(0, end - offset)} left`);
  }
}
