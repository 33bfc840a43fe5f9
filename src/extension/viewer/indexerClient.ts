/**
 * The host's side of the indexer worker: starts dist/captureIndexer.js on a file, turns requests into
 * promises by id, and hands progress to a listener. No vscode here (the bench and tests drive it too).
 */
import { Worker } from 'node:worker_threads';
import type { IndexerMessage, IndexerRequest, IndexerResults, IndexerWorkerData } from './indexerProtocol';

type Progress = Extract<IndexerMessage, { type: 'progress' }>;
type Statistics = Extract<IndexerMessage, { type: 'statistics' }>['statistics'];
type Filter = Extract<IndexerMessage, { type: 'filter' }>['state'];
type RequestOf<K extends IndexerRequest['type']> = Omit<Extract<IndexerRequest, { type: K }>, 'id' | 'type'>;

export class IndexerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  last: Progress | undefined;
  statistics: Statistics | undefined;
  /** The filter's last state (undefined until one is applied). */
  filter: Filter | undefined;

  constructor(
    bundle: string,
    data: IndexerWorkerData,
    onProgress: (p: Progress) => void,
    onStatistics: (s: Statistics) => void = () => undefined,
    onFilter: (s: Filter) => void = () => undefined,
  ) {
    // The bundle is plain CommonJS: the worker inherits none of the host's flags (a loader such as tsx under
    // the bench and tests would be loaded again in the worker, before the first rows).
    this.worker = new Worker(bundle, { workerData: data, execArgv: [] });
    this.worker.on('message', (m: IndexerMessage) => {
      if (m.type === 'progress') {
        this.last = m;
        onProgress(m);
        return;
      }
      if (m.type === 'statistics') {
        this.statistics = m.statistics;
        onStatistics(m.statistics);
        return;
      }
      if (m.type === 'filter') {
        this.filter = m.state;
        onFilter(m.state);
        return;
      }
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
    });
    this.worker.on('error', (err) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  request<K extends IndexerRequest['type']>(type: K, args: RequestOf<K>): Promise<IndexerResults[K]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...args, type, id });
    });
  }

  async dispose(): Promise<void> {
    for (const p of this.pending.values()) p.reject(new Error('the capture was closed'));
    this.pending.clear();
    await this.worker.terminate();
  }
}
