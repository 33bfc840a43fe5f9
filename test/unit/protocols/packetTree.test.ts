// The packet tree's byte ranges against tshark's: every field the tree shows is where tshark's dissector
// says its bytes are (PDML `pos` and `size`), for every frame of the corpus's varied-145.pcap that
// labtel decodes (Ethernet, 802.1Q, ARP, IPv4, IPv6, TCP, UDP, ICMP, ICMPv6 …).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { corpusPath } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';
import { parseCapture } from '../../../src/protocols/capture';
import { bytesOfHex, packetTree, type PacketTreeNode } from '../../../src/protocols/packetTree';
import { DecodeError } from '../../../src/protocols/decodeError';
import type { DecodedPacket as SharedDecodedPacket } from '../../../src/shared/packetTree';

/** Layer title → (field label → tshark field name). */
const TSHARK_FIELDS: Record<string, Record<string, string>> = {
  'Ethernet II': { Destination: 'eth.dst', Source: 'eth.src', Type: 'eth.type' },
  '802.1Q Virtual LAN': { Priority: 'vlan.priority', DEI: 'vlan.dei', ID: 'vlan.id', Type: 'vlan.etype' },
  '802.1ad Service VLAN': { Priority: 'ieee8021ad.priority', DEI: 'ieee8021ad.dei', ID: 'ieee8021ad.id' },
  'Address Resolution Protocol': {
    'Hardware type': 'arp.hw.type', 'Protocol type': 'arp.proto.type', 'Hardware size': 'arp.hw.size', 'Protocol size': 'arp.proto.size',
    Opcode: 'arp.opcode', 'Sender MAC address': 'arp.src.hw_mac', 'Sender IP address': 'arp.src.proto_ipv4',
    'Target MAC address': 'arp.dst.hw_mac', 'Target IP address': 'arp.dst.proto_ipv4',
  },
  'Internet Protocol Version 4': {
    Version: 'ip.version', 'Header length': 'ip.hdr_len', DSCP: 'ip.dsfield.dscp', ECN: 'ip.dsfield.ecn', 'Total length': 'ip.len',
    Identification: 'ip.id', Flags: 'ip.flags', 'Fragment offset': 'ip.frag_offset', 'Time to live': 'ip.ttl', Protocol: 'ip.proto',
    'Header checksum': 'ip.checksum', 'Source address': 'ip.src', 'Destination address': 'ip.dst',
  },
  'Internet Protocol Version 6': {
    Version: 'ipv6.version', 'Traffic class': 'ipv6.tclass', 'Flow label': 'ipv6.flow', 'Payload length': 'ipv6.plen',
    'Next header': 'ipv6.nxt', 'Hop limit': 'ipv6.hlim', 'Source address': 'ipv6.src', 'Destination address': 'ipv6.dst',
  },
  'Transmission Control Protocol': {
    'Source port': 'tcp.srcport', 'Destination port': 'tcp.dstport', 'Sequence number': 'tcp.seq', 'Acknowledgment number': 'tcp.ack',
    'Header length': 'tcp.hdr_len', Flags: 'tcp.flags', Window: 'tcp.window_size_value', Checksum: 'tcp.checksum', 'Urgent pointer': 'tcp.urgent_pointer',
  },
  'User Datagram Protocol': { 'Source port': 'udp.srcport', 'Destination port': 'udp.dstport', Length: 'udp.length', Checksum: 'udp.checksum' },
  'Internet Control Message Protocol': { Type: 'icmp.type', Code: 'icmp.code', Checksum: 'icmp.checksum', Identifier: 'icmp.ident', 'Sequence number': 'icmp.seq' },
  'Internet Control Message Protocol v6': {
    Type: 'icmpv6.type', Code: 'icmpv6.code', Checksum: 'icmpv6.checksum', Identifier: 'icmpv6.echo.identifier', 'Sequence number': 'icmpv6.echo.sequence_number',
  },
};

interface PdmlField { name: string; pos: number; size: number }

/** Each frame's fields from `tshark -T pdml` (name, pos, size), in document order. */
function pdmlFrames(file: string): PdmlField[][] {
  const r = spawnSync('tshark', ['-r', file, '-T', 'pdml', '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('<packet>').slice(1).map((packet) => [...packet.matchAll(/<field ([^>]*?)\/?>/g)].map((m) => {
    const attr = (k: string) => new RegExp(` ?${k}="([^"]*)"`).exec(` ${m[1]}`)?.[1];
    return { name: attr('name') ?? '', pos: Number(attr('pos')), size: Number(attr('size')) };
  }));
}

test('every field of the packet tree has the byte range tshark gives it (varied-145.pcap)', (t) => {
  if (!requirePrereqs(t, { tools: ['tshark'] })) return;
  const file = corpusPath('bpf', 'varied-145.pcap');
  const frames = pdmlFrames(file);
  const packets = [...parseCapture(readFileSync(file))];
  assert.equal(packets.length, frames.length);
  const mismatches: string[] = [];
  let compared = 0;
  packets.forEach((p, i) => {
    if (p.linkType !== 1) return;
    const { tree } = packetTree(p.data, 'ethernet');
    for (const layer of tree) {
      const names = TSHARK_FIELDS[layer.label];
      if (!names) continue;
      for (const f of layer.children ?? []) {
        const name = names[f.label];
        if (!name) continue;
        // The field of that name whose bytes lie in this layer (a quoted or tunnelled packet repeats names).
        const theirs = frames[i]!.find((x) => x.name === name && x.pos >= layer.start && x.pos < layer.end);
        if (!theirs) { mismatches.push(`frame ${i + 1} ${layer.label} ${f.label}: tshark has no ${name} in [${layer.start}, ${layer.end})`); continue; }
        compared++;
        if (theirs.pos !== f.start || theirs.pos + theirs.size !== f.end) {
          mismatches.push(`frame ${i + 1} ${layer.label} ${f.label}: [${f.start}, ${f.end}), tshark ${name} [${theirs.pos}, ${theirs.pos + theirs.size})`);
        }
      }
    }
  });
  assert.deepEqual(mismatches, []);
  assert.ok(compared > 145 * 10, `compared ${compared} fields`);
});

const cases: Array<{ name: string; hex: string; first: 'ethernet' | 'ipv4' | 'ipv6'; layers: string[]; error?: RegExp }> = [
  {
    name: 'an IPv4 UDP header (sFlow header_protocol 11) starts at the IP layer',
    hex: '4500001c000100004011f7c7c0000201c000020204d21f4000080000',
    first: 'ipv4', layers: ['Internet Protocol Version 4', 'User Datagram Protocol'],
  },
  {
    name: 'a header cut inside TCP says so',
    hex: '0242ac1100020242ac11000308004500003c1c4640004006b1e6c0000201c0000202c350',
    first: 'ethernet', layers: ['Ethernet II', 'Internet Protocol Version 4', 'Transmission Control Protocol (cut short)'], error: /tcp cut short/,
  },
  {
    name: 'bytes that contradict themselves (IHL 4) give one undecoded node and where',
    hex: '44000014000000004011000000000000000000000000',
    first: 'ipv4', layers: ['Undecoded bytes'], error: /ipv4 at byte 0: header length 16/,
  },
];

for (const c of cases) {
  test(`packetTree: ${c.name}`, () => {
    const tree: SharedDecodedPacket = packetTree(bytesOfHex(c.hex), c.first);
    assert.equal(tree.hex, c.hex);
    assert.deepEqual(tree.tree.map((n) => n.label), c.layers);
    if (c.error) assert.match(tree.error ?? '', c.error);
    else assert.equal(tree.error, undefined);
    const within = (n: PacketTreeNode): boolean => n.start <= n.end && n.end <= c.hex.length / 2 && (n.children ?? []).every(within);
    assert.ok(tree.tree.every(within), 'every range lies within the bytes');
  });
}

test('bytesOfHex names the offset of a bad digit', () => {
  assert.throws(() => bytesOfHex('00zz'), (e: unknown) => e instanceof DecodeError && e.offset === 2);
  assert.throws(() => bytesOfHex('abc'), /odd number/);
  assert.deepEqual([...bytesOfHex('00ff7A')], [0, 255, 122]);
});
