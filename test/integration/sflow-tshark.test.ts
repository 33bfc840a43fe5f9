/**
 * Differential test of labtel's packet and sFlow v5 decoders against tshark (Wireshark's dissectors), frame by
 * frame, on every capture there is: the third-party corpus (sflow/ and sflow-edge/), the project's own
 * captures (test/fixtures/captures/, every .pcap and .pcapng), and datagrams written out by hand for what
 * those lack (test/unit/protocols/sflow/crafted.ts).
 *
 * No blind spots: every field tshark prints — in the frame's layers, in each sFlow datagram, sample and
 * record, in each sampled header down to the packet an ICMP error quotes, and in the sFlow datagram a sampled
 * header may itself carry — is compared with labtel's, or derived from labtel's and compared, or is tshark's
 * own state (tsharkCompare.ts TSHARK_STATE), or is listed below as not modelled, with why. Anything else
 * fails, as does a field labtel has and tshark does not print. The floor: every record has at least the
 * fields its format defines compared (MIN_FIELDS_PER_RECORD).
 *
 * tshark runs once per capture; its JSON is parsed from its output, temporary files go to a folder removed
 * afterwards.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCapture, type CapturedPacket } from '../../src/protocols/capture';
import { encodeCapture } from '../../src/protocols/captureWriter';
import { DecodeError } from '../../src/protocols/decodeError';
import { decodeFrame, type DecodedPacket } from '../../src/protocols/packet';
import { decodeDatagram, SFLOW_PORT, type SflowDatagram } from '../../src/protocols/sflow';
import { corpusPath, repoRoot } from '../helpers/corpus';
import { requirePrereqs } from '../helpers/tools';
import { craftedDatagrams, craftedFrame } from '../unit/protocols/sflow/crafted';
import {
  NOT_MODELLED_SFLOW,
  compareDatagram,
  compareDiscardedRecords,
  discardedTwin,
  type SflowComparison,
} from '../unit/protocols/sflow/versusTshark';
import { NOT_MODELLED, NOT_MODELLED_PROTOCOLS, comparePacketTree, leftoverProtocols } from '../unit/protocols/tsharkCompare';
import type { TsharkTree, TsharkValue } from '../unit/protocols/tsharkJson';

/**
 * What tshark prints that labtel does not model, each with why — all of them, from the packet comparison
 * (tsharkCompare.ts: NOT_MODELLED, empty; NOT_MODELLED_PROTOCOLS: application protocols above transport —
 * ssh, tls, bgp, and tshark's mp2t guess — whose bytes are compared as the L4 payload), the sFlow comparison
 * (versusTshark.ts: NOT_MODELLED_SFLOW, empty) and this test's own rules below. The aim is an empty list.
 *
 * The other direction — what labtel decodes that tshark 4.0 does not print — is reported, not failed:
 * a discarded-packet sample's own fields (tshark 4.0 prints its envelope; its records meet tshark in a twin
 * flow sample), the low byte of sampled IPv4/IPv6 tcp_flags and of IPv4 tos (tshark reads the word's first
 * byte), and sampled-header layers tshark stops before ("labtel decodes further than tshark").
 */
const NOT_MODELLED_HERE: Record<string, string> = {
  'sflow v2/v4 datagram': 'sFlow versions 2 and 4 (superseded by v5, 2004): labtel decodes v5 and refuses others with a DecodeError naming the version',
  'fields before the break of a datagram both call broken':
    'a datagram whose header is cut: labtel refuses it with a DecodeError naming the byte; tshark prints the words before the cut, then marks it malformed',
  'fields of a sample cut short':
    'a sample that runs past the end of its datagram (a header cutting the exporter\'s own datagram, or a malformed length): labtel lists it as a DecodeError and decodes none of it; tshark prints its fields up to the cut',
};

export const NOT_MODELLED_ALL: Record<string, string> = { ...NOT_MODELLED, ...NOT_MODELLED_PROTOCOLS, ...NOT_MODELLED_SFLOW, ...NOT_MODELLED_HERE };

/** Fields each record kind defines (enterprise, format and length included): the floor per record. */
const MIN_FIELDS_PER_RECORD: Record<string, number> = {
  rawHeader: 9, // 8 of the record, at least 1 of its packet
  sampledEthernet: 7,
  sampledIpv4: 22,
  sampledIpv6: 18,
  extendedSwitch: 7,
  extendedRouter: 6,
  extendedGateway: 10,
  extendedUser: 9,
  extendedUrl: 8,
  extendedMpls: 6,
  extendedNat: 5,
  genericInterface: 23,
  ethernetInterface: 16,
  vgInterface: 17,
  vlan: 9,
  processor: 8,
  unknown: 3,
};

const cache = mkdtempSync(path.join(tmpdir(), 'labtel-sflow-tshark-'));
after(() => rmSync(cache, { recursive: true, force: true }));

function objects(v: TsharkValue | undefined): TsharkTree[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is TsharkTree => typeof x === 'object' && !Array.isArray(x));
}

/**
 * tshark's frames (argv array). A capture file cut short or corrupt makes tshark stop with status 2 after
 * the frames it could read: those are compared, as labtel's reader also yields them before its error.
 */
function tsharkLayers(file: string): TsharkTree[] {
  const run = spawnSync('tshark', ['-r', file, '-d', `udp.port==${SFLOW_PORT},sflow`, '-T', 'json', '--no-duplicate-keys'], {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  if (run.status !== 0 && !(run.status === 2 && /cut short|corrupt|bigger than|damaged/i.test(run.stderr))) {
    throw new Error(`tshark failed on ${file} (${run.status}): ${run.stderr}`);
  }
  const frames = JSON.parse(run.stdout || '[]') as Array<{ _source: { layers: TsharkTree } }>;
  return frames.map((f) => f._source.layers);
}

/** labtel's frames of a capture, up to a fault in the file (which the capture tests check on their own). */
function labtelFrames(file: string): CapturedPacket[] {
  const out: CapturedPacket[] = [];
  try {
    for (const p of parseCapture(readFileSync(file))) out.push(p);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
  return out;
}

function newComparison(): SflowComparison {
  return { mismatches: [], fields: 0, notModelled: new Map(), beyondTshark: new Map(), records: 0, recordFields: [], skipped: new Map(), match: { consumed: new Set() } };
}

function bump(m: Map<string, number>, k: string, n = 1): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

/** Counts tshark's printed fields under a tree (for what a not-modelled rule covers). */
function countFields(v: TsharkValue): number {
  if (typeof v === 'string') return 1;
  if (Array.isArray(v)) return v.reduce<number>((n, x) => n + countFields(x), 0);
  return Object.values(v).reduce<number>((n, x) => n + countFields(x), 0);
}

function isSflowPacket(p: DecodedPacket): boolean {
  const last = p.layers[p.layers.length - 1];
  return last?.kind === 'udp' && (last.srcPort === SFLOW_PORT || last.dstPort === SFLOW_PORT);
}

/** Top-level keys of a tshark frame that are not the packet's layers: the frame itself, sFlow (compared apart), expert notes. */
const NOT_LAYERS = new Set(['frame', 'sflow', '_ws.malformed', '_ws.short', '_ws.expert']);

interface Totals {
  datagrams: number;
  refused: number;
  frames: number;
}

/**
 * A datagram labtel refuses: tshark must agree there is something wrong — no sFlow at all (NetFlow on the
 * port), a version labtel does not decode, or a datagram it marks malformed. The fields tshark prints of it
 * are counted under the rule that covers them.
 */
function refusedDatagram(out: SflowComparison, e: DecodeError, theirs: TsharkTree | undefined, malformed: boolean, where: string): void {
  if (!theirs) return; // tshark did not take it for sFlow either (e.g. NetFlow v5 sent to port 6343)
  const version = Number(theirs['sflow_245.version']);
  if (/^version \d+, expected 5$/.test(e.reason) && e.reason.startsWith(`version ${version},`)) {
    bump(out.notModelled, 'sflow v2/v4 datagram', countFields(theirs));
  } else if (malformed) {
    bump(out.notModelled, 'fields before the break of a datagram both call broken', countFields(theirs));
  } else {
    out.mismatches.push(`${where}: labtel refuses the datagram (${e.message}), tshark decodes it without complaint`);
  }
}

/** The sFlow datagrams found inside a datagram's sampled headers, in order, each with where it came from. */
function innerDatagrams(dg: SflowDatagram): Array<{ inner?: SflowDatagram; error?: DecodeError; where: string }> {
  const list: Array<{ inner?: SflowDatagram; error?: DecodeError; where: string }> = [];
  dg.samples.forEach((s, i) => {
    if (s.kind !== 'flowSample') return; // tshark 4.0 dissects no discarded-packet sample, so none of their headers
    s.records.forEach((r, j) => {
      if (r.kind !== 'rawHeader') return;
      const inner = r.sflow;
      if (inner || r.sflowError) list.push({ inner, error: r.sflowError, where: `sample ${i} record ${j} sFlow` });
    });
  });
  return list;
}

/**
 * Compares one sFlow datagram and what it carries; samples labtel lists as cut short are matched against
 * tshark's partial ones under their rule.
 */
function compareSflow(out: SflowComparison, theirs: TsharkTree, dg: SflowDatagram, where: string): void {
  if (dg.errors.length > 0) {
    // tshark prints a sample cut short up to the cut; labtel lists it as an error. Drop tshark's samples
    // beyond the ones labtel decoded (same titles in order), counting their fields under the rule.
    const kept: TsharkTree = {};
    const decoded = new Map<string, number>();
    for (const s of dg.samples) {
      const title = Object.keys(theirs).find((k) => k.endsWith(`seq ${(s as { sequenceNumber?: number }).sequenceNumber}`));
      if (title) decoded.set(title, (decoded.get(title) ?? 0) + 1);
    }
    for (const [k, v] of Object.entries(theirs)) {
      if (!/ sample, seq \d+$/.test(k) && k !== 'Unknown sample format') {
        kept[k] = v;
        continue;
      }
      const list = objects(v);
      const n = decoded.get(k) ?? 0;
      if (n > 0) kept[k] = n === 1 ? list[0]! : list.slice(0, n);
      for (const cut of list.slice(n)) bump(out.notModelled, 'fields of a sample cut short', countFields(cut));
    }
    theirs = kept;
  }
  compareDatagram(out, theirs, dg, where);
}

function compareCapture(file: string, out: SflowComparison, totals: Totals): void {
  const theirs = tsharkLayers(file);
  const ours = labtelFrames(file);
  assert.equal(ours.length, theirs.length, `${file}: frames labtel and tshark read`);
  const twins: Array<{ frame: number; dg: SflowDatagram; bytes: Uint8Array }> = [];
  ours.forEach((p, i) => {
    const where = `frame ${i + 1}`;
    const layers = theirs[i]!;
    totals.frames++;
    let pkt: DecodedPacket;
    try {
      pkt = decodeFrame(p.data, p.linkType);
    } catch (e) {
      out.mismatches.push(`${where}: labtel could not decode the frame: ${String(e)}`);
      return;
    }
    const packetLayers = Object.fromEntries(Object.entries(layers).filter(([k]) => !NOT_LAYERS.has(k)));
    // The frame's own layers first; what is left at the top level after the sFlow comparison (which may take
    // layers tshark filed there from inside a sampled header) must be nothing.
    out.match = { consumed: new Set(), overflow: packetLayers };
    comparePacketTree(p.data, pkt, packetLayers, p.data.length, out, where, out.match, true);
    compareFrameSflow(p, pkt, layers, out, totals, twins, where);
    leftoverProtocols(p.data, pkt, packetLayers, p.data.length, out, where, out.match);
  });
  if (twins.length > 0) compareTwins(twins, path.basename(file), out);
}

/** The sFlow of one frame: its datagram, the datagrams inside its sampled headers, its discarded-packet samples' twin. */
function compareFrameSflow(
  p: CapturedPacket, pkt: DecodedPacket, layers: TsharkTree, out: SflowComparison, totals: Totals,
  twins: Array<{ frame: number; dg: SflowDatagram; bytes: Uint8Array }>, where: string,
): void {
  {
    const sflows = objects(layers['sflow']);
    if (!isSflowPacket(pkt)) {
      if (sflows.length > 0) out.mismatches.push(`${where}: tshark decodes sFlow, labtel does not look for it`);
      return;
    }
    const malformed = layers['_ws.malformed'] !== undefined;
    let dg: SflowDatagram;
    try {
      dg = decodeDatagram(p.data, pkt.payloadStart, pkt.payloadEnd);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      totals.refused++;
      refusedDatagram(out, e, sflows[0], malformed, where);
      return;
    }
    if (!sflows[0]) {
      out.mismatches.push(`${where}: labtel decodes an sFlow datagram, tshark does not`);
      return;
    }
    totals.datagrams++;
    compareSflow(out, sflows[0], dg, where);
    // tshark files the sFlow found inside sampled headers as further top-level sflow layers, in order.
    let k = 1;
    for (const { inner, error, where: w } of innerDatagrams(dg)) {
      const t = sflows[k++];
      if (!t) {
        out.mismatches.push(`${where} ${w}: labtel finds an sFlow datagram in a sampled header, tshark does not`);
        continue;
      }
      if (inner) {
        totals.datagrams++;
        compareSflow(out, t, inner, `${where} ${w}`);
      } else if (error) {
        totals.refused++;
        refusedDatagram(out, error, t, true, `${where} ${w}`);
      }
    }
    if (k < sflows.length) out.mismatches.push(`${where}: tshark finds ${sflows.length - k} more sFlow datagrams in sampled headers than labtel`);
    const twin = discardedTwin(dg, p.data);
    if (twin) twins.push({ frame: Number(where.slice('frame '.length)), dg, bytes: twin });
  }
}

/** Discarded-packet samples' records, through tshark's dissection of their twins (one capture of them). */
function compareTwins(twins: Array<{ frame: number; dg: SflowDatagram; bytes: Uint8Array }>, name: string, out: SflowComparison): void {
  const file = path.join(cache, `${name}.discard-twins.pcap`);
  writeFileSync(file, encodeCapture(twins.map((t, i) => ({ timestampNs: BigInt(i) * 1_000_000_000n, data: craftedFrame(t.bytes) })), { format: 'pcap' }));
  const dissected = tsharkLayers(file);
  twins.forEach((t, i) => {
    out.match = { consumed: new Set(), overflow: dissected[i] };
    const twin = objects(dissected[i]?.['sflow'])[0];
    if (!twin) out.mismatches.push(`frame ${t.frame}: tshark did not dissect the discarded-packet samples' twin`);
    else compareDiscardedRecords(out, twin, t.dg, `frame ${t.frame}`);
  });
}

interface Source {
  name: string;
  file: string;
}

/** The third-party corpus's captures, or why there are none (a skip outside CI; corpusPath throws in CI). */
function corpusSources(): Source[] | string {
  const sources: Source[] = [];
  for (const dir of ['sflow', 'sflow-edge']) {
    let base: string;
    try {
      base = corpusPath(dir);
    } catch (e) {
      if (process.env.CI === 'true') throw e;
      return (e as Error).message;
    }
    for (const f of readdirSync(base).filter((x) => /\.pcap(ng)?$/.test(x)).sort()) sources.push({ name: `${dir}/${f}`, file: path.join(base, f) });
  }
  return sources;
}

/** The project's own captures (every .pcap and .pcapng of test/fixtures/captures, when the folder exists). */
function projectSources(): Source[] {
  const dir = path.join(repoRoot, 'test', 'fixtures', 'captures');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((x) => /\.pcap(ng)?$/.test(x))
    .sort()
    .map((f) => ({ name: `captures/${f}`, file: path.join(dir, f) }));
}

const craftedFile = path.join(cache, 'crafted.pcap');
before(() => {
  writeFileSync(craftedFile, encodeCapture(craftedDatagrams.map((d, i) => ({ timestampNs: BigInt(i) * 1_000_000_000n, data: craftedFrame(d.bytes) })), { format: 'pcap' }));
});

const grand = newComparison();
const grandTotals: Totals = { datagrams: 0, refused: 0, frames: 0 };
let captures = 0;

function runCapture(t: import('node:test').TestContext, file: string): void {
  if (!requirePrereqs(t, { tools: ['tshark'] })) return;
  const out = newComparison();
  const totals: Totals = { datagrams: 0, refused: 0, frames: 0 };
  compareCapture(file, out, totals);
  captures++;
  assert.deepStrictEqual(out.mismatches.slice(0, 30), [], `${out.mismatches.length} mismatches`);
  for (const [kind, n] of out.recordFields) {
    const min = MIN_FIELDS_PER_RECORD[kind.split(' ')[0]!] ?? 2;
    assert.ok(n >= min, `a ${kind} record has ${n} fields compared, fewer than the ${min} its format defines`);
  }
  for (const key of out.notModelled.keys()) assert.ok(NOT_MODELLED_ALL[key] !== undefined, `${key} is listed with a reason`);
  grand.fields += out.fields;
  grand.records += out.records;
  for (const [k, n] of out.notModelled) bump(grand.notModelled, k, n);
  for (const [k, n] of out.beyondTshark) bump(grand.beyondTshark, k, n);
  for (const [k, n] of out.skipped) bump(grand.skipped, k, n);
  grandTotals.frames += totals.frames;
  grandTotals.datagrams += totals.datagrams;
  grandTotals.refused += totals.refused;
  t.diagnostic(`${totals.frames} frames, ${totals.datagrams} datagrams (${totals.refused} refused by both), ${out.records} records, ${out.fields} fields equal`);
  if (out.notModelled.size) t.diagnostic(`not modelled: ${[...out.notModelled].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  if (out.skipped.size) t.diagnostic(`skipped: ${[...out.skipped].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  if (out.beyondTshark.size) t.diagnostic(`labtel decodes further than tshark: ${[...out.beyondTshark].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
}

describe('labtel versus tshark: every frame, datagram, sample, record and sampled packet, every field tshark prints', () => {
  describe('datagrams written out by hand (crafted.ts)', () => {
    it('every field equal', (t) => runCapture(t, craftedFile));
  });

  describe('the third-party corpus (sflow/, sflow-edge/)', () => {
    const sources = corpusSources();
    if (typeof sources === 'string') {
      it('every capture of the corpus', { skip: sources }, () => {});
      return;
    }
    for (const s of sources) it(`${s.name}: every field equal`, (t) => runCapture(t, s.file));
  });

  describe('the project\'s own captures (test/fixtures/captures/)', () => {
    for (const s of projectSources()) it(`${s.name}: every field equal`, (t) => runCapture(t, s.file));
  });

  it('totals, and every rule that left a tshark field uncompared, with its reason', (t) => {
    t.diagnostic(
      `${captures} captures, ${grandTotals.frames} frames, ${grandTotals.datagrams} datagrams (${grandTotals.refused} refused by both), ` +
        `${grand.records} records, ${grand.fields} fields equal`,
    );
    for (const [k, n] of grand.notModelled) t.diagnostic(`not modelled ×${n}: ${k} — ${NOT_MODELLED_ALL[k]}`);
    for (const [k, n] of grand.skipped) t.diagnostic(`not compared ×${n}: ${k}`);
    for (const [k, n] of grand.beyondTshark) t.diagnostic(`labtel decodes further than tshark ×${n}: ${k}`);
    for (const key of grand.notModelled.keys()) assert.ok(NOT_MODELLED_ALL[key] !== undefined, `${key} is listed with a reason`);
  });
});
