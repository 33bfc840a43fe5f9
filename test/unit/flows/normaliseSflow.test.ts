import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseFlowSample, readFlowSample, SampledFlow, scaledBytes, scaledPackets, type SflowFlowRecordInput } from '../../../src/flows/normaliseSflow';
import { bidirectionalKey, FlowKeyBuilder } from '../../../src/flows/flowKey';
import { DecodeError } from '../../../src/protocols/decodeError';

// Frames built byte by byte (RFC 791 IPv4, RFC 8200 IPv6, RFC 768 UDP, RFC 9293 TCP, IEEE 802.1Q).
const hex = (s: string): number[] => s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16));
const ETH_IPV4 = hex('020000000002 020000000001 0800');
const ETH_VLAN_IPV6 = hex('020000000002 020000000001 8100 0064 86dd');
// 203.0.113.0:60087 -> 203.0.113.252:8888 UDP (the book's "flow record" line), total length 1028
const IPV4_UDP = hex('4500 0404 0001 0000 4011 0000 cb007100 cb0071fc  eab7 22b8 03f0 0000');
const IPV4_ICMP = hex('4500 0054 0002 0000 4001 0000 c6336401 c6336402  0800 0000 0001 0001');
// IPv4 in IPv4 (RFC 2003, protocol 4) 192.0.2.1 -> 192.0.2.2 around the UDP packet above
const IPV4_IN_IPV4_UDP = [...hex('4500 0418 0003 0000 4004 0000 c0000201 c0000202'), ...IPV4_UDP];
const IPV4_BAD_IHL = hex('4400 0054 0002 0000 4001 0000 c6336401 c6336402');
// 2001:db8::1:443 -> 2001:db8::2:51000 TCP
const IPV6_TCP = hex('60000000 0014 06 40 20010db8000000000000000000000001 20010db8000000000000000000000002  01bb c738 00000000 00000000 5010 ffff 0000 0000');

function raw(headerProtocol: number, bytes: number[], frameLength: number, pad = 0): SflowFlowRecordInput & Record<string, unknown> {
  // The header sits inside a bigger buffer, as it does inside a datagram: no copy, offsets only.
  const buf = Uint8Array.from([...Array(pad).fill(0xee), ...bytes, 0xee, 0xee]);
  return { kind: 'rawHeader', headerProtocol, frameLength, buf, headerStart: pad, headerEnd: pad + bytes.length };
}

const ctx = { timeReceivedNs: 1_700_000_000_123_456_768, agentAddress: '203.0.113.2', sequenceNumber: 42 };

const cases: { name: string; records: Array<SflowFlowRecordInput & Record<string, unknown>>; rate: number; want: Partial<Record<string, number | string>> | undefined }[] = [
  {
    name: 'raw Ethernet/IPv4/UDP header: the 5-tuple from the packet layers, bytes = frame length × rate',
    records: [raw(1, [...ETH_IPV4, ...IPV4_UDP], 1046, 36), { kind: 'other' }],
    rate: 1000,
    want: { srcAddr: '203.0.113.0', srcPort: 60087, dstAddr: '203.0.113.252', dstPort: 8888, proto: 17, etype: 0x0800, bytes: 1_046_000, packets: 1000 },
  },
  {
    name: 'raw Ethernet/802.1Q/IPv6/TCP header',
    records: [raw(1, [...ETH_VLAN_IPV6, ...IPV6_TCP], 78)],
    rate: 10,
    want: { srcAddr: '2001:db8::1', srcPort: 443, dstAddr: '2001:db8::2', dstPort: 51000, proto: 6, etype: 0x86dd, bytes: 780, packets: 10 },
  },
  {
    name: 'raw header starting at IPv4 (header_protocol 11), ICMP: no ports',
    records: [raw(11, IPV4_ICMP, 84)],
    rate: 1,
    want: { srcAddr: '198.51.100.1', dstAddr: '198.51.100.2', srcPort: 0, dstPort: 0, proto: 1, etype: 0x0800, bytes: 84 },
  },
  {
    name: 'sampled IPv4 (format 3): the 5-tuple as given, bytes = IP length × rate',
    records: [{ kind: 'sampledIpv4', length: 1500, protocol: 6, srcIp: '192.0.2.10', dstIp: '192.0.2.20', srcPort: 5201, dstPort: 40000 }],
    rate: 512,
    want: { srcAddr: '192.0.2.10', dstAddr: '192.0.2.20', srcPort: 5201, dstPort: 40000, proto: 6, etype: 0x0800, bytes: 768_000, packets: 512 },
  },
  {
    name: 'sampled IPv6 (format 4)',
    records: [{ kind: 'sampledIpv6', length: 100, protocol: 17, srcIp: '2001:db8::a', dstIp: '2001:db8::b', srcPort: 53, dstPort: 5353 }],
    rate: 2,
    want: { srcAddr: '2001:db8::a', etype: 0x86dd, proto: 17, bytes: 200, packets: 2 },
  },
  {
    name: 'raw header then sampled IPv4: the later record wins, as in goflow2',
    records: [raw(1, [...ETH_IPV4, ...IPV4_UDP], 1046), { kind: 'sampledIpv4', length: 60, protocol: 6, srcIp: '192.0.2.1', dstIp: '192.0.2.2', srcPort: 1, dstPort: 2 }],
    rate: 1,
    want: { srcAddr: '192.0.2.1', proto: 6, bytes: 60 },
  },
  {
    name: 'IPv4 in IPv4: the innermost packet\'s addresses and ports',
    records: [raw(1, [...ETH_IPV4, ...IPV4_IN_IPV4_UDP], 1066)],
    rate: 1,
    want: { srcAddr: '203.0.113.0', srcPort: 60087, dstAddr: '203.0.113.252', dstPort: 8888, proto: 17, bytes: 1066 },
  },
  {
    name: 'sampled IPv4, then a raw header the decoder cannot start from: the addresses stay, the length is the later one',
    records: [{ kind: 'sampledIpv4', length: 60, protocol: 6, srcIp: '192.0.2.1', dstIp: '192.0.2.2', srcPort: 1, dstPort: 2 }, raw(2, [1, 2, 3, 4], 200)],
    rate: 1,
    want: { srcAddr: '192.0.2.1', dstAddr: '192.0.2.2', srcPort: 1, proto: 6, etype: 0x0800, bytes: 200 },
  },
  {
    name: 'a header protocol the decoder cannot start from (802.11): counted, without addresses',
    records: [raw(2, [1, 2, 3, 4], 200)],
    rate: 4,
    want: { srcAddr: '', dstAddr: '', proto: 0, etype: 0, bytes: 800, packets: 4 },
  },
  {
    name: 'a sampling rate of 0 counts the sample as itself',
    records: [raw(11, IPV4_ICMP, 84)],
    rate: 0,
    want: { bytes: 84, packets: 1, samplingRate: 0 },
  },
  { name: 'no record about the flow (only extended records): no flow record', records: [{ kind: 'other' }], rate: 100, want: undefined },
];

for (const c of cases) {
  test(`normalise: ${c.name}`, () => {
    const got = normaliseFlowSample(ctx, { samplingRate: c.rate, input: 3, output: 7, records: c.records });
    if (c.want === undefined) return assert.equal(got, undefined);
    assert.ok(got);
    assert.deepEqual(
      { timeReceivedNs: got.timeReceivedNs, samplerAddress: got.samplerAddress, sequenceNum: got.sequenceNum, inIf: got.inIf, outIf: got.outIf },
      { timeReceivedNs: ctx.timeReceivedNs, samplerAddress: '203.0.113.2', sequenceNum: 42, inIf: 3, outIf: 7 },
    );
    const picked = Object.fromEntries(Object.keys(c.want).map((k) => [k, (got as unknown as Record<string, unknown>)[k]]));
    assert.deepEqual(picked, c.want);
  });
}

// The agent's hot path reads the same samples without making a record: its key (from the address
// bytes) and its scaled counts must be the record's.
for (const c of cases) {
  test(`read and key without a record: ${c.name}`, () => {
    const sample = { samplingRate: c.rate, input: 3, output: 7, records: c.records };
    const record = normaliseFlowSample(ctx, sample);
    const flow = new SampledFlow();
    assert.equal(readFlowSample(sample, flow), record !== undefined);
    if (!record) return;
    const keys = new FlowKeyBuilder();
    flow.key(keys);
    assert.equal(keys.toString(), bidirectionalKey(record.srcAddr, record.srcPort, record.dstAddr, record.dstPort, record.proto));
    assert.deepEqual([scaledBytes(sample, flow.length), scaledPackets(sample)], [record.bytes, record.packets]);
  });
}

test('normalise: a raw header whose bytes contradict themselves is the decoder\'s DecodeError (counted as malformed by the caller)', () => {
  assert.throws(
    () => normaliseFlowSample(ctx, { samplingRate: 1, input: 0, output: 0, records: [raw(1, [...ETH_IPV4, ...IPV4_BAD_IHL], 60, 8)] }),
    (e: unknown) => e instanceof DecodeError && e.offset === 8 + 14,
  );
});
