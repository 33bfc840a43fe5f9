/**
 * The packets of a capture a filter keeps: a pass runs the compiled filter over every indexed frame in file
 * order, in time slices (the worker answers requests for rows in between), and follows the indexer while it
 * is still reading the file. The matches are 0-based packet indexes in a typed array that grows by doubling
 * (4 bytes a match): row k of the filtered list is packet matches[k].
 *
 * Runs in the indexer's worker; no vscode here.
 */
import type { CaptureIndexer } from './captureIndexer';
import { SLICE_CHECK_EVERY, SLICE_MS, yieldToEvents } from './captureIndexer';
import type { FilterState } from '../../shared/captureMessages';
import type { PacketFilter } from './packetFilter';

const INITIAL_CAPACITY = 1 << 12;
/** Progress is reported at most this often while a pass runs (and always at its end). */
const REPORT_EVERY_MS = 100;

export class FilteredView {
  private matches = new Uint32Array(INITIAL_CAPACITY);
  matched = 0;
  scanned = 0;
  done = false;
  private stopped = false;
  private readonly finished: Promise<void>;
  private finish: () => void = () => undefined;

  constructor(readonly view: number, readonly filter: PacketFilter, private readonly indexer: CaptureIndexer) {
    this.finished = new Promise((resolve) => { this.finish = resolve; });
  }

  /** Tests every packet, now and as the indexer finds more; reports progress on the way and at the end. */
  async run(report: (p: FilterState) => void): Promise<void> {
    const { index } = this.indexer;
    const frames = this.indexer.frameWindow();
    let reportedAt = 0;
    const progress = () => {
      reportedAt = performance.now();
      report({ view: this.view, expression: this.filter.expression, matched: this.matched, scanned: this.scanned, done: this.done, untested: this.filter.untested() });
    };
    while (!this.stopped) {
      let sliceStart = performance.now();
      for (; this.scanned < index.count && !this.stopped; this.scanned++) {
        const i = this.scanned;
        if (this.filter.test(frames.frame(i), index.originalLength[i]!, index.linkType[i]!)) this.push(i);
        if ((i & SLICE_CHECK_EVERY) === 0 && performance.now() - sliceStart > SLICE_MS) {
          if (performance.now() - reportedAt > REPORT_EVERY_MS) progress();
          await yieldToEvents();
          sliceStart = performance.now();
        }
      }
      if (this.stopped) break;
      if (this.indexer.done && this.scanned >= index.count) {
        this.done = true;
        progress();
        break;
      }
      progress();
      await this.indexer.whenProgress();
    }
    this.finish();
  }

  /** Stops the pass (a new expression replaced this one). */
  stop(): void {
    this.stopped = true;
    this.finish();
  }

  /** Resolves when every packet is tested (or the pass is stopped). */
  whenDone(): Promise<void> {
    return this.finished;
  }

  /** 0-based packet indexes of matches [from, to) of the filtered list (clipped to what has matched). */
  slice(from: number, to: number): Uint32Array {
    return this.matches.subarray(Math.max(0, Math.min(from, this.matched)), Math.max(0, Math.min(to, this.matched)));
  }

  private push(i: number): void {
    if (this.matched === this.matches.length) {
      const grown = new Uint32Array(this.matches.length * 2);
      grown.set(this.matches);
      this.matches = grown;
    }
    this.matches[this.matched++] = i;
  }
}
