/** One RFC 4271 §10 timer (ConnectRetry, Hold, Keepalive, IdleHold): started, stopped, restarted; fires once. */
export class Timer {
  private handle: NodeJS.Timeout | undefined;

  constructor(private readonly onExpire: () => void) {}

  /** (Re)starts the timer; `ms` ≤ 0 leaves it stopped (a negotiated Hold Time of 0 means no timer). */
  start(ms: number): void {
    this.stop();
    if (ms <= 0) return;
    this.handle = setTimeout(() => {
      this.handle = undefined;
      this.onExpire();
    }, ms);
  }

  stop(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
  }

  get running(): boolean {
    return this.handle !== undefined;
  }
}

/** RFC 4271 §10: timers are jittered by a random factor in 0.75..1.0 so peers do not synchronise. */
export function jitter(ms: number, random: () => number = Math.random): number {
  return Math.round(ms * (0.75 + 0.25 * random()));
}
