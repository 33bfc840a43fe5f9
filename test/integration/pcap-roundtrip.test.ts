// Round trip: pcap (µs, ns, both byte orders) and pcapng (µs and ns, several interfaces, mixed link types)
// written by labtel from corpus packets read back identically by labtel and by tshark/capinfos — packet
// count, timestamps to the written resolution, lengths, interfaces and bytes. And the reverse: captures
// written by tcpdump (libpcap) and by editcap (pcapng, nanosecond pcap) read by labtel exactly as tshark
// reads them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { corpusPath } from '../helpers/corpus';
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
  // Corpus packets: the sFlow switch capture, the varied frames, and (as interface 2, link type raw IP) the
  // IPv4 packets of the varied frames without their Ethernet header. Timestamps get nanosecond digits.
  let i = 0;
  for (const file of [corpusPath('sflow', 'switch-2011-1000dgrams.pcap'), corpusPath('bpf', 'varied-145.pcap')]) {
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
    assert.ok(expected.length > 1000);
    assert.deepEqual(await labtelRead(file), expected, 'labtel reads back what it wrote');
    assert.deepEqual(tsharkRead(file), expected, 'tshark reads what labtel wrote');
    assert.deepEqual(capinfos(file), [v.capinfosType, expected.length], 'capinfos: file type and packet count');
  });
}

test('corpus pcaps, libpcap rewrites (tcpdump -w, µs and ns) and editcap conversions (pcapng, nsecpcap) read the same in labtel and tshark', async (t) => {
  if (!requirePrereqs(t, { tools: ['tshark', 'tcpdump', 'editcap'] })) return;
  const files = [
    ...readdirSync(corpusPath('sflow')).map((f) => corpusPath('sflow', f)),
    ...readdirSync(corpusPath('sflow-edge')).map((f) => corpusPath('sflow-edge', f)),
    corpusPath('bpf', 'varied-145.pcap'),
  ].filter((f) => f.endsWith('.pcap'));
  assert.ok(files.length >= 16);
  // Each tshark run costs ~0.6 s: every corpus file as it is, and the rewritten forms of the multi-packet ones.
  const rewritten = new Set(['switch-2011-1000dgrams.pcap', 'tcpdump-ipv6-agent.pcap', 'tcpdump-counters-30pdus-with-netflow.pcap', 'varied-145.pcap']);
  let compared = 0;
  for (const original of files) {
    const base = path.join(dir, path.basename(original, '.pcap'));
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
  assert.ok(compared > 5 * 1000, `compared ${compared} packets`);
});
