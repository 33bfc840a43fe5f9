/**
 * Messages between the extension host and the capture indexer's worker thread (node:worker_threads).
 * Requests carry an id; the worker answers each with a reply of the same id. Progress is posted unasked.
 */
import type { PacketTree } from '../../protocols/packetTree';
import type { CaptureBreak, CaptureRow, CaptureStatistics } from '../../shared/captureMessages';

export interface IndexerWorkerData {
  readonly path: string;
  readonly sflowPorts: readonly number[];
}

export type IndexerRequest =
  | { readonly type: 'rows'; readonly id: number; readonly from: number; readonly to: number }
  | { readonly type: 'detail'; readonly id: number; readonly index: number }
  | { readonly type: 'statistics'; readonly id: number }
  | { readonly type: 'export'; readonly id: number; readonly path: string; readonly indexes?: readonly number[] };

export interface IndexerResults {
  rows: CaptureRow[];
  detail: PacketTree;
  statistics: CaptureStatistics | undefined;
  export: number;
}

export type IndexerMessage =
  | { readonly type: 'progress'; readonly count: number; readonly bytesRead: number; readonly size: number; readonly done: boolean; readonly error?: CaptureBreak }
  | { readonly type: 'statistics'; readonly statistics: CaptureStatistics }
  | { readonly type: 'reply'; readonly id: number; readonly result?: unknown; readonly error?: string };
