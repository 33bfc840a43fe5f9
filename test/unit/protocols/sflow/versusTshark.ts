/**
 * labtel's sFlow v5 decode against tshark's (Wireshark's packet-sflow, `-T json --no-duplicate-keys`), with no
 * blind spot: every field tshark prints in a datagram, sample or record is compared with labtel's, derived
 * from labtel's, or named in NOT_MODELLED_SFLOW with why; any other is a mismatch. A field labtel has that
 * tshark does not print is a mismatch too, unless tshark never prints it (TSHARK_DOES_NOT_PRINT). Sampled
 * headers are compared as packets (comparePacketTree), ICMP quotes and all.
 */
import type { CounterRecord, FlowRecord, SflowDatagram, SflowSample } from '../../../../src/protocols/sflow';
import { comparePacketTree, type PacketComparison, type TreeMatch } from '../tsharkCompare';
import type { TsharkTree, TsharkValue } from '../tsharkJson';

/**
 * tshark fields of sFlow that labtel does not model, each with why (the aim is an empty list). Counted per
 * occurrence and reported by the differential.
 */
export const NOT_MODELLED_SFLOW: Record<string, string> = {};

/** Every tshark field the differential met that it did not compare, by rule — reported, each with its reason. */
export interface SflowComparison extends PacketComparison {
  /** The tshark objects of the frame met so far, and the frame's top level (where tshark files what VXLAN carries). */
  match: TreeMatch;
  records: number;
  /** Fields compared per record (its kind and count), for the floor. */
  recordFields: Array<[string, number]>;
  /** tshark objects left uncompared by a named rule (e.g. tshark reading on inside an unknown record). */
  skipped: Map<string, number>;
}

type Tree = TsharkTree;

function objects(v: TsharkValue | undefined): Tree[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is Tree => typeof x === 'object' && !Array.isArray(x));
}

function bump(m: Map<string, number>, k: string, n = 1): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

const FLOW_FORMAT = 'sflow_245.flow_record_format';
const COUNTER_FORMAT = 'sflow_245.counters_record_format';
const HEADER_TREE = 'sflow_245.header_tree';

/** A key of a sample inside a datagram's object (tshark titles them "Flow sample, seq N" …). */
function isSampleKey(k: string): boolean {
  return / sample, seq \d+$/.test(k) || k === 'Unknown sample format';
}

function isRecord(t: Tree): boolean {
  return t[FLOW_FORMAT] !== undefined || t[COUNTER_FORMAT] !== undefined || t['sflow.enterprise.length'] !== undefined;
}

/**
 * The fields of one sFlow object (datagram, sample or record) as [key, value, holder]: descends into its
 * subtrees (*_tree, AS path segments), not into its samples, records or sampled header.
 */
function ownFields(t: Tree, out: Array<[string, string]> = []): Array<[string, string]> {
  for (const [k, v] of Object.entries(t)) {
    if (k === HEADER_TREE || isSampleKey(k)) continue;
    for (const x of Array.isArray(v) ? v : [v]) {
      if (typeof x === 'string') out.push([k, x]);
      else if (!Array.isArray(x) && !isRecord(x)) ownFields(x, out);
    }
  }
  return out;
}

/** One sFlow object's comparison: each eq() consumes tshark fields; finish() names what is left. */
class ObjectComparison {
  /** Values of each tshark field not yet compared (repeated keys give several). */
  private readonly left = new Map<string, string[]>();
  fields = 0;
  constructor(
    private readonly out: SflowComparison,
    private readonly where: string,
    t: Tree,
  ) {
    for (const [k, v] of ownFields(t)) this.left.set(k, [...(this.left.get(k) ?? []), v]);
  }

  private take(key: string): string | undefined {
    const values = this.left.get(key);
    if (!values || values.length === 0) return undefined;
    const v = values.shift()!;
    return v;
  }

  /** tshark's next value of `key` against labtel's; a value labtel has that tshark does not print is a mismatch. */
  eq(key: string, ours: number | string | undefined, what = key): void {
    const theirs = this.take(key);
    if (theirs === undefined) {
      if (ours !== undefined) this.out.mismatches.push(`${this.where} ${what}: labtel ${String(ours)}, tshark prints nothing`);
      return;
    }
    this.fields++;
    this.out.fields++;
    const match = typeof ours === 'number' ? Number(theirs) === ours : theirs === ours;
    if (!match) this.out.mismatches.push(`${this.where} ${what}: tshark ${theirs}, labtel ${String(ours)}`);
  }

  /** A count both sides give (samples, records): a mismatch when they differ. */
  count(what: string, theirs: number, ours: number): void {
    this.fields++;
    this.out.fields++;
    if (theirs !== ours) this.out.mismatches.push(`${this.where} ${what}: tshark ${theirs}, labtel ${ours}`);
  }

  /** Every tshark field not compared: not modelled (listed, counted) or a mismatch. */
  finish(): number {
    for (const [key, values] of this.left) {
      for (const v of values) {
        if (NOT_MODELLED_SFLOW[key] !== undefined) bump(this.out.notModelled, key);
        else this.out.mismatches.push(`${this.where}: tshark field ${key} = ${v} has no labtel counterpart`);
      }
    }
    return this.fields;
  }
}

/** tshark's title of a sample: the key it files it under. */
function sampleTitle(s: SflowSample): string {
  switch (s.kind) {
    case 'flowSample':
      return `${s.format === 3 ? 'Expanded flow sample' : 'Flow sample'}, seq ${s.sequenceNumber}`;
    case 'counterSample':
      return `${s.format === 4 ? 'Expanded counters sample' : 'Counters sample'}, seq ${s.sequenceNumber}`;
    default:
      // tshark 4.0 knows no discarded-packet sample (format 5, sflow_drops.txt) nor other formats.
      return 'Unknown sample format';
  }
}

/**
 * Compares a datagram: its header, its samples by tshark's titles (repeated titles are merged into arrays, in
 * order), each sample's records, each sampled header as a packet. `end` of each raw header's bytes for tshark
 * runs on over the XDR padding.
 */
export function compareDatagram(out: SflowComparison, t: Tree, dg: SflowDatagram, where: string): void {
  const c = new ObjectComparison(out, where, t);
  c.eq('sflow_245.version', dg.version);
  c.eq('sflow_245.agenttype', dg.agentAddressType);
  c.eq(dg.agentAddressType === 1 ? 'sflow_245.agent' : 'sflow_245.agent.v6', dg.agentAddress, 'agent address');
  c.eq('sflow_245.sub_agent_id', dg.subAgentId);
  c.eq('sflow_245.sequence_number', dg.sequenceNumber);
  c.eq('sflow_245.sysuptime', dg.uptime);
  c.eq('sflow_245.numsamples', dg.sampleCount);
  const ours = new Map<string, SflowSample[]>();
  for (const s of dg.samples) ours.set(sampleTitle(s), [...(ours.get(sampleTitle(s)) ?? []), s]);
  let theirCount = 0;
  for (const [key, value] of Object.entries(t)) {
    if (!isSampleKey(key)) continue;
    const theirs = objects(value);
    theirCount += theirs.length;
    const mine = ours.get(key) ?? [];
    if (mine.length !== theirs.length) out.mismatches.push(`${where} "${key}": tshark has ${theirs.length}, labtel ${mine.length}`);
    for (let i = 0; i < Math.min(mine.length, theirs.length); i++) compareSample(out, theirs[i]!, mine[i]!, `${where} "${key}"#${i}`);
  }
  c.count('number of samples', theirCount, dg.samples.length);
  c.finish();
}

function compareSample(out: SflowComparison, t: Tree, s: SflowSample, where: string): void {
  const c = new ObjectComparison(out, where, t);
  c.eq('sflow.enterprise', s.enterprise);
  c.eq('sflow_245.sampletype', s.format);
  c.eq('sflow_5.sample_length', s.dataLength);
  if (s.kind === 'flowSample') {
    c.eq('sflow.flow_sample.sequence_number', s.sequenceNumber);
    c.eq('sflow.flow_sample.sampling_rate', s.samplingRate);
    c.eq('sflow.flow_sample.sample_pool', s.samplePool);
    c.eq('sflow.flow_sample.dropped_packets', s.drops);
    c.eq('sflow.flow_sample.flow_record', s.recordCount);
    if (s.format === 1) {
      c.eq('sflow.flow_sample.source_id_class', s.sourceIdClass);
      c.eq('sflow.flow_sample.index', s.sourceIdIndex);
      // tshark shows the whole compact interface word, and splits the output one into format and value.
      c.eq('sflow.flow_sample.input_interface', ((s.inputFormat << 30) | s.input) >>> 0);
      c.eq('sflow.flow_sample.output_interface', ((s.outputFormat << 30) | s.output) >>> 0);
      c.eq('sflow.flow_sample.output_interface_format', s.outputFormat);
      c.eq('sflow.flow_sample.output_interface_value', s.output);
    } else {
      c.eq('sflow.flow_sample.source_id_type', s.sourceIdClass);
      c.eq('sflow.flow_sample.source_id_index', s.sourceIdIndex);
      c.eq('sflow.flow_sample.input_interface_format', s.inputFormat);
      c.eq('sflow.flow_sample.input_interface_value', s.input);
      c.eq('sflow.flow_sample.output_interface.format', s.outputFormat);
      c.eq('sflow.flow_sample.output_interface_value', s.output);
    }
    compareRecords(out, c, t, FLOW_FORMAT, s.records, where);
  } else if (s.kind === 'counterSample') {
    c.eq('sflow.counters_sample.sequence_number', s.sequenceNumber);
    c.eq('sflow.counters_sample.source_id_type', s.sourceIdClass);
    c.eq('sflow.counters_sample.source_id_index', s.sourceIdIndex);
    c.eq('sflow.counters_sample.counters_records', s.recordCount);
    compareRecords(out, c, t, COUNTER_FORMAT, s.records, where);
  }
  // A discarded-packet sample: tshark 4.0 prints its envelope only (enterprise, type, length, compared above);
  // its records meet tshark through compareDiscardedRecords.
  c.finish();
}

/** The records tshark shows in a sample, by `enterprise:format` in order of appearance. */
function recordsById(t: Tree, formatKey: string): Array<[string, Tree]> {
  const list: Array<[string, Tree]> = [];
  for (const [key, value] of Object.entries(t)) {
    if (key === HEADER_TREE) continue;
    for (const v of objects(value)) {
      if (!isRecord(v)) continue;
      const format = v[formatKey];
      list.push([`${String(v['sflow.enterprise'])}:${typeof format === 'string' ? format : '?'}`, v]);
    }
  }
  return list;
}

function recordId(r: FlowRecord | CounterRecord): string {
  return `${r.enterprise}:${r.enterprise === 0 ? r.format : '?'}`;
}

function compareRecords(out: SflowComparison, c: ObjectComparison, t: Tree, formatKey: string, records: ReadonlyArray<FlowRecord | CounterRecord>, where: string): void {
  let theirs = recordsById(t, formatKey);
  // tshark 4.0 does not skip a counter record of a format it does not know by its length: it reads the next
  // record from inside that one's data (e.g. host structures 2000-2007, sflow.org/sflow_host.txt, seen in
  // tcpdump's capture). What it prints after such a record is not the datagram's; labtel walks on by length.
  const unknownAt = formatKey === COUNTER_FORMAT ? theirs.findIndex(([, v]) => v['sflow.enterprise'] === '0' && !COUNTER_FORMATS_TSHARK_KNOWS.has(Number(v[formatKey]))) : -1;
  if (unknownAt >= 0) {
    bump(out.skipped, 'counter records tshark 4.0 reads from inside an unknown counter record', theirs.length - unknownAt - 1);
    theirs = theirs.slice(0, unknownAt + 1);
    records = records.slice(0, unknownAt + 1);
  } else {
    c.count('number of records', theirs.length, records.length);
  }
  const ours = new Map<string, Array<FlowRecord | CounterRecord>>();
  for (const r of records) ours.set(recordId(r), [...(ours.get(recordId(r)) ?? []), r]);
  const seen = new Map<string, number>();
  for (const [id, v] of theirs) {
    const n = seen.get(id) ?? 0;
    seen.set(id, n + 1);
    const mine = ours.get(id)?.[n];
    if (!mine) {
      out.mismatches.push(`${where}: tshark shows record ${id} #${n}, labtel has none`);
      continue;
    }
    compareRecord(out, v, mine, `${where} record ${id}#${n}`);
  }
}

/** Counter record formats tshark 4.0's packet-sflow dissects (enterprise 0). */
const COUNTER_FORMATS_TSHARK_KNOWS = new Set([1, 2, 3, 4, 5, 6, 7, 1001, 1002, 1003, 1004]);

const TCP_FLAGS: Array<[string, number]> = [
  ['fin', 0x01], ['syn', 0x02], ['rst', 0x04], ['psh', 0x08], ['ack', 0x10], ['urg', 0x20], ['ece', 0x40], ['cwr', 0x80],
];

/** tshark field (after the `sflow_245.` prefix) → labtel field, for the generic interface counters. */
const GENERIC: Array<[string, string]> = [
  ['ifindex', 'ifIndex'], ['iftype', 'ifType'], ['ifspeed', 'ifSpeed'], ['ifdirection', 'ifDirection'],
  ['ifadmin_status', 'ifAdminStatus'], ['ifoper_status', 'ifOperStatus'], ['ifinoct', 'ifInOctets'], ['ifinpkt', 'ifInUcastPkts'],
  ['ifinmcast', 'ifInMulticastPkts'], ['ifinbcast', 'ifInBroadcastPkts'], ['ifindisc', 'ifInDiscards'], ['ifinerr', 'ifInErrors'],
  ['ifinunk', 'ifInUnknownProtos'], ['ifoutoct', 'ifOutOctets'], ['ifoutpkt', 'ifOutUcastPkts'], ['ifoutmcast', 'ifOutMulticastPkts'],
  ['ifoutbcast', 'ifOutBroadcastPkts'], ['ifoutdisc', 'ifOutDiscards'], ['ifouterr', 'ifOutErrors'], ['ifpromisc', 'ifPromiscuousMode'],
];

const VLAN: Array<[string, string]> = [
  ['sflow_245.vlan_id', 'vlanId'], ['sflow_245.octets', 'octets'], ['sflow_245.ucastPkts', 'ucastPkts'],
  ['sflow_245.multicastPkts', 'multicastPkts'], ['sflow_245.broadcastPkts', 'broadcastPkts'], ['sflow_245.discards', 'discards'],
];

const PROCESSOR: Array<[string, string]> = [
  ['sflow_5.cpu_5s', 'cpu5s'], ['sflow_5.cpu_1m', 'cpu1m'], ['sflow_5.cpu_5m', 'cpu5m'],
  ['sflow_5.total_memory', 'totalMemory'], ['sflow_5.free_memory', 'freeMemory'],
];

/** An sFlow address field: tshark files an IPv6 one under `.v6` (next hops) or `ipv6_` (sampled IP). */
function addressKey(base: string, v6: boolean): string {
  return v6 ? `${base}.v6` : base;
}

function compareRecord(out: SflowComparison, t: Tree, r: FlowRecord | CounterRecord, where: string): void {
  const c = new ObjectComparison(out, where, t);
  out.records++;
  c.eq('sflow.enterprise', r.enterprise);
  if (r.enterprise !== 0) {
    // tshark prints an other enterprise's record as its enterprise and length only.
    c.eq('sflow.enterprise.length', r.dataLength);
    out.recordFields.push([`${r.kind} (enterprise ${r.enterprise})`, c.finish()]);
    return;
  }
  c.eq(t[FLOW_FORMAT] !== undefined ? FLOW_FORMAT : COUNTER_FORMAT, r.format, 'record format');
  c.eq('sflow_5.flow_data_length', r.dataLength, 'record length');
  const fields = r as unknown as Record<string, number>;
  switch (r.kind) {
    case 'rawHeader': {
      c.eq('sflow_245.header_protocol', r.headerProtocol);
      c.eq('sflow_245.header.frame_length', r.frameLength);
      c.eq('sflow_245.header.payload_stripped', r.stripped);
      c.eq('sflow_245.header.sampled_header_length', r.headerLength);
      // tshark's header field runs on over the XDR padding to the next 4-byte boundary.
      const paddedEnd = r.headerStart + ((r.headerLength + 3) & ~3);
      let bytes = '';
      for (let i = r.headerStart; i < paddedEnd; i++) bytes += (i > r.headerStart ? ':' : '') + r.buf[i]!.toString(16).padStart(2, '0');
      c.eq('sflow_245.header', bytes, 'header bytes (and padding)');
      const tree = objects(t[HEADER_TREE])[0];
      const p = r.packet;
      if (!tree) out.mismatches.push(`${where}: tshark decoded no header tree`);
      else if (!p) out.mismatches.push(`${where}: labtel did not decode the header (${r.packetError?.message ?? 'header protocol'})`);
      else {
        const before = out.fields;
        comparePacketTree(r.buf, p, tree, paddedEnd, out, `${where} header`, out.match, false, true);
        c.fields += out.fields - before;
      }
      break;
    }
    case 'sampledEthernet':
      c.eq('sflow_245.ethernet.length', r.frameLength);
      c.eq('sflow_245.ethernet.source_mac_address', r.srcMac);
      c.eq('sflow_245.ethernet.destination_mac_address', r.dstMac);
      c.eq('sflow_245.ethernet.packet_type', r.ethertype);
      break;
    case 'sampledIpv4':
    case 'sampledIpv6': {
      const v6 = r.kind === 'sampledIpv6';
      c.eq('sflow_245.ip.length', r.length);
      c.eq('sflow.ip_protocol', r.protocol);
      c.eq(v6 ? 'sflow_245.ipv6_src' : 'sflow_245.ipv4_src', r.srcIp);
      c.eq(v6 ? 'sflow_245.ipv6_dst' : 'sflow_245.ipv4_dst', r.dstIp);
      c.eq('sflow_245.ip.source_port', r.srcPort);
      c.eq('sflow.ip.destination_port', r.dstPort);
      // The spec's tcp_flags and tos are unsigned ints (XDR: big-endian, the value in the last byte, as hsflowd
      // and sflowtool write and read them); tshark 4.0 reads its bits from the word's first byte instead
      // (packet-sflow.c: "8 flags ... plus 24-bit 0-padding"). Compared as tshark reads the word, so the
      // word's bytes meet the oracle; labtel keeps the whole word.
      const flagsByte = r.tcpFlags >>> 24;
      for (const [name, b] of TCP_FLAGS) c.eq(`sflow_245.ip.tcp_flag.${name}`, flagsByte & b ? 1 : 0);
      if (v6) c.eq('sflow_245.ipv6_priority', r.tos);
      else {
        const tos = r.tos >>> 24;
        c.eq('sflow_245.ipv4_precedence_type', tos >>> 5);
        c.eq('sflow_245.ipv4_delay', (tos >>> 4) & 1);
        c.eq('sflow_245.ipv4_throughput', (tos >>> 3) & 1);
        c.eq('sflow_245.ipv4_reliability', (tos >>> 2) & 1);
        c.eq('sflow_245.ipv4_cost', (tos >>> 1) & 1);
      }
      break;
    }
    case 'extendedSwitch':
      c.eq('sflow_245.vlan.in', r.srcVlan);
      c.eq('sflow_245.pri.in', r.srcPriority);
      c.eq('sflow_245.vlan.out', r.dstVlan);
      c.eq('sflow_245.pri.out', r.dstPriority);
      break;
    case 'extendedRouter':
      c.eq(addressKey('sflow_245.nexthop', r.nextHop.type === 2), r.nextHop.address, 'next hop');
      c.eq('sflow_245.nexthop.src_mask', r.srcMaskLength);
      c.eq('sflow_245.nexthop.dst_mask', r.dstMaskLength);
      break;
    case 'extendedGateway':
      c.eq(addressKey('sflow_245.nexthop', r.nextHop.type === 2), r.nextHop.address, 'next hop');
      c.eq('sflow_245.as', r.as);
      c.eq('sflow_245.srcAS', r.srcAs);
      c.eq('sflow_245.peerAS', r.srcPeerAs);
      c.eq('sflow_245.dstASentries', r.asPath.length);
      for (const seg of r.asPath) {
        c.eq('sflow.as_type', seg.type, 'AS path segment type');
        for (const asn of seg.asns) c.eq('sflow_245.dstAS', asn, 'AS path number');
      }
      c.eq('sflow_245.communityEntries', r.communities.length);
      // tshark files communities under the AS-number field name.
      for (const community of r.communities) c.eq('sflow_245.dstAS', community, 'community');
      c.eq('sflow_245.localpref', r.localPref);
      break;
    case 'extendedUser':
      c.eq('sflow_5.extended_user.source_character_set', r.srcCharset);
      c.eq('sflow_5.extended_user.source_user_string_length', Buffer.byteLength(r.srcUser));
      c.eq('sflow_5.extended_user.source_user', r.srcUser);
      c.eq('sflow_5.extended_user.destination_character_set', r.dstCharset);
      c.eq('sflow_5.extended_user.destination_user_string_length', Buffer.byteLength(r.dstUser));
      c.eq('sflow_5.extended_user.destination_user', r.dstUser);
      break;
    case 'extendedUrl':
      c.eq('sflow_5.extended_url.direction', r.direction);
      c.eq('sflow_5.extended_url.url_length', Buffer.byteLength(r.url));
      c.eq('sflow_5.extended_url.url', r.url);
      c.eq('sflow_5.extended_url.host_length', Buffer.byteLength(r.host));
      c.eq('sflow_5.extended_url.host', r.host);
      break;
    case 'extendedMpls':
      c.eq(addressKey('sflow_245.nexthop', r.nextHop.type === 2), r.nextHop.address, 'next hop');
      c.eq('sflow_245.extended_mpls.in_label_stack_entries', r.inLabels.length);
      for (const l of r.inLabels) c.eq('sflow_245.extended_mpls.in_label', l);
      c.eq('sflow_245.extended_mpls.out_label_stack_entries', r.outLabels.length);
      for (const l of r.outLabels) c.eq('sflow_245.extended_mpls.out_label', l);
      break;
    case 'extendedNat':
      c.eq(r.srcAddress.type === 2 ? 'sflow_245.ipv6_src' : 'sflow_245.ipv4_src', r.srcAddress.address, 'NAT source');
      c.eq(r.dstAddress.type === 2 ? 'sflow_245.ipv6_dst' : 'sflow_245.ipv4_dst', r.dstAddress.address, 'NAT destination');
      break;
    case 'genericInterface':
      for (const [theirs, ours] of GENERIC) c.eq(`sflow_245.${theirs}`, fields[ours]);
      break;
    case 'ethernetInterface':
    case 'vgInterface':
      // tshark names these fields as the MIBs (and labtel) do: sflow_245.dot3Stats…, sflow_245.dot12….
      for (const name of Object.keys(fields)) if (name.startsWith('dot')) c.eq(`sflow_245.${name}`, fields[name]);
      break;
    case 'vlan':
      for (const [theirs, ours] of VLAN) c.eq(theirs, fields[ours]);
      break;
    case 'processor':
      for (const [theirs, ours] of PROCESSOR) c.eq(theirs, fields[ours]);
      break;
    default:
      break;
  }
  out.recordFields.push([r.kind, c.finish()]);
}

/**
 * tshark 4.0 does not dissect discarded-packet samples (format 5): their records meet it in a twin datagram —
 * the same records, byte for byte, in a compact flow sample — which the differential has tshark dissect.
 */
export function discardedTwin(dg: SflowDatagram, buf: Uint8Array): Uint8Array | undefined {
  const discards = dg.samples.filter((s) => s.kind === 'discardedPacketSample');
  if (discards.length === 0) return undefined;
  const parts: number[][] = [];
  const word = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  const header = [...word(5), ...word(1), 192, 0, 2, 1, ...word(0), ...word(0), ...word(0), ...word(discards.length)];
  parts.push(header);
  for (const s of discards) {
    if (s.kind !== 'discardedPacketSample') continue;
    const recordsStart = s.start + 8 + 32;
    const recordBytes = [...buf.subarray(recordsStart, s.end)];
    const body = [...word(s.sequenceNumber), ...word(0), ...word(1), ...word(1), ...word(0), ...word(0), ...word(0), ...word(s.recordCount), ...recordBytes];
    parts.push([...word(1), ...word(body.length), ...body]);
  }
  return Uint8Array.from(parts.flat());
}

/** Compares the records of a datagram's discarded-packet samples with tshark's dissection of their twin. */
export function compareDiscardedRecords(out: SflowComparison, twin: Tree, dg: SflowDatagram, where: string): void {
  const discards = dg.samples.filter((s) => s.kind === 'discardedPacketSample');
  const theirs = Object.entries(twin).filter(([k]) => isSampleKey(k)).flatMap(([, v]) => objects(v));
  if (theirs.length !== discards.length) out.mismatches.push(`${where}: ${discards.length} discarded-packet samples, tshark's twin has ${theirs.length}`);
  discards.forEach((s, i) => {
    const t = theirs[i];
    if (!t || s.kind !== 'discardedPacketSample') return;
    const c = new ObjectComparison(out, `${where} discard#${i}`, {});
    compareRecords(out, c, t, FLOW_FORMAT, s.records, `${where} discard#${i}`);
  });
}
