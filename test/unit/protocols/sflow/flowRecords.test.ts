/**
 * One case per flow record format of sFlow v5 (sflow.org/sflow_version_5.txt, "Flow Data Types", enterprise 0),
 * each written out byte for byte, decoded inside a compact flow sample of a datagram.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeDatagram, type FlowSample, type RawHeaderRecord } from '../../../../src/protocols/sflow';
import { assertFields } from './expect';
import { datagramV4, envelope, flowSample, hex } from './wire';

// Ethernet II 00:11:22:33:44:55 ← 66:77:88:99:aa:bb, IPv4 192.0.2.1 → 198.51.100.1 TCP 1234 → 80 (54 bytes).
const ETH_IPV4_TCP =
  '001122334455 66778899aabb 0800' +
  '45000028 00010000 40060000 c0000201 c6336401' +
  '04d20050 00000001 00000000 5002ffff 00000000';
// IPv4 192.0.2.1 → 192.0.2.2 UDP 53 → 54321 (28 bytes).
const IPV4_UDP = '4500001c 00020000 40110000 c0000201 c0000202' + '0035d431 00080000';
// IPv6 2001:db8::1 → 2001:db8::2 UDP 1000 → 53 (48 bytes).
const IPV6_UDP =
  '60000000 00081140 20010db8000000000000000000000001 20010db8000000000000000000000002' + '03e80035 00080000';

interface Case {
  name: string;
  /** Where the structure is defined. */
  spec: string;
  record: Uint8Array;
  expected: Record<string, unknown>;
  /** For raw headers: what the decoded header must give. */
  packet?: Record<string, unknown>;
}

const cases: Case[] = [
  {
    name: 'raw packet header, Ethernet (header_protocol 1), decoded down to TCP',
    spec: 'struct sampled_header, format 1; header_protocol ETHERNET-ISO8023 = 1',
    // protocol 1, frame_length 64, stripped 4, header length 54, 54 bytes + 2 of padding: 72 bytes of data.
    record: envelope(0, 1, hex('00000001', '00000040', '00000004', '00000036', ETH_IPV4_TCP, '0000')),
    expected: { kind: 'rawHeader', format: 1, dataLength: 72, headerProtocol: 1, frameLength: 64, stripped: 4, headerLength: 54 },
    packet: { src: '192.0.2.1', dst: '198.51.100.1', srcPort: 1234, dstPort: 80, protocol: 6, ethertype: 0x0800 },
  },
  {
    name: 'raw packet header, IPv4 (header_protocol 11): starts at the IP header, unlike gopacket which assumes Ethernet',
    spec: 'struct sampled_header, format 1; header_protocol IPv4 = 11',
    record: envelope(0, 1, hex('0000000b', '00000020', '00000000', '0000001c', IPV4_UDP)),
    expected: { kind: 'rawHeader', headerProtocol: 11, frameLength: 32, stripped: 0, headerLength: 28 },
    packet: { src: '192.0.2.1', dst: '192.0.2.2', srcPort: 53, dstPort: 54321, protocol: 17 },
  },
  {
    name: 'raw packet header, IPv6 (header_protocol 12)',
    spec: 'struct sampled_header, format 1; header_protocol IPv6 = 12',
    record: envelope(0, 1, hex('0000000c', '00000030', '00000000', '00000030', IPV6_UDP)),
    expected: { kind: 'rawHeader', headerProtocol: 12, frameLength: 48, headerLength: 48 },
    packet: { src: '2001:db8::1', dst: '2001:db8::2', srcPort: 1000, dstPort: 53, protocol: 17 },
  },
  {
    name: 'Ethernet frame data',
    spec: 'struct sampled_ethernet, format 2 (a mac is opaque[6], padded to 8)',
    record: envelope(0, 2, hex('00000040', '001122334455 0000', '66778899aabb 0000', '00000800')),
    expected: { kind: 'sampledEthernet', format: 2, frameLength: 64, srcMac: '00:11:22:33:44:55', dstMac: '66:77:88:99:aa:bb', ethertype: 0x0800 },
  },
  {
    name: 'packet IPv4 data',
    spec: 'struct sampled_ipv4, format 3',
    record: envelope(0, 3, hex('00000028', '00000006', 'c0000201', 'c6336401', '000004d2', '00000050', '00000012', '00000020')),
    expected: { kind: 'sampledIpv4', format: 3, length: 40, protocol: 6, srcIp: '192.0.2.1', dstIp: '198.51.100.1', srcPort: 1234, dstPort: 80, tcpFlags: 0x12, tos: 0x20 },
  },
  {
    name: 'packet IPv6 data',
    spec: 'struct sampled_ipv6, format 4',
    record: envelope(
      0,
      4,
      hex('0000003c', '00000011', '20010db8000000000000000000000001', '20010db8000000000000000000000002', '000003e8', '00000035', '00000000', '00000005'),
    ),
    expected: { kind: 'sampledIpv6', format: 4, length: 60, protocol: 17, srcIp: '2001:db8::1', dstIp: '2001:db8::2', srcPort: 1000, dstPort: 53, tos: 5 },
  },
  {
    name: 'extended switch data',
    spec: 'struct extended_switch, format 1001',
    record: envelope(0, 1001, hex('0000000a', '00000000', '00000014', '00000003')),
    expected: { kind: 'extendedSwitch', format: 1001, srcVlan: 10, srcPriority: 0, dstVlan: 20, dstPriority: 3 },
  },
  {
    name: 'extended router data',
    spec: 'struct extended_router, format 1002',
    record: envelope(0, 1002, hex('00000001', 'c00002fe', '00000018', '00000010')),
    expected: { kind: 'extendedRouter', format: 1002, nextHop: '192.0.2.254', srcMaskLength: 24, dstMaskLength: 16 },
  },
  {
    name: 'extended gateway data: AS path segments and communities',
    spec: 'struct extended_gateway, format 1003 (as_path_type: 1 AS_SET, 2 AS_SEQUENCE)',
    record: envelope(
      0,
      1003,
      hex(
        '00000001 c00002fe', // next hop 192.0.2.254
        '0000fbf4 0000fbf5 0000fbf6', // as 64500, src_as 64501, src_peer_as 64502
        '00000001', // one segment
        '00000002 00000003 0000fbf6 0000fbf7 0000fbf8', // AS_SEQUENCE 64502 64503 64504
        '00000002 fbf40064 fbf400c8', // communities 64500:100, 64500:200
        '00000064', // localpref 100
      ),
    ),
    expected: {
      kind: 'extendedGateway',
      nextHop: '192.0.2.254',
      as: 64500,
      srcAs: 64501,
      srcPeerAs: 64502,
      asPath: [{ type: 2, asns: [64502, 64503, 64504] }],
      communities: [0xfbf40064, 0xfbf400c8],
      localPref: 100,
    },
  },
  {
    name: 'extended user data',
    spec: 'struct extended_user, format 1004 (charsets are IANA MIBenum, 106 = UTF-8)',
    record: envelope(0, 1004, hex('0000006a', '00000005 616c6963 65000000', '0000006a', '00000003 626f6200')),
    expected: { kind: 'extendedUser', srcCharset: 106, srcUser: 'alice', dstCharset: 106, dstUser: 'bob' },
  },
  {
    name: 'extended URL data',
    spec: 'struct extended_url, format 1005 (direction 1 src, 2 dst)',
    record: envelope(0, 1005, hex('00000001', '0000000b 2f696e64 65782e68 746d6c00', '0000000b 6578616d 706c652e 6f726700')),
    expected: { kind: 'extendedUrl', direction: 1, url: '/index.html', host: 'example.org' },
  },
  {
    name: 'extended MPLS data',
    spec: 'struct extended_mpls, format 1006 (label_stack: count then label entries)',
    record: envelope(0, 1006, hex('00000001 c00002fe', '00000002 00000064 000000c8', '00000001 0000012c')),
    expected: { kind: 'extendedMpls', nextHop: '192.0.2.254', inLabels: [100, 200], outLabels: [300] },
  },
  {
    name: 'extended NAT data',
    spec: 'struct extended_nat, format 1007',
    record: envelope(0, 1007, hex('00000001 c6336401', '00000001 cb007101')),
    expected: { kind: 'extendedNat', srcAddress: '198.51.100.1', dstAddress: '203.0.113.1' },
  },
  {
    name: 'an unknown record (enterprise 4413, format 5) is kept as opaque bytes and counted',
    spec: 'data_format: enterprise << 12 | format; a receiver skips what it does not know by its length',
    record: envelope(4413, 5, hex('deadbeef', 'cafebabe')),
    expected: { kind: 'unknown', enterprise: 4413, format: 5, dataLength: 8 },
  },
];

describe('sFlow v5 flow records, one per format', () => {
  for (const c of cases) {
    it(`${c.name} (${c.spec})`, () => {
      // A second record after the one under test shows the first one was skipped by exactly its length.
      const after = envelope(0, 1001, hex('00000001', '00000002', '00000003', '00000004'));
      const dg = decodeDatagram(datagramV4(flowSample(c.record, after)));
      assert.deepStrictEqual(dg.errors, []);
      const sample = dg.samples[0] as FlowSample;
      assert.equal(sample.records.length, 2);
      assertFields(sample.records[0], c.expected);
      assertFields(sample.records[1], { kind: 'extendedSwitch', srcVlan: 1, dstPriority: 4 });
      assert.equal(dg.unknownCount, c.expected.kind === 'unknown' ? 1 : 0);
      if (c.packet) {
        const raw = sample.records[0] as RawHeaderRecord;
        assert.ok(raw.packet, 'header decoded');
        assertFields(raw.packet, c.packet);
        assert.equal(raw.packet.truncated, false);
      }
    });
  }

  it('a raw header is a view of the datagram bytes, not a copy', () => {
    const bytes = datagramV4(flowSample(envelope(0, 1, hex('0000000b', '00000020', '00000000', '0000001c', IPV4_UDP))));
    const raw = (decodeDatagram(bytes).samples[0] as FlowSample).records[0] as RawHeaderRecord;
    assert.equal(raw.buf, bytes);
    assert.equal(raw.headerEnd - raw.headerStart, 28);
    assert.equal(bytes[raw.headerStart], 0x45);
  });
});
