/**
 * One responder's RTT samples in the page, columnar (what uPlot draws), with what its charts need
 * computed in one pass: min/max decimation to the pixels there are (outliers survive), a fine log
 * histogram for p50/p90/p99, and the coarse histogram the distribution chart shows.
 */

/** Samples kept per responder, as in the extension's model. */
export const SERIES_CAPACITY = 100_000;
/** Fine histogram for quantiles: 1 % wide log bins from 1 µs to 100 s (relative error ≤ 0.5 %). */
const FINE_MIN_MS = 0.001;
const FINE_GROWTH = 1.01;
const FINE_BINS = Math.ceil(Math.log(100_000 / FINE_MIN_MS) / Math.log(FINE_GROWTH));
const LOG_GROWTH = Math.log(FINE_GROWTH);

export interface Summary {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly last: number;
}

export interface Drawable {
  /** Time series, decimated: seconds and ms. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Histogram: bin centres (ms, log-spaced) and counts. */
  readonly binX: Float64Array;
  readonly binCount: Float64Array;
  readonly summary: Summary;
}

/** The fine histogram's bin of a sample. */
function fineBin(rttMs: number): number {
  return rttMs <= FINE_MIN_MS ? 0 : Math.min(FINE_BINS, Math.floor(Math.log(rttMs / FINE_MIN_MS) / LOG_GROWTH));
}

/** The geometric middle of a fine bin, in ms. */
const fineCentre = (b: number) => FINE_MIN_MS * Math.pow(FINE_GROWTH, b + 0.5);

export class RttSeries {
  ts = new Float64Array(1024);
  rtt = new Float64Array(1024);
  n = 0;
  lost: number[] = [];
  heldUs: number | undefined;
  heldTs: number | undefined;
  /**
   * Kept up to date as samples come and go, so a frame reads the distribution instead of taking a log of
   * every sample (bench/ui.ts, rtt: 100,000 points, two responders — the per-frame pass over every
   * sample was most of the frame).
   */
  private readonly fine = new Uint32Array(FINE_BINS + 1);
  private min = Infinity;
  private max = -Infinity;

  constructor(readonly responder: string, private readonly capacity = SERIES_CAPACITY) {}

  push(tsMs: number, rttMs: number): void {
    if (this.n === this.ts.length) {
      if (this.n >= this.capacity) this.dropOldest(Math.ceil(this.capacity / 10));
      else {
        const size = Math.min(this.capacity, this.ts.length * 2);
        const ts = new Float64Array(size); ts.set(this.ts); this.ts = ts;
        const rtt = new Float64Array(size); rtt.set(this.rtt); this.rtt = rtt;
      }
    }
    this.ts[this.n] = tsMs / 1000;
    this.rtt[this.n] = rttMs;
    this.n++;
    this.fine[fineBin(rttMs)]!++;
    if (rttMs < this.min) this.min = rttMs;
    if (rttMs > this.max) this.max = rttMs;
  }

  /** Drops the oldest `drop` samples at once: the copy's cost is spread over as many pushes. */
  private dropOldest(drop: number): void {
    for (let i = 0; i < drop; i++) this.fine[fineBin(this.rtt[i]!)]!--;
    this.ts.copyWithin(0, drop, this.n);
    this.rtt.copyWithin(0, drop, this.n);
    this.n -= drop;
    this.min = Infinity;
    this.max = -Infinity;
    for (let i = 0; i < this.n; i++) {
      const v = this.rtt[i]!;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
    }
  }

  addLost(tsMs: number): void {
    this.lost.push(tsMs / 1000);
    if (this.lost.length > this.capacity) this.lost.splice(0, this.lost.length - this.capacity);
  }

  /**
   * Everything the charts draw, for a time-series plot `pixels` wide and a histogram of `bins` bars.
   * More samples than twice the pixels are decimated to each pixel column's min and max, in time order.
   */
  drawable(pixels: number, bins: number): Drawable {
    const n = this.n;
    const ts = this.ts;
    const rtt = this.rtt;
    const { min, max, fine } = this;
    const quantile = (q: number) => {
      const want = Math.ceil(q * n);
      let seen = 0;
      for (let b = 0; b <= FINE_BINS; b++) {
        seen += fine[b]!;
        // The bin's geometric middle, clamped to what was seen.
        if (seen >= want) return Math.min(max, Math.max(min, fineCentre(b)));
      }
      return max;
    };

    let x: Float64Array;
    let y: Float64Array;
    const cols = Math.max(1, Math.floor(pixels));
    if (n <= cols * 2) {
      x = ts.subarray(0, n);
      y = rtt.subarray(0, n);
    } else {
      x = new Float64Array(cols * 2);
      y = new Float64Array(cols * 2);
      const t0 = ts[0]!;
      const span = Math.max(1e-9, ts[n - 1]! - t0);
      let k = 0;
      let i = 0;
      for (let c = 0; c < cols && i < n; c++) {
        const end = t0 + (span * (c + 1)) / cols;
        const start = i;
        let lo = i;
        let hi = i;
        while (i < n && (ts[i]! <= end || c === cols - 1)) {
          if (rtt[i]! < rtt[lo]!) lo = i;
          if (rtt[i]! > rtt[hi]!) hi = i;
          i++;
        }
        if (i === start) continue; // no sample in this pixel column
        const first = Math.min(lo, hi);
        const second = Math.max(lo, hi);
        x[k] = ts[first]!; y[k] = rtt[first]!; k++;
        if (second !== first) { x[k] = ts[second]!; y[k] = rtt[second]!; k++; }
      }
      x = x.subarray(0, k);
      y = y.subarray(0, k);
    }

    // The distribution: `bins` log-spaced bars from min to max (a flat series gets one bar).
    const binX = new Float64Array(bins);
    const binCount = new Float64Array(bins);
    if (n > 0) {
      const lo = Math.max(FINE_MIN_MS, min);
      const hi = Math.max(lo * 1.0001, max);
      const step = Math.log(hi / lo) / bins;
      for (let b = 0; b < bins; b++) binX[b] = lo * Math.exp(step * (b + 0.5));
      // Each fine bin's samples go to the bar its middle falls in: fine bins are 1 % wide, so a sample
      // lands at most one bar from where its exact value would put it, and only near a bar's edge.
      const first = fineBin(lo);
      const last = fineBin(hi);
      for (let b = first; b <= last; b++) {
        const count = fine[b]!;
        if (count === 0) continue;
        const centre = Math.min(hi, Math.max(lo, fineCentre(b)));
        binCount[Math.max(0, Math.min(bins - 1, Math.floor(Math.log(centre / lo) / step)))]! += count;
      }
    }
    return {
      x, y, binX, binCount,
      summary: n === 0
        ? { count: 0, min: NaN, max: NaN, p50: NaN, p90: NaN, p99: NaN, last: NaN }
        : { count: n, min, max, p50: quantile(0.5), p90: quantile(0.9), p99: quantile(0.99), last: rtt[n - 1]! },
    };
  }
}
