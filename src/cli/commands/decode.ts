import { UsageError, type CliCommand } from '../command';
import { readCapture, type CapturedPacket } from '../../protocols/capture';
import { DecodeError } from '../../protocols/decodeError';
import { decodeFrame, type DecodedPacket } from '../../protocols/packet';
import { decodeDatagram, SFLOW_PORT, type SflowDatagram } from '../../protocols/sflow';

const usage = `usage: labtel decode FILE.pcap|FILE.pcapng [--json] [--sflow-port N]

  Prints every packet of a capture with its layers and, for sFlow v5 datagrams (UDP to or from the sFlow
  port), every sample and record with the sampled packet headers decoded.

  --json          one JSON object per packet per line (shape: README, "labtel decode")
  --sflow-port N  UDP port whose payload is decoded as sFlow (default ${SFLOW_PORT})`;

interface DecodeOptions {
  file: string;
  json: boolean;
  sflowPort: number;
}

function parseOptions(argv: string[]): DecodeOptions {
  let file: string | undefined;
  let json = false;
  let sflowPort = SFLOW_PORT;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--sflow-port') {
      sflowPort = Number(argv[++i]);
      if (!Number.isInteger(sflowPort) || sflowPort < 1 || sflowPort > 65535) throw new UsageError('--sflow-port needs a port number 1-65535');
    } else if (a.startsWith('-')) throw new UsageError(`unknown option "${a}"`);
    else if (file === undefined) file = a;
    else throw new UsageError(`unexpected argument "${a}"`);
  }
  if (file === undefined) throw new UsageError('missing capture file');
  return { file, json, sflowPort };
}

/** One packet as `--json` prints it (README "labtel decode"). Byte offsets count from the frame's first byte. */
export interface DecodedFrameJson {
  frame: number;
  timestampNs: string;
  originalLength: number;
  capturedLength: number;
  linkType: number;
  interfaceId: number;
  packet?: DecodedPacket;
  sflow?: SflowDatagram;
  /** The frame's headers or its sFlow datagram header contradict themselves. */
  error?: { what: string; offset: number; reason: string };
}

function errorJson(e: DecodeError): { what: string; offset: number; reason: string } {
  return { what: e.what, offset: e.offset, reason: e.reason };
}

/** Decodes one captured frame: its layers and, on the sFlow port, its datagram. */
export function decodeCaptured(p: CapturedPacket, frame: number, sflowPort: number): DecodedFrameJson {
  const out: DecodedFrameJson = {
    frame,
    timestampNs: p.timestampNs.toString(),
    originalLength: p.originalLength,
    capturedLength: p.data.length,
    linkType: p.linkType,
    interfaceId: p.interfaceId,
  };
  try {
    const pkt = decodeFrame(p.data, p.linkType);
    out.packet = pkt;
    if (pkt.protocol === 17 && (pkt.dstPort === sflowPort || pkt.srcPort === sflowPort) && pkt.layers.some((l) => l.kind === 'udp')) {
      out.sflow = decodeDatagram(p.data, pkt.payloadStart, pkt.payloadEnd);
    }
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    out.error = errorJson(e);
  }
  return out;
}

/** A layer in a few words: its kind and addresses or ports. */
function layerText(l: DecodedPacket['layers'][number]): string {
  const f = l as unknown as Record<string, unknown>;
  if (typeof f.src === 'string' && typeof f.dst === 'string') return `${l.kind} ${f.src} → ${f.dst}`;
  if (typeof f.srcPort === 'number' && typeof f.dstPort === 'number') return `${l.kind} ${f.srcPort} → ${f.dstPort}`;
  if (l.kind === 'vlan') return `vlan ${l.id}`;
  if (l.kind === 'icmp' || l.kind === 'icmpv6') {
    // An error quotes the packet that caused it: shown after the type and code, in brackets.
    const head = `${l.kind} ${l.type}/${l.code}`;
    return l.quoted ? `${head} [quoting ${packetText(l.quoted)}]` : head;
  }
  return l.kind;
}

function packetText(p: DecodedPacket): string {
  return p.layers.map(layerText).join('  ') + (p.truncated ? '  (truncated)' : '');
}

/** Fields the text output leaves out: byte ranges, and what the kind already says. */
const HIDDEN = new Set([
  'kind', 'start', 'end', 'dataLength', 'enterprise', 'format', 'records', 'packet', 'packetError', 'sflow', 'sflowError', 'headerStart', 'headerEnd',
  'dataStart', 'dataEnd',
]);

/**
 * The fields of a sample or record as `name value` pairs (addresses formatted, lists as JSON). Its data format
 * comes first when the kind does not say it all: compact or expanded samples, unknown structures.
 */
function fieldsText(o: { kind: string; enterprise: number; format: number; dataLength: number }): string {
  const json = JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
  const parts: string[] = [];
  if (o.kind === 'unknown' || o.kind === 'unknownSample') parts.push(`enterprise ${o.enterprise}`, `format ${o.format}`, `${o.dataLength} bytes`);
  else if (o.kind === 'flowSample' || o.kind === 'counterSample') parts.push(`format ${o.format}`);
  for (const [k, v] of Object.entries(json)) {
    if (HIDDEN.has(k) || v === undefined || v === null) continue;
    parts.push(`${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  return parts.join(', ');
}

/** The datagram's lines; `indent` deepens them for a datagram found inside a sampled header. */
function sflowText(dg: SflowDatagram, indent = ''): string[] {
  const lines = [`  sFlow v5 agent ${dg.agentAddress} sub-agent ${dg.subAgentId} sequence ${dg.sequenceNumber} uptime ${dg.uptime} ms, ${dg.sampleCount} samples`];
  for (const s of dg.samples) {
    lines.push(`    ${s.kind} ${fieldsText(s)}`);
    if (s.kind === 'unknownSample') continue;
    for (const r of s.records) {
      lines.push(`      ${r.kind} ${fieldsText(r)}`);
      if (r.kind === 'rawHeader') {
        const p = r.packet;
        if (p) lines.push(`        ${packetText(p)}`);
        else if (r.packetError) lines.push(`        error: ${r.packetError.message}`);
        const inner = r.sflow;
        if (inner) lines.push(...sflowText(inner, '        '));
        else if (r.sflowError) lines.push(`        sFlow error: ${r.sflowError.message}`);
      }
    }
  }
  for (const e of dg.errors) lines.push(`    error: ${e.message}`);
  return indent ? lines.map((l) => indent + l) : lines;
}

function text(d: DecodedFrameJson): string {
  const time = new Date(Number(BigInt(d.timestampNs) / 1_000_000n)).toISOString();
  const lines = [`${d.frame} ${time} ${d.capturedLength} bytes${d.packet ? '  ' + packetText(d.packet) : ''}`];
  if (d.sflow) lines.push(...sflowText(d.sflow));
  if (d.error) lines.push(`  error: ${d.error.what} at byte ${d.error.offset}: ${d.error.reason}`);
  return lines.join('\n');
}

export const decodeCommand: CliCommand = {
  name: 'decode',
  summary: 'print the packets of a pcap/pcapng file with their layers and sFlow samples (like a small tshark)',
  usage,
  async run(argv) {
    const options = parseOptions(argv);
    // A reader that stops early (`| head`) closes the pipe: stop decoding, quietly.
    let closed = false;
    const onError = (e: NodeJS.ErrnoException): void => {
      if (e.code !== 'EPIPE') throw e;
      closed = true;
    };
    process.stdout.on('error', onError);
    try {
      let frame = 0;
      for await (const p of readCapture(options.file)) {
        if (closed) break;
        const d = decodeCaptured(p, ++frame, options.sflowPort);
        console.log(options.json ? JSON.stringify(d) : text(d));
      }
    } finally {
      process.stdout.off('error', onError);
    }
    return 0;
  },
};
