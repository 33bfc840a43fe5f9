/**
 * top-talkers: an sFlow collector that normalises each flow sample into a flow record, keys it
 * bidirectionally and ranks the conversations live over a sliding window — the book's top-talkers
 * (goflow2 + a heap), with rates, shares and bounded memory.
 *
 *   node dist/agents/top-talkers.js [--listen 0.0.0.0:6343 | --tap eth1] [--window 10] [--top 10]
 *   node dist/agents/top-talkers.js --read capture.pcapng --format json     (final ranking of a file)
 */
import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { FlowKeyBuilder, formatEndpoint } from '../flows/flowKey';
import { readFlowSample, SampledFlow, scaledBytes, scaledPackets } from '../flows/normaliseSflow';
import { TopTalkers, type RankBy } from '../flows/topTalkers';
import type { TalkerRow } from '../shared/events';
import { SflowIngest } from './ingest/sflowIngest';
import { readFile, tapInterface, type DatagramArrival } from './ingest/sources';
import { renderTalkersTable } from './render/talkersTable';
import { EventWriter } from './runtime/eventWriter';
import { FlagError, helpText, parseChoice, parseDuration, parseFlags, parseHostPort, parseInteger } from './runtime/flags';
import { runAgent, type Lifecycle } from './runtime/lifecycle';
import { IngestMetrics, serveMetrics } from './runtime/metrics';
import { UdpSource } from './sources/udpSource';

const flags = {
  listen: { type: 'string', short: 'l', default: '0.0.0.0:6343', value: 'ADDR:PORT', description: 'receive sFlow on this UDP address' },
  tap: { type: 'string', value: 'INTF', description: 'read the sFlow stream off an interface with libpcap instead (beside an existing collector)' },
  read: { type: 'string', short: 'r', value: 'FILE', description: 'rank the sFlow in a pcap/pcapng file and print the final ranking' },
  'sflow-port': { type: 'string', default: '6343', value: 'PORT', description: 'UDP port of the sFlow datagrams (with --tap and --read)' },
  interval: { type: 'string', short: 'i', default: '1s', value: 'DURATION', description: 'how often the ranking is printed' },
  window: { type: 'string', short: 'w', default: '10', value: 'SECONDS', description: 'sliding window the ranking and rates are computed over' },
  top: { type: 'string', short: 'n', default: '10', value: 'N', description: 'rows in the ranking' },
  by: { type: 'string', default: 'bytes', value: 'bytes|packets|samples', description: 'what the ranking orders by' },
  'max-flows': { type: 'string', default: '100000', value: 'N', description: 'flows tracked at most; the least recently seen are evicted' },
  format: { type: 'string', default: 'text', value: 'text|json', description: 'text: a live table; json: a talkers event per interval' },
  duration: { type: 'string', value: 'DURATION', description: 'stop after this long (default: until SIGINT/SIGTERM)' },
  metrics: { type: 'string', value: 'ADDR:PORT', description: 'serve Prometheus metrics on /metrics' },
} as const;

const help = helpText('top-talkers [options]', 'Ranks the conversations in an sFlow stream by estimated traffic, both directions counted as one.', flags);

/** The ranking as event rows. */
export function talkerRows(talkers: TopTalkers, n: number): TalkerRow[] {
  return talkers.top(n).map((t) => ({
    rank: t.rank, a: formatEndpoint(t.a, t.proto === 6 || t.proto === 17 || t.proto === 132), b: formatEndpoint(t.b, t.proto === 6 || t.proto === 17 || t.proto === 132),
    protocol: t.proto, bytes: t.bytes, packets: t.packets, samples: t.samples, bps: t.bitsPerSecond, share: t.share,
  }));
}

async function main(lifecycle: Lifecycle): Promise<void> {
  const { values, help: wantHelp, positionals } = parseFlags(flags, process.argv.slice(2));
  if (wantHelp) { process.stdout.write(`${help}\n`); return; }
  if (positionals.length) throw new FlagError(`unexpected argument "${positionals[0]}"`);
  if (values.tap && values.read) throw new FlagError('--tap and --read are two different sources: give one');
  const port = parseInteger('sflow-port', values['sflow-port'], 1, 65535);
  const intervalMs = parseDuration('interval', values.interval);
  const windowSeconds = parseInteger('window', values.window, 1, 86_400);
  const topN = parseInteger('top', values.top, 1, 10_000);
  const by = parseChoice('by', values.by, ['bytes', 'packets', 'samples'] as const) satisfies RankBy;
  const maxFlows = parseInteger('max-flows', values['max-flows'], 1, 50_000_000);
  const format = parseChoice('format', values.format, ['text', 'json'] as const);
  const durationMs = values.duration === undefined ? undefined : parseDuration('duration', values.duration);
  const listen = parseHostPort('listen', values.listen);
  const metricsAt = values.metrics === undefined ? undefined : parseHostPort('metrics', values.metrics, '127.0.0.1');

  const events = new EventWriter('top-talkers');
  const metrics = new IngestMetrics('top-talkers');
  const ingest = new SflowIngest(metrics);
  if (metricsAt) {
    const server: Server = await serveMetrics(metrics.registry, metricsAt.host, metricsAt.port);
    lifecycle.defer(() => new Promise<void>((r) => server.close(() => r())));
  }

  const offline = values.read !== undefined;
  // The ranking's clock, in ms: set once per datagram (not read per record) and before each
  // ranking. Offline it is the capture's own clock, counted from its first datagram (so the rate is
  // over the capture's span); live, a monotonic clock.
  let nowMs = offline ? 0 : performance.now();
  let fileStartMs: number | undefined;
  const talkers = new TopTalkers({ windowSeconds: offline ? Infinity : windowSeconds, by, maxFlows, clock: () => nowMs });

  // Per flow sample: read it into `flow`, key it into `keys`, count it. Nothing is allocated here
  // beyond what the decoder returns, and no address becomes text.
  const flow = new SampledFlow();
  const keys = new FlowKeyBuilder();
  const countDatagram = (buf: Uint8Array, start: number, end: number) => {
    const dg = ingest.decode(buf, start, end);
    if (!dg) return;
    for (const s of dg.samples) {
      if (s.kind !== 'flowSample') continue;
      try {
        if (!readFlowSample(s, flow)) continue;
        talkers.addKey(keys.key, flow.key(keys), scaledBytes(s, flow.length), scaledPackets(s));
      } catch (err) {
        ingest.malformed('record', err);
      }
    }
  };
  const onDatagram = (d: DatagramArrival) => {
    if (offline) {
      const ms = Number(d.timeNs) / 1e6;
      fileStartMs ??= ms;
      nowMs = ms - fileStartMs;
    } else {
      nowMs = performance.now();
    }
    countDatagram(d.buf, d.start, d.end);
  };

  let udp: UdpSource | undefined;
  // The kernel's count of datagrams it dropped for the socket (a full receive buffer), read at each interval.
  const readDrops = () => {
    const drops = udp?.kernelDrops();
    if (drops !== undefined) ingest.droppedSoFar(drops);
  };

  const emitRanking = (final: boolean) => {
    if (!offline) nowMs = performance.now();
    readDrops();
    const rows = talkerRows(talkers, topN);
    const st = talkers.stats();
    if (format === 'json') {
      events.emit({ type: 'talkers', window: offline ? nowMs / 1000 : windowSeconds, by, top: topN, flows: st.flows, rows });
      return;
    }
    const c = ingest.counts;
    const header = `top talkers by ${by}${offline ? ' over the whole capture' : ` over the last ${windowSeconds} s`} — ${st.flows} flows, ${c.datagrams} datagrams, ${c.malformed} malformed${c.dropped ? `, ${c.dropped} dropped by the kernel` : ''}${st.evictions ? `, ${st.evictions} evicted` : ''}`;
    const lines = renderTalkersTable(rows, header);
    // A terminal gets the table redrawn in place; a pipe gets one table after another.
    if (process.stdout.isTTY && !final) process.stdout.write(`\x1b[H\x1b[2J${lines.join('\n')}\n`);
    else process.stdout.write(`${lines.join('\n')}\n\n`);
  };

  const emitStats = () => {
    readDrops();
    const c = ingest.counts;
    const st = talkers.stats();
    if (format === 'json') events.emit({ type: 'stats', datagrams: c.datagrams, samples: c.samples, records: c.records, malformed: c.malformed, dropped: c.dropped, evicted: st.evictions });
  };

  if (offline) {
    // A damaged file (cut short, a corrupt record) still gets the ranking of what was read before the
    // damage, as tshark prints the packets it read; then the error says where, and the exit code is 1.
    let damage: Error | undefined;
    try {
      await readFile(values.read!, port, ingest, onDatagram, () => lifecycle.isStopping);
    } catch (err) {
      damage = err as Error;
    }
    emitRanking(true);
    emitStats();
    await events.flush();
    if (damage) throw new Error(`${values.read}: ${damage.message} (the ranking covers the ${ingest.counts.datagrams} datagrams read before it)`);
    return;
  }

  if (values.tap) {
    const source = tapInterface(values.tap, `udp port ${port}`, port, ingest, onDatagram);
    lifecycle.onStop(() => source.close());
    lifecycle.defer(() => source.close());
    process.stderr.write(`top-talkers: reading sFlow off ${values.tap} (UDP ${port}) with libpcap\n`);
  } else {
    const source = await UdpSource.listen(listen.host, listen.port, (buf, start, end) => {
      nowMs = performance.now();
      countDatagram(buf, start, end);
    });
    udp = source;
    lifecycle.defer(() => source.close());
    process.stderr.write(`top-talkers: collecting sFlow on UDP ${listen.host}:${listen.port}\n`);
  }

  await new Promise<void>((resolve) => {
    const timer = setInterval(() => { emitRanking(false); emitStats(); }, intervalMs);
    const stop = () => { clearInterval(timer); resolve(); };
    lifecycle.onStop(stop);
    if (durationMs !== undefined) setTimeout(stop, durationMs).unref();
  });
  emitRanking(true);
  emitStats();
  await events.flush();
}

if (require.main === module) {
  void runAgent(help, main).then((code) => process.exit(code));
}
