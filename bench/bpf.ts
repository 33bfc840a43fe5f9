// `npm run bench -- bpf`: classic BPF filtering, labtel's interpreter beside golang.org/x/net/bpf's VM (Debian's
// golang-golang-x-net-dev, built offline in GOPATH mode), running the same programs — compiled by labtel — on
// the same packets: the 167 frames of test/fixtures/bpf/varied.pcap. Both sides run single-threaded in a process
// of their own (labtel: this file bundled by esbuild; Go: GOMAXPROCS=1), loop over the packets for a fixed time
// after a warm-up pass, are measured in CPU time, in interleaved rounds, the best round of each kept. The
// warm-up pass's accepted-packet counts must agree between the two VMs.
//
// Also: labtel's compile time per expression over the project's corpus, and the instruction count of labtel's
// programs relative to libpcap's optimised ones (`tcpdump -d`), median and spread. Writes bench/results/bpf.json.
//   options: --seconds=S per round and filter (default 1), --rounds=R (default 3)
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { accepts as acceptsFast, compile, run, toDecimal, type Program } from '../src/bpf';
import { parseCapture } from '../src/protocols/capture';
import { corpus } from '../test/integration/bpf/expressions';
import { numberFlag } from './support/numberFlag';

/** The filters timed side by side: the book's, the lab's sFlow and BGP, and the families people use most. */
const FILTERS = [
  'ip and udp',
  'udp port 6343',
  'tcp port 179',
  'host 192.0.2.1 and tcp',
  'net 2001:db8::/32',
  'tcp[tcpflags] & tcp-syn != 0',
  'vlan and udp',
  'mpls and ip',
  'not arp and not ip6',
  'portrange 1-1023',
];

interface SideRound {
  packets: number;
  acceptedPerPass: number;
  cpuSeconds: number;
}

function splitPackets(file: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let p = 0; p + 4 <= file.length; ) {
    const n = ((file[p]! << 24) | (file[p + 1]! << 16) | (file[p + 2]! << 8) | file[p + 3]!) >>> 0;
    out.push(file.subarray(p + 4, p + 4 + n));
    p += 4 + n;
  }
  return out;
}

/**
 * The labtel side, in its own process: each filter's program over the packets for `seconds`, run the way
 * labtel runs filters (`accepts`: translated to a JavaScript function, src/bpf/filter.ts) or, for comparison,
 * in the interpreter alone.
 */
function child(packetsFile: string, seconds: number, mode: string): void {
  const packets = splitPackets(readFileSync(packetsFile));
  const out: SideRound[] = [];
  const interpreted = (program: Program, p: Uint8Array): boolean => run(program, p) !== 0;
  const accepts = mode === 'interpreter' ? interpreted : acceptsFast;
  for (const f of FILTERS) {
    const program = compile(f);
    let acceptedPerPass = 0;
    for (let i = 0; i < 50; i++) {
      let a = 0;
      for (const p of packets) if (accepts(program, p)) a++;
      acceptedPerPass = a;
    }
    let runs = 0;
    const cpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    while (Number(process.hrtime.bigint() - start) / 1e9 < seconds) {
      for (let i = 0; i < packets.length; i++) accepts(program, packets[i]!);
      runs += packets.length;
    }
    const cpu = process.cpuUsage(cpu0);
    out.push({ packets: runs, acceptedPerPass, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  }
  console.log(JSON.stringify(out));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function parent(): void {
  const root = path.resolve(__dirname, '..');
  const SECONDS = numberFlag('seconds', 1);
  const ROUNDS = numberFlag('rounds', 3);
  const pcap = path.join(root, 'test', 'fixtures', 'bpf', 'varied.pcap');
  const frames = [...parseCapture(readFileSync(pcap))];
  const work = mkdtempSync(path.join(tmpdir(), 'labtel-bench-bpf-'));
  const packetsFile = path.join(work, 'packets.bin');
  writeFileSync(packetsFile, Buffer.concat(frames.flatMap((f) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(f.data.length);
    return [len, Buffer.from(f.data)];
  })));
  const programsFile = path.join(work, 'programs.txt');
  writeFileSync(programsFile, FILTERS.map((f) => toDecimal(compile(f)).trim().split('\n').join(',')).join('\n') + '\n');

  const bundle = path.join(root, '.cache', 'bench', 'bpf.js');
  mkdirSync(path.dirname(bundle), { recursive: true });
  buildSync({ entryPoints: [__filename], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, external: ['esbuild'], logLevel: 'error' });
  const goCache = path.join(root, '.cache', 'go');
  mkdirSync(goCache, { recursive: true });
  const goBinary = path.join(goCache, 'xnetbpf-bench');
  const goEnv = { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: goCache, GOFLAGS: '', GOMAXPROCS: '1' };
  const build = spawnSync('go', ['build', '-o', goBinary, '.'], { cwd: path.join(root, 'bench', 'peers', 'xnetbpf'), env: goEnv, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the x/net/bpf peer failed:\n${build.stderr}`);

  const labtelRound = (mode: 'compiled' | 'interpreter'): SideRound[] => {
    const r = spawnSync(process.execPath, [bundle, '--child', packetsFile, String(SECONDS), mode], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`labtel side failed:\n${r.stderr}`);
    return JSON.parse(r.stdout) as SideRound[];
  };
  let goVersion = '';
  const goRound = (): SideRound[] => {
    const r = spawnSync(goBinary, [programsFile, packetsFile, String(SECONDS)], { env: goEnv, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`x/net/bpf peer failed:\n${r.stderr}`);
    const rows = JSON.parse(r.stdout) as Array<SideRound & { goVersion: string }>;
    goVersion = rows[0]!.goVersion;
    return rows;
  };
  const rate = (r: SideRound): number => r.packets / r.cpuSeconds;
  const best = (a: SideRound[] | undefined, b: SideRound[]): SideRound[] => (a ? a.map((x, i) => (rate(b[i]!) > rate(x) ? b[i]! : x)) : b);
  let L: SideRound[] | undefined;
  let I: SideRound[] | undefined;
  let G: SideRound[] | undefined;
  for (let i = 0; i < ROUNDS; i++) {
    G = best(G, goRound());
    L = best(L, labtelRound('compiled'));
    I = best(I, labtelRound('interpreter'));
    console.log(`round ${i + 1}: ${FILTERS.map((f, j) => `${f}: ${(rate(L![j]!) / rate(G![j]!)).toFixed(2)}x (interpreter ${(rate(I![j]!) / rate(G![j]!)).toFixed(2)}x)`).join(', ')}`);
  }
  rmSync(work, { recursive: true, force: true });
  const filters = FILTERS.map((f, i) => {
    const l = L![i]!;
    const g = G![i]!;
    const interp = I![i]!;
    if (l.acceptedPerPass !== g.acceptedPerPass || interp.acceptedPerPass !== g.acceptedPerPass) {
      throw new Error(`'${f}': labtel accepts ${l.acceptedPerPass} packets (interpreter ${interp.acceptedPerPass}), x/net/bpf ${g.acceptedPerPass}`);
    }
    return {
      filter: f,
      instructions: compile(f).length,
      acceptedPerPass: l.acceptedPerPass,
      labtelPacketsPerCpuSecond: Math.round(rate(l)),
      xnetbpfPacketsPerCpuSecond: Math.round(rate(g)),
      labtelInterpreterPacketsPerCpuSecond: Math.round(rate(interp)),
      ratio: +(rate(l) / rate(g)).toFixed(2),
      interpreterRatio: +(rate(interp) / rate(g)).toFixed(2),
    };
  });

  // Compile time per expression and instruction counts against libpcap's optimised programs, over the corpus.
  const ratios: number[] = [];
  const times: number[] = [];
  let compiled = 0;
  for (const { expression } of corpus) {
    let program: Program;
    const t0 = process.hrtime.bigint();
    try {
      for (let i = 0; i < 20; i++) program = compile(expression);
    } catch {
      continue;
    }
    times.push(Number(process.hrtime.bigint() - t0) / 20 / 1e3);
    compiled++;
    const d = spawnSync('tcpdump', ['-r', pcap, '-d', '--', expression], { encoding: 'utf8' });
    if (d.status !== 0) continue;
    const libpcapCount = d.stdout.trim().split('\n').length;
    ratios.push(program!.length / libpcapCount);
  }
  const result = {
    benchmark: 'bpf',
    date: new Date().toISOString(),
    command: 'npm run bench -- bpf',
    machine: { node: process.version, go: goVersion, loadAverage: loadavg().map((x) => +x.toFixed(2)), cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length },
    packets: { file: 'test/fixtures/bpf/varied.pcap', frames: frames.length },
    method: 'labtel: accepts() (src/bpf/filter.ts: the program translated once to a JavaScript function, src/bpf/jit.ts), and the interpreter alone (src/bpf/interpreter.ts), each in an esbuild bundle under plain node; x/net/bpf: bpf.NewVM(RawInstruction.Disassemble()).Run, GOMAXPROCS=1; the same programs (compiled by labtel) and packets; CPU time; best of interleaved rounds',
    secondsPerRound: SECONDS,
    rounds: ROUNDS,
    filters,
    medianRatio: +median(filters.map((f) => f.ratio)).toFixed(2),
    minRatio: Math.min(...filters.map((f) => f.ratio)),
    interpreterMedianRatio: +median(filters.map((f) => f.interpreterRatio)).toFixed(2),
    compile: {
      expressions: compiled,
      medianMicroseconds: +median(times).toFixed(1),
      maxMicroseconds: +Math.max(...times).toFixed(1),
    },
    instructionsVsLibpcapOptimised: {
      expressions: ratios.length,
      medianRatio: +median(ratios).toFixed(2),
      p90Ratio: +[...ratios].sort((a, b) => a - b)[Math.floor(ratios.length * 0.9)]!.toFixed(2),
      maxRatio: +Math.max(...ratios).toFixed(2),
      equalOrShorter: ratios.filter((r) => r <= 1).length,
    },
  };
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(root, 'bench', 'results', 'bpf.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
}

if (process.argv[2] === '--child') child(process.argv[3]!, Number(process.argv[4]), process.argv[5] ?? 'compiled');
else parent();
