// Round trip: pcap (µs, ns, both byte orders) and pcapng (µs and ns, several interfaces, mixed link types)
// written by labtel from the lab's recorded packets (test/fixtures/captures) read back identically by labtel and by tshark/capinfos — packet
// count, timestamps to the written resolution, lengths, interfaces and bytes. And the reverse: captures
// written by tcpdump (libpcap) and by editcap (pcapng, nanosecond pcap) read by labtel exactly as tshark
// reads them, for the project's own captures (damaged ones up to the damage) and the third-party corpus.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { capturePath, capturesDir, corpusPath, corpusSkip } from '../helpers/corpus';
import { requirePrereqs } from '../helpers/tools';
import { readCapture } from '../../src/protocols/capture';
import { CaptureWriter, CaptureWriterOptions, PacketToWrite } from '../../src/protocols/captureWriter';

interface Seen {
  timestampNs: bigint;
  length: number;
  capturedLength: number;
  interfaceId: number;
  bytes: string;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** "1302306318.468863000" → nanoseconds. */
function epochToNs(epoch: string): bigint {
  const [s, f = ''] = epoch.split('.');
  return BigInt(s!) * 1_000_000_000n + BigInt((f + '000000000').slice(0, 9));
}

/** What tshark reads: `tshark -r FILE -T json -x -j frame` (frame fields and the raw bytes only). */
function tsharkRead(file: string): Seen[] {
  const frames = JSON.parse(run('tshark', ['-r', file, '-T', 'json', '-x', '-j', 'frame'])) as Array<{
    _source: { layers: { frame_raw: [string, ...unknown[]]; frame: Record<string, string> } };
  }>;
  return frames.map(({ _source: { layers } }) => ({
    timestampNs: epochToNs(layers.frame['frame.time_epoch']!),
    length: Number(layers.frame['frame.len']),
    capturedLength: Number(layers.frame['frame.cap_len']),
    interfaceId: Number(layers.frame['frame.interface_id'] ?? 0),
    bytes: layers.frame_raw[0],
  }));
}

async function labtelRead(file: string): Promise<Seen[]> {
  const out: Seen[] = [];
  for await (const p of readCapture(file)) {
    out.push({
      timestampNs: p.timestampNs,
      length: p.originalLength,
      capturedLength: p.data.length,
      interfaceId: p.interfaceId,
      bytes: Buffer.from(p.data).toString('hex'),
    });
  }
  return out;
}

/** `capinfos -T -r -M -c -t FILE` → [file type, packet count]. */
function capinfos(file: string): [string, number] {
  const cols = run('capinfos', ['-T', '-r', '-M', '-c', '-t', file]).trim().split('\t');
  return [cols[1]!, Number(cols[2])];
}

let dir = '';
const source: PacketToWrite[] = [];

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'labtel-roundtrip-'));
  // The lab's packets: r3's sFlow export and the sampled link's own packets, and (as interface 2, link type
  // raw IP) their IPv4 packets without the Ethernet header. Timestamps get nanosecond digits.
  let i = 0;
  for (const file of [capturePath('lab-sflow.pcap'), capturePath('lab-r3-eth1.pcap')]) {
    for await (const p of readCapture(file)) {
      const ns = p.timestampNs + BigInt((i * 7919) % 1000);
      source.push({ timestampNs: ns, data: p.data, originalLength: p.originalLength, linkType: 1, interfaceId: i % 2 });
      if (p.data[12] === 0x08 && p.data[13] === 0x00) {
        source.push({ timestampNs: ns + 1n, data: p.data.subarray(14), originalLength: p.originalLength - 14, linkType: 101, interfaceId: 2 });
      }
      i++;
    }
  }
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const threeInterfaces = [{ linkType: 1, name: 'eth0' }, { linkType: 1, name: 'eth1' }, { linkType: 101, name: 'tun0' }];

const variants: Array<{ name: string; options: CaptureWriterOptions; capinfosType: string; mixed: boolean }> = [
  { name: 'pcap, microseconds, little-endian', options: { format: 'pcap' }, capinfosType: 'pcap', mixed: false },
  { name: 'pcap, microseconds, big-endian', options: { format: 'pcap', littleEndian: false }, capinfosType: 'pcap', mixed: false },
  { name: 'pcap, nanoseconds', options: { format: 'pcap', nanosecond: true }, capinfosType: 'nsecpcap', mixed: false },
  { name: 'pcapng, microseconds, three interfaces (Ethernet ×2, raw IP)', options: { format: 'pcapng', interfaces: threeInterfaces }, capinfosType: 'pcapng', mixed: true },
  { name: 'pcapng, nanoseconds, three interfaces (Ethernet ×2, raw IP)', options: { format: 'pcapng', nanosecond: true, interfaces: threeInterfaces }, capinfosType: 'pcapng', mixed: true },
];

for (const v of variants) {
  test(`labtel writes ${v.name}; labtel, tshark and capinfos read back the same packets`, async (t) => {
    if (!requirePrereqs(t, { tools: ['tshark', 'capinfos'] })) return;
    const packets = v.mixed ? source : source.filter((p) => p.linkType === 1).map((p) => ({ ...p, interfaceId: 0 }));
    const file = path.join(dir, `${v.name.replace(/[^a-z0-9]+/gi, '-')}.${v.options.format}`);
    const writer = new CaptureWriter(file, v.options);
    for (const p of packets) writer.write(p);
    await writer.close();

    const resolution = v.options.nanosecond ? 1n : 1000n;
    const expected: Seen[] = packets.map((p) => ({
      timestampNs: (p.timestampNs / resolution) * resolution,
      length: p.originalLength!,
      capturedLength: p.data.length,
      interfaceId: p.interfaceId!,
      bytes: Buffer.from(p.data).toString('hex'),
    }));
    assert.ok(expected.length > 700);
    assert.deepEqual(await labtelRead(file), expected, 'labtel reads back what it wrote');
    assert.deepEqual(tsharkRead(file), expected, 'tshark reads what labtel wrote');
    assert.deepEqual(capinfos(file), [v.capinfosType, expected.length], 'capinfos: file type and packet count');
  });
}

/**
 * Each file as it is, and the rewritten forms (tcpdump -w in µs and ns, editcap to pcapng and nsecpcap) of
 * those named in `rewritten`, read the same by labtel and tshark; returns the packets compared.
 */
async function compareWithTshark(files: string[], rewritten: Set<string>): Promise<number> {
  let compared = 0;
  for (const original of files) {
    const base = path.join(dir, path.basename(original).replace(/\.pcap(ng)?$/, ''));
    const forms: Array<[string, string]> = [[original, 'original']];
    if (!rewritten.has(path.basename(original))) {
      const ours = await labtelRead(original);
      assert.deepEqual(ours, tsharkRead(original), `${path.basename(original)}: labtel = tshark`);
      compared += ours.length;
      continue;
    }
    run('tcpdump', ['-r', original, '-w', `${base}.tcpdump.pcap`]);
    forms.push([`${base}.tcpdump.pcap`, 'tcpdump -w']);
    run('tcpdump', ['--time-stamp-precision=nano', '-r', original, '-w', `${base}.tcpdump-ns.pcap`]);
    forms.push([`${base}.tcpdump-ns.pcap`, 'tcpdump -w, nanoseconds']);
    run('editcap', ['-F', 'pcapng', original, `${base}.pcapng`]);
    forms.push([`${base}.pcapng`, 'editcap pcapng']);
    run('editcap', ['-F', 'nsecpcap', original, `${base}.nsec.pcap`]);
    forms.push([`${base}.nsec.pcap`, 'editcap nsecpcap']);
    const reference = await labtelRead(original);
    for (const [file, how] of forms) {
      const ours = await labtelRead(file);
      assert.deepEqual(ours, tsharkRead(file), `${path.basename(original)} (${how}): labtel = tshark`);
      assert.deepEqual(ours, reference, `${path.basename(original)} (${how}): same packets as the original`);
      compared += ours.length;
    }
  }
  return compared;
}

const edgeCases = JSON.parse(readFileSync(capturePath('edge-cases.json'), 'utf8')) as Record<string, { readable?: number; cutAtByte?: number; badRecordAtByte?: number }>;
/** The edge cases that are damaged: labtel stops at the damage with an error, tshark too (exit non-zero). */
const damaged = Object.keys(edgeCases).filter((f) => edgeCases[f]!.readable !== undefined);

test('the project\'s own captures, their libpcap rewrites and editcap conversions read the same in labtel and tshark', async (t) => {
  if (!requirePrereqs(t, { tools: ['tshark', 'tcpdump', 'editcap'] })) return;
  const files = readdirSync(capturesDir).filter((f) => /\.pcap(ng)?$/.test(f) && !damaged.includes(f)).map((f) => capturePath(f));
  assert.ok(files.length >= 6, files.join(' '));
  const compared = await compareWithTshark(files, new Set(['lab-sflow.pcap', 'lab-r3-eth1.pcap']));
  assert.ok(compared > 5 * 700, `compared ${compared} packets`);
});

for (const file of damaged) {
  test(`${file}: labtel reads the records tshark reads, then stops with an error at the damage's byte offset`, async (t) => {
    if (!requirePrereqs(t, { tools: ['tshark'] })) return;
    const edge = edgeCases[file]!;
    const ours: Seen[] = [];
    await assert.rejects(async () => {
      for await (const p of readCapture(capturePath(file))) {
        ours.push({ timestampNs: p.timestampNs, length: p.originalLength, capturedLength: p.data.length, interfaceId: p.interfaceId, bytes: Buffer.from(p.data).toString('hex') });
      }
    }, new RegExp(`^DecodeError: pcap at byte ${edge.cutAtByte ?? edge.badRecordAtByte}: `));
    assert.equal(ours.length, edge.readable);
    // tshark prints what it read before the damage and exits non-zero.
    const r = spawnSync('tshark', ['-r', capturePath(file), '-T', 'json', '-x', '-j', 'frame'], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /cut short|damaged or corrupt/);
    const theirs = (JSON.parse(r.stdout) as Array<{ _source: { layers: { frame_raw: [string] } } }>).map((f) => f._source.layers.frame_raw[0]);
    assert.deepEqual(ours.map((p) => p.bytes), theirs);
  });
}

test('third-party corpus pcaps, their libpcap rewrites and editcap conversions read the same in labtel and tshark', { skip: corpusSkip }, async (t) => {
  if (!requirePrereqs(t, { tools: ['tshark', 'tcpdump', 'editcap'] })) return;
  const files = [
    ...readdirSync(corpusPath('sflow')).map((f) => corpusPath('sflow', f)),
    ...readdirSync(corpusPath('sflow-edge')).map((f) => corpusPath('sflow-edge', f)),
    corpusPath('bpf', 'varied-145.pcap'),
  ].filter((f) => f.endsWith('.pcap'));
  assert.ok(files.length >= 16);
  // Each tshark run costs ~0.6 s: every corpus file as it is, and the rewritten forms of the multi-packet ones.
  const rewritten = new Set(['switch-2011-1000dgrams.pcap', 'tcpdump-ipv6-agent.pcap', 'tcpdump-counters-30pdus-with-netflow.pcap', 'varied-145.pcap']);
  const compared = await compareWithTshark(files, rewritten);
  assert.ok(compared > 5 * 1000, `compared ${compared} packets`);
});
