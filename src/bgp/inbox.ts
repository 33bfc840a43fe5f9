import type { BgpError } from '../protocols/bgp';

/** Messages read in one chunk, from `from` on, and the stream's header error that came after them. */
export interface InboxBatch {
  messages: Uint8Array[];
  from: number;
  receivedNs: bigint;
  error: BgpError | undefined;
}

/**
 * What a connection has read but lets wait, in order, while its process gives the CPU up once. A BGP
 * plugin that answers a message with a write its peer waits for (bgp-ping's responder) asks for this: on
 * one machine the peer, woken by that write, often runs on the same CPU (Linux wakes a socket's reader
 * there), and only once this process sleeps, so the decoding and bookkeeping that would follow the write
 * at once would be the peer's delay. The drain comes on a timer (the shortest Node has, ≈ 1 ms): only
 * waiting for one lets the loop sleep; an immediate would not.
 */
export class Inbox {
  private batches: InboxBatch[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** Something waits (or a drain is due): what is read now goes behind it. */
  get waiting(): boolean {
    return this.timer !== undefined || this.batches.length > 0;
  }

  /** A drain is due: the plugin yielded, and what is left waits for the timer. */
  get drainDue(): boolean {
    return this.timer !== undefined;
  }

  /** Appends what a later read brought. */
  add(messages: Uint8Array[], receivedNs: bigint, error: BgpError | undefined): void {
    if (messages.length || error) this.batches.push({ messages, from: 0, receivedNs, error });
  }

  /** Puts the rest of a batch being handled first, from `from` on, and has `drain` called once the loop has slept. */
  defer(messages: Uint8Array[], from: number, receivedNs: bigint, error: BgpError | undefined, drain: () => void): void {
    this.batches.unshift({ messages, from, receivedNs, error });
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      drain();
    }, 0);
  }

  /** The oldest batch, removed; undefined when nothing waits. */
  take(): InboxBatch | undefined {
    return this.batches.shift();
  }

  /** Forgets everything (the connection closed). */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.batches = [];
  }
}
