import type { AgentEvent, SessionEvent } from '../../shared/events';

/** One responder as a prober saw it. */
export interface ResponderSummary {
  readonly responder: string;
  last: number;
  min: number;
  max: number;
  sum: number;
  answered: number;
  lost: number;
  /** How long the responder held the prober's last probe it answered, µs (its `reply` events). */
  heldUs: number | undefined;
}

/**
 * What a prober and its responders say, summed per responder: RTT last/min/avg/max in ms, answered
 * and lost probes, and each responder's own share (held). Fed with the prober's events and with the
 * responders' `reply` events.
 */
export class BgpPingSummary {
  private readonly rows = new Map<string, ResponderSummary>();
  session: SessionEvent | undefined;
  /** Highest probe sequence number seen answered or lost. */
  probes = 0;

  constructor(readonly prober: string) {}

  /** An event of the prober's. */
  fromProber(e: AgentEvent): void {
    if (e.type === 'session') this.session = e;
    else if (e.type === 'rtt') {
      this.probes = Math.max(this.probes, e.seq);
      const x = this.row(e.responder);
      x.last = e.rttMs;
      x.min = Math.min(x.min, e.rttMs);
      x.max = Math.max(x.max, e.rttMs);
      x.sum += e.rttMs;
      x.answered++;
    } else if (e.type === 'lost') {
      this.probes = Math.max(this.probes, e.seq);
      for (const r of e.responders) this.row(r).lost++;
    }
  }

  /** An event of the responder called `responder`: its replies to this prober. */
  fromResponder(responder: string, e: AgentEvent): void {
    if (e.type === 'reply' && e.prober === this.prober) this.row(responder).heldUs = e.turnaroundUs;
  }

  /** The responders the prober has heard from or counted lost, by name. */
  responders(): ResponderSummary[] {
    return [...this.rows.values()].filter((x) => x.answered + x.lost > 0).sort((a, b) => a.responder.localeCompare(b.responder));
  }

  private row(responder: string): ResponderSummary {
    let x = this.rows.get(responder);
    if (!x) {
      x = { responder, last: 0, min: Infinity, max: 0, sum: 0, answered: 0, lost: 0, heldUs: undefined };
      this.rows.set(responder, x);
    }
    return x;
  }
}
