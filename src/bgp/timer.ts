import { performance } from 'node:perf_hooks';

/**
 * One RFC 4271 §10 timer (ConnectRetry, Hold, Keepalive, IdleHold): started, stopped, restarted; fires once.
 *
 * The Hold and Keepalive timers restart on every message, and a clearTimeout + setTimeout pair per
 * message is a measurable part of bgp-ping's turnaround (`npm run bench -- bgp`). So a restart to a
 * later time only moves the due time; the pending timeout, when it fires early, re-arms itself for the
 * rest. Only a restart to a sooner time replaces it.
 */
export class Timer {
  private handle: NodeJS.Timeout | undefined;
  /** performance.now() at which the timer expires. */
  private due = 0;
  /** performance.now() at which the pending timeout fires (at or before `due`). */
  private firesAt = 0;

  constructor(private readonly onExpire: () => void) {}

  /** (Re)starts the timer; `ms` ≤ 0 leaves it stopped (a negotiated Hold Time of 0 means no timer). */
  start(ms: number): void {
    if (ms <= 0) {
      this.stop();
      return;
    }
    const due = performance.now() + ms;
    if (this.handle && due >= this.firesAt) {
      this.due = due;
      return;
    }
    this.stop();
    this.due = due;
    this.arm(ms);
  }

  stop(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
  }

  get running(): boolean {
    return this.handle !== undefined;
  }

  private arm(ms: number): void {
    this.firesAt = performance.now() + ms;
    this.handle = setTimeout(() => this.fire(), ms);
  }

  private fire(): void {
    const left = this.due - performance.now();
    // Node's loop clock has millisecond steps, so a timeout may come a fraction early: wait out the rest.
    if (left > 0) {
      this.arm(Math.ceil(left));
      return;
    }
    this.handle = undefined;
    this.onExpire();
  }
}

/** RFC 4271 §10: timers are jittered by a random factor in 0.75..1.0 so peers do not synchronise. */
export function jitter(ms: number, random: () => number = Math.random): number {
  return Math.round(ms * (0.75 + 0.25 * random()));
}
