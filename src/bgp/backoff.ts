/**
 * Delay before the next start after a reset or a failed connection (RFC 4271 §8.1.1's
 * DampPeerOscillations, IdleHoldTimer): doubles from `initialMs` up to `maxMs`, back to `initialMs`
 * once a session is Established.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    readonly initialMs = 1000,
    readonly maxMs = 60_000,
  ) {}

  /** The delay for the next attempt (not jittered; the caller jitters it). */
  next(): number {
    const ms = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    if (ms < this.maxMs) this.attempt++;
    return ms;
  }

  reset(): void {
    this.attempt = 0;
  }
}
