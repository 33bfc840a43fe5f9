/**
 * Cloudprober's external-probe framing (probes/external/serverutils/serverutils.go): every message,
 * both ways, is
 *
 *     "\nContent-Length: N\n\n" followed by N bytes (a serialized protobuf message)
 *
 * Cloudprober's reader takes lines until one starts with "Content-Length: ", reads the decimal N up
 * to the newline (no "\r"), consumes one more line (the blank one) and then exactly N bytes.
 *
 * CloudproberFrameReader does the same over a byte stream that arrives in arbitrary chunks (one
 * frame split over many chunks, many frames in one chunk). Where Cloudprober silently skips a line
 * that is not a header, this reader counts it as garbage and goes on looking for the next header
 * (resynchronises); a header with a bad length, or a missing blank line after it, is garbage too.
 * Nothing it is given makes it throw.
 */

const HEADER = 'Content-Length: ';
/** The longest header line accepted ("Content-Length: " and up to 10 digits); longer lines are garbage. */
const MAX_HEADER_LINE = HEADER.length + 10;
const NL = 0x0a;

/** The frame around `body`: "\nContent-Length: N\n\n" + body, in one buffer ready to write. */
export function encodeFrame(body: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(`\n${HEADER}${body.length}\n\n`);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

export interface FrameReaderOptions {
  /** Frames longer than this are refused as garbage (default 16 MiB): a bad length must not make us buffer gigabytes. */
  maxFrameBytes?: number;
}

/** Where the reader is: looking for a header line; after a header, wanting the blank line; taking the body. */
const State = { Line: 0, Blank: 1, Body: 2 } as const;
type State = (typeof State)[keyof typeof State];

export class CloudproberFrameReader {
  /** Lines or headers that were not part of a frame, each counted once. */
  garbage = 0;
  /** Frames delivered. */
  frames = 0;
  private readonly maxFrameBytes: number;
  private state: State = State.Line;
  /** The current line's first bytes (a header line is short; only its start matters). */
  private line = new Uint8Array(MAX_HEADER_LINE);
  private lineLength = 0;
  /** The current line is too long to be a header: skip to its end. */
  private lineOverlong = false;
  private bodyLength = 0;
  private body: Uint8Array | undefined;
  private bodyFilled = 0;

  constructor(options: FrameReaderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? 16 * 1024 * 1024;
  }

  /**
   * Feeds the next bytes of the stream; returns the bodies of the frames they completed, in order.
   * A body that lies whole inside `chunk` is a view of it (no copy): use it before reusing the chunk.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let at = 0;
    const end = chunk.length;
    while (at < end) {
      if (this.state === State.Body) {
        const want = this.bodyLength - this.bodyFilled;
        const take = Math.min(want, end - at);
        if (this.body === undefined && take === want) {
          out.push(chunk.subarray(at, at + take)); // whole body in this chunk
        } else {
          this.body ??= new Uint8Array(this.bodyLength);
          this.body.set(chunk.subarray(at, at + take), this.bodyFilled);
          this.bodyFilled += take;
          if (this.bodyFilled === this.bodyLength) out.push(this.body);
        }
        at += take;
        if (take === want) this.endFrame();
        continue;
      }
      const byte = chunk[at++]!;
      if (byte !== NL) {
        if (this.lineLength < MAX_HEADER_LINE) this.line[this.lineLength++] = byte;
        else this.lineOverlong = true;
        continue;
      }
      if (this.endLine() && this.bodyLength === 0) {
        out.push(new Uint8Array(0));
        this.endFrame();
      }
    }
    return out;
  }

  /** True between frames: nothing of a header or body is pending. */
  get idle(): boolean {
    return this.state === State.Line && this.lineLength === 0 && !this.lineOverlong;
  }

  private endFrame(): void {
    this.frames++;
    this.state = State.Line;
    this.body = undefined;
    this.bodyFilled = 0;
    this.bodyLength = 0;
  }

  /** A newline ended the current line: act on it. True when a body starts next. */
  private endLine(): boolean {
    const length = this.lineLength;
    const overlong = this.lineOverlong;
    this.lineLength = 0;
    this.lineOverlong = false;
    if (this.state === State.Blank) {
      if (length === 0 && !overlong) {
        this.state = State.Body;
        return true;
      }
      // The header was not followed by a blank line: that frame is lost. The line itself may be the
      // next header, so look at it as one.
      this.garbage++;
      this.state = State.Line;
    }
    if (length === 0 && !overlong) return false; // the blank line that opens every frame
    const n = overlong ? -1 : this.headerLength(length);
    if (n < 0) {
      this.garbage++;
      return false;
    }
    this.bodyLength = n;
    this.state = State.Blank;
    return false;
  }

  /** N from a "Content-Length: N" line held in `line[0..length)`, or -1 when it is not one. */
  private headerLength(length: number): number {
    if (length <= HEADER.length) return -1;
    for (let i = 0; i < HEADER.length; i++) if (this.line[i] !== HEADER.charCodeAt(i)) return -1;
    let n = 0;
    for (let i = HEADER.length; i < length; i++) {
      const d = this.line[i]! - 48;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n <= this.maxFrameBytes ? n : -1;
  }
}
