/**
 * Messages between the extension host and the capture indexer's worker thread (node:worker_threads).
 * Requests carry an id; the worker answers each with a reply of the same id. Progress (of the index, of the
 * statistics, of the filter's pass) is posted unasked.
 */
import type { PacketTree } from '../../protocols/packetTree';
import type { CaptureBreak, CaptureRow, CaptureStatistics, FilterErrorInfo, FilterState } from '../../shared/captureMessages';

export interface IndexerWorkerData {
  readonly path: string;
  readonly sflowPorts: readonly number[];
  /** The number the worker gives its first filter's view: a restarted worker's views never reuse an earlier one's. */
  readonly firstView?: number;
}

export type IndexerRequest =
  /** Rows [from, to) of a list: the file's (view 0) or the current filter's (its view number). */
  | { readonly type: 'rows'; readonly id: number; readonly from: number; readonly to: number; readonly view?: number }
  | { readonly type: 'detail'; readonly id: number; readonly index: number }
  | { readonly type: 'statistics'; readonly id: number }
  /** Filters with a pcap-filter expression ('' shows every packet again). */
  | { readonly type: 'filter'; readonly id: number; readonly expression: string }
  /** Writes packets to a new pcapng: these 0-based indexes, else the list of `view` once complete (0: every packet). */
  | { readonly type: 'export'; readonly id: number; readonly path: string; readonly indexes?: readonly number[]; readonly view?: number };

export interface IndexerResults {
  /** The rows, and the view they belong to (the current one, which may differ from the one asked for). */
  rows: { view: number; rows: CaptureRow[] };
  detail: PacketTree;
  statistics: CaptureStatistics | undefined;
  /** The new view, or the compiler's error (the current view stays). */
  filter: { view: number } | { error: FilterErrorInfo };
  export: number;
}

export type IndexerMessage =
  | { readonly type: 'progress'; readonly count: number; readonly bytesRead: number; readonly size: number; readonly done: boolean; readonly error?: CaptureBreak }
  | { readonly type: 'statistics'; readonly statistics: CaptureStatistics }
  | { readonly type: 'filter'; readonly state: FilterState }
  | { readonly type: 'reply'; readonly id: number; readonly result?: unknown; readonly error?: string };
