/**
 * The BGP RTT panel's model: per responder its RTT samples (the newest RTT_CAPACITY), the probes lost
 * (the newest LOST_CAPACITY), how long each responder held the probes it answered (its `reply` events),
 * and the BGP session's state per peer. Plain TypeScript, tested under node.
 */
import type { LostEvent, ReplyEvent, RttEvent, SessionEvent } from '../../shared/events';
import { rttSampleOf, type ExtensionToWebview, type RttHeldMessage, type RttLostMessage, type RttSample, type RttSessionMessage } from '../../shared/webviewMessages';

/** Samples kept per responder (one a second is 27 hours; the bench feeds 100,000). */
export const RTT_CAPACITY = 100_000;
export const LOST_CAPACITY = 10_000;
/** Samples per rtt/append message when replaying. */
const REPLAY_CHUNK = 20_000;

/** A bounded FIFO: pushes past the capacity drop the oldest (amortised: the array is cut by a tenth at a time). */
class Bounded<T> {
  private items: T[] = [];
  constructor(private readonly capacity: number) {}
  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity + Math.ceil(this.capacity / 10)) this.items = this.items.slice(-this.capacity);
  }
  all(): T[] {
    if (this.items.length > this.capacity) this.items = this.items.slice(-this.capacity);
    return this.items;
  }
  clear(): void {
    this.items = [];
  }
  get length(): number {
    return Math.min(this.items.length, this.capacity);
  }
}

export interface RttResponderSnapshot {
  readonly samples: number;
  readonly lastMs: number | undefined;
  readonly lost: number;
  readonly heldUs: number | undefined;
}

export interface RttSnapshot {
  readonly responders: Readonly<Record<string, RttResponderSnapshot>>;
  readonly lostProbes: number;
  readonly sessions: Readonly<Record<string, string>>;
}

export class RttModel {
  private readonly samples = new Map<string, Bounded<RttSample>>();
  private readonly lost: Bounded<RttLostMessage>;
  private readonly lostPer = new Map<string, number>();
  private readonly held = new Map<string, RttHeldMessage>();
  private readonly sessions = new Map<string, RttSessionMessage>();
  private pendingSamples: RttSample[] = [];
  private pending: ExtensionToWebview[] = [];

  constructor(private readonly capacity = RTT_CAPACITY, lostCapacity = LOST_CAPACITY) {
    this.lost = new Bounded<RttLostMessage>(lostCapacity);
  }

  accept(e: RttEvent | LostEvent | SessionEvent): void;
  accept(e: ReplyEvent, responder: string): void;
  accept(e: RttEvent | LostEvent | SessionEvent | ReplyEvent, responder?: string): void {
    switch (e.type) {
      case 'rtt': {
        const s = rttSampleOf(e);
        let list = this.samples.get(s.responder);
        if (!list) this.samples.set(s.responder, (list = new Bounded<RttSample>(this.capacity)));
        list.push(s);
        this.pendingSamples.push(s);
        if (this.pendingSamples.length > this.capacity * 2) this.pendingSamples = this.pendingSamples.slice(-this.capacity);
        break;
      }
      case 'lost': {
        const m: RttLostMessage = { type: 'rtt/lost', ts: e.ts, seq: e.seq, responders: e.responders };
        this.lost.push(m);
        for (const r of e.responders) this.lostPer.set(r, (this.lostPer.get(r) ?? 0) + 1);
        this.queue(m);
        break;
      }
      case 'reply': {
        // The responder is the node whose bgp-ping wrote the reply event: the caller says which.
        const m: RttHeldMessage = { type: 'rtt/held', responder: responder ?? e.prober, ts: e.ts, turnaroundUs: e.turnaroundUs };
        this.held.set(m.responder, m);
        this.queue(m);
        break;
      }
      case 'session': {
        const m: RttSessionMessage = { type: 'rtt/session', peer: e.peer, state: e.state, ...(e.reason ? { reason: e.reason } : {}) };
        this.sessions.set(e.peer, m);
        this.queue(m);
        break;
      }
    }
  }

  private queue(m: ExtensionToWebview): void {
    this.pending.push(m);
    if (this.pending.length > LOST_CAPACITY * 2) this.pending = this.pending.slice(-LOST_CAPACITY);
  }

  /** What arrived since the last drain: one rtt/append with every sample, then lost, held and session messages in order. */
  drain(): ExtensionToWebview[] {
    const out: ExtensionToWebview[] = [];
    if (this.pendingSamples.length) out.push({ type: 'rtt/append', samples: this.pendingSamples });
    out.push(...this.pending);
    this.pendingSamples = [];
    this.pending = [];
    return out;
  }

  replay(): ExtensionToWebview[] {
    this.pendingSamples = [];
    this.pending = [];
    const out: ExtensionToWebview[] = [{ type: 'rtt/clear' }, ...this.sessions.values()];
    for (const list of this.samples.values()) {
      const all = list.all();
      for (let i = 0; i < all.length; i += REPLAY_CHUNK) out.push({ type: 'rtt/append', samples: all.slice(i, i + REPLAY_CHUNK) });
    }
    out.push(...this.lost.all(), ...this.held.values());
    return out;
  }

  clear(): void {
    this.samples.clear();
    this.lostPer.clear();
    this.held.clear();
    this.sessions.clear();
    this.lost.clear();
    this.pendingSamples = [];
    this.pending = [];
  }

  snapshot(): RttSnapshot {
    const responders: Record<string, RttResponderSnapshot> = {};
    const names = new Set([...this.samples.keys(), ...this.lostPer.keys(), ...this.held.keys()]);
    for (const r of names) {
      const list = this.samples.get(r)?.all() ?? [];
      responders[r] = { samples: list.length, lastMs: list.at(-1)?.rttMs, lost: this.lostPer.get(r) ?? 0, heldUs: this.held.get(r)?.turnaroundUs };
    }
    return { responders, lostProbes: this.lost.length, sessions: Object.fromEntries([...this.sessions].map(([p, m]) => [p, m.state])) };
  }
}
