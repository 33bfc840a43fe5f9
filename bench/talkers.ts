// `npm run bench -- talkers`: the top-talkers agent as an sFlow collector under load, beside pmacct's
// sfacctd (Debian) with the memory plugin aggregating by the 5-tuple, in the same run on the same replay.
// Writes bench/results/talkers.json.
//
// Two streams are replayed over loopback UDP (127.0.0.1 only) by a small Go sender built here
// (bench/peers/sfacctd/replay), paced in batches per timer tick, looping over its datagrams:
// - corpus: the 1,000 datagrams of ../shared/corpus/sflow/switch-2011-1000dgrams.pcap;
// - generated: 100,000 sFlow v5 datagrams of 10 flow samples each, one raw Ethernet/IPv4/UDP header per
//   sample, 1,000,000 distinct 5-tuples (192.0.2.0/24 → 198.51.100.0/24 and 203.0.113.0/24, varied ports).
// For each collector and stream, a search over paced rates (doubling, then bisecting; each step a bounded
// number of seconds) finds the highest rate the sender achieved with under 0.1% loss, where loss is
// 1 − received/sent and "received" is the collector's own count: labtel's datagrams (its stats event),
// sfacctd's flow samples in its memory table (pmacct client; renormalisation off, so one sample is one
// packet), against the flow samples sent (its core process holds back up to one 16 KB plugin buffer, a
// few dozen samples, until the next fills: ±0.02% of a step). Both collectors run all along; their
// steps interleave.
// On the generated stream each step also records the share of its flows new to the collector (the stream
// loops, so after its first 100,000 datagrams a collector mostly sees flows it tracks already).
// Then a fresh agent, warmed up with corpus datagrams (one flow), takes the whole generated stream once, with
// --max-flows above 1,000,000, and its resident memory per tracked flow is measured (RSS after − before over
// the flows it tracks), with its loss on these all-new flows; the same for sfacctd's processes; and, in a
// process of its own, TopTalkers alone (JS heap + array buffers after gc).
//   options: --step-seconds=S (default 1.5), --max-rate=R (default 400000), --keep (the streams' files and sfacctd's logs),
//   --write-streams=DIR (only write the two payload files there)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { bidirectionalKey } from '../src/flows/flowKey';
import { normaliseFlowSample } from '../src/flows/normaliseSflow';
import { TopTalkers } from '../src/flows/topTalkers';
import { decodeDatagram } from '../src/protocols/sflow';
import { AgentProcess, corpusDatagrams } from '../test/helpers/agentProcess';
import { numberFlag } from './support/numberFlag';

const root = path.resolve(__dirname, '..');
const STEP_SECONDS = numberFlag('step-seconds', 1.5);
const MAX_RATE = numberFlag('max-rate', 400_000);
const LOSS_LIMIT = 0.001;
const FLOWS = 1_000_000;
const SAMPLES_PER_DATAGRAM = 10;
/** One Go sender process tops out near 110k datagrams/s here (each send runs the loopback receive path too). */
const RATE_PER_SENDER = 80_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- the generated stream (sFlow v5 encoder)

/** The i-th flow's 5-tuple: distinct for every i < 1,000,000, and no two are each other's reverse. */
function tupleOf(i: number): { src: number[]; dst: number[]; srcPort: number; dstPort: number } {
  const a = i % 254;
  const b = Math.floor(i / 254) % 508;
  const c = Math.floor(i / (254 * 508)); // 0..7
  const mix = Math.imul(i, 0x9e3779b1) >>> 0;
  return {
    src: [192, 0, 2, 1 + a],
    dst: b < 254 ? [198, 51, 100, 1 + b] : [203, 0, 113, 1 + b - 254],
    srcPort: 1024 + c * 8000 + (mix % 8000),
    dstPort: 1 + ((mix >>> 13) % 65000),
  };
}

/** RFC 791 header checksum over 20 bytes at `at`. */
function ipv4Checksum(b: Buffer, at: number): number {
  let s = 0;
  for (let k = 0; k < 20; k += 2) s += b.readUInt16BE(at + k);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

const HEADER_BYTES = 14 + 20 + 8; // Ethernet + IPv4 + UDP
const HEADER_PADDED = (HEADER_BYTES + 3) & ~3;
const RECORD_BYTES = 8 + 16 + HEADER_PADDED; // sFlow v5 §5.2 flow_record: tag, length; sampled_header
const SAMPLE_BYTES = 8 + 32 + RECORD_BYTES; // sample tag, length; flow_sample fields (compact, format 1)

/**
 * One sFlow v5 datagram (sflow.org "sFlow Version 5": sample_datagram_v5, flow_sample, sampled_header)
 * holding flow samples for flows [first, first + n).
 */
function encodeDatagram(seq: number, first: number, n: number): Buffer {
  const b = Buffer.alloc(28 + n * SAMPLE_BYTES);
  let o = 0;
  const u32 = (v: number) => { b.writeUInt32BE(v >>> 0, o); o += 4; };
  u32(5); u32(1); b.set([192, 0, 2, 254], o); o += 4; // version, agent address (IPv4)
  u32(0); u32(seq); u32(seq * 10); u32(n); // sub-agent, sequence, uptime ms, samples
  for (let k = 0; k < n; k++) {
    const i = first + k;
    const t = tupleOf(i);
    const frameLength = 64 + (i % 1400);
    u32(1); u32(SAMPLE_BYTES - 8); // flow_sample, enterprise 0 format 1
    u32(seq * SAMPLES_PER_DATAGRAM + k); u32(3); u32(1024); u32((seq * SAMPLES_PER_DATAGRAM + k) * 1024); u32(0); // sequence, source id (ifIndex 3), sampling rate, pool, drops
    u32(3); u32(4); u32(1); // input, output, one record
    u32(1); u32(RECORD_BYTES - 8); // raw packet header
    u32(1); u32(frameLength); u32(4); u32(HEADER_BYTES); // Ethernet, frame length, 4 stripped (FCS), header length
    const h = o;
    b.set([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00], h);
    const ipLength = frameLength - 18; // minus Ethernet header and FCS
    b.set([0x45, 0], h + 14);
    b.writeUInt16BE(ipLength, h + 16);
    b.writeUInt16BE(i & 0xffff, h + 18);
    b.set([0x40, 0, 64, 17, 0, 0], h + 20);
    b.set(t.src, h + 26);
    b.set(t.dst, h + 30);
    b.writeUInt16BE(ipv4Checksum(b, h + 14), h + 24);
    b.writeUInt16BE(t.srcPort, h + 34);
    b.writeUInt16BE(t.dstPort, h + 36);
    b.writeUInt16BE(ipLength - 20, h + 38);
    o += HEADER_PADDED;
  }
  return b;
}

function generatedStream(): Buffer[] {
  const out: Buffer[] = [];
  for (let d = 0; d * SAMPLES_PER_DATAGRAM < FLOWS; d++) out.push(encodeDatagram(d, d * SAMPLES_PER_DATAGRAM, Math.min(SAMPLES_PER_DATAGRAM, FLOWS - d * SAMPLES_PER_DATAGRAM)));
  // A few decoded back with labtel's own decoder and normaliser: the encoder writes what it means to.
  for (const d of [0, 1, 4321, out.length - 1]) {
    const dg = decodeDatagram(out[d]!);
    if (dg.errors.length || dg.samples.length !== SAMPLES_PER_DATAGRAM) throw new Error(`generated datagram ${d} does not decode cleanly`);
    dg.samples.forEach((s, k) => {
      if (s.kind !== 'flowSample') throw new Error(`generated datagram ${d}: sample ${k} is ${s.kind}`);
      const r = normaliseFlowSample({ timeReceivedNs: 0, agentAddress: dg.agentAddress, sequenceNumber: dg.sequenceNumber }, s);
      const t = tupleOf(d * SAMPLES_PER_DATAGRAM + k);
      const want = `${t.src.join('.')}:${t.srcPort} ${t.dst.join('.')}:${t.dstPort} 17`;
      const got = r && `${r.srcAddr}:${r.srcPort} ${r.dstAddr}:${r.dstPort} ${r.proto}`;
      if (got !== want) throw new Error(`generated datagram ${d} sample ${k}: decoded ${got}, meant ${want}`);
    });
  }
  return out;
}

/** The payloads file the Go sender reads: each datagram preceded by its length (big-endian uint32). */
function writePayloads(file: string, datagrams: Buffer[]): void {
  const parts: Buffer[] = [];
  for (const d of datagrams) {
    const n = Buffer.alloc(4);
    n.writeUInt32BE(d.length);
    parts.push(n, d);
  }
  writeFileSync(file, Buffer.concat(parts));
}

interface Stream {
  name: 'corpus' | 'generated';
  file: string;
  datagrams: number;
  /** prefix[i] = flow samples in datagrams [0, i). */
  flowSamplePrefix: Float64Array;
  /** Datagrams sent so far (the next step starts there, looping). */
  cursor: number;
}

function makeStream(name: Stream['name'], file: string, datagrams: Buffer[]): Stream {
  writePayloads(file, datagrams);
  const prefix = new Float64Array(datagrams.length + 1);
  datagrams.forEach((d, i) => {
    prefix[i + 1] = prefix[i]! + decodeDatagram(d).samples.filter((s) => s.kind === 'flowSample').length;
  });
  return { name, file, datagrams: datagrams.length, flowSamplePrefix: prefix, cursor: 0 };
}

/** Flow samples in `count` datagrams from index `start`, looping. */
function flowSamplesIn(s: Stream, start: number, count: number): number {
  const n = s.datagrams;
  const per = s.flowSamplePrefix[n]!;
  const at = (k: number) => Math.floor(k / n) * per + s.flowSamplePrefix[k % n]!;
  return at(start + count) - at(start);
}

// ---------------------------------------------------------------- the sender

interface Sent { sent: number; seconds: number; rate: number; writeErrors: number; senders: number; goVersion: string }

const goCache = path.join(root, '.cache', 'go');
const replayBinary = path.join(goCache, 'talkers-replay');

function buildSender(): void {
  mkdirSync(goCache, { recursive: true });
  const env = { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: goCache, GOFLAGS: '' };
  const r = spawnSync('go', ['build', '-o', replayBinary, '.'], { cwd: path.join(root, 'bench', 'peers', 'sfacctd', 'replay'), env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the Go sender failed:\n${r.stderr}`);
}

/** Sends `count` datagrams of the stream from its cursor at `rate` datagrams/s, split over enough sender processes. */
async function send(stream: Stream, port: number, rate: number, count: number): Promise<Sent> {
  const senders = Math.max(1, Math.ceil(rate / RATE_PER_SENDER));
  const each = Math.ceil(count / senders);
  const runs: Array<Promise<{ sent: number; seconds: number; writeErrors: number; goVersion: string }>> = [];
  for (let k = 0; k < senders; k++) {
    const start = (stream.cursor + k * each) % stream.datagrams;
    runs.push(new Promise((resolve, reject) => {
      const child = spawn(replayBinary, [stream.file, String(port), String(rate / senders), String(each), String(start)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => { out += c; });
      child.stderr.on('data', (c: Buffer) => { err += c; });
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`sender failed (${code}): ${err}`))));
    }));
  }
  const results = await Promise.all(runs);
  const sent = results.reduce((n, r) => n + r.sent, 0);
  const seconds = Math.max(...results.map((r) => r.seconds));
  return { sent, seconds, rate: sent / seconds, writeErrors: results.reduce((n, r) => n + r.writeErrors, 0), senders, goVersion: results[0]!.goVersion };
}

// ---------------------------------------------------------------- the collectors

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

interface Collector {
  name: 'labtel' | 'sfacctd';
  port: number;
  /** What the collector counts: datagrams (labtel) or flow samples (sfacctd). */
  unit: 'datagrams' | 'flowSamples';
  /** Its cumulative count once it has stopped changing (everything sent so far has been processed). */
  drainedCount(): Promise<number>;
  /** What drained() last returned: nothing is sent to a collector between its steps, so a step starts from it. */
  settled?: number;
  rss(): number;
  stop(): Promise<void>;
}

/** The collector's count once it has stopped changing, remembered as where its next step starts. */
async function drained(c: Collector): Promise<number> {
  c.settled = await c.drainedCount();
  return c.settled;
}

async function settle(read: () => Promise<number>): Promise<number> {
  let last = await read();
  let stable = 0;
  for (let k = 0; k < 60 && stable < 2; k++) {
    await sleep(250);
    const now = await read();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

const agentJs = path.join(root, 'dist', 'agents', 'top-talkers.js');

async function startLabtel(port: number, maxFlows: number): Promise<Collector & { agent: AgentProcess; flows(): number }> {
  const agent = AgentProcess.start([process.execPath, agentJs, '--listen', `127.0.0.1:${port}`, '--format', 'json', '--interval', '250ms', '--top', '1', '--window', '3600', '--max-flows', String(maxFlows)]);
  live.add(agent.child);
  void agent.exited.then(() => live.delete(agent.child));
  await agent.waitFor('stats', () => true, 10_000);
  const last = () => agent.of('stats').at(-1)!;
  return {
    name: 'labtel', port, unit: 'datagrams', agent,
    drainedCount: () => settle(async () => last().datagrams),
    flows: () => agent.of('talkers').at(-1)?.flows ?? 0,
    rss: () => rssBytes(agent.child.pid!),
    stop: async () => {
      await agent.stop();
      agent.events.length = 0;
    },
  };
}

async function startSfacctd(work: string, name: string, port: number): Promise<Collector & { log: string }> {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  const pipe = path.join(dir, 'pipe');
  const log = path.join(dir, 'log');
  const pidfile = path.join(dir, 'pid');
  const conf = readFileSync(path.join(root, 'bench', 'peers', 'sfacctd', 'sfacctd.conf.template'), 'utf8')
    .replaceAll('@PORT@', String(port)).replaceAll('@PIPE@', pipe).replaceAll('@LOG@', log).replaceAll('@PIDFILE@', pidfile);
  writeFileSync(path.join(dir, 'sfacctd.conf'), conf);
  const child: ChildProcess = spawn('sfacctd', ['-f', path.join(dir, 'sfacctd.conf')], { stdio: 'ignore' });
  live.add(child);
  const pluginPid = (): number | undefined => {
    const f = `${pidfile}-memory-talkers`;
    return existsSync(f) ? Number(readFileSync(f, 'utf8').trim()) : undefined;
  };
  // The memory plugin is the core's child: on the way out it goes too, whatever happens.
  const killPlugin = () => { const p = pluginPid(); if (p) try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } };
  process.once('exit', killPlugin);
  // The memory table's packet total: every entry's packets summed by the plugin (a tiny answer, not the table).
  const query = (): Promise<number> => new Promise((resolve, reject) => {
    const q = spawn('pmacct', ['-p', pipe, '-c', 'proto', '-N', 'file:' + path.join(dir, 'protocols'), '-n', 'packets', '-S'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    q.stdout.on('data', (c: Buffer) => { out += c; });
    q.on('exit', (code) => {
      const n = Number(out.trim());
      if (code === 0 && Number.isFinite(n)) resolve(n);
      else reject(new Error(`pmacct query failed (${code}): ${out}`));
    });
  });
  // A busy plugin sometimes answers a query with "missing EOF from server": ask again.
  const total = async (): Promise<number> => {
    for (let k = 0; ; k++) {
      try { return await query(); } catch (err) { if (k >= 5) throw err; await sleep(200); }
    }
  };
  // The IP protocols summed (pmacct takes 1..255, one table scan each): ICMP, TCP, UDP, GRE, ESP, ICMPv6,
  // SCTP. Entries without an IP protocol would not be summed (neither stream has any).
  writeFileSync(path.join(dir, 'protocols'), [1, 6, 17, 47, 50, 58, 132].join('\n') + '\n');
  for (let k = 0; ; k++) {
    if (child.exitCode !== null) throw new Error(`sfacctd exited: ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
    try {
      if (existsSync(pipe)) { await total(); break; }
    } catch { /* not answering yet */ }
    if (k > 100) throw new Error('sfacctd did not answer on its pipe within 10 s');
    await sleep(100);
  }
  return {
    name: 'sfacctd', port, unit: 'flowSamples', log,
    drainedCount: () => settle(total),
    rss: () => rssBytes(child.pid!) + (pluginPid() ? rssBytes(pluginPid()!) : 0),
    stop: async () => {
      const plugin = pluginPid();
      const exited = new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
      child.kill('SIGTERM');
      // Freeing a million-entry table takes sfacctd a while; it is not measured, so do not wait for it.
      await Promise.race([exited, sleep(3000)]);
      for (const pid of [child.pid, plugin]) if (pid) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      await exited;
      // The plugin is not our child: wait until the kernel has torn it down (gone, or a zombie), so that
      // unmapping its table (a gigabyte after the generated stream) does not overlap the next measurement.
      if (plugin) await processGone(plugin, 15_000);
      live.delete(child);
      process.removeListener('exit', killPlugin);
    },
  };
}

/** Resolves when process `pid` has exited (no /proc entry, or a zombie whose memory is released), or after `ms`. */
async function processGone(pid: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    let state: string;
    try { state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? ''; } catch { return; }
    if (state === 'Z' || state === 'X') return;
    await sleep(50);
  }
}

/** Collector processes started here (agents, sfacctd cores), killed on the way out whatever happens. */
const live = new Set<ChildProcess>();
process.on('exit', () => { for (const c of live) try { c.kill('SIGKILL'); } catch { /* gone */ } });

// ---------------------------------------------------------------- the search

interface Step {
  targetRate: number;
  achievedRate: number;
  senders: number;
  sent: number;
  /** What the collector should have counted: datagrams (labtel) or flow samples (sfacctd) sent. */
  expected: number;
  received: number;
  loss: number;
  seconds: number;
  writeErrors: number;
  /**
   * Generated stream only: the share of the step's datagrams this collector had never been sent, i.e.
   * of its flow samples that were a flow new to it (each generated datagram holds 10 flows of its own).
   * The stream loops, so after its first 100,000 datagrams a collector mostly sees flows it knows.
   */
  newFlowShare?: number;
}

/** Per collector and stream: which of the stream's datagrams it has been sent. */
const sentTo = new Map<string, Uint8Array>();

/** Marks datagrams [start, start + count) of the stream (looping) as sent to the collector; returns how many were new to it. */
function markSent(c: Collector, s: Stream, start: number, count: number): number {
  const id = `${c.name}:${c.port}:${s.name}`;
  let seen = sentTo.get(id);
  if (!seen) sentTo.set(id, (seen = new Uint8Array(s.datagrams)));
  let fresh = 0;
  for (let k = 0; k < count; k++) {
    const i = (start + k) % s.datagrams;
    if (seen[i] === 0) { seen[i] = 1; fresh++; }
  }
  return fresh;
}

async function step(c: Collector, s: Stream, rate: number): Promise<Step> {
  // Every send is followed by drained(): the count it settled at is still the count (asking again
  // would only wait another half second or more, and scan sfacctd's table seven times per query).
  const before = c.settled ?? await drained(c);
  const count = Math.max(1000, Math.round(rate * STEP_SECONDS));
  const start = s.cursor;
  const r = await send(s, c.port, rate, count);
  s.cursor = (s.cursor + r.sent) % s.datagrams;
  const fresh = markSent(c, s, start, r.sent);
  const after = await drained(c);
  const expected = c.unit === 'datagrams' ? r.sent : flowSamplesIn(s, start, r.sent);
  const received = after - before;
  return { targetRate: rate, achievedRate: Math.round(r.rate), senders: r.senders, sent: r.sent, expected: Math.round(expected), received, loss: +(1 - received / expected).toFixed(5), seconds: +r.seconds.toFixed(3), writeErrors: r.writeErrors, ...(s.name === 'generated' ? { newFlowShare: +(fresh / r.sent).toFixed(3) } : {}) };
}

/** Doubling from `from` while the rate holds, then bisecting between the best held and the first lost. */
class Search {
  readonly steps: Step[] = [];
  /** First tries that lost, each followed by a second try at the same rate (in steps). */
  readonly retries: Step[] = [];
  private good = 0;
  private goodStep: Step | undefined;
  private bad = Infinity;
  private bisections = 0;
  constructor(readonly collector: Collector, private next: number | undefined) {}

  get rate(): number | undefined { return this.next; }

  record(s: Step): void {
    this.steps.push(s);
    const held = s.loss < LOSS_LIMIT;
    const fresh = s.newFlowShare === undefined ? '' : `, ${Math.round(s.newFlowShare * 100)}% new flows`;
    console.log(`  ${this.collector.name.padEnd(7)} target ${String(s.targetRate).padStart(6)}/s achieved ${String(s.achievedRate).padStart(6)}/s (${s.senders} sender${s.senders > 1 ? 's' : ''}${fresh}) loss ${(s.loss * 100).toFixed(3)}% ${held ? 'held' : 'LOST'}`);
    if (held) {
      if (s.achievedRate > (this.goodStep?.achievedRate ?? 0)) this.goodStep = s;
      this.good = Math.max(this.good, s.targetRate);
    } else this.bad = Math.min(this.bad, s.targetRate);
    // The sender could not reach the target: a higher target only measures the sender.
    const senderBound = held && s.achievedRate < 0.9 * s.targetRate;
    if (this.bad === Infinity) {
      this.next = senderBound || s.targetRate * 2 > MAX_RATE ? undefined : s.targetRate * 2;
      return;
    }
    if (this.bisections >= 4 || this.bad - this.good < 0.05 * this.bad) { this.next = undefined; return; }
    this.bisections++;
    this.next = this.good === 0 ? Math.round(this.bad / 2) : Math.round((this.good + this.bad) / 2);
  }

  get best(): Step | undefined { return this.goodStep; }
}

async function searchBoth(stream: Stream, sides: Collector[], from: number): Promise<Search[]> {
  const searches = sides.map((c) => new Search(c, from));
  // Interleaved: one step of each collector in turn, so a change in the machine's load hits both.
  for (;;) {
    let any = false;
    for (const search of searches) {
      const rate = search.rate;
      if (rate === undefined) continue;
      any = true;
      let s = await step(search.collector, stream, rate);
      // A loss can be a moment when the shared machine gave the collector no CPU: one more try at the
      // same rate, for both collectors alike; the rate holds if the second try does.
      if (s.loss >= LOSS_LIMIT) {
        console.log(`  ${search.collector.name.padEnd(7)} target ${String(rate).padStart(6)}/s lost ${(s.loss * 100).toFixed(3)}%, once more`);
        search.retries.push(s);
        s = await step(search.collector, stream, rate);
      }
      search.record(s);
    }
    if (!any) return searches;
  }
}

// ---------------------------------------------------------------- TopTalkers alone (a child process)

function heapChild(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const held = () => { for (let i = 0; i < 3; i++) gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  const keys: string[] = [];
  const before = held();
  const tt = new TopTalkers({ windowSeconds: 3600, by: 'bytes', maxFlows: FLOWS + 1, clock: () => 0 });
  for (let i = 0; i < FLOWS; i++) {
    const t = tupleOf(i);
    tt.addKeyed(bidirectionalKey(t.src.join('.'), t.srcPort, t.dst.join('.'), t.dstPort, 17), 1500, 1);
  }
  const after = held();
  keys.push(tt.top(1)[0]!.key);
  console.log(JSON.stringify({ flows: tt.stats().flows, bytesPerFlow: (after - before) / tt.stats().flows }));
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const t0 = Date.now();
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0 || !existsSync(agentJs)) throw new Error(`npm run build failed:\n${build.stderr}`);
  buildSender();
  const work = mkdtempSync(path.join(tmpdir(), 'labtel-bench-talkers-'));
  try {
    const corpus = makeStream('corpus', path.join(work, 'corpus.bin'), corpusDatagrams('sflow', 'switch-2011-1000dgrams.pcap'));
    const generated = makeStream('generated', path.join(work, 'generated.bin'), generatedStream());
    console.log(`streams: corpus ${corpus.datagrams} datagrams (${corpus.flowSamplePrefix[corpus.datagrams]} flow samples), generated ${generated.datagrams} datagrams (${generated.flowSamplePrefix[generated.datagrams]} flow samples, ${FLOWS} distinct flows)`);

    const results: Record<string, { labtel: Search; sfacctd: Search }> = {};
    for (const [k, stream] of [corpus, generated].entries()) {
      console.log(`\n${stream.name} stream:`);
      const labtel = await startLabtel(16400 + k, 2 * FLOWS);
      const sfacctd = await startSfacctd(work, `sfacctd-${stream.name}`, 16410 + k);
      try {
        // Warm-up, not measured: the agent's JIT and both collectors' tables see the stream first.
      for (const c of [labtel, sfacctd]) { await send(stream, c.port, 10_000, 10_000); markSent(c, stream, 0, 10_000); await drained(c); }
      stream.cursor = 0;
      const [l, s] = await searchBoth(stream, [labtel, sfacctd], 20_000);
        results[stream.name] = { labtel: l!, sfacctd: s! };
      } finally {
        await labtel.stop();
        await sfacctd.stop();
      }
    }

    // Memory: a fresh collector of each kind takes the whole generated stream once, well below its loss-free rate.
    console.log('\nmemory: the 1,000,000-flow stream once, into fresh collectors');
    const memoryRun = async (c: Collector, rate: number, flows: () => Promise<number>) => {
      // Warm-up, not measured: the corpus stream (one conversation), so that the collector's code is
      // warm when the new flows come and its table holds one flow before RSS is read.
      corpus.cursor = 0;
      await send(corpus, c.port, 10_000, 10_000);
      const countBefore = await drained(c);
      await sleep(500);
      const before = c.rss();
      generated.cursor = 0;
      const r = await send(generated, c.port, rate, generated.datagrams);
      const countAfter = await drained(c);
      const tracked = await flows();
      const after = c.rss();
      const counted = countAfter - countBefore;
      const expected = c.unit === 'datagrams' ? r.sent : flowSamplesIn(generated, 0, r.sent);
      return {
        rate: Math.round(r.rate), sent: r.sent, counted, unit: c.unit, lossOfNewFlows: +(1 - counted / expected).toFixed(5),
        flowsTracked: tracked, rssBeforeBytes: before, rssAfterBytes: after, bytesPerFlow: tracked ? +((after - before) / tracked).toFixed(1) : null,
      };
    };
    const safeRate = (s: Search) => Math.max(5000, Math.min(50_000, Math.round((s.best?.achievedRate ?? 10_000) * 0.35)));
    const labtelMem = await startLabtel(16420, FLOWS + 100_000);
    let labtelMemory;
    try {
      labtelMemory = await memoryRun(labtelMem, safeRate(results.generated!.labtel), async () => { await sleep(600); return labtelMem.flows(); });
    } finally { await labtelMem.stop(); }
    const sfMem = await startSfacctd(work, 'sfacctd-memory', 16421);
    let sfacctdMemory;
    try {
      sfacctdMemory = await memoryRun(sfMem, safeRate(results.generated!.sfacctd), async () => {
        // Entries in its table: pmacct -s ends with "For a total of: N entries".
        const q = spawnSync('pmacct', ['-p', path.join(work, 'sfacctd-memory', 'pipe'), '-s', '-O', 'csv'], { encoding: 'utf8', maxBuffer: 1 << 30 });
        return Math.max(0, q.stdout.trim().split('\n').length - 1);
      });
    } finally { await sfMem.stop(); }
    console.log(`  labtel ${JSON.stringify(labtelMemory)}\n  sfacctd ${JSON.stringify(sfacctdMemory)}`);
    const heap = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--heap-child'], { cwd: root, encoding: 'utf8' });
    if (heap.status !== 0) throw new Error(`TopTalkers heap run failed:\n${heap.stderr}`);
    const heapFigure = JSON.parse(heap.stdout.trim().split('\n').pop()!) as { flows: number; bytesPerFlow: number };

    const meanFlowSamples = (s: Stream) => s.flowSamplePrefix[s.datagrams]! / s.datagrams;
    const summary = (stream: Stream) => {
      const r = results[stream.name]!;
      const side = (search: Search) => {
        const b = search.best;
        if (!b) return { lossFreeDatagramsPerSecond: 0, flowRecordsPerSecond: 0, steps: search.steps };
        // Flow records ingested: labtel makes one normalised record per flow sample of each datagram it
        // received; sfacctd's are the flow samples its table counted.
        const flowRecordsPerSecond = search.collector.unit === 'datagrams'
          ? (b.received * meanFlowSamples(stream)) / b.seconds
          : b.received / b.seconds;
        // Of the tries (first tries included) whose flows were at least half new to the collector: the best rate held.
        const held = [...search.steps, ...search.retries].filter((t) => (t.newFlowShare ?? 0) >= 0.5 && t.loss < LOSS_LIMIT);
        const newFlows = stream.name === 'generated'
          ? { newFlowShareAtThatRate: b.newFlowShare, heldWithHalfOrMoreNewFlows: held.length ? Math.max(...held.map((t) => t.achievedRate)) : null }
          : {};
        return { lossFreeDatagramsPerSecond: b.achievedRate, flowRecordsPerSecond: Math.round(flowRecordsPerSecond), lossAtThatRate: b.loss, sendersAtThatRate: b.senders, ...newFlows, steps: search.steps, lostFirstTries: search.retries };
      };
      const l = side(r.labtel);
      const s = side(r.sfacctd);
      return { labtel: l, sfacctd: s, ratioLabtelOverSfacctd: s.lossFreeDatagramsPerSecond ? +(l.lossFreeDatagramsPerSecond / s.lossFreeDatagramsPerSecond).toFixed(2) : null };
    };
    const sentWith = [...Object.values(results).flatMap((r) => [...r.labtel.steps, ...r.sfacctd.steps])];
    const result = {
      benchmark: 'talkers',
      date: new Date().toISOString(),
      command: 'npm run bench -- talkers',
      machine: { node: process.version, sfacctd: spawnSync('sfacctd', ['-V'], { encoding: 'utf8' }).stdout.split('\n')[0], loadAverageAtEnd: loadavg().map((x) => +x.toFixed(2)), cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length },
      method: {
        transport: 'loopback UDP, 127.0.0.1 only; both collectors run all along on ports of their own, their search steps interleaved',
        sender: `a Go sender built here (bench/peers/sfacctd/replay), paced by sending the datagrams due at each ~100 µs tick; one process per ${RATE_PER_SENDER} datagrams/s of target (most used: ${Math.max(...sentWith.map((s) => s.senders))}); the achieved rate (sent / time from first to last send) is reported, not the target`,
        search: `doubling from 20,000 datagrams/s, then bisecting (at most 4 times) between the best rate held and the first lost; each step ${STEP_SECONDS} s of datagrams; held = loss < ${LOSS_LIMIT * 100}%; a lost step is tried once more at the same rate (both collectors alike) and the second try decides; before the search each collector gets 10,000 datagrams at 10,000/s, not measured`,
        loss: '1 − received/expected, received from the collector’s own count once it stops changing: labtel’s datagrams (stats event); sfacctd’s flow samples in its memory table (pmacct -c proto -N … -n packets -S; renormalisation off, so one sample = one packet) against the flow samples sent (up to one 16 KB plugin buffer, a few dozen samples, may wait in its core process between steps)',
        newFlows: 'generated stream: each step’s newFlowShare is the share of its datagrams (10 flows of their own each) the collector had not been sent before; the stream loops, so after its first 100,000 datagrams most flows are known to the collector. heldWithHalfOrMoreNewFlows is the best rate held by a try (first tries included) with newFlowShare ≥ 0.5 (null when none): a lower bound, as the search does not aim at it. The memory run (below) is all new flows: its lossOfNewFlows is the loss at its rate',
        labtel: 'node dist/agents/top-talkers.js --listen 127.0.0.1:PORT --format json --interval 250ms --top 1 --window 3600 --max-flows 2000000 (receive buffer 8 MB asked)',
        sfacctd: 'sfacctd -f bench/peers/sfacctd/sfacctd.conf.template (filled in): memory plugin, aggregate src_host, dst_host, src_port, dst_port, proto; socket buffer 8 MB; plugin pipe 16 MB, buffer 16 KB; table of 1,048,573 buckets, memory pools of 1 MB as needed',
      },
      streams: {
        corpus: { file: 'sflow/switch-2011-1000dgrams.pcap', datagrams: corpus.datagrams, flowSamplesPerDatagram: +meanFlowSamples(corpus).toFixed(3) },
        generated: { datagrams: generated.datagrams, flows: FLOWS, flowSamplesPerDatagram: SAMPLES_PER_DATAGRAM, datagramBytes: 28 + SAMPLES_PER_DATAGRAM * SAMPLE_BYTES, what: 'sFlow v5, one compact flow sample per flow, each one raw Ethernet/IPv4/UDP header; 192.0.2.0/24 → 198.51.100.0/24 and 203.0.113.0/24, varied ports' },
      },
      corpus: summary(corpus),
      generated: summary(generated),
      memory: {
        what: 'a fresh collector, warmed up with 10,000 corpus datagrams (one flow), takes the generated stream (1,000,000 distinct flows) once at 35% of its loss-free rate on that stream (5,000–50,000/s); bytesPerFlow = (RSS after − RSS before) / flows tracked (labtel: its talkers event; sfacctd: entries in its memory table, core + plugin RSS)',
        labtel: labtelMemory,
        sfacctd: sfacctdMemory,
        topTalkersOnly: { ...heapFigure, bytesPerFlow: +heapFigure.bytesPerFlow.toFixed(1), what: 'TopTalkers alone in a process of its own, the same 1,000,000 keys: JS heap + array buffers after gc, after − before' },
      },
      aims: { labtelOverSfacctdLossFreeDatagramRate: '≥ 1.0×', bytesPerTrackedFlow: '≤ 200' },
      wallSeconds: Math.round((Date.now() - t0) / 1000),
    };
    mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(path.join(root, 'bench', 'results', 'talkers.json'), JSON.stringify(result, null, 2) + '\n');
    const line = (n: string, x: ReturnType<typeof summary>) => console.log(`${n}: labtel ${x.labtel.lossFreeDatagramsPerSecond} datagrams/s (${x.labtel.flowRecordsPerSecond} records/s), sfacctd ${x.sfacctd.lossFreeDatagramsPerSecond} (${x.sfacctd.flowRecordsPerSecond}), ratio ${x.ratioLabtelOverSfacctd}×`);
    console.log('');
    line('corpus', result.corpus);
    line('generated', result.generated);
    console.log(`memory: labtel ${labtelMemory.bytesPerFlow} bytes/flow RSS (${labtelMemory.flowsTracked} flows), TopTalkers alone ${result.memory.topTalkersOnly.bytesPerFlow}; sfacctd ${sfacctdMemory.bytesPerFlow} bytes/flow RSS`);
  } finally {
    if (process.argv.includes('--keep')) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

const writeTo = process.argv.find((a) => a.startsWith('--write-streams='))?.slice('--write-streams='.length);
if (process.argv.includes('--heap-child')) heapChild();
else if (writeTo) {
  // Only the two payload files, for looking at a collector by hand with the sender.
  makeStream('corpus', path.join(writeTo, 'corpus.bin'), corpusDatagrams('sflow', 'switch-2011-1000dgrams.pcap'));
  makeStream('generated', path.join(writeTo, 'generated.bin'), generatedStream());
}
else main().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1); });
