/**
 * The relay's framing: several TCP connections to the inspector, multiplexed over one stdio pipe
 * between the adapter and the relay process inside the lab node (relayScript.ts speaks the same).
 * The inspector's discovery GET and its WebSocket upgrade come on separate TCP connections, so one
 * pipe carries more than one connection.
 *
 * A frame is a 9-byte header — kind (u8), connection id (u32 BE), payload length (u32 BE) — and
 * the payload:
 *   OPEN  adapter → relay: connect to 127.0.0.1:<u16 BE port in the payload> inside the node
 *   DATA  both ways: bytes of that connection
 *   END   both ways: the connection is closed; a non-empty payload is the error text (UTF-8)
 */
export const FRAME_HEADER_BYTES = 9;
/** A frame larger than this is a broken stream, not a message (the inspector's are far smaller). */
export const MAX_FRAME_PAYLOAD = 64 * 1024 * 1024;

export const enum FrameKind {
  Open = 1,
  Data = 2,
  End = 3,
}

export interface Frame {
  readonly kind: FrameKind;
  readonly id: number;
  readonly payload: Buffer;
}

export class RelayFramingError extends Error {
  override readonly name = 'RelayFramingError';
}

export function encodeFrame(kind: FrameKind, id: number, payload: Uint8Array = EMPTY): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  out[0] = kind;
  out.writeUInt32BE(id, 1);
  out.writeUInt32BE(payload.length, 5);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

export function openPayload(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(port, 0);
  return b;
}

const EMPTY = Buffer.alloc(0);

/**
 * Cuts a byte stream into frames, whatever the chunking: push() each chunk as it comes and get the
 * frames it completed. A bad kind or an oversized length throws RelayFramingError with the stream
 * offset of the frame's header.
 */
export class FrameReader {
  private pending: Buffer = EMPTY;
  /** Bytes consumed before `pending`, for error offsets. */
  private consumed = 0;

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    let at = 0;
    while (this.pending.length - at >= FRAME_HEADER_BYTES) {
      const kind = this.pending[at]!;
      const length = this.pending.readUInt32BE(at + 5);
      if (kind < FrameKind.Open || kind > FrameKind.End) throw new RelayFramingError(`relay frame at byte ${this.consumed + at}: unknown kind ${kind}`);
      if (length > MAX_FRAME_PAYLOAD) throw new RelayFramingError(`relay frame at byte ${this.consumed + at}: payload of ${length} bytes (at most ${MAX_FRAME_PAYLOAD})`);
      if (this.pending.length - at < FRAME_HEADER_BYTES + length) break;
      const id = this.pending.readUInt32BE(at + 1);
      // A copy: the pending buffer is reused and the consumer may keep the payload.
      const payload = Buffer.from(this.pending.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + length));
      frames.push({ kind: kind as FrameKind, id, payload });
      at += FRAME_HEADER_BYTES + length;
    }
    this.consumed += at;
    this.pending = at === this.pending.length ? EMPTY : this.pending.subarray(at);
    return frames;
  }

  /** Bytes of an unfinished frame still held (0 at a frame boundary). */
  get buffered(): number {
    return this.pending.length;
  }
}
