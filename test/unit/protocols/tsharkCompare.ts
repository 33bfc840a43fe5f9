/**
 * Comparing labtel's decoded packets with tshark's dissection of the same frames: tshark's protocols mapped
 * to labtel's layer kinds, then layer by layer and field by field, then the 5-tuple.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CaptureWriter } from '../../../src/protocols/captureWriter';
import { DecodedPacket, Layer, LayerKind, decodeFrame } from '../../../src/protocols/packet';
import { icmpChecksumValid } from '../../../src/protocols/icmp';
import { ND_OPTION_SOURCE_LINK_ADDRESS, ND_OPTION_TARGET_LINK_ADDRESS, icmpv6ChecksumValid, icmpv6Options, type NdOption } from '../../../src/protocols/icmpv6';
import { ipv4Options } from '../../../src/protocols/ipv4';
import { cutTcpSequence, tcpOptions } from '../../../src/protocols/tcp';
import { TsharkFrame, TsharkTree, TsharkValue, allFields, field, isProtocolKey, leafFields, num, occurrence, recordingFields, tsharkFrames } from './tsharkJson';

/** tshark's protocol names (frame.protocols) → labtel's layer kind and the key of the protocol's object. */
const PROTOCOLS: Record<string, { kind: LayerKind; key: string }> = {
  eth: { kind: 'ethernet', key: 'eth' },
  vlan: { kind: 'vlan', key: 'vlan' },
  ieee8021ad: { kind: 'vlan', key: 'ieee8021ad' },
  arp: { kind: 'arp', key: 'arp' },
  ip: { kind: 'ipv4', key: 'ip' },
  ipv6: { kind: 'ipv6', key: 'ipv6' },
  'ipv6.hopopts': { kind: 'ipv6-hopopts', key: 'ipv6.hopopts' },
  'ipv6.routing': { kind: 'ipv6-routing', key: 'ipv6.routing' },
  'ipv6.fraghdr': { kind: 'ipv6-fragment', key: 'ipv6.fraghdr' },
  'ipv6.dstopts': { kind: 'ipv6-dstopts', key: 'ipv6.dstopts' },
  tcp: { kind: 'tcp', key: 'tcp' },
  udp: { kind: 'udp', key: 'udp' },
  sctp: { kind: 'sctp', key: 'sctp' },
  icmp: { kind: 'icmp', key: 'icmp' },
  icmpv6: { kind: 'icmpv6', key: 'icmpv6' },
  gre: { kind: 'gre', key: 'gre' },
  mpls: { kind: 'mpls', key: 'mpls' },
  vxlan: { kind: 'vxlan', key: 'vxlan' },
  pppoes: { kind: 'pppoe', key: 'pppoes' },
  ah: { kind: 'ah', key: 'ah' },
  esp: { kind: 'esp', key: 'esp' },
};
/**
 * Protocols tshark shows that are no layer of labtel's: ethertype (a field of eth/vlan), ppp (the protocol
 * field of labtel's pppoe layer), raw (tshark's name for the raw-IP link type, no header).
 */
const FOLDED = new Set(['ethertype', 'ppp', 'raw']);
/** After these, tshark decodes a quoted packet (ICMP errors) that labtel leaves as payload. */
const LAST = new Set(['icmp', 'icmpv6']);

interface Expected {
  kind: LayerKind;
  tree: TsharkTree;
}

/** The layers labtel should find, with each one's tshark object (the n-th occurrence of its protocol). */
export function expectedLayers(frame: TsharkFrame): Expected[] {
  const out: Expected[] = [];
  const seen = new Map<string, number>();
  let ipv6Tree: TsharkTree | undefined;
  for (const name of frame.protocols) {
    if (FOLDED.has(name)) continue;
    const p = PROTOCOLS[name];
    if (p === undefined) break;
    const n = seen.get(p.key) ?? 0;
    seen.set(p.key, n + 1);
    let tree: TsharkTree | undefined;
    // IPv6 extension headers (and AH inside IPv6) sit inside the ipv6 object.
    const nested = ipv6Tree?.[p.key];
    if (name.startsWith('ipv6.') || (name === 'ah' && nested !== undefined)) {
      tree = (Array.isArray(nested) ? nested[0] : nested) as TsharkTree | undefined;
    } else {
      tree = occurrence(frame.layers, p.key, n);
    }
    assert.ok(tree, `tshark object for ${name} #${n}`);
    if (name === 'ipv6') ipv6Tree = tree;
    out.push({ kind: p.kind, tree });
    if (name === 'mpls') {
      // A label stack is one "mpls" in frame.protocols and one array entry per label.
      for (let more = occurrence(frame.layers, p.key, n + 1); more; more = occurrence(frame.layers, p.key, seen.get(p.key)!)) {
        seen.set(p.key, seen.get(p.key)! + 1);
        out.push({ kind: p.kind, tree: more });
      }
    }
    if (LAST.has(name)) break;
  }
  return out;
}

type Fields = Array<[string, unknown, string | number | boolean | undefined]>;

/** (field name, labtel's value, tshark's value) for one layer. */
export function fieldsOf(buf: Uint8Array, layer: Layer, t: TsharkTree, tshark: TsharkFrame): Fields {
  const bool = (k: string) => (field(t, k) === undefined ? undefined : field(t, k) === '1');
  switch (layer.kind) {
    case 'ethernet':
      return [
        ['dst', layer.dst, field(t, 'eth.dst')],
        ['src', layer.src, field(t, 'eth.src')],
        // An IEEE 802.3 length (≤ 1500) is eth.len in tshark.
        ['ethertype', layer.ethertype, num(field(t, 'eth.type') ?? field(t, 'eth.len'))],
      ];
    case 'vlan': {
      const p = layer.tpid === 0x8100 ? 'vlan' : 'ieee8021ad';
      return [
        ['id', layer.id, num(field(t, `${p}.id`))],
        ['priority', layer.priority, num(field(t, `${p}.priority`))],
        ['dei', layer.dei, bool(`${p}.dei`)],
        ['ethertype', layer.ethertype, num(field(t, 'vlan.etype') ?? field(t, 'ieee8021ah.etype'))],
      ];
    }
    case 'arp':
      return [
        ['hardwareType', layer.hardwareType, num(field(t, 'arp.hw.type'))],
        ['protocolType', layer.protocolType, num(field(t, 'arp.proto.type'))],
        ['operation', layer.operation, num(field(t, 'arp.opcode'))],
        ['senderHardware', layer.senderHardware, field(t, 'arp.src.hw_mac')],
        ['senderProtocol', layer.senderProtocol, field(t, 'arp.src.proto_ipv4')],
        ['targetHardware', layer.targetHardware, field(t, 'arp.dst.hw_mac')],
        ['targetProtocol', layer.targetProtocol, field(t, 'arp.dst.proto_ipv4')],
      ];
    case 'ipv4':
      return [
        ['src', layer.src, field(t, 'ip.src')],
        ['dst', layer.dst, field(t, 'ip.dst')],
        ['protocol', layer.protocol, num(field(t, 'ip.proto'))],
        ['headerLength', layer.headerLength, num(field(t, 'ip.hdr_len'))],
        // A total length of 0 (segmentation offload) is shown by tshark as the length of what follows.
        ['totalLength', layer.totalLength === 0 ? buf.length - layer.start : layer.totalLength, num(field(t, 'ip.len'))],
        ['identification', layer.identification, num(field(t, 'ip.id'))],
        ['ttl', layer.ttl, num(field(t, 'ip.ttl'))],
        ['dscp', layer.dscp, num(field(t, 'ip.dsfield.dscp'))],
        ['ecn', layer.ecn, num(field(t, 'ip.dsfield.ecn'))],
        ['reservedFlag', layer.reservedFlag, bool('ip.flags.rb')],
        ['dontFragment', layer.dontFragment, bool('ip.flags.df')],
        ['moreFragments', layer.moreFragments, bool('ip.flags.mf')],
        // tshark 4.0 shows the fragment offset in 8-byte units; labtel in bytes.
        ['fragmentOffset', layer.fragmentOffset, (num(field(t, 'ip.frag_offset')) ?? NaN) * 8],
        ['checksum', layer.checksum, num(field(t, 'ip.checksum'))],
        [
          'options',
          ipv4Options(buf, layer)
            .map((o) => o.type)
            .sort()
            .join(','),
          allFields(t, 'ip.opt.type').map(Number).sort().join(','),
        ],
      ];
    case 'ipv6':
      return [
        ['src', layer.src, field(t, 'ipv6.src')],
        ['dst', layer.dst, field(t, 'ipv6.dst')],
        ['nextHeader', layer.nextHeader, num(field(t, 'ipv6.nxt'))],
        ['hopLimit', layer.hopLimit, num(field(t, 'ipv6.hlim'))],
        ['payloadLength', layer.payloadLength, num(field(t, 'ipv6.plen'))],
        ['trafficClass', layer.trafficClass, num(field(t, 'ipv6.tclass'))],
        ['flowLabel', layer.flowLabel, num(field(t, 'ipv6.flow'))],
      ];
    case 'ipv6-hopopts':
    case 'ipv6-dstopts': {
      const p = layer.kind === 'ipv6-hopopts' ? 'ipv6.hopopts' : 'ipv6.dstopts';
      return [
        ['nextHeader', layer.nextHeader, num(field(t, `${p}.nxt`))],
        ['length', layer.length, num(field(t, `${p}.len_oct`))],
      ];
    }
    case 'ipv6-routing':
      return [
        ['nextHeader', layer.nextHeader, num(field(t, 'ipv6.routing.nxt'))],
        ['routingType', layer.routingType, num(field(t, 'ipv6.routing.type'))],
        ['segmentsLeft', layer.segmentsLeft, num(field(t, 'ipv6.routing.segleft'))],
      ];
    case 'ipv6-fragment':
      return [
        ['nextHeader', layer.nextHeader, num(field(t, 'ipv6.fraghdr.nxt'))],
        ['fragmentOffset', layer.fragmentOffset, (num(field(t, 'ipv6.fraghdr.offset')) ?? NaN) * 8],
        ['moreFragments', layer.moreFragments, bool('ipv6.fraghdr.more')],
        ['identification', layer.identification, num(field(t, 'ipv6.fraghdr.ident'))],
      ];
    case 'tcp': {
      const options = tcpOptions(buf, layer);
      return [
        ['srcPort', layer.srcPort, num(field(t, 'tcp.srcport'))],
        ['dstPort', layer.dstPort, num(field(t, 'tcp.dstport'))],
        ['seq', layer.seq, num(field(t, 'tcp.seq_raw'))],
        ['ack', layer.ack, num(field(t, 'tcp.ack_raw'))],
        ['headerLength', layer.headerLength, num(field(t, 'tcp.hdr_len'))],
        ['flags', layer.flags, num(field(t, 'tcp.flags'))],
        ['window', layer.window, num(field(t, 'tcp.window_size_value'))],
        ['checksum', layer.checksum, num(field(t, 'tcp.checksum'))],
        ['urgentPointer', layer.urgentPointer, num(field(t, 'tcp.urgent_pointer'))],
        ['mss', options.find((o) => o.mss !== undefined)?.mss, num(field(t, 'tcp.options.mss_val'))],
        ['windowScale', options.find((o) => o.windowScale !== undefined)?.windowScale, num(field(t, 'tcp.options.wscale.shift'))],
        ['tsVal', options.find((o) => o.tsVal !== undefined)?.tsVal, num(field(t, 'tcp.options.timestamp.tsval'))],
      ];
    }
    case 'udp':
      return [
        ['srcPort', layer.srcPort, num(field(t, 'udp.srcport'))],
        ['dstPort', layer.dstPort, num(field(t, 'udp.dstport'))],
        ['length', layer.length, num(field(t, 'udp.length'))],
        ['checksum', layer.checksum, num(field(t, 'udp.checksum'))],
      ];
    case 'sctp':
      return [
        ['srcPort', layer.srcPort, num(field(t, 'sctp.srcport'))],
        ['dstPort', layer.dstPort, num(field(t, 'sctp.dstport'))],
        ['verificationTag', layer.verificationTag, num(field(t, 'sctp.verification_tag'))],
        ['checksum', layer.checksum, num(field(t, 'sctp.checksum'))],
      ];
    case 'icmp':
      return [
        ['type', layer.type, num(field(t, 'icmp.type'))],
        ['code', layer.code, num(field(t, 'icmp.code'))],
        ['checksum', layer.checksum, num(field(t, 'icmp.checksum'))],
        ['identifier', layer.identifier, num(field(t, 'icmp.ident'))],
        ['sequence', layer.sequence, num(field(t, 'icmp.seq'))],
        ['gateway', layer.gateway, field(t, 'icmp.redir_gw')],
        ['pointer', layer.pointer, num(field(t, 'icmp.pointer'))],
        ['mtu', layer.mtu, num(field(t, 'icmp.mtu'))],
      ];
    case 'icmpv6':
      return [
        ['type', layer.type, num(field(t, 'icmpv6.type'))],
        ['code', layer.code, num(field(t, 'icmpv6.code'))],
        ['checksum', layer.checksum, num(field(t, 'icmpv6.checksum'))],
        ['identifier', layer.identifier, num(field(t, 'icmpv6.echo.identifier'))],
        ['sequence', layer.sequence, num(field(t, 'icmpv6.echo.sequence_number'))],
        ['mtu', layer.mtu, num(field(t, 'icmpv6.mtu'))],
        ['pointer', layer.pointer, num(field(t, 'icmpv6.pointer'))],
        ['targetAddress', layer.targetAddress, field(t, 'icmpv6.nd.ns.target_address') ?? field(t, 'icmpv6.nd.na.target_address')],
        ['naFlags', layer.naFlags, num(field(t, 'icmpv6.nd.na.flag'))],
      ];
    case 'gre':
      return [
        ['flags', layer.flags, num(field(t, 'gre.flags_and_version'))],
        ['version', layer.version, num(field(t, 'gre.flags.version'))],
        ['protocol', layer.protocol, num(field(t, 'gre.proto'))],
        ['key', layer.key, num(field(t, 'gre.key'))],
        ['sequence', layer.sequence, num(field(t, 'gre.sequence_number'))],
      ];
    case 'mpls':
      return [
        ['label', layer.label, num(field(t, 'mpls.label'))],
        ['trafficClass', layer.trafficClass, num(field(t, 'mpls.exp'))],
        ['bottomOfStack', layer.bottomOfStack, bool('mpls.bottom')],
        ['ttl', layer.ttl, num(field(t, 'mpls.ttl'))],
      ];
    case 'ah':
      return [
        ['nextHeader', layer.nextHeader, num(field(t, 'ah.next_header'))],
        ['length', layer.length, num(field(t, 'ah.length')) === undefined ? undefined : (num(field(t, 'ah.length'))! + 2) * 4],
        ['spi', layer.spi, num(field(t, 'ah.spi'))],
        ['sequence', layer.sequence, num(field(t, 'ah.sequence'))],
      ];
    case 'esp':
      return [
        ['spi', layer.spi, num(field(t, 'esp.spi'))],
        ['sequence', layer.sequence, num(field(t, 'esp.sequence'))],
      ];
    case 'vxlan':
      return [['vni', layer.vni, num(field(t, 'vxlan.vni'))]];
    case 'sll':
      return [
        ['packetType', layer.packetType, num(field(t, 'sll.pkttype'))],
        ['arphrdType', layer.arphrdType, num(field(t, 'sll.hatype'))],
        ['ethertype', layer.ethertype, num(field(t, 'sll.etype'))],
        // An Ethernet (ARPHRD 1) source address is sll.src.eth; others tshark prints as bytes.
        ['address', layer.address, field(t, 'sll.src.eth') ?? field(t, 'sll.src.other')],
      ];
    case 'pppoe':
      return [
        ['sessionId', layer.sessionId, num(field(t, 'pppoe.session_id'))],
        ['length', layer.length, num(field(t, 'pppoe.payload_length'))],
        ['pppProtocol', layer.pppProtocol, num(field(occurrence(tshark.layers, 'ppp', 0) ?? {}, 'ppp.protocol'))],
      ];
    default:
      return [];
  }
}

/** The 5-tuple tshark gives: the innermost IP header's addresses, its upper-layer protocol and L4 ports. */
function tsharkFiveTuple(expected: Expected[]): Record<string, string | number | undefined> {
  const out: Record<string, string | number | undefined> = {};
  for (const e of expected) {
    if (e.kind === 'ipv4') {
      Object.assign(out, { src: field(e.tree, 'ip.src'), dst: field(e.tree, 'ip.dst'), protocol: num(field(e.tree, 'ip.proto')) });
      out['srcPort'] = out['dstPort'] = undefined;
    } else if (e.kind === 'ipv6') {
      Object.assign(out, { src: field(e.tree, 'ipv6.src'), dst: field(e.tree, 'ipv6.dst'), protocol: num(field(e.tree, 'ipv6.nxt')) });
      out['srcPort'] = out['dstPort'] = undefined;
    } else if (e.kind.startsWith('ipv6-')) {
      out['protocol'] = num(field(e.tree, `${e.tree === undefined ? '' : Object.keys(e.tree).find((k) => k.endsWith('.nxt'))}`));
    } else if (e.kind === 'ah') {
      out['protocol'] = num(field(e.tree, 'ah.next_header'));
    } else if (e.kind === 'tcp' || e.kind === 'udp' || e.kind === 'sctp') {
      out['srcPort'] = num(field(e.tree, `${e.kind}.srcport`));
      out['dstPort'] = num(field(e.tree, `${e.kind}.dstport`));
    }
  }
  return out;
}


/** Mismatches between labtel's decode of a frame and tshark's, as "layer.field: labtel X, tshark Y" lines; also counts compared fields. */
export function compareWithTshark(data: Uint8Array, decoded: DecodedPacket, tshark: TsharkFrame, counter = { fields: 0 }): string[] {
  const expected = expectedLayers(tshark);
  const ours = decoded.layers.map((l) => l.kind);
  const theirs = expected.map((e) => e.kind);
  if (ours.join(':') !== theirs.join(':')) return [`layers: labtel ${ours.join(':')}, tshark ${theirs.join(':')}`];
  const mismatches: string[] = [];
  decoded.layers.forEach((layer, j) => {
    for (const [name, value, theirValue] of fieldsOf(data, layer, expected[j]!.tree, tshark)) {
      if (theirValue === undefined && value === undefined) continue;
      counter.fields++;
      if (value !== theirValue) mismatches.push(`${layer.kind}.${name}: labtel ${String(value)}, tshark ${String(theirValue)}`);
    }
  });
  const five = tsharkFiveTuple(expected);
  for (const k of ['src', 'dst', 'protocol', 'srcPort', 'dstPort'] as const) {
    counter.fields++;
    if (decoded[k] !== five[k]) mismatches.push(`packet.${k}: labtel ${String(decoded[k])}, tshark ${String(five[k])}`);
  }
  return mismatches;
}

/**
 * Writes frames of any link types to one pcapng (an interface per link type), has tshark dissect it (no IP
 * reassembly) and returns, per frame, the mismatches with labtel's decode.
 */
export async function tsharkMismatches(frames: Array<{ data: Uint8Array; linkType: number }>): Promise<string[][]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'labtel-tshark-'));
  try {
    const file = path.join(dir, 'frames.pcapng');
    const writer = new CaptureWriter(file, { format: 'pcapng' });
    frames.forEach((f, i) => writer.write({ timestampNs: BigInt(i) * 1_000_000_000n, data: f.data, linkType: f.linkType, interfaceId: f.linkType }));
    await writer.close();
    assert.equal(spawnSync('tshark', ['-v']).status, 0);
    const dissected = tsharkFrames(file, ['-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE']);
    assert.equal(dissected.length, frames.length);
    return frames.map((f, i) => compareWithTshark(f.data, decodeFrame(f.data, f.linkType), dissected[i]!));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const LINK_TYPE_OF_FIRST = { ethernet: 1, ipv4: 228, ipv6: 229, ip: 101 } as const;

/**
 * For the layer tests' tables: each case whose frame is whole (not truncated), dissected by tshark, and the
 * mismatches as "case name: mismatch" lines (empty when labtel and tshark agree on every field).
 */
export async function casesVersusTshark(cases: Array<{ name: string; first: keyof typeof LINK_TYPE_OF_FIRST; bytes: Uint8Array }>): Promise<string[]> {
  const whole = cases.filter((c) => !decodeFrame(c.bytes, LINK_TYPE_OF_FIRST[c.first]).truncated);
  const mismatches = await tsharkMismatches(whole.map((c) => ({ data: c.bytes, linkType: LINK_TYPE_OF_FIRST[c.first] })));
  return whole.flatMap((c, i) => mismatches[i]!.map((m) => `${c.name}: ${m}`));
}

// --- A decoded packet against a tshark subtree (a sampled header, an ICMP error's quote): every field ---------

/** Hex as tshark prints bytes: "0a:1b:…". */
function hexBytes(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += (i > start ? ':' : '') + buf[i]!.toString(16).padStart(2, '0');
  return s;
}

/**
 * tshark fields that are not fields of the packet's bytes: its verdicts (checksums are not validated by
 * default, so their status is "unverified"), its conversation state (streams, relative sequence numbers,
 * timing, window scaling learned from a handshake it did not see), expert notes, and name resolution.
 * They have no counterpart to compare, in labtel or in any decoder of a single packet.
 */
export const TSHARK_STATE: Record<string, string> = {
  'eth.dst_resolved': 'name resolution (manuf database)',
  'eth.src_resolved': 'name resolution (manuf database)',
  'eth.addr_resolved': 'name resolution (manuf database)',
  'eth.dst.oui_resolved': 'name resolution (manuf database)',
  'eth.src.oui_resolved': 'name resolution (manuf database)',
  'eth.addr.oui_resolved': 'name resolution (manuf database)',
  'ip.checksum.status': 'checksum verdict (validation off)',
  'udp.checksum.status': 'checksum verdict',
  'tcp.checksum.status': 'checksum verdict (validation off)',
  'icmp.checksum_bad': 'expert note (the verdict is compared as icmp.checksum.status)',
  'icmpv6.checksum_bad.expert': 'expert note (the verdict is compared as icmpv6.checksum.status)',
  'eth.fcs.status': 'checksum verdict (validation off)',
  'udp.stream': 'conversation index',
  'tcp.stream': 'conversation index',
  'tcp.completeness': 'conversation state',
  'tcp.seq': 'sequence number relative to the conversation',
  'tcp.ack': 'acknowledgement relative to the conversation',
  'tcp.nxtseq': 'relative to the conversation',
  'tcp.options.sack_le': 'SACK edge relative to the conversation',
  'tcp.options.sack_re': 'SACK edge relative to the conversation',
  'tcp.window_size': 'window scaled by a factor learned from the handshake',
  'tcp.window_size_scalefactor': 'learned from the handshake (-1 unknown)',
  'tcp.time_relative': 'timing across frames',
  'tcp.time_delta': 'timing across frames',
  'udp.time_relative': 'timing across frames',
  'udp.time_delta': 'timing across frames',
  'icmp.data_time': 'a guess that an echo\'s data starts with a timestamp',
  'icmp.data_time_relative': 'a guess that an echo\'s data starts with a timestamp',
  'icmp.resp_in': 'request/response matching across frames',
  'icmp.resp_to': 'request/response matching across frames',
  'icmp.no_resp': 'request/response matching across frames',
  'icmpv6.resp_in': 'request/response matching across frames',
  'icmpv6.resp_to': 'request/response matching across frames',
  'icmpv6.no_resp': 'request/response matching across frames',
  'udp.possible_traceroute': 'expert note',
  '_ws.expert': 'expert note',
  '_ws.expert.message': 'expert note',
  '_ws.expert.severity': 'expert note',
  '_ws.expert.group': 'expert note',
  'tcp.analysis': 'conversation analysis',
  'tcp.analysis.flags': 'conversation analysis',
  'tcp.connection.syn': 'expert note',
  'tcp.connection.synack': 'expert note',
  'tcp.connection.fin': 'expert note',
  'tcp.connection.rst': 'expert note',
  'ip.ttl.too_small': 'expert note',
  'icmp.resptime': 'request/response matching across frames',
  'icmpv6.resptime': 'request/response matching across frames',
};

/** Prefixes of tshark fields that are its state, as TSHARK_STATE (tcp.analysis.* is its conversation analysis). */
const TSHARK_STATE_PREFIXES: Array<[string, string]> = [
  ['tcp.analysis', 'conversation analysis'],
  ['tcp.connection', 'expert note on the connection\'s state'],
  ['_ws.expert', 'expert note'],
];

function isTsharkState(key: string): boolean {
  return TSHARK_STATE[key] !== undefined || TSHARK_STATE_PREFIXES.some(([p]) => key.startsWith(p));
}

/**
 * tshark fields of the packet labtel does not model, each with why. A differential fails on any other tshark
 * field it did not compare. The aim is an empty list.
 */
export const NOT_MODELLED: Record<string, string> = {
};
/** Application protocols tshark finds above transport; labtel's layers end there and give the payload's byte range (compared). */
export const NOT_MODELLED_PROTOCOLS: Record<string, string> = {
  ssh: 'application protocol above TCP (labtel gives the TCP payload, compared as bytes)',
 bgp: 'BGP messages in captured TCP segments: labtel\'s BGP decoder (src/protocols/bgp) reads whole sessions and is checked against its own oracles; the packet layers give the TCP payload, compared as bytes',
  mp2t: 'tshark\'s heuristic guess that a UDP payload is an MPEG-2 transport stream (labtel gives the UDP payload, compared as bytes)',
  tls: 'application protocol above TCP (labtel gives the TCP payload, compared as bytes)',
};

interface DeriveContext {
  buf: Uint8Array;
  packet: DecodedPacket;
  layer: Layer;
  /** Where tshark's bytes end (a sampled header's XDR padding included). */
  end: number;
  /** Where tshark verifies no checksum: an ICMP error's quote, or a sampled header (dissected as an error packet). */
  noChecksums: boolean;
}

/** tshark's checksum status: 0 bad, 1 good, 2 unverified (PROTO_CHECKSUM_E_*). */
function checksumStatus(valid: boolean | undefined, noChecksums: boolean): string {
  return noChecksums || valid === undefined ? '2' : valid ? '1' : '0';
}

const TCP_FLAG_LETTERS = 'RRRACEUAPRSF';

/** The IP header that encloses the layer (the last before it). */
function enclosingIp(ctx: DeriveContext): Extract<Layer, { kind: 'ipv4' | 'ipv6' }> | undefined {
  const i = ctx.packet.layers.indexOf(ctx.layer);
  for (let k = i - 1; k >= 0; k--) {
    const l = ctx.packet.layers[k]!;
    if (l.kind === 'ipv4' || l.kind === 'ipv6') return l;
  }
  return undefined;
}

function ipEndByLength(ctx: DeriveContext): number {
  const l = enclosingIp(ctx);
  if (!l) return ctx.end;
  return l.kind === 'ipv4' ? l.start + (l.totalLength || ctx.end - l.start) : l.end + l.payloadLength;
}

/** The bytes after the outermost IP packet's end (its length field) up to the end of the bytes: a link-layer trailer. */
function trailer(ctx: DeriveContext): string | undefined {
  const ip = ctx.packet.layers.find((l) => l.kind === 'ipv4' || l.kind === 'ipv6');
  if (!ip) return undefined;
  const end = ip.kind === 'ipv4' ? ip.start + ip.totalLength : ip.end + ip.payloadLength;
  return end < ctx.end ? hexBytes(ctx.buf, end, ctx.end) : undefined;
}

type Derived = (ctx: DeriveContext) => string | string[] | undefined;
const macOui = (b: Uint8Array, o: number) => String((b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!);
const bit = (v: number, m: number) => ((v & m) !== 0 ? '1' : '0');
const eth = (ctx: DeriveContext) => ctx.layer as Extract<Layer, { kind: 'ethernet' }>;

/**
 * tshark fields computed from fields labtel has: each is compared with the same computation on labtel's
 * decode (a list: tshark's value must be one of them, e.g. eth.addr is the source or the destination).
 */
const DERIVED: Record<string, Derived> = {
  'eth.addr': (c) => [eth(c).src, eth(c).dst],
  'eth.dst.oui': (c) => macOui(c.buf, c.layer.start),
  'eth.src.oui': (c) => macOui(c.buf, c.layer.start + 6),
  'eth.addr.oui': (c) => [macOui(c.buf, c.layer.start), macOui(c.buf, c.layer.start + 6)],
  'eth.dst.lg': (c) => bit(c.buf[c.layer.start]!, 2),
  'eth.dst.ig': (c) => bit(c.buf[c.layer.start]!, 1),
  'eth.src.lg': (c) => bit(c.buf[c.layer.start + 6]!, 2),
  'eth.src.ig': (c) => bit(c.buf[c.layer.start + 6]!, 1),
  'eth.lg': (c) => [bit(c.buf[c.layer.start]!, 2), bit(c.buf[c.layer.start + 6]!, 2)],
  'eth.ig': (c) => [bit(c.buf[c.layer.start]!, 1), bit(c.buf[c.layer.start + 6]!, 1)],
  'eth.trailer': trailer,
  // tshark takes a trailer of exactly 4 bytes for a frame check sequence.
  'eth.fcs': (c) => {
    const t = trailer(c);
    return t && t.length === 11 ? '0x' + t.replace(/:/g, '') : undefined;
  },
  'eth.padding': trailer,
  'vlan.trailer': trailer,
  'vlan.padding': trailer,
  // tshark prints ip.version in IPv6 headers too.
  'ip.version': (c) => (c.layer.kind === 'ipv6' ? '6' : '4'),
  'ip.dsfield': (c) => (c.layer.kind === 'ipv4' ? '0x' + ((c.layer.dscp << 2) | c.layer.ecn).toString(16).padStart(2, '0') : undefined),
  'ip.flags': (c) =>
    c.layer.kind === 'ipv4'
      ? '0x' + ((Number(c.layer.reservedFlag) << 2) | (Number(c.layer.dontFragment) << 1) | Number(c.layer.moreFragments)).toString(16).padStart(2, '0')
      : undefined,
  'ip.addr': (c) => (c.layer.kind === 'ipv4' ? [c.layer.src, c.layer.dst] : undefined),
  'ip.host': (c) => (c.layer.kind === 'ipv4' ? [c.layer.src, c.layer.dst] : undefined),
  'ip.src_host': (c) => (c.layer.kind === 'ipv4' ? c.layer.src : undefined),
  'ip.dst_host': (c) => (c.layer.kind === 'ipv4' ? c.layer.dst : undefined),
  'ipv6.version': () => '6',
  'ipv6.tclass.dscp': (c) => (c.layer.kind === 'ipv6' ? String(c.layer.trafficClass >>> 2) : undefined),
  'ipv6.tclass.ecn': (c) => (c.layer.kind === 'ipv6' ? String(c.layer.trafficClass & 3) : undefined),
  'ipv6.addr': (c) => (c.layer.kind === 'ipv6' ? [c.layer.src, c.layer.dst] : undefined),
  'ipv6.host': (c) => (c.layer.kind === 'ipv6' ? [c.layer.src, c.layer.dst] : undefined),
  'ipv6.src_host': (c) => (c.layer.kind === 'ipv6' ? c.layer.src : undefined),
  'ipv6.dst_host': (c) => (c.layer.kind === 'ipv6' ? c.layer.dst : undefined),
  'tcp.port': (c) => (c.layer.kind === 'tcp' ? [String(c.layer.srcPort), String(c.layer.dstPort)] : undefined),
  'udp.port': (c) => (c.layer.kind === 'udp' ? [String(c.layer.srcPort), String(c.layer.dstPort)] : undefined),
  'tcp.flags.str': (c) =>
    c.layer.kind === 'tcp'
      ? [...TCP_FLAG_LETTERS].map((ch, i) => ((c.layer as { flags: number }).flags & (1 << (11 - i)) ? ch : '·')).join('')
      : undefined,
  ...tcpFlagBits(),
  'tcp.len': (c) => (c.layer.kind === 'tcp' ? String(ipEndByLength(c) - c.layer.start - c.layer.headerLength) : undefined),
  'tcp.payload': (c) => payloadHex(c),
  'udp.payload': (c) => payloadHex(c),
  'tcp.options': (c) => (c.layer.kind === 'tcp' ? hexBytes(c.buf, c.layer.optionsStart, c.layer.start + c.layer.headerLength) : undefined),
  'tcp.option_kind': (c) => (c.layer.kind === 'tcp' ? tcpOptions(c.buf, c.layer).map((o) => String(o.kind)) : undefined),
  'tcp.option_len': (c) => (c.layer.kind === 'tcp' ? tcpOptions(c.buf, c.layer).map((o) => String(o.length)) : undefined),
  'tcp.options.nop': (c) => optionBytes(c, 1),
  'tcp.options.eol': (c) => optionBytes(c, 0),
  'tcp.options.mss': (c) => optionBytes(c, 2),
  'tcp.options.wscale': (c) => optionBytes(c, 3),
  'tcp.options.sack_perm': (c) => optionBytes(c, 4),
  'tcp.options.sack': (c) => optionBytes(c, 5),
  'tcp.options.timestamp': (c) => optionBytes(c, 8),
  'tcp.options.timestamp.tsecr': (c) => (c.layer.kind === 'tcp' ? tcpOptions(c.buf, c.layer).flatMap((o) => (o.tsEcr === undefined ? [] : [String(o.tsEcr)])) : undefined),
  'tcp.options.wscale.multiplier': (c) =>
    c.layer.kind === 'tcp' ? tcpOptions(c.buf, c.layer).flatMap((o) => (o.windowScale === undefined ? [] : [String(2 ** Math.min(o.windowScale, 14))])) : undefined,
  'tcp.options.sack.count': (c) => (c.layer.kind === 'tcp' ? tcpOptions(c.buf, c.layer).flatMap((o) => (o.sack ? [String(o.sack.length)] : [])) : undefined),
  'icmp.ident_le': (c) => (c.layer.kind === 'icmp' ? String(c.buf[c.layer.start + 4]! | (c.buf[c.layer.start + 5]! << 8)) : undefined),
  'icmp.seq_le': (c) => (c.layer.kind === 'icmp' ? String(c.buf[c.layer.start + 6]! | (c.buf[c.layer.start + 7]! << 8)) : undefined),
  // The unused part of an error's rest-of-header: all of it, or what the MTU (type 3 code 4) or pointer (type 12) leave.
  'icmp.unused': (c) =>
    c.layer.kind === 'icmp'
      ? c.layer.mtu !== undefined
        ? hexBytes(c.buf, c.layer.start + 4, c.layer.start + 6)
        : c.layer.pointer !== undefined
          ? hexBytes(c.buf, c.layer.start + 5, c.layer.start + 8)
          : hexBytes(c.buf, c.layer.start + 4, c.layer.start + 8)
      : undefined,
  'icmpv6.nd.na.flag.r': (c) => (c.layer.kind === 'icmpv6' && c.layer.naFlags !== undefined ? bit(c.layer.naFlags, 0x80000000) : undefined),
  'icmpv6.nd.na.flag.s': (c) => (c.layer.kind === 'icmpv6' && c.layer.naFlags !== undefined ? bit(c.layer.naFlags, 0x40000000) : undefined),
  'icmpv6.nd.na.flag.o': (c) => (c.layer.kind === 'icmpv6' && c.layer.naFlags !== undefined ? bit(c.layer.naFlags, 0x20000000) : undefined),
  'icmpv6.nd.na.flag.rsv': (c) => (c.layer.kind === 'icmpv6' && c.layer.naFlags !== undefined ? String(c.layer.naFlags & 0x1fffffff) : undefined),
  'icmpv6.opt.type': (c) => ndOptions(c).map((o) => String(o.type)),
  'icmpv6.opt.length': (c) => ndOptions(c).map((o) => String(o.length)),
  'icmpv6.opt.linkaddr': (c) => ndOptions(c).flatMap((o) => (o.linkAddress ? [o.linkAddress] : [])),
  'icmpv6.opt.src_linkaddr': (c) => ndOptions(c).flatMap((o) => (o.type === ND_OPTION_SOURCE_LINK_ADDRESS && o.linkAddress ? [o.linkAddress] : [])),
  'icmpv6.opt.tgt_linkaddr': (c) => ndOptions(c).flatMap((o) => (o.type === ND_OPTION_TARGET_LINK_ADDRESS && o.linkAddress ? [o.linkAddress] : [])),
  ...vxlanFlags(),
  // tshark verifies ICMP and ICMPv6 checksums (not IPv4, TCP or UDP ones, by default); labtel does on demand.
  'icmp.checksum.status': (c) =>
    c.layer.kind === 'icmp' ? checksumStatus(icmpChecksumValid(c.buf, c.layer, ipEndByLength(c), Math.min(c.end, c.packet.payloadEnd)), c.noChecksums) : undefined,
  'icmpv6.checksum.status': (c) => {
    if (c.layer.kind !== 'icmpv6') return undefined;
    const ip = enclosingIp(c);
    const valid = ip?.kind === 'ipv6' ? icmpv6ChecksumValid(c.buf, c.layer, ip.start, ipEndByLength(c), Math.min(c.end, c.packet.payloadEnd)) : undefined;
    return checksumStatus(valid, c.noChecksums);
  },
  // The cooked header's address field is 8 bytes; halen says how many are the address, the rest tshark shows as unused.
  'sll.halen': (c) => (c.layer.kind === 'sll' ? String(c.layer.address.split(':').length) : undefined),
  'sll.unused': (c) => (c.layer.kind === 'sll' && c.layer.address.length < 23 ? hexBytes(c.buf, c.layer.start + 6 + c.layer.address.split(':').length, c.layer.start + 14) : undefined),
  'icmpv6.reserved': (c) => (c.layer.kind === 'icmpv6' ? hexBytes(c.buf, c.layer.start + 4, c.layer.start + 8) : undefined),
};

/** tshark's one-bit views of the TCP flags (RFC 9293 section 3.1; AE RFC 3540/9768; res the 3 reserved bits). */
function tcpFlagBits(): Record<string, Derived> {
  const masks: Record<string, number> = { res: 0xe00, ae: 0x100, cwr: 0x80, ece: 0x40, urg: 0x20, ack: 0x10, push: 0x08, reset: 0x04, syn: 0x02, fin: 0x01 };
  return Object.fromEntries(Object.entries(masks).map(([name, m]) => [`tcp.flags.${name}`, (c: DeriveContext) => (c.layer.kind === 'tcp' ? bit(c.layer.flags, m) : undefined)]));
}

/**
 * tshark reads VXLAN's first 16 bits as the Group Policy extension's flags (draft-smith-vxlan-group-policy:
 * G 0x8000, I 0x0800, D 0x0040, A 0x0008) and the next 16 as the group policy id: RFC 7348's flags byte and
 * reserved bits, as labtel keeps them.
 */
function vxlanFlags(): Record<string, Derived> {
  const word = (c: DeriveContext) => (c.layer.kind === 'vxlan' ? (c.layer.flags << 8) | (c.layer.reserved >>> 16) : undefined);
  const hex4 = (n: number) => '0x' + n.toString(16).padStart(4, '0');
  const flagBit = (m: number) => (c: DeriveContext) => (word(c) === undefined ? undefined : bit(word(c)!, m));
  return {
    'vxlan.flags': (c) => (word(c) === undefined ? undefined : hex4(word(c)!)),
    'vxlan.flag_g': flagBit(0x8000),
    'vxlan.flag_i': flagBit(0x0800),
    'vxlan.flag_d': flagBit(0x0040),
    'vxlan.flag_a': flagBit(0x0008),
    'vxlan.flags_reserved': (c) => (word(c) === undefined ? undefined : hex4(word(c)! & 0x77b7)),
    'vxlan.gbp': (c) => (c.layer.kind === 'vxlan' ? String(c.layer.reserved & 0xffff) : undefined),
    'vxlan.reserved8': (c) => (c.layer.kind === 'vxlan' ? String(c.layer.reservedLast) : undefined),
  };
}

function ndOptions(c: DeriveContext): NdOption[] {
  return c.layer.kind === 'icmpv6' ? icmpv6Options(c.buf, c.layer, Math.min(c.packet.payloadEnd, c.end)) : [];
}

function payloadHex(c: DeriveContext): string[] | undefined {
  if (c.layer.kind !== 'tcp' && c.layer.kind !== 'udp') return undefined;
  const start = c.layer.kind === 'tcp' ? c.layer.start + c.layer.headerLength : c.layer.end;
  // tshark's payload field runs to the UDP length, or — when that is shorter than the IP payload, as in a
  // datagram it calls malformed — on to the IP payload's end: both are offered.
  const ipEnd = ipEndByLength(c);
  const byLength = c.layer.kind === 'udp' && c.layer.length >= 8 ? c.layer.start + c.layer.length : ipEnd;
  return [...new Set([hexBytes(c.buf, start, Math.min(byLength, c.end)), hexBytes(c.buf, start, Math.min(ipEnd, c.end))])];
}

function optionBytes(c: DeriveContext, kind: number): string[] | undefined {
  if (c.layer.kind !== 'tcp') return undefined;
  return tcpOptions(c.buf, c.layer)
    .filter((o) => o.kind === kind)
    .map((o) => hexBytes(c.buf, o.start, o.start + o.length));
}

/** labtel's layer kind → the key of tshark's protocol object. */
function tsharkKey(l: Layer): string {
  if (l.kind === 'vlan') return l.tpid === 0x8100 ? 'vlan' : 'ieee8021ad';
  const p = Object.values(PROTOCOLS).find((x) => x.kind === l.kind);
  return p ? p.key : l.kind;
}

function objects(v: TsharkValue | undefined): TsharkTree[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is TsharkTree => typeof x === 'object' && !Array.isArray(x));
}

/** What a packet comparison found: mismatches, fields compared, and the not-modelled fields tshark showed (by name). */
export interface PacketComparison {
  mismatches: string[];
  fields: number;
  notModelled: Map<string, number>;
  /** labtel layers tshark did not dissect (labtel decodes further, e.g. VXLAN inside a sampled header). */
  beyondTshark: Map<string, number>;
}

export function newPacketComparison(): PacketComparison {
  return { mismatches: [], fields: 0, notModelled: new Map(), beyondTshark: new Map() };
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/** Which tshark objects a comparison has met, shared by the comparisons of one frame; and where else to look. */
export interface TreeMatch {
  consumed: Set<TsharkTree>;
  /**
   * Where tshark may have put layers of a sampled header beyond its header tree: its VXLAN dissector files
   * what it carries at the frame's top level, not under the sFlow header.
   */
  overflow?: TsharkTree;
}

/**
 * Compares labtel's decode of buf[…, end) with tshark's dissection of the same bytes, `tree` holding tshark's
 * protocol objects (a frame's layers, a sampled header's tree, or an ICMP error's object holding its quote).
 * Each labtel layer meets the next tshark object of its protocol not met yet, field by field (fieldsOf);
 * every other field tshark shows must be derived from labtel's (DERIVED, compared), be tshark's own state
 * (TSHARK_STATE) or be listed in NOT_MODELLED — anything else is a mismatch. ICMP errors recurse into their
 * quote. Then leftoverProtocols() (unless `deferLeftovers`): a protocol tshark dissects that no labtel layer met is a
 * mismatch. `noChecksums`: tshark verifies no checksum in these bytes (a sampled header, which packet-sflow
 * dissects as an error packet; quotes are so anyway).
 */
export function comparePacketTree(
  buf: Uint8Array, packet: DecodedPacket, tree: TsharkTree, end: number, out: PacketComparison, where: string,
  match: TreeMatch = { consumed: new Set() }, deferLeftovers = false, noChecksums = false,
): void {
  const next = (from: TsharkTree | undefined, key: string): TsharkTree | undefined =>
    from ? objects(from[key]).find((t) => !match.consumed.has(t)) : undefined;
  let ipv6Tree: TsharkTree | undefined;
  const met = new Map<Layer, TsharkTree>();
  for (const layer of packet.layers) {
    const key = tsharkKey(layer);
    let t: TsharkTree | undefined;
    if (layer.kind.startsWith('ipv6-') || (layer.kind === 'ah' && ipv6Tree?.[key] !== undefined)) t = objects(ipv6Tree?.[key])[0];
    else t = next(tree, key) ?? next(match.overflow, key);
    if (!t) {
      bump(out.beyondTshark, layer.kind);
      continue;
    }
    match.consumed.add(t);
    met.set(layer, t);
    if (layer.kind === 'ipv6') ipv6Tree = t;
    compareLayer(buf, packet, layer, t, end, out, `${where} ${layer.kind}`, noChecksums);
    if ((layer.kind === 'icmp' || layer.kind === 'icmpv6') && layer.quoted) {
      comparePacketTree(buf, layer.quoted, t, layer.quoted.payloadEnd, out, `${where} ${layer.kind} quote`, match, false, true);
    }
  }
  // The 5-tuple: the innermost IP header's addresses (its protocol and ports are fields of the layers above).
  const ips = packet.layers.filter((l) => l.kind === 'ipv4' || l.kind === 'ipv6');
  const last = ips[ips.length - 1];
  const t = last && met.get(last);
  if (last && t) {
    const fam = last.kind === 'ipv4' ? 'ip' : 'ipv6';
    for (const [name, ours, theirs] of [
      ['src', packet.src, field(t, `${fam}.src`)],
      ['dst', packet.dst, field(t, `${fam}.dst`)],
    ] as const) {
      out.fields++;
      if (ours !== theirs) out.mismatches.push(`${where} 5-tuple ${name}: labtel ${String(ours)}, tshark ${String(theirs)}`);
    }
  }
  // tshark files a sampled header's payload ("data") under the header or at the frame's top level: the
  // overflow's data object with this payload's bytes is this packet's.
  if (match.overflow && tree['data'] === undefined && packet.payloadStart < Math.min(packet.payloadEnd, end)) {
    const ours = hexBytes(buf, packet.payloadStart, Math.min(packet.payloadEnd, end));
    const t = objects(match.overflow['data']).find((d) => !match.consumed.has(d) && d['data.data'] === ours);
    if (t) {
      match.consumed.add(t);
      compareData(buf, packet, t, end, out, `${where} data`);
    }
  }
  if (!deferLeftovers) leftoverProtocols(buf, packet, tree, end, out, where, match);
}

/** Protocols tshark dissected in `tree` that no labtel layer met: tshark's data (the payload, compared as bytes), a cut L4 header, a listed protocol, or a mismatch. */
export function leftoverProtocols(buf: Uint8Array, packet: DecodedPacket, tree: TsharkTree, end: number, out: PacketComparison, where: string, match: TreeMatch): void {
  for (const [key, value] of Object.entries(tree)) {
    if (!isProtocolKey(key)) continue;
    for (const t of objects(value)) {
      if (match.consumed.has(t)) continue;
      match.consumed.add(t);
      if (key === 'data') compareData(buf, packet, t, end, out, `${where} data`);
      else if ((key === 'tcp' || key === 'udp') && packet.truncatedIn === key) compareCutL4(buf, packet, t, out, `${where} cut ${key}`);
      else if (NOT_MODELLED_PROTOCOLS[key] !== undefined) bump(out.notModelled, key);
      else out.mismatches.push(`${where}: tshark dissects ${key}, labtel has no layer for it`);
    }
  }
}

function compareLayer(buf: Uint8Array, packet: DecodedPacket, layer: Layer, t: TsharkTree, end: number, out: PacketComparison, where: string, noChecksums: boolean): void {
  const frame: TsharkFrame = { protocols: [], layers: t };
  const { result, read } = recordingFields(() => fieldsOf(buf, layer, t, frame));
  for (const [name, value, theirs] of result) {
    if (theirs === undefined && value === undefined) continue;
    out.fields++;
    if (value !== theirs) out.mismatches.push(`${where}.${name}: labtel ${String(value)}, tshark ${String(theirs)}`);
  }
  const ctx: DeriveContext = { buf, packet, layer, end, noChecksums };
  const derivedCache = new Map<string, string[]>();
  for (const [key, value] of leafFields(t)) {
    if (read.has(key)) continue;
    if (isTsharkState(key)) continue;
    const derive = DERIVED[key];
    if (derive) {
      let ours = derivedCache.get(key);
      if (!ours) {
        const v = derive(ctx);
        ours = v === undefined ? [] : Array.isArray(v) ? v : [v];
        derivedCache.set(key, ours);
      }
      out.fields++;
      if (!ours.includes(value)) out.mismatches.push(`${where} ${key}: tshark ${value}, labtel gives ${ours.join(' | ') || 'nothing'}`);
      continue;
    }
    if (NOT_MODELLED[key] !== undefined) {
      bump(out.notModelled, key);
      continue;
    }
    out.mismatches.push(`${where}: tshark field ${key} = ${value} has no labtel counterpart`);
  }
}

/** tshark's "data" protocol: the bytes after the last header labtel decoded, up to where tshark's bytes end. */
function compareData(buf: Uint8Array, packet: DecodedPacket, t: TsharkTree, end: number, out: PacketComparison, where: string): void {
  const stop = Math.min(packet.payloadEnd, end);
  const ours = hexBytes(buf, packet.payloadStart, stop);
  for (const [key, value] of leafFields(t)) {
    out.fields++;
    const expected = key === 'data.data' ? ours : key === 'data.len' ? String(stop - packet.payloadStart) : undefined;
    if (expected !== value) out.mismatches.push(`${where} ${key}: tshark ${value}, labtel ${String(expected)}`);
  }
}

/** A TCP or UDP header cut short (an ICMPv4 error's 8-byte quote): labtel keeps its ports. */
function compareCutL4(buf: Uint8Array, packet: DecodedPacket, t: TsharkTree, out: PacketComparison, where: string): void {
  const proto = packet.truncatedIn!;
  for (const [key, value] of leafFields(t)) {
    let ours: string[] | undefined;
    // tshark prints a cut TCP header's sequence number raw (no conversation to be relative to).
    if (key === 'tcp.seq' && proto === 'tcp') ours = [String(cutTcpSequence(buf, packet))];
    else if (key === `${proto}.srcport`) ours = [String(packet.srcPort)];
    else if (key === `${proto}.dstport`) ours = [String(packet.dstPort)];
    else if (key === `${proto}.port`) ours = [String(packet.srcPort), String(packet.dstPort)];
    if (ours) {
      out.fields++;
      if (!ours.includes(value)) out.mismatches.push(`${where} ${key}: tshark ${value}, labtel ${ours.join(' | ')}`);
    } else out.mismatches.push(`${where}: tshark field ${key} = ${value} has no labtel counterpart`);
  }
}

/**
 * For layer tables whose frames hold nested packets (ICMP quotes): each case's frame dissected by tshark and
 * compared with comparePacketTree — every field tshark prints, quotes included — as "case name: mismatch" lines.
 */
export async function treesVersusTshark(cases: Array<{ name: string; first: keyof typeof LINK_TYPE_OF_FIRST; bytes: Uint8Array }>): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'labtel-tshark-'));
  try {
    const file = path.join(dir, 'frames.pcapng');
    const writer = new CaptureWriter(file, { format: 'pcapng' });
    cases.forEach((c, i) => {
      const linkType = LINK_TYPE_OF_FIRST[c.first];
      writer.write({ timestampNs: BigInt(i) * 1_000_000_000n, data: c.bytes, linkType, interfaceId: linkType });
    });
    await writer.close();
    const dissected = tsharkFrames(file, ['-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE']);
    assert.equal(dissected.length, cases.length);
    return cases.flatMap((c, i) => {
      const layers = Object.fromEntries(Object.entries(dissected[i]!.layers).filter(([k]) => k !== 'frame' && !k.startsWith('_ws')));
      const out = newPacketComparison();
      comparePacketTree(c.bytes, decodeFrame(c.bytes, LINK_TYPE_OF_FIRST[c.first]), layers, c.bytes.length, out, c.name);
      return out.mismatches;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
