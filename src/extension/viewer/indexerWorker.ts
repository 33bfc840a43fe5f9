/**
 * The capture indexer's worker thread (bundled as dist/captureIndexer.js): indexes one file as a stream and
 * answers the extension host's requests for rows, a packet's detail, the statistics and exports from it.
 * The host's thread never parses the file, so a 1 GB capture does not stall the editor.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CaptureIndexer } from './captureIndexer';
import type { IndexerMessage, IndexerRequest, IndexerWorkerData } from './indexerProtocol';

const port = parentPort;
if (!port) throw new Error('captureIndexer runs as a worker thread');
const data = workerData as IndexerWorkerData;
const indexer = new CaptureIndexer(data.path, { sflowPorts: new Set(data.sflowPorts) });
const post = (m: IndexerMessage) => port.postMessage(m);

async function answer(r: IndexerRequest): Promise<unknown> {
  switch (r.type) {
    case 'rows': return indexer.rows(r.from, r.to);
    case 'detail': return indexer.detail(r.index);
    case 'statistics': return indexer.statistics();
    case 'export': return indexer.exportTo(r.path, r.indexes);
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
