/**
 * Reads the frames of an indexed capture in file order through one large window: a pass over every packet
 * (statistics, a filter) costs one read per window, not one per packet. A frame larger than the window gets
 * a window of its size. The returned bytes are a view into the window, valid until the next call.
 */
import { readSync } from 'node:fs';
import type { PacketIndex } from './packetIndex';

/** Bytes read at a time: large enough that reads cost little, small enough to stay out of the way. */
export const FRAME_WINDOW_BYTES = 4 << 20;

export class FrameWindow {
  private window = new Uint8Array(FRAME_WINDOW_BYTES);
  private windowStart = 0;
  private windowEnd = 0;

  constructor(private readonly fd: number, private readonly index: PacketIndex) {}

  /** Packet i's captured bytes (0-based index). */
  frame(i: number): Uint8Array {
    const offset = this.index.offset[i]!;
    const length = this.index.capturedLength[i]!;
    if (offset < this.windowStart || offset + length > this.windowEnd) {
      if (length > this.window.length) this.window = new Uint8Array(length);
      this.windowStart = offset;
      this.windowEnd = offset + readSync(this.fd, this.window, 0, this.window.length, offset);
    }
    return this.window.subarray(offset - this.windowStart, offset - this.windowStart + length);
  }
}
