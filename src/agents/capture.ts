/**
 * capture: taps the sFlow stream on an interface with libpcap and a BPF filter, decodes every
 * datagram down to the sampled packets' headers and reports one flow event per flow record —
 * the book's packet-capture, without disturbing the collector that receives the same datagrams.
 *
 *   node dist/agents/capture.js --intf eth1 --filter "udp port 6343" [--write out.pcapng] [--format json]
 *   node dist/agents/capture.js --read capture.pcapng
 */
import type { Server } from 'node:http';
import { CaptureWriter } from '../protocols/captureWriter';
import type { FlowSample } from '../protocols/sflow';
import type { FlowEvent } from '../shared/events';
import { SflowInterfaceFormat } from '../shared/format';
import { SflowIngest } from './ingest/sflowIngest';
import { fileFilter } from './ingest/fileFilter';
import { readFile, tapInterface, type DatagramArrival } from './ingest/sources';
import { EventWriter } from './runtime/eventWriter';
import { FlagError, helpText, parseChoice, parseFlags, parseHostPort, parseInteger } from './runtime/flags';
import { runAgent, type Lifecycle } from './runtime/lifecycle';
import type { PcapSource } from './sources/pcapSource';
import { IngestMetrics, serveMetrics } from './runtime/metrics';

const flags = {
  intf: { type: 'string', short: 'i', default: 'eth1', value: 'INTF', description: 'interface to capture on' },
  filter: { type: 'string', short: 'f', default: 'udp port 6343', value: 'EXPR', description: 'pcap-filter expression: compiled by libpcap on the wire, by labtel for --read' },
  'sflow-port': { type: 'string', default: '6343', value: 'PORT', description: 'UDP port the sFlow datagrams are sent to' },
  write: { type: 'string', short: 'w', value: 'FILE.pcapng', description: 'also write the captured sFlow datagrams to a pcapng file' },
  count: { type: 'string', short: 'c', value: 'N', description: 'stop after N sFlow datagrams' },
  format: { type: 'string', default: 'text', value: 'text|json', description: 'text: one line per flow record; json: NDJSON events' },
  read: { type: 'string', short: 'r', value: 'FILE', description: 'read a pcap/pcapng file instead of the wire' },
  metrics: { type: 'string', value: 'ADDR:PORT', description: 'serve Prometheus metrics on /metrics' },
} as const;

const help = helpText('capture [options]', 'Decodes the sFlow datagrams on an interface (or in a capture file) down to the sampled headers.', flags);

/** The flow events of one flow sample: one per record that names a flow (raw header or sampled IPv4/IPv6). */
export function flowEventsOf(dg: { agentAddress: string }, s: FlowSample): Array<Omit<FlowEvent, 'v' | 'agent' | 'ts'>> {
  const out: Array<Omit<FlowEvent, 'v' | 'agent' | 'ts'>> = [];
  const base = { type: 'flow' as const, agentAddress: dg.agentAddress, sampleSequence: s.sequenceNumber, samplingRate: s.samplingRate, inputInterface: s.input, outputInterface: s.output,
    ...(s.inputFormat === SflowInterfaceFormat.IfIndex ? {} : { inputFormat: s.inputFormat }), ...(s.outputFormat === SflowInterfaceFormat.IfIndex ? {} : { outputFormat: s.outputFormat }) };
  for (const r of s.records) {
    if (r.kind === 'rawHeader') {
      const p = r.packet;
      out.push({
        ...base, src: p?.src, dst: p?.dst, srcPort: p?.srcPort, dstPort: p?.dstPort, protocol: p?.protocol, frameLength: r.frameLength,
        header: hexOf(r.buf, r.headerStart, r.headerEnd), headerProtocol: r.headerProtocol,
      });
    } else if (r.kind === 'sampledIpv4' || r.kind === 'sampledIpv6') {
      out.push({ ...base, src: r.srcIp, dst: r.dstIp, srcPort: r.srcPort, dstPort: r.dstPort, protocol: r.protocol, frameLength: r.length });
    }
  }
  return out;
}

const HEX_DIGITS = '0123456789abcdef';

/** buf[start, end) as lowercase hex, two digits a byte (the FlowEvent `header` field). */
export function hexOf(buf: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) out += HEX_DIGITS[buf[i]! >>> 4]! + HEX_DIGITS[buf[i]! & 0x0f]!;
  return out;
}

/** The book's line: `flow record: 203.0.113.0:60087 <-> 203.0.113.252:8888`. */
export function bookLine(e: Pick<FlowEvent, 'src' | 'dst' | 'srcPort' | 'dstPort'>): string {
  const ep = (a: string | undefined, p: number | undefined) => (a === undefined ? '?' : `${a.includes(':') ? `[${a}]` : a}${p === undefined ? '' : `:${p}`}`);
  return `flow record: ${ep(e.src, e.srcPort)} <-> ${ep(e.dst, e.dstPort)}`;
}

async function main(lifecycle: Lifecycle): Promise<void> {
  const { values, help: wantHelp, positionals } = parseFlags(flags, process.argv.slice(2));
  if (wantHelp) { process.stdout.write(`${help}\n`); return; }
  if (positionals.length) throw new FlagError(`unexpected argument "${positionals[0]}"`);
  const port = parseInteger('sflow-port', values['sflow-port'], 1, 65535);
  const format = parseChoice('format', values.format, ['text', 'json'] as const);
  const limit = values.count === undefined ? Infinity : parseInteger('count', values.count, 1, Number.MAX_SAFE_INTEGER);
  const metricsAt = values.metrics === undefined ? undefined : parseHostPort('metrics', values.metrics, '127.0.0.1');

  const events = new EventWriter('capture');
  const metrics = new IngestMetrics('capture');
  const ingest = new SflowIngest(metrics);
  let writer: CaptureWriter | undefined;
  if (values.write) {
    writer = new CaptureWriter(values.write, { format: 'pcapng', nanosecond: true, interfaces: [{ linkType: 1, name: values.read ? 'file' : values.intf }] });
    lifecycle.defer(() => writer?.close());
  }
  if (metricsAt) {
    const server: Server = await serveMetrics(metrics.registry, metricsAt.host, metricsAt.port);
    lifecycle.defer(() => new Promise<void>((r) => server.close(() => r())));
  }

  let seen = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => { finish = resolve; });
  lifecycle.onStop(() => finish());

  const onDatagram = (d: DatagramArrival) => {
    if (seen >= limit) return;
    const dg = ingest.decode(d.buf, d.start, d.end);
    seen++;
    if (writer && d.frame) writer.write({ timestampNs: d.timeNs, data: d.frame.data, originalLength: d.frame.length, linkType: d.frame.linkType, interfaceId: 0 });
    if (dg) {
      for (const s of dg.samples) {
        if (s.kind !== 'flowSample') continue;
        for (const e of flowEventsOf(dg, s)) {
          if (format === 'json') events.emit(e);
          else process.stdout.write(`${bookLine(e)}\n`);
        }
        for (const r of s.records) if (r.kind === 'rawHeader' && r.packetError) ingest.malformed('record', r.packetError);
      }
    }
    if (seen >= limit) finish();
  };

  let tap: PcapSource | undefined;
  if (values.read) {
    const accept = fileFilter(values.filter);
    await readFile(values.read, port, ingest, onDatagram, () => lifecycle.isStopping || seen >= limit, accept);
  } else {
    const source = tapInterface(values.intf, values.filter, port, ingest, onDatagram);
    tap = source;
    // Stop reading as soon as a stop is asked for: the frames still queued would only delay the exit.
    lifecycle.onStop(() => source.close());
    lifecycle.defer(() => source.close());
    process.stderr.write(`capture: ${values.intf}, filter "${values.filter}", sFlow on UDP ${port}\n`);
    await finished;
  }
  const c = ingest.counts;
  if (format === 'json') events.emit({ type: 'stats', datagrams: c.datagrams, samples: c.samples, records: c.records, malformed: c.malformed, dropped: 0 });
  process.stderr.write(`capture: ${c.datagrams} datagrams, ${c.samples} samples, ${c.records} records, ${c.malformed} malformed, ${c.ignored} other frames, ${tap?.reopens ?? 0} reopens under overload${writer ? `, written to ${writer.path}` : ''}\n`);
  await events.flush();
}

if (require.main === module) {
  void runAgent(help, main).then((code) => process.exit(code));
}
