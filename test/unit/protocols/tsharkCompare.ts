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
import { ipv4Options } from '../../../src/protocols/ipv4';
import { tcpOptions } from '../../../src/protocols/tcp';
import { TsharkFrame, TsharkTree, allFields, field, num, occurrence, tsharkFrames } from './tsharkJson';

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
      ];
    case 'icmpv6':
      return [
        ['type', layer.type, num(field(t, 'icmpv6.type'))],
        ['code', layer.code, num(field(t, 'icmpv6.code'))],
        ['checksum', layer.checksum, num(field(t, 'icmpv6.checksum'))],
        ['identifier', layer.identifier, num(field(t, 'icmpv6.echo.identifier'))],
        ['sequence', layer.sequence, num(field(t, 'icmpv6.echo.sequence_number'))],
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
