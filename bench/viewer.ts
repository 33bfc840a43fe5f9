// `npm run bench -- viewer`: the capture viewer's indexer (the worker thread the editor starts, dist/
// captureIndexer.js, statistics included) beside `tshark -r FILE -T fields -e frame.number`, on generated
// captures of 10 MB, 100 MB and 1 GB. Writes bench/results/viewer.json.
//
// The captures are built in /tmp with src/protocols/captureWriter.ts from the sFlow corpus: its 1,000
// datagrams of switch-2011-1000dgrams.pcap and the frames sampled inside them, interleaved and repeated with
// rising timestamps, and deleted afterwards. The 1 GB size is skipped, with the reason recorded, when /tmp
// has under 5 GB free (the disk is shared).
// Measured per file, one run each (the page cache is warm for both: each tool reads the file once before):
// - labtel: time from starting the worker to the first rows in hand (its first progress with packets, then
//   the answer to a request for the first 60 rows, as the webview asks), to the end of indexing, and to the
//   end of the statistics pass that follows; peak RSS of this process while the worker runs, minus its RSS
//   before (the worker shares the process).
// - tshark: time to its first line of output and to its exit; peak RSS from /usr/bin/time -f %M.
//   options: --sizes=10,100,1000 (MB); --no-tshark measures labtel only (a smoke run: tshark's pass over
//   1 GB takes tens of minutes on a loaded machine).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { IndexerClient } from '../src/extension/viewer/indexerClient';
import { parseCapture } from '../src/protocols/capture';
import { CaptureWriter } from '../src/protocols/captureWriter';
import { decodeDatagram } from '../src/protocols/sflow';
import { corpusPath } from '../test/helpers/corpus';

const root = path.resolve(__dirname, '..');
const MB = 1e6;
const GB_FREE_FOR_1GB = 5;
const sizesArg = process.argv.find((a) => a.startsWith('--sizes='));
const SIZES_MB = sizesArg ? sizesArg.slice(8).split(',').map(Number) : [10, 100, 1000];
const RSS_SAMPLE_MS = 20;
const WITH_TSHARK = !process.argv.includes('--no-tshark');
/** The rows the webview asks for first (a screen and its overscan). */
const FIRST_ROWS = 60;

interface Frame { data: Uint8Array; originalLength: number }

function corpusFrames(): Frame[] {
  const frames: Frame[] = [];
  for (const p of parseCapture(readFileSync(corpusPath('sflow', 'switch-2011-1000dgrams.pcap')))) {
    frames.push({ data: p.data.slice(), originalLength: p.originalLength });
    const dg = decodeDatagram(p.data, 42);
    for (const s of dg.samples) {
      if (s.kind !== 'flowSample') continue;
      for (const r of s.records) if (r.kind === 'rawHeader' && r.headerProtocol === 1) frames.push({ data: p.data.slice(r.headerStart, r.headerEnd), originalLength: r.frameLength });
    }
  }
  return frames;
}

async function generate(file: string, bytes: number, frames: Frame[]): Promise<number> {
  const w = new CaptureWriter(file, { format: 'pcap', linkType: 1 });
  let written = 0;
  let n = 0;
  const start = 1_700_000_000_000_000_000n;
  while (written < bytes) {
    const f = frames[n % frames.length]!;
    w.write({ timestampNs: start + BigInt(n) * 10_000n, data: f.data, originalLength: f.originalLength });
    written += 16 + f.data.length;
    n++;
    if (n % 100_000 === 0) await w.flush();
  }
  await w.close();
  return n;
}

async function labtel(file: string): Promise<{ firstProgressMs: number; firstRowsMs: number; fullIndexMs: number; statisticsMs: number; packets: number; peakRssMB: number }> {
  // The capture was just generated in this process: its garbage is collected now, not during the measurement.
  collectGarbage();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, RSS_SAMPLE_MS);
  const t0 = performance.now();
  let first = -1;
  let firstRows = -1;
  let indexedAt = -1;
  const result = await new Promise<{ count: number; at: number }>((resolve, reject) => {
    let count = 0;
    const client: IndexerClient = new IndexerClient(path.join(root, 'dist', 'captureIndexer.js'), { path: file, sflowPorts: [6343] }, (p) => {
      if (first < 0 && p.count > 0) {
        first = performance.now() - t0;
        // What the webview asks first: the rows in view; they are on screen when the answer is in.
        void client.request('rows', { from: 0, to: FIRST_ROWS }).then(({ rows }) => {
          if (rows.length < Math.min(FIRST_ROWS, p.count)) reject(new Error(`${rows.length} first rows`));
          firstRows = performance.now() - t0;
        });
      }
      if (p.done) {
        indexedAt = performance.now() - t0;
        count = p.count;
        if (p.error) reject(new Error(p.error.message));
      }
    }, () => {
      const at = performance.now() - t0;
      void client.dispose().then(() => resolve({ count, at }));
    });
  });
  clearInterval(timer);
  return { firstProgressMs: round(first), firstRowsMs: round(firstRows), fullIndexMs: round(indexedAt), statisticsMs: round(result.at), packets: result.count, peakRssMB: round((peak - before) / MB) };
}

function tshark(file: string): Promise<{ firstRowMs: number; fullPassMs: number; packets: number; peakRssMB: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first = -1;
    let lines = 0;
    let err = '';
    const child = spawn('/usr/bin/time', ['-f', '%M', 'tshark', '-r', file, '-T', 'fields', '-e', 'frame.number'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => {
      if (first < 0) first = performance.now() - t0;
      for (const b of chunk) if (b === 0x0a) lines++;
    });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('close', (code) => {
      const at = performance.now() - t0;
      const kb = Number(/(\d+)\s*$/.exec(err.trim())?.[1]);
      if (code !== 0 || !Number.isFinite(kb)) reject(new Error(`tshark failed (${code}): ${err}`));
      else resolve({ firstRowMs: round(first), fullPassMs: round(at), packets: lines, peakRssMB: round((kb * 1024) / MB) });
    });
  });
}

const round = (v: number) => Math.round(v * 10) / 10;

/** A full collection (V8's gc, exposed for this process without a command-line flag). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

async function main(): Promise<void> {
  const frames = corpusFrames();
  const dir = mkdtempSync(path.join(tmpdir(), 'labtel-bench-viewer-'));
  const rows: object[] = [];
  const skipped: object[] = [];
  try {
    for (const size of SIZES_MB) {
      const fs = statfsSync(dir);
      const freeGB = (fs.bavail * fs.bsize) / 1e9;
      if (size >= 1000 && freeGB < GB_FREE_FOR_1GB) {
        skipped.push({ sizeMB: size, reason: `${freeGB.toFixed(1)} GB free in ${tmpdir()}, under ${GB_FREE_FOR_1GB} GB` });
        console.log(`skip ${size} MB: ${freeGB.toFixed(1)} GB free`);
        continue;
      }
      const file = path.join(dir, `gen-${size}MB.pcap`);
      const packets = await generate(file, size * MB, frames);
      spawnSync('cat', [file], { stdio: 'ignore' }); // warm the page cache for both tools alike
      const ours = await labtel(file);
      const theirs = WITH_TSHARK ? await tshark(file) : undefined;
      if (ours.packets !== packets || (theirs && theirs.packets !== packets)) throw new Error(`packet counts differ: wrote ${packets}, labtel ${ours.packets}, tshark ${theirs?.packets}`);
      const row = {
        sizeMB: size, fileBytes: statSync(file).size, packets, labtel: ours, tshark: theirs ?? 'not run (--no-tshark)',
        fullIndexSpeedup: theirs ? round(theirs.fullPassMs / ours.fullIndexMs) : undefined, firstRowsUnder1s: ours.firstRowsMs >= 0 && ours.firstRowsMs < 1000,
      };
      console.log(JSON.stringify(row));
      rows.push(row);
      rmSync(file);
      await writeResults(rows, skipped);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await writeResults(rows, skipped);
}

/** Written after each size, so a long 1 GB run leaves the smaller sizes' figures if it is stopped. */
async function writeResults(rows: object[], skipped: object[]): Promise<void> {
  const version = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(root, 'bench', 'results', 'viewer.json'), `${JSON.stringify({
    benchmark: 'viewer',
    date: new Date().toISOString(),
    command: 'npm run bench -- viewer',
    machine: { node: process.version, tshark: version, cpu: cpus()[0]?.model, cpus: cpus().length, loadAverageAtEnd: loadavg().map(round) },
    method: {
      captures: 'pcap written with src/protocols/captureWriter.ts from the sFlow corpus: the 1,000 datagrams of switch-2011-1000dgrams.pcap and the Ethernet frames sampled inside them, interleaved, repeated with timestamps 10 µs apart, up to the size',
      labtel: 'the editor\'s indexer worker (dist/captureIndexer.js via IndexerClient): first progress = its first progress with packets; first rows = the answer to the request for the first 60 rows made then, as the webview makes it; full index = progress done (every packet listed); statistics = when the second pass (conversations, protocol hierarchy, both top-talkers rankings, every packet decoded down to sFlow samples) has posted its result, from the start; peak RSS of the process running the worker minus its RSS before, sampled every 20 ms',
      tshark: 'tshark -r FILE -T fields -e frame.number: first row = first byte of its output; full pass = its exit; peak RSS from /usr/bin/time -f %M',
      cache: 'the file is read once before both runs, so both find it in the page cache',
    },
    aims: { firstRowsMs: 1000, fullIndex: 'faster than tshark\'s pass' },
    results: rows,
    skipped,
  }, null, 2)}\n`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
