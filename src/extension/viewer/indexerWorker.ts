/**
 * The capture indexer's worker thread (bundled as dist/captureIndexer.js): indexes one file as a stream and
 * answers the extension host's requests for rows, a packet's detail, the statistics, a filter and exports
 * from it. The host's thread never parses the file nor runs a filter over it, so a 1 GB capture does not
 * stall the editor.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FilterState } from '../../shared/captureMessages';
import { CaptureIndexer } from './captureIndexer';
import { FilteredView } from './filteredView';
import type { IndexerMessage, IndexerRequest, IndexerResults, IndexerWorkerData } from './indexerProtocol';
import { PacketFilter, PacketFilterError } from './packetFilter';

const port = parentPort;
if (!port) throw new Error('captureIndexer runs as a worker thread');
const data = workerData as IndexerWorkerData;
const indexer = new CaptureIndexer(data.path, { sflowPorts: new Set(data.sflowPorts) });
const post = (m: IndexerMessage) => port.postMessage(m);

/** The filter shown now; undefined while every packet is. */
let current: FilteredView | undefined;
let nextView = data.firstView ?? 1;

const unfiltered = (): FilterState => ({ view: 0, expression: '', matched: indexer.index.count, scanned: indexer.index.count, done: indexer.done, untested: [] });

async function filter(expression: string): Promise<IndexerResults['filter']> {
  const text = expression.trim();
  if (text === '') {
    current?.stop();
    current = undefined;
    post({ type: 'filter', state: unfiltered() });
    return { view: 0 };
  }
  // The program is compiled for the capture's link type: the first packet's, once there is one.
  while (indexer.index.count === 0 && !indexer.done) await indexer.whenProgress();
  let compiled: PacketFilter;
  try {
    compiled = PacketFilter.compile(expression, indexer.index.count > 0 ? indexer.index.linkType[0]! : 1);
  } catch (e) {
    if (!(e instanceof PacketFilterError)) throw e;
    return { error: { expression, message: e.message, start: e.position, end: e.end } };
  }
  current?.stop();
  const view = new FilteredView(nextView++, compiled, indexer);
  current = view;
  void view.run((state) => { if (current === view) post({ type: 'filter', state }); });
  return { view: view.view };
}

function rows(from: number, to: number): IndexerResults['rows'] {
  if (!current) return { view: 0, rows: indexer.rows(from, to) };
  return { view: current.view, rows: indexer.rowsOf(current.slice(from, to)) };
}

async function exportPackets(path: string, indexes: readonly number[] | undefined, view: number | undefined): Promise<number> {
  if (indexes) return indexer.exportTo(path, indexes);
  if (view !== undefined && view !== 0) {
    const shown = current;
    if (!shown || shown.view !== view) throw new Error('the filter changed before the export began: export again');
    await shown.whenDone();
    if (current !== shown) throw new Error('the filter changed during the export: export again');
    return indexer.exportTo(path, shown.slice(0, shown.matched));
  }
  while (!indexer.done) await indexer.whenProgress();
  return indexer.exportTo(path);
}

async function answer(r: IndexerRequest): Promise<unknown> {
  switch (r.type) {
    case 'rows': return rows(r.from, r.to);
    case 'detail': return indexer.detail(r.index);
    case 'statistics': return indexer.statistics();
    case 'filter': return filter(r.expression);
    case 'export': return exportPackets(r.path, r.indexes, r.view);
  }
}

port.on('message', (r: IndexerRequest) => {
  answer(r).then(
    (result) => post({ type: 'reply', id: r.id, result }),
    (err: unknown) => post({ type: 'reply', id: r.id, error: err instanceof Error ? err.message : String(err) }),
  );
});

void indexer.run((p) => post({ type: 'progress', ...p, size: indexer.size }))
  .then(() => indexer.computeStatistics())
  .then((statistics) => post({ type: 'statistics', statistics }))
  .catch((err: unknown) => {
  post({ type: 'progress', count: indexer.index.count, bytesRead: indexer.bytesRead, size: indexer.size, done: true,
    error: { offset: indexer.bytesRead, packetNumber: indexer.index.count + 1, message: err instanceof Error ? err.message : String(err) } });
});
