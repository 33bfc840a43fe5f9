// Differential test: every frame of the corpus's varied-145.pcap decoded by labtel and by tshark
// (`tshark -r FILE -T json --no-duplicate-keys`), compared layer by layer and field by field, plus the
// packet's 5-tuple against tshark's innermost IP and L4 headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpusPath } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';
import { parseCapture } from '../../../src/protocols/capture';
import { decodeFrame, Layer, LayerKind } from '../../../src/protocols/packet';
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
};
/** Protocols tshark shows that are part of a layer labtel already has (ethertype: a field of eth/vlan; ppp: of pppoe). */
const FOLDED = new Set(['ethertype', 'ppp']);
/** After these, tshark decodes a quoted packet (ICMP errors) that labtel leaves as payload. */
const LAST = new Set(['icmp', 'icmpv6']);

interface Expected {
  kind: LayerKind;
  tree: TsharkTree;
}

/** The layers labtel should find, with each one's tshark object (the n-th occurrence of its protocol). */
function expectedLayers(frame: TsharkFrame): Expected[] {
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
    if (name.startsWith('ipv6.')) {
      const ext = ipv6Tree?.[p.key];
      tree = (Array.isArray(ext) ? ext[0] : ext) as TsharkTree | undefined;
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
function fieldsOf(buf: Uint8Array, layer: Layer, t: TsharkTree, tshark: TsharkFrame): Fields {
  const bool = (k: string) => (field(t, k) === undefined ? undefined : field(t, k) === '1');
  switch (layer.kind) {
    case 'ethernet':
      return [
        ['dst', layer.dst, field(t, 'eth.dst')],
        ['src', layer.src, field(t, 'eth.src')],
        ['ethertype', layer.ethertype, num(field(t, 'eth.type'))],
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
        ['totalLength', layer.totalLength, num(field(t, 'ip.len'))],
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
            .map((o) => o.type & 0x1f)
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
    } else if (e.kind === 'tcp' || e.kind === 'udp' || e.kind === 'sctp') {
      out['srcPort'] = num(field(e.tree, `${e.kind}.srcport`));
      out['dstPort'] = num(field(e.tree, `${e.kind}.dstport`));
    }
  }
  return out;
}

test('every frame of bpf/varied-145.pcap decodes like tshark: layers, fields and 5-tuple', async (t) => {
  if (!requirePrereqs(t, { tools: ['tshark'] })) return;
  const file = corpusPath('bpf', 'varied-145.pcap');
  // Without reassembly, so that tshark decodes each fragment on its own as labtel does.
  const frames = tsharkFrames(file, ['-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE']);
  const packets = [...parseCapture(readFileSync(file))];
  assert.equal(packets.length, frames.length, 'frame count');
  let compared = 0;
  for (let i = 0; i < packets.length; i++) {
    const tshark = frames[i]!;
    await t.test(`frame ${i + 1} (${tshark.protocols.join(':')})`, () => {
      const p = packets[i]!;
      const decoded = decodeFrame(p.data, p.linkType);
      const expected = expectedLayers(tshark);
      assert.deepEqual(
        decoded.layers.map((l) => l.kind),
        expected.map((e) => e.kind),
        'layer kinds in order',
      );
      const mismatches: string[] = [];
      decoded.layers.forEach((layer, j) => {
        for (const [name, ours, theirs] of fieldsOf(p.data, layer, expected[j]!.tree, tshark)) {
          if (theirs === undefined && ours === undefined) continue;
          compared++;
          if (ours !== theirs) mismatches.push(`${layer.kind}.${name}: labtel ${String(ours)}, tshark ${String(theirs)}`);
        }
      });
      const five = tsharkFiveTuple(expected);
      for (const k of ['src', 'dst', 'protocol', 'srcPort', 'dstPort'] as const) {
        compared++;
        if (decoded[k] !== five[k]) mismatches.push(`packet.${k}: labtel ${String(decoded[k])}, tshark ${String(five[k])}`);
      }
      assert.deepEqual(mismatches, []);
      assert.equal(decoded.truncated, false);
    });
  }
  assert.ok(compared > 145 * 10, `compared ${compared} fields`);
});
