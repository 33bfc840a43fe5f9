/**
 * Round-trip times of one responder, in seconds: totals over every sample (count, min, max, mean) and
 * percentiles over a window of the most recent ones (nearest-rank, so a reported p99 is a sample
 * that was actually seen).
 */
export class RttStats {
  private readonly ring: Float64Array;
  private next = 0;
  private filled = 0;
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  last: number | undefined;

  constructor(readonly window = 1024) {
    if (!(window >= 1)) throw new RangeError('window must hold at least one sample');
    this.ring = new Float64Array(window);
  }

  record(seconds: number): void {
    this.ring[this.next] = seconds;
    this.next = (this.next + 1) % this.window;
    this.filled = Math.min(this.filled + 1, this.window);
    this.count++;
    this.sum += seconds;
    if (seconds < this.min) this.min = seconds;
    if (seconds > this.max) this.max = seconds;
    this.last = seconds;
  }

  get mean(): number | undefined {
    return this.count ? this.sum / this.count : undefined;
  }

  /** The p-th percentile (0 < p ≤ 100) of the window, nearest-rank; undefined before the first sample. */
  percentile(p: number): number | undefined {
    if (this.filled === 0) return undefined;
    const sorted = Array.from(this.ring.subarray(0, this.filled)).sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return sorted[Math.min(rank, sorted.length) - 1];
  }

  summary(): { count: number; last?: number; min?: number; max?: number; mean?: number; p50?: number; p90?: number; p99?: number } {
    if (this.count === 0) return { count: 0 };
    return {
      count: this.count, last: this.last, min: this.min, max: this.max, mean: this.mean,
      p50: this.percentile(50), p90: this.percentile(90), p99: this.percentile(99),
    };
  }
}
