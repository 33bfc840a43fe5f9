// `npm run bench -- sflow`: sFlow v5 decoding, labtel beside Go's gopacket (layers.SFlowDatagram, Debian's
// golang-github-google-gopacket-dev built offline) and tshark, on the same bytes: the UDP payloads of the
// 1,000 datagrams of ../shared/corpus/sflow/switch-2011-1000dgrams.pcap (6,357 samples, 5,855 raw headers),
// every sample and every raw header decoded down to L4 and its 5-tuple read. Writes bench/results/sflow.json.
//
// Both sides run single-threaded in a process of their own (labtel: this file bundled by esbuild — module
// boundaries cost nothing, as in the shipped agents —; gopacket: GOMAXPROCS=1), loop over the datagrams for
// a fixed time after a warm-up pass, and are measured in CPU time of the process (the machine is shared), in
// interleaved rounds, the best round of each kept. Heap allocated per datagram: labtel's from V8's
// heap growth over one pass with a young generation too large for a scavenge to happen in it
// (--min-semi-space-size), gopacket's from
// runtime.MemStats.TotalAlloc.
//   options: --seconds=S per round (default 2), --rounds=R (default 3)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseCapture } from '../src/protocols/capture';
import { decodeFrame } from '../src/protocols/packet';
import { decodeDatagram } from '../src/protocols/sflow';
import { numberFlag } from './support/numberFlag';
import { corpusPath } from '../test/helpers/corpus';

interface Round {
  datagrams: number;
  samples: number;
  rawHeaders: number;
  cpuSeconds: number;
  wallSeconds: number;
  heapBytesPerDatagram?: number;
  checksum: number;
}

/** The payloads file: each UDP payload preceded by its length (big-endian uint32), as the Go peer reads it. */
function splitPayloads(file: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let p = 0; p + 4 <= file.length; ) {
    const n = ((file[p] << 24) | (file[p + 1] << 16) | (file[p + 2] << 8) | file[p + 3]) >>> 0;
    out.push(file.subarray(p + 4, p + 4 + n));
    p += 4 + n;
  }
  return out;
}

/** One pass: every datagram, every sample, every raw header decoded to L4 and its 5-tuple read. */
function pass(datagrams: Uint8Array[], counts: { samples: number; rawHeaders: number }): number {
  let sum = 0;
  for (let i = 0; i < datagrams.length; i++) {
    const b = datagrams[i];
    const dg = decodeDatagram(b, 0, b.length);
    const samples = dg.samples;
    counts.samples += samples.length;
    for (let s = 0; s < samples.length; s++) {
      const sample = samples[s];
      if (sample.kind !== 'flowSample') continue;
      const records = sample.records;
      for (let r = 0; r < records.length; r++) {
        const rec = records[r];
        if (rec.kind !== 'rawHeader') continue;
        counts.rawHeaders++;
        const p = rec.packet;
        if (p !== undefined) sum += (p.srcPort ?? 0) + (p.dstPort ?? 0) + (p.protocol ?? 0) + p.layers.length;
      }
    }
  }
  return sum;
}

/** The labtel side, in its own process (this file, bundled): a warm-up pass, then passes for `seconds`. */
function child(payloadsFile: string, seconds: number, mode: string): void {
  const datagrams = splitPayloads(readFileSync(payloadsFile));
  const counts = { samples: 0, rawHeaders: 0 };
  let checksum = 0;
  for (let i = 0; i < 20; i++) checksum += pass(datagrams, counts);
  if (mode === 'alloc') {
    // One pass with no scavenge in between: the young generation's growth is what the pass allocated.
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('run with --expose-gc');
    gc();
    const before = process.memoryUsage().heapUsed;
    checksum += pass(datagrams, counts);
    const after = process.memoryUsage().heapUsed;
    console.log(JSON.stringify({ heapBytesPerDatagram: (after - before) / datagrams.length, checksum }));
    return;
  }
  counts.samples = 0;
  counts.rawHeaders = 0;
  let passes = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  let wall = 0;
  while (wall < seconds) {
    checksum += pass(datagrams, counts);
    passes++;
    wall = Number(process.hrtime.bigint() - start) / 1e9;
  }
  const cpu = process.cpuUsage(cpu0);
  const round: Round = {
    datagrams: passes * datagrams.length,
    samples: counts.samples,
    rawHeaders: counts.rawHeaders,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    wallSeconds: wall,
    checksum,
  };
  console.log(JSON.stringify(round));
}

function parent(): void {
  const root = path.resolve(__dirname, '..');
  const SECONDS = numberFlag('seconds', 2);
  const ROUNDS = numberFlag('rounds', 3);
  // The third-party corpus file the committed results were measured on (bench/results/sflow.json names it):
  // the project's own captures would give figures that do not compare with them, so a missing corpus is an error.
  const corpusFile = corpusPath('sflow', 'switch-2011-1000dgrams.pcap');

  // The UDP payloads, written for both sides.
  const work = mkdtempSync(path.join(tmpdir(), 'labtel-bench-sflow-'));
  const payloadsFile = path.join(work, 'payloads.bin');
  const parts: Buffer[] = [];
  let datagramsPerPass = 0;
  let samplesPerPass = 0;
  for (const p of parseCapture(readFileSync(corpusFile))) {
    const pkt = decodeFrame(p.data, p.linkType);
    const payload = p.data.subarray(pkt.payloadStart, pkt.payloadEnd);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(payload.length);
    parts.push(length, Buffer.from(payload));
    datagramsPerPass++;
    samplesPerPass += decodeDatagram(payload).samples.length;
  }
  writeFileSync(payloadsFile, Buffer.concat(parts));

  // labtel: this file bundled into one, run by plain node.
  const bundle = path.join(root, '.cache', 'bench', 'sflow.js');
  mkdirSync(path.dirname(bundle), { recursive: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  buildSync({ entryPoints: [__filename], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, external: ['esbuild'], logLevel: 'error' });
  const labtelRound = (): Round => {
    const r = spawnSync(process.execPath, [bundle, '--child', payloadsFile, String(SECONDS), 'time'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`labtel side failed:\n${r.stderr}`);
    return JSON.parse(r.stdout) as Round;
  };
  const labtelAlloc = (): number => {
    const r = spawnSync(process.execPath, ['--expose-gc', '--min-semi-space-size=256', '--max-semi-space-size=256', bundle, '--child', payloadsFile, '0', 'alloc'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`labtel allocation run failed:\n${r.stderr}`);
    return (JSON.parse(r.stdout) as { heapBytesPerDatagram: number }).heapBytesPerDatagram;
  };

  // gopacket, built offline from Debian's Go sources.
  const goCache = path.join(root, '.cache', 'go');
  mkdirSync(goCache, { recursive: true });
  const goBinary = path.join(goCache, 'gopacket-sflow-bench');
  const goEnv = { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: goCache, GOFLAGS: '', GOMAXPROCS: '1' };
  const build = spawnSync('go', ['build', '-o', goBinary, '.'], { cwd: path.join(root, 'bench', 'peers', 'gopacket'), env: goEnv, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the gopacket peer failed:\n${build.stderr}`);
  const gopacketRound = (mode: string): Round & { goVersion: string; decodeErrorsInWarmupPass: number } => {
    const r = spawnSync(goBinary, [payloadsFile, String(SECONDS), mode], { env: goEnv, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gopacket peer failed:\n${r.stderr}`);
    return JSON.parse(r.stdout) as Round & { goVersion: string; decodeErrorsInWarmupPass: number };
  };

  // tshark: the whole file dissected as the differential test does (JSON to /dev/null), CPU time from time(1).
  const tsharkRun = (): { cpuSeconds: number; wallSeconds: number } => {
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S %e', 'tshark', '-r', corpusFile, '-d', 'udp.port==6343,sflow', '-T', 'json', '--no-duplicate-keys'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const line = r.stderr.trim().split('\n').pop() ?? '';
    const [user, system, wall] = line.split(' ').map(Number);
    if (r.status !== 0 || !(user >= 0)) throw new Error(`tshark run failed: ${r.stderr}`);
    return { cpuSeconds: user + system, wallSeconds: wall };
  };

  const perCpu = (r: Round): number => r.datagrams / r.cpuSeconds;
  let bestLabtel: Round | undefined;
  let bestGo: (Round & { goVersion: string; decodeErrorsInWarmupPass: number }) | undefined;
  let bestGoNoCopy: Round | undefined;
  let bestTshark: { cpuSeconds: number; wallSeconds: number } | undefined;
  for (let i = 0; i < ROUNDS; i++) {
    const g = gopacketRound('decode');
    if (!bestGo || perCpu(g) > perCpu(bestGo)) bestGo = g;
    const l = labtelRound();
    if (!bestLabtel || perCpu(l) > perCpu(bestLabtel)) bestLabtel = l;
    const gn = gopacketRound('decode+nocopy');
    if (!bestGoNoCopy || perCpu(gn) > perCpu(bestGoNoCopy)) bestGoNoCopy = gn;
    const t = tsharkRun();
    if (!bestTshark || t.cpuSeconds < bestTshark.cpuSeconds) bestTshark = t;
    console.log(`round ${i + 1}: labtel ${Math.round(perCpu(l))} datagrams/s, gopacket ${Math.round(perCpu(g))} (+NoCopy re-decode ${Math.round(perCpu(gn))}), tshark ${Math.round(datagramsPerPass / t.cpuSeconds)} (CPU time)`);
  }
  const heapLabtel = labtelAlloc();
  rmSync(work, { recursive: true, force: true });
  const L = bestLabtel!;
  const G = bestGo!;
  const GN = bestGoNoCopy!;
  const T = bestTshark!;
  const side = (r: Round, heap: number | undefined) => ({
    datagramsPerCpuSecond: Math.round(perCpu(r)),
    samplesPerCpuSecond: Math.round(r.samples / r.cpuSeconds),
    rawHeadersPerCpuSecond: Math.round(r.rawHeaders / r.cpuSeconds),
    datagramsPerWallSecond: Math.round(r.datagrams / r.wallSeconds),
    heapBytesPerDatagram: heap === undefined ? undefined : Math.round(heap),
    datagramsDecoded: r.datagrams,
    cpuSeconds: +r.cpuSeconds.toFixed(3),
  });
  const result = {
    benchmark: 'sflow',
    date: new Date().toISOString(),
    command: 'npm run bench -- sflow',
    machine: { node: process.version, go: G.goVersion, loadAverage: loadavg().map((x) => +x.toFixed(2)), cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length },
    corpus: { file: 'sflow/switch-2011-1000dgrams.pcap', datagrams: datagramsPerPass, samples: samplesPerPass, rawHeaders: L.rawHeaders / (L.datagrams / datagramsPerPass) },
    method: 'one core each (labtel: esbuild bundle under plain node; gopacket: GOMAXPROCS=1), CPU time of the process, fixed-time loops after a warm-up, best of interleaved rounds',
    secondsPerRound: SECONDS,
    rounds: ROUNDS,
    labtel: side(L, heapLabtel),
    gopacket: { ...side(G, G.heapBytesPerDatagram), what: 'layers.SFlowDatagram.DecodeFromBytes (decodes each raw header itself, gopacket.NewPacket(LayerTypeEthernet, gopacket.Default)), then each header’s network and transport flow' },
    gopacketWithNoCopyRedecode: { ...side(GN, GN.heapBytesPerDatagram), what: 'the same, plus each raw header decoded again with gopacket.NewPacket(LayerTypeEthernet, gopacket.NoCopy)' },
    tshark: { datagramsPerCpuSecond: Math.round(datagramsPerPass / T.cpuSeconds), cpuSecondsForFile: T.cpuSeconds, wallSecondsForFile: T.wallSeconds, what: 'tshark -r FILE -d udp.port==6343,sflow -T json --no-duplicate-keys > /dev/null (process start included)' },
    ratio: {
      labtelOverGopacket: +(perCpu(L) / perCpu(G)).toFixed(2),
      labtelOverGopacketWithNoCopyRedecode: +(perCpu(L) / perCpu(GN)).toFixed(2),
      labtelOverTshark: +(perCpu(L) / (datagramsPerPass / T.cpuSeconds)).toFixed(1),
    },
  };
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(root, 'bench', 'results', 'sflow.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
}

if (process.argv[2] === '--child') child(process.argv[3]!, Number(process.argv[4]), process.argv[5]!);
else parent();
