import type { Probe, ProbeLayout } from '../../protocols/bgp';

/** A reply matched to the probe it answers. */
export interface ProbeAnswer {
  responder: string;
  seq: number;
  rttMs: number;
}

/** A probe whose time ran out, with who answered it and who did not. */
export interface ExpiredProbe {
  seq: number;
  answered: string[];
  /** Known responders that did not answer (all of them lost this probe); empty-handed probes list none. */
  missing: string[];
  /** True when nobody answered at all. */
  unanswered: boolean;
}

interface Outstanding {
  seq: number;
  sentMono: bigint;
  timestampNs: bigint;
  answered: Set<string>;
}

/**
 * The prober's book of probes in flight. RTT comes from a monotonic clock kept here per probe; the
 * timestamp on the wire only identifies the probe (the book's is in whole seconds, so it could not
 * give an RTT better than a second). v1 probes are matched by sequence number, book probes by their
 * timestamp.
 */
export class ProbeTracker {
  private seq = 0;
  private readonly outstanding = new Map<number, Outstanding>();
  /** Responders heard from so far: a probe they do not answer counts as lost for them. */
  readonly responders = new Set<string>();

  constructor(
    private readonly id: string,
    private readonly layout: ProbeLayout,
    private readonly timeoutMs: number,
    private readonly mono: () => bigint = process.hrtime.bigint,
    private readonly wallNs: () => bigint = () => BigInt(Date.now()) * 1_000_000n,
  ) {}

  /** A new probe to announce; it is outstanding until it expires. Call `sent` just before its bytes are written. */
  next(): Probe & { seq: number } {
    const seq = ++this.seq;
    const wall = this.wallNs();
    // The book's layout carries whole seconds: that is all there is to match a reply on.
    const timestampNs = this.layout === 'book' ? (wall / 1_000_000_000n) * 1_000_000_000n : wall;
    this.outstanding.set(seq, { seq, sentMono: this.mono(), timestampNs, answered: new Set() });
    return { layout: this.layout, source: this.id, destination: '', timestampNs, sequence: this.layout === 'v1' ? BigInt(seq) : 0n, seq };
  }

  /** Starts probe `seq`'s round trip now: after its UPDATE is encoded, just before the write, so the RTT holds no encoding. */
  sent(seq: number, at: bigint = this.mono()): void {
    const p = this.outstanding.get(seq);
    if (p) p.sentMono = at;
  }

  /**
   * A probe that was due but could not be sent (the session is down): lost at once for every known
   * responder, so an outage shows as loss, not as a gap.
   */
  skip(): ExpiredProbe {
    const seq = ++this.seq;
    return { seq, answered: [], missing: [...this.responders].sort(), unanswered: true };
  }

  /**
   * The answer a reply gives, or undefined for one that is not to one of our outstanding probes (or a
   * repeat). `receivedAt`: the monotonic time its bytes came off the socket (before decoding).
   */
  answer(reply: Probe, receivedAt: bigint = this.mono()): ProbeAnswer | undefined {
    if (reply.source !== this.id || reply.destination === '') return undefined;
    const probe = reply.layout === 'v1'
      ? this.outstanding.get(Number(reply.sequence))
      : [...this.outstanding.values()].reverse().find((p) => p.timestampNs === reply.timestampNs);
    if (!probe || probe.answered.has(reply.destination)) return undefined;
    probe.answered.add(reply.destination);
    this.responders.add(reply.destination);
    return { responder: reply.destination, seq: probe.seq, rttMs: Number(receivedAt - probe.sentMono) / 1e6 };
  }

  /** Removes and returns the probes older than the timeout. */
  expire(): ExpiredProbe[] {
    const now = this.mono();
    const limit = BigInt(Math.round(this.timeoutMs * 1e6));
    const out: ExpiredProbe[] = [];
    // Probes are kept in the order they were sent, so the first one not yet due ends the search.
    for (const p of this.outstanding.values()) {
      if (now - p.sentMono < limit) break;
      this.outstanding.delete(p.seq);
      const answered = [...p.answered].sort();
      out.push({ seq: p.seq, answered, missing: [...this.responders].filter((r) => !p.answered.has(r)).sort(), unanswered: answered.length === 0 });
    }
    return out;
  }

  /** Milliseconds until the oldest outstanding probe expires (0 when it has), or undefined when none is outstanding. */
  nextExpiryMs(): number | undefined {
    const oldest = this.outstanding.values().next().value;
    if (oldest === undefined) return undefined;
    return Math.max(0, this.timeoutMs - Number(this.mono() - oldest.sentMono) / 1e6);
  }

  /** Whether every known responder has answered probe `seq` (Cloudprober mode replies then, not at the time limit). */
  complete(seq: number): boolean {
    const p = this.outstanding.get(seq);
    return p !== undefined && this.responders.size > 0 && [...this.responders].every((r) => p.answered.has(r));
  }
}
