/**
 * Differential test of the sFlow v5 decoder against tshark (Wireshark's packet-sflow dissector) on every file
 * of ../shared/corpus/sflow/: for each datagram, every field both decode must be equal — datagram header,
 * each sample's sequence, source id, sampling rate, pool, drops, interfaces, each record's format and length,
 * raw headers (protocol, frame length, stripped, header bytes, the inner packet's addresses, ports, protocol)
 * and every counter. tshark's JSON is walked as a tree inside its `sflow` layer, so the outer exporter →
 * collector `ip.src` never matches by accident.
 *
 * tshark runs once per file per test run; its JSON is kept in a temporary folder removed afterwards.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { formatMac } from '../../src/protocols/addresses';
import {
  decodeDatagram,
  type CounterRecord,
  type FlowRecord,
  type SflowDatagram,
  type SflowSample,
} from '../../src/protocols/sflow';
import { corpusPath } from '../helpers/corpus';
import { requirePrereqs } from '../helpers/tools';
import { corpusDatagrams } from '../unit/protocols/sflow/corpus';

type Tree = { [key: string]: Value };
type Value = string | Tree | Value[];

const cache = mkdtempSync(path.join(tmpdir(), 'labtel-sflow-tshark-'));
after(() => rmSync(cache, { recursive: true, force: true }));

/** tshark's packets for a capture (argv array; output straight to a file in the run's cache folder). */
function tsharkPackets(file: string): Tree[] {
  const out = path.join(cache, `${path.basename(file)}.json`);
  const fd = openSync(out, 'w');
  try {
    const run = spawnSync('tshark', ['-r', file, '-d', 'udp.port==6343,sflow', '-T', 'json', '--no-duplicate-keys'], {
      stdio: ['ignore', fd, 'pipe'],
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`tshark failed (${run.status}): ${run.stderr}`);
  } finally {
    closeSync(fd);
  }
  const frames = JSON.parse(readFileSync(out, 'utf8')) as Array<{ _source: { layers: Tree } }>;
  return frames.map((f) => f._source.layers);
}

/** A key's values as a list (--no-duplicate-keys merges repeated keys into an array). */
function all(v: Value | undefined): Value[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function str(t: Tree, key: string): string | undefined {
  const v = t[key];
  return typeof v === 'string' ? v : undefined;
}

class Comparison {
  mismatches: string[] = [];
  /** Fields compared, shared with the comparisons made by at(). */
  count = { fields: 0 };
  constructor(private readonly where: string) {}

  get fields(): number {
    return this.count.fields;
  }

  /** Compares a tshark field (absent: not compared) with labtel's value. */
  eq(t: Tree, key: string, ours: number | string | undefined, what = key): void {
    const theirs = str(t, key);
    if (theirs === undefined) return;
    this.same(theirs, ours, what);
  }

  same(theirs: string, ours: number | string | undefined, what: string): void {
    this.count.fields++;
    const match = typeof ours === 'number' ? Number(theirs) === ours : theirs === ours;
    if (!match) this.mismatches.push(`${this.where} ${what}: tshark ${theirs}, labtel ${String(ours)}`);
  }

  missing(what: string): void {
    this.mismatches.push(`${this.where} ${what}`);
  }

  at(where: string): Comparison {
    const c = new Comparison(`${this.where} ${where}`);
    c.mismatches = this.mismatches;
    c.count = this.count;
    return c;
  }
}

/** tshark's title for a sample, the key it files the sample under. */
function sampleTitle(s: SflowSample): string | undefined {
  switch (s.kind) {
    case 'flowSample':
      return `${s.format === 3 ? 'Expanded flow sample' : 'Flow sample'}, seq ${s.sequenceNumber}`;
    case 'counterSample':
      return `${s.format === 4 ? 'Expanded counters sample' : 'Counters sample'}, seq ${s.sequenceNumber}`;
    default:
      return undefined;
  }
}

function compareDatagram(c: Comparison, t: Tree, dg: SflowDatagram): void {
  c.eq(t, 'sflow_245.version', dg.version);
  c.eq(t, 'sflow_245.agenttype', dg.agentAddressType);
  c.eq(t, dg.agentAddressType === 1 ? 'sflow_245.agent' : 'sflow_245.agent.v6', dg.agentAddress, 'agent address');
  c.eq(t, 'sflow_245.sub_agent_id', dg.subAgentId);
  c.eq(t, 'sflow_245.sequence_number', dg.sequenceNumber);
  c.eq(t, 'sflow_245.sysuptime', dg.uptime);
  c.eq(t, 'sflow_245.numsamples', dg.sampleCount);
  // Samples by tshark's title (repeated titles are merged into one array, in order).
  const ours = new Map<string, SflowSample[]>();
  for (const s of dg.samples) {
    const title = sampleTitle(s);
    if (title === undefined) continue;
    ours.set(title, [...(ours.get(title) ?? []), s]);
  }
  let theirCount = 0;
  for (const [key, value] of Object.entries(t)) {
    if (!/ sample, seq \d+$/.test(key)) continue;
    const theirs = all(value) as Tree[];
    theirCount += theirs.length;
    const mine = ours.get(key) ?? [];
    if (mine.length !== theirs.length) c.missing(`"${key}": tshark has ${theirs.length}, labtel ${mine.length}`);
    for (let i = 0; i < Math.min(mine.length, theirs.length); i++) compareSample(c.at(`"${key}"#${i}`), theirs[i], mine[i]);
  }
  c.same(String(theirCount), dg.samples.length, 'number of samples');
}

function compareSample(c: Comparison, t: Tree, s: SflowSample): void {
  c.eq(t, 'sflow.enterprise', s.enterprise);
  c.eq(t, 'sflow_245.sampletype', s.format);
  c.eq(t, 'sflow_5.sample_length', s.dataLength);
  if (s.kind === 'flowSample') {
    c.eq(t, 'sflow.flow_sample.sequence_number', s.sequenceNumber);
    c.eq(t, 'sflow.flow_sample.sampling_rate', s.samplingRate);
    c.eq(t, 'sflow.flow_sample.sample_pool', s.samplePool);
    c.eq(t, 'sflow.flow_sample.dropped_packets', s.drops);
    c.eq(t, 'sflow.flow_sample.flow_record', s.recordCount);
    if (s.format === 1) {
      c.eq(t, 'sflow.flow_sample.source_id_class', s.sourceIdClass);
      c.eq(t, 'sflow.flow_sample.index', s.sourceIdIndex);
      // tshark shows the whole compact interface word, and splits the output one into format and value.
      c.eq(t, 'sflow.flow_sample.input_interface', ((s.inputFormat << 30) | s.input) >>> 0);
      c.eq(t, 'sflow.flow_sample.output_interface', ((s.outputFormat << 30) | s.output) >>> 0);
      const tree = t['sflow.flow_sample.output_interface_tree'];
      if (tree && !Array.isArray(tree) && typeof tree !== 'string') {
        c.eq(tree, 'sflow.flow_sample.output_interface_format', s.outputFormat);
        c.eq(tree, 'sflow.flow_sample.output_interface_value', s.output);
      }
    } else {
      c.eq(t, 'sflow.flow_sample.source_id_type', s.sourceIdClass);
      c.eq(t, 'sflow.flow_sample.source_id_index', s.sourceIdIndex);
      c.eq(t, 'sflow.flow_sample.input_interface_format', s.inputFormat);
      c.eq(t, 'sflow.flow_sample.input_interface_value', s.input);
      c.eq(t, 'sflow.flow_sample.output_interface.format', s.outputFormat);
      c.eq(t, 'sflow.flow_sample.output_interface_value', s.output);
    }
    compareRecords(c, t, 'sflow_245.flow_record_format', s.records);
  } else if (s.kind === 'counterSample') {
    c.eq(t, 'sflow.counters_sample.sequence_number', s.sequenceNumber);
    c.eq(t, 'sflow.counters_sample.source_id_type', s.sourceIdClass);
    c.eq(t, 'sflow.counters_sample.source_id_index', s.sourceIdIndex);
    c.eq(t, 'sflow.counters_sample.counters_records', s.recordCount);
    compareRecords(c, t, 'sflow_245.counters_record_format', s.records);
  }
}

/** The sample's records in tshark's tree: objects (or arrays of them) that carry a record format field. */
function compareRecords(c: Comparison, t: Tree, formatKey: string, records: ReadonlyArray<FlowRecord | CounterRecord>): void {
  const theirs = new Map<string, Tree[]>();
  for (const value of Object.values(t)) {
    for (const v of all(value)) {
      if (typeof v !== 'object' || Array.isArray(v) || str(v, formatKey) === undefined) continue;
      const id = `${str(v, 'sflow.enterprise')}:${str(v, formatKey)}`;
      theirs.set(id, [...(theirs.get(id) ?? []), v]);
    }
  }
  const ours = new Map<string, Array<FlowRecord | CounterRecord>>();
  for (const r of records) {
    const id = `${r.enterprise}:${r.format}`;
    ours.set(id, [...(ours.get(id) ?? []), r]);
  }
  let n = 0;
  for (const [id, list] of theirs) {
    const mine = ours.get(id) ?? [];
    n += list.length;
    if (mine.length !== list.length) c.missing(`records ${id}: tshark ${list.length}, labtel ${mine.length}`);
    for (let i = 0; i < Math.min(mine.length, list.length); i++) compareRecord(c.at(`record ${id}#${i}`), list[i], mine[i]);
  }
  c.same(String(n), records.length, 'number of records');
}

const TCP_FLAGS: Array<[string, number]> = [
  ['fin', 0x01], ['syn', 0x02], ['rst', 0x04], ['psh', 0x08], ['ack', 0x10], ['urg', 0x20], ['ece', 0x40], ['cwr', 0x80],
];

/** tshark field (after the `sflow_245.` prefix) → labtel field, for the counter records. */
const GENERIC: Array<[string, string]> = [
  ['ifindex', 'ifIndex'], ['iftype', 'ifType'], ['ifspeed', 'ifSpeed'], ['ifdirection', 'ifDirection'],
  ['ifadmin_status', 'ifAdminStatus'], ['ifoper_status', 'ifOperStatus'], ['ifinoct', 'ifInOctets'], ['ifinpkt', 'ifInUcastPkts'],
  ['ifinmcast', 'ifInMulticastPkts'], ['ifinbcast', 'ifInBroadcastPkts'], ['ifindisc', 'ifInDiscards'], ['ifinerr', 'ifInErrors'],
  ['ifinunk', 'ifInUnknownProtos'], ['ifoutoct', 'ifOutOctets'], ['ifoutpkt', 'ifOutUcastPkts'], ['ifoutmcast', 'ifOutMulticastPkts'],
  ['ifoutbcast', 'ifOutBroadcastPkts'], ['ifoutdisc', 'ifOutDiscards'], ['ifouterr', 'ifOutErrors'], ['ifpromisc', 'ifPromiscuousMode'],
];

function compareRecord(c: Comparison, t: Tree, r: FlowRecord | CounterRecord): void {
  c.eq(t, 'sflow_5.flow_data_length', r.dataLength, 'record length');
  const fields = r as unknown as Record<string, number>;
  switch (r.kind) {
    case 'rawHeader': {
      c.eq(t, 'sflow_245.header_protocol', r.headerProtocol);
      c.eq(t, 'sflow_245.header.frame_length', r.frameLength);
      c.eq(t, 'sflow_245.header.payload_stripped', r.stripped);
      c.eq(t, 'sflow_245.header.sampled_header_length', r.headerLength);
      // tshark's header field runs on over the XDR padding to the next 4-byte boundary.
      let bytes = '';
      const paddedEnd = r.headerStart + ((r.headerLength + 3) & ~3);
      for (let i = r.headerStart; i < paddedEnd; i++) bytes += (i > r.headerStart ? ':' : '') + r.buf[i].toString(16).padStart(2, '0');
      c.eq(t, 'sflow_245.header', bytes, 'header bytes (and padding)');
      const tree = t['sflow_245.header_tree'];
      if (tree && typeof tree === 'object' && !Array.isArray(tree)) compareInnerPacket(c.at('header'), tree, r);
      else c.missing('tshark decoded no header tree');
      break;
    }
    case 'sampledEthernet':
      c.eq(t, 'sflow_245.ethernet.length', r.frameLength);
      c.eq(t, 'sflow_245.ethernet.source_mac_address', r.srcMac);
      c.eq(t, 'sflow_245.ethernet.destination_mac_address', r.dstMac);
      c.eq(t, 'sflow_245.ethernet.packet_type', r.ethertype);
      break;
    case 'sampledIpv4':
    case 'sampledIpv6': {
      const v = r.kind === 'sampledIpv4' ? 'ipv4' : 'ipv6';
      c.eq(t, 'sflow_245.ip.length', r.length);
      c.eq(t, 'sflow.ip_protocol', r.protocol);
      c.eq(t, `sflow_245.${v}_src`, r.srcIp);
      c.eq(t, `sflow_245.${v}_dst`, r.dstIp);
      c.eq(t, 'sflow_245.ip.source_port', r.srcPort);
      c.eq(t, 'sflow.ip.destination_port', r.dstPort);
      for (const [name, bit] of TCP_FLAGS) c.eq(t, `sflow_245.ip.tcp_flag.${name}`, r.tcpFlags & bit ? 1 : 0);
      if (v === 'ipv4') {
        c.eq(t, 'sflow_245.ipv4_precedence_type', r.tos >>> 5);
        c.eq(t, 'sflow_245.ipv4_delay', (r.tos >>> 4) & 1);
        c.eq(t, 'sflow_245.ipv4_throughput', (r.tos >>> 3) & 1);
        c.eq(t, 'sflow_245.ipv4_reliability', (r.tos >>> 2) & 1);
        c.eq(t, 'sflow_245.ipv4_cost', (r.tos >>> 1) & 1);
      } else {
        c.eq(t, 'sflow_245.ipv6_priority', r.tos);
      }
      break;
    }
    case 'extendedSwitch':
      c.eq(t, 'sflow_245.vlan.in', r.srcVlan);
      c.eq(t, 'sflow_245.pri.in', r.srcPriority);
      c.eq(t, 'sflow_245.vlan.out', r.dstVlan);
      c.eq(t, 'sflow_245.pri.out', r.dstPriority);
      break;
    case 'extendedRouter':
      c.eq(t, 'sflow_245.nexthop', r.nextHop.address);
      c.eq(t, 'sflow_245.nexthop.src_mask', r.srcMaskLength);
      c.eq(t, 'sflow_245.nexthop.dst_mask', r.dstMaskLength);
      break;
    case 'extendedGateway': {
      c.eq(t, 'sflow_245.nexthop', r.nextHop.address);
      c.eq(t, 'sflow_245.as', r.as);
      c.eq(t, 'sflow_245.srcAS', r.srcAs);
      c.eq(t, 'sflow_245.peerAS', r.srcPeerAs);
      c.eq(t, 'sflow_245.dstASentries', r.asPath.length);
      c.eq(t, 'sflow_245.localpref', r.localPref);
      c.eq(t, 'sflow_245.communityEntries', r.communities.length);
      const types = all(t['sflow.as_type']);
      const paths = all(t['sflow.as_type_tree']);
      c.same(String(types.length), r.asPath.length, 'AS path segments');
      r.asPath.forEach((seg, i) => {
        if (typeof types[i] === 'string') c.same(types[i] as string, seg.type, `AS path segment ${i} type`);
        const p = paths[i];
        const asns = p && typeof p === 'object' && !Array.isArray(p) ? all(p['sflow_245.dstAS']) : [];
        c.same(asns.join(' '), seg.asns.join(' '), `AS path segment ${i}`);
      });
      const ct = t['sflow_245.communityEntries_tree'];
      const communities = ct && typeof ct === 'object' && !Array.isArray(ct) ? all(ct['sflow_245.dstAS']) : [];
      c.same(communities.join(' '), r.communities.join(' '), 'communities');
      break;
    }
    case 'genericInterface':
      for (const [theirs, ours] of GENERIC) c.eq(t, `sflow_245.${theirs}`, fields[ours]);
      break;
    case 'ethernetInterface':
    case 'vgInterface':
      // tshark names these fields as the MIBs (and labtel) do: sflow_245.dot3Stats…, sflow_245.dot12….
      for (const key of Object.keys(t)) {
        const name = key.slice('sflow_245.'.length);
        if (key.startsWith('sflow_245.dot')) {
          if (name in fields) c.eq(t, key, fields[name]);
          else c.missing(`tshark field ${key} has no labtel counterpart`);
        }
      }
      break;
    default:
      break;
  }
}

/** The top-level layers of tshark's decoded header by protocol, each in order (repeats are merged into an array). */
function headerLayers(tree: Tree, key: string): Tree[] {
  return all(tree[key]).filter((x): x is Tree => typeof x === 'object' && !Array.isArray(x));
}

/**
 * The decoded header layer by layer: tshark's n-th ip / ipv6 / tcp / udp / vlan layer against labtel's n-th
 * layer of that kind (tshark stops earlier in some cases, e.g. it does not follow VXLAN inside an sFlow header:
 * only what both decode is compared), and the 5-tuple when both reached the same innermost IP header.
 */
function compareInnerPacket(c: Comparison, tree: Tree, r: Extract<FlowRecord, { kind: 'rawHeader' }>): void {
  const p = r.packet;
  if (!p) return c.missing('labtel did not decode the header');
  const ofKind = (kind: string) => p.layers.filter((l) => l.kind === kind);
  const eth = headerLayers(tree, 'eth');
  ofKind('ethernet').forEach((l, i) => {
    if (!eth[i]) return;
    c.eq(eth[i], 'eth.src', formatMac(r.buf, l.start + 6), `eth[${i}].src`);
    c.eq(eth[i], 'eth.dst', formatMac(r.buf, l.start), `eth[${i}].dst`);
  });
  const vlans = headerLayers(tree, 'vlan');
  ofKind('vlan').forEach((l, i) => {
    if (vlans[i] && l.kind === 'vlan') c.eq(vlans[i], 'vlan.id', l.id, `vlan[${i}].id`);
  });
  const ip4 = headerLayers(tree, 'ip');
  ofKind('ipv4').forEach((l, i) => {
    if (!ip4[i] || l.kind !== 'ipv4') return;
    c.eq(ip4[i], 'ip.src', l.src, `ip[${i}].src`);
    c.eq(ip4[i], 'ip.dst', l.dst, `ip[${i}].dst`);
    c.eq(ip4[i], 'ip.proto', l.protocol, `ip[${i}].proto`);
  });
  const ip6 = headerLayers(tree, 'ipv6');
  ofKind('ipv6').forEach((l, i) => {
    if (!ip6[i] || l.kind !== 'ipv6') return;
    c.eq(ip6[i], 'ipv6.src', l.src, `ipv6[${i}].src`);
    c.eq(ip6[i], 'ipv6.dst', l.dst, `ipv6[${i}].dst`);
  });
  for (const proto of ['tcp', 'udp'] as const) {
    const theirs = headerLayers(tree, proto);
    ofKind(proto).forEach((l, i) => {
      if (!theirs[i] || (l.kind !== 'tcp' && l.kind !== 'udp')) return;
      c.eq(theirs[i], `${proto}.srcport`, l.srcPort, `${proto}[${i}].srcport`);
      c.eq(theirs[i], `${proto}.dstport`, l.dstPort, `${proto}[${i}].dstport`);
    });
  }
  // The 5-tuple, when tshark went as deep as labtel (same number of IP headers).
  const ours = ofKind('ipv4').length + ofKind('ipv6').length;
  if (ours > 0 && ip4.length + ip6.length === ours) {
    const last = p.layers.filter((l) => l.kind === 'ipv4' || l.kind === 'ipv6').pop()!;
    const theirs = last.kind === 'ipv4' ? ip4[ip4.length - 1] : ip6[ip6.length - 1];
    const family = last.kind === 'ipv4' ? 'ip' : 'ipv6';
    c.eq(theirs, `${family}.src`, p.src, '5-tuple src');
    c.eq(theirs, `${family}.dst`, p.dst, '5-tuple dst');
    const l4 = p.protocol === 6 ? 'tcp' : p.protocol === 17 ? 'udp' : undefined;
    const t4 = l4 ? headerLayers(tree, l4) : [];
    if (l4 && t4.length === ofKind(l4).length && t4.length > 0) {
      c.eq(t4[t4.length - 1], `${l4}.srcport`, p.srcPort, '5-tuple src port');
      c.eq(t4[t4.length - 1], `${l4}.dstport`, p.dstPort, '5-tuple dst port');
    }
    if (family === 'ip') c.eq(theirs, 'ip.proto', p.protocol, '5-tuple protocol');
  }
}

describe('sFlow v5 decoder versus tshark, every datagram of the sFlow corpus', () => {
  const dir = corpusPath('sflow');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.pcap')).sort()) {
    it(`${name}: every field both decode is equal`, (t) => {
      if (!requirePrereqs(t, { tools: ['tshark'] })) return;
      const file = path.join(dir, name);
      const theirs = tsharkPackets(file);
      const ours = corpusDatagrams(file);
      assert.equal(ours.length, theirs.length);
      const mismatches: string[] = [];
      let fields = 0;
      for (let i = 0; i < ours.length; i++) {
        const d = ours[i];
        const dg = decodeDatagram(d.data, d.start, d.end);
        assert.deepStrictEqual(dg.errors, [], `frame ${d.frame}: no DecodeError`);
        const sflow = theirs[i]['sflow'];
        assert.ok(sflow && typeof sflow === 'object' && !Array.isArray(sflow), `frame ${d.frame}: tshark decoded sFlow`);
        const c = new Comparison(`frame ${d.frame}`);
        compareDatagram(c, sflow, dg);
        mismatches.push(...c.mismatches);
        fields += c.fields;
      }
      assert.deepStrictEqual(mismatches.slice(0, 20), []);
      // Each datagram has at least its 7 header fields compared, and every sample a few more.
      assert.ok(fields >= ours.length * 10, `${fields} fields compared`);
      t.diagnostic(`${ours.length} datagrams, ${fields} fields equal`);
    });
  }
});
