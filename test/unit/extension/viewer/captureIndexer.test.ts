// The capture viewer's indexer, through its worker thread as the editor drives it, against capinfos and
// tshark: packet counts, conversations (-z conv,ip), protocol hierarchy (-z io,phs), a truncated and a
// corrupt file, and export to pcapng read back by tshark.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CaptureIndexer } from '../../../../src/extension/viewer/captureIndexer';
import { IndexerClient } from '../../../../src/extension/viewer/indexerClient';
import { encodeCapture } from '../../../../src/protocols/captureWriter';
import { parseCapture } from '../../../../src/protocols/capture';
import { capturePath, corpusPath, corpusSkip, repoRoot, sflowCaptures } from '../../../helpers/corpus';
import { capinfosCount, tsharkFields, tsharkStats } from '../../../helpers/tshark';
import { sampledFramesCapture } from '../../../helpers/sampledFrames';

const SFLOW = new Set([6343]);
const captures = sflowCaptures();
/** Third-party files a test adds to the project's own when the corpus is there. */
const corpusFiles = (...names: string[]) => (corpusSkip ? [] : names.map((n) => corpusPath('sflow', n)));
const dir = mkdtempSync(path.join(tmpdir(), 'labtel-viewer-index-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

async function indexed(file: string): Promise<CaptureIndexer> {
  const ix = new CaptureIndexer(file, { sflowPorts: SFLOW });
  await ix.run(() => undefined);
  await ix.computeStatistics();
  return ix;
}

before(() => {
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
});

test('the worker indexes every sFlow capture: packet counts equal capinfos -c, rows come before the end', async () => {
  for (const file of captures) {
    let firstRowsAt = -1;
    let progressCount = 0;
    const done = new Promise<number>((resolve) => {
      const client: IndexerClient = new IndexerClient(path.join(repoRoot, 'dist', 'captureIndexer.js'), { path: file, sflowPorts: [6343] }, (p) => {
        progressCount++;
        if (firstRowsAt < 0 && p.count > 0) firstRowsAt = p.count;
        if (p.done) {
          void client.request('rows', { from: 0, to: 3 }).then(async ({ rows }) => {
            assert.equal(rows[0]?.number, 1);
            assert.equal(rows[0]?.protocol, 'sFlow', path.basename(file));
            await client.dispose();
            resolve(p.count);
          });
        }
      });
    });
    assert.equal(await done, capinfosCount(file), path.basename(file));
    assert.ok(progressCount >= 1);
  }
});

test('rows of a capture of sampled frames: numbers, lengths and protocols equal tshark\'s', async () => {
  const file = path.join(dir, 'sampled.pcap');
  writeFileSync(file, sampledFramesCapture());
  const ix = await indexed(file);
  const expected = tsharkFields(file, ['frame.number', 'frame.len', '_ws.col.Source', '_ws.col.Destination']);
  const rows = ix.rows(0, ix.index.count);
  assert.equal(rows.length, expected.length);
  rows.forEach((r, i) => assert.deepEqual([String(r.number), String(r.length), r.source, r.destination], expected[i], `packet ${i + 1}`));
  ix.close();
});

/** tshark prints bytes with an SI unit, truncated (270786 → "270 kB"); ours are shown the same way to compare. */
const UNITS: Readonly<Record<string, number>> = { bytes: 1, kB: 1e3, MB: 1e6, GB: 1e9 };
const BYTES = String.raw`(\d+)\s+(\d+)\s+(bytes|kB|MB|GB)`;

/** tshark -z conv,ip / conv,ipv6 rows as "a b frames bytes unit" (the pair sorted, both directions summed). */
function tsharkConversations(file: string, kind: 'ip' | 'ipv6'): Array<{ key: string; frames: number; bytes: number; unit: string }> {
  const out = [];
  const row = new RegExp(String.raw`^(\S+)\s+<->\s+(\S+)\s+${BYTES}\s+${BYTES}\s+${BYTES}`);
  for (const line of tsharkStats(file, `conv,${kind}`).split('\n')) {
    const m = row.exec(line.replace(/(\d),(\d)/g, '$1$2'));
    if (!m) continue;
    const [a, b] = [m[1]!, m[2]!].sort();
    out.push({ key: `${a} ${b}`, frames: Number(m[9]), bytes: Number(m[10]), unit: m[11]! });
  }
  return out;
}

test('conversations equal tshark -z conv,ip and conv,ipv6', async () => {
  const sampled = path.join(dir, 'sampled.pcap');
  writeFileSync(sampled, sampledFramesCapture());
  const files = [capturePath('lab-sflow.pcap'), capturePath('lab-r3-eth1.pcap'), sampled, ...corpusFiles('switch-2011-1000dgrams.pcap', 'tcpdump-ipv6-agent.pcap')];
  for (const file of files) {
    const ix = await indexed(file);
    const theirs = [...tsharkConversations(file, 'ip'), ...tsharkConversations(file, 'ipv6')];
    assert.ok(theirs.length > 0, `tshark found conversations in ${path.basename(file)}`);
    const unitOf = new Map(theirs.map((t) => [t.key, t.unit]));
    const ours = ix.statistics()!.conversations.map((c) => {
      const key = [c.a, c.b].sort().join(' ');
      const unit = unitOf.get(key) ?? 'bytes';
      return `${key} ${c.framesAtoB + c.framesBtoA} ${Math.floor((c.bytesAtoB + c.bytesBtoA) / UNITS[unit]!)} ${unit}`;
    }).sort();
    assert.deepEqual(ours, theirs.map((t) => `${t.key} ${t.frames} ${t.bytes} ${t.unit}`).sort(), path.basename(file));
    ix.close();
  }
});

test('the protocol hierarchy equals tshark -z io,phs for sFlow captures', async () => {
  for (const file of [capturePath('lab-sflow.pcap'), ...corpusFiles('switch-2011-1000dgrams.pcap', 'tcpdump-ipv6-agent.pcap')]) {
    const ix = await indexed(file);
    const theirs = tsharkStats(file, 'io,phs').split('\n')
      .map((l) => /^(\s*)(\S+)\s+frames:(\d+)\s+bytes:(\d+)/.exec(l)).filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[1]!.length / 2} ${m[2]} ${m[3]} ${m[4]}`);
    // The viewer's hierarchy is the frame's own layers, down to sFlow. tshark's also lists, for datagrams whose
    // sampled headers carry TCP payload (the lab's), one more nested 'data' per such sample, taken from inside
    // the samples as if the datagram's own layers went on: those lines are left out of the comparison.
    const at = theirs.findIndex((l) => / sflow /.test(l));
    if (at >= 0) {
      const depth = (l: string) => Number(l.split(' ')[0]);
      let end = at + 1;
      while (end < theirs.length && depth(theirs[end]!) > depth(theirs[at]!)) end++;
      theirs.splice(at + 1, end - at - 1);
    }
    // The viewer's first line is the whole file ("frame"); tshark starts from the link layer.
    const ours = ix.statistics()!.hierarchy.slice(1).map((h) => `${h.depth - 1} ${h.name} ${h.frames} ${h.bytes}`);
    assert.deepEqual(ours, theirs, path.basename(file));
    ix.close();
  }
});

test('a truncated and a corrupt capture keep the readable packets and say where the file breaks', async () => {
  const whole = readFileSync(capturePath('lab-sflow.pcap'));
  const offsets = [...parseCapture(whole)].map((p) => p.fileOffset - 16); // record headers
  const cases: Array<{ name: string; bytes: Uint8Array; packets: number; offset: number; says: RegExp }> = [
    { name: 'cut inside packet 61', bytes: whole.subarray(0, offsets[60]! + 100), packets: 60, offset: offsets[60]!, says: /ends inside a record/ },
    { name: 'packet 31 claims 2 GiB', bytes: (() => { const b = Buffer.from(whole); b.writeUInt32LE(0x7fffffff, offsets[30]! + 8); return b; })(), packets: 30, offset: offsets[30]! + 8, says: /larger than any packet/ },
    { name: 'not a capture', bytes: Buffer.from('this is not a capture file at all'), packets: 0, offset: 0, says: /neither pcap nor pcapng/ },
  ];
  for (const c of cases) {
    const file = path.join(dir, `${c.name.replace(/\W+/g, '-')}.pcap`);
    writeFileSync(file, c.bytes);
    const ix = await indexed(file);
    assert.equal(ix.index.count, c.packets, c.name);
    assert.deepEqual([ix.error?.offset, ix.error?.packetNumber], [c.offset, c.packets + 1], c.name);
    assert.match(ix.error!.message, c.says, c.name);
    if (c.name.startsWith('cut')) assert.equal(capinfosReadable(file), c.packets, `${c.name}: capinfos reads as many`);
    ix.close();
  }
});

function capinfosReadable(file: string): number {
  const r = spawnSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' });
  return Number(/Number of packets:\s*(\d+)/.exec(r.stdout)?.[1] ?? -1);
}

test('export writes a pcapng that tshark reads as the same packets', async () => {
  const source = capturePath('lab-sflow.pcap');
  const ix = await indexed(source);
  const fields = ['frame.time_epoch', 'frame.len', 'frame.cap_len', 'sflow_245.sequence_number'];
  const all = path.join(dir, 'all.pcapng');
  assert.equal(await ix.exportTo(all), capinfosCount(source));
  assert.deepEqual(tsharkFields(all, fields), tsharkFields(source, fields));
  const some = path.join(dir, 'some.pcapng');
  assert.equal(await ix.exportTo(some, [2, 4, 20]), 3);
  const expected = tsharkFields(source, fields);
  assert.deepEqual(tsharkFields(some, fields), [expected[2], expected[4], expected[20]]);
  assert.match(spawnSync('capinfos', ['-t', some], { encoding: 'utf8' }).stdout, /pcapng/i);
  ix.close();
});

test('an exported capture of mixed link types stays one file (pcapng interfaces per link type)', async () => {
  const mixed = path.join(dir, 'mixed.pcapng');
  const eth = [...parseCapture(readFileSync(capturePath('lab-r3-eth1.pcap')))][0]!;
  writeFileSync(mixed, encodeCapture([
    { timestampNs: 1n, data: eth.data, linkType: 1 },
    { timestampNs: 2n, data: eth.data.subarray(14), linkType: 101 },
  ], { format: 'pcapng' }));
  const ix = await indexed(mixed);
  const out = path.join(dir, 'mixed-out.pcapng');
  await ix.exportTo(out);
  assert.deepEqual(tsharkFields(out, ['frame.protocols']).map((r) => r[0]), tsharkFields(mixed, ['frame.protocols']).map((r) => r[0]));
  ix.close();
});
