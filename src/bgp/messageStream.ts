import { BgpError, messageLength } from '../protocols/bgp';

/**
 * Cuts a TCP byte stream into whole BGP messages (RFC 4271 §4.1 framing by the header's length).
 * A chunk holding whole messages is handed out as views into it; only a message split across chunks
 * is copied together. A header error ends the stream with the BgpError its NOTIFICATION needs, after
 * the messages that came before it.
 */
export class MessageStream {
  private pending: Uint8Array | undefined;

  /** Adds `chunk` and returns the whole messages now available, in order, and a header error if one came next. */
  push(chunk: Uint8Array): { messages: Uint8Array[]; error?: BgpError } {
    let buf = chunk;
    if (this.pending) {
      buf = new Uint8Array(this.pending.length + chunk.length);
      buf.set(this.pending);
      buf.set(chunk, this.pending.length);
      this.pending = undefined;
    }
    const out: Uint8Array[] = [];
    let p = 0;
    while (p < buf.length) {
      let length: number;
      try {
        length = messageLength(buf, p);
      } catch (e) {
        if (e instanceof BgpError) return { messages: out, error: e };
        throw e;
      }
      if (length === 0 || p + length > buf.length) break;
      // A chunk that is exactly one message (the usual case when messages are sparse, as bgp-ping's are)
      // is handed out as it is: a view of a Buffer is one more Buffer object to allocate.
      out.push(p === 0 && length === buf.length ? buf : buf.subarray(p, p + length));
      p += length;
    }
    if (p < buf.length) this.pending = buf.slice(p);
    return { messages: out };
  }
}
