/**
 * One case per counter record format of sFlow v5 (sflow.org/sflow_version_5.txt, "Counter Data Types",
 * enterprise 0), written out byte for byte and decoded inside a compact counter sample.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeDatagram, type CounterSample } from '../../../../src/protocols/sflow';
import { assertFields } from './expect';
import { counterSample, datagramV4, envelope, hex } from './wire';

const cases: { name: string; spec: string; record: Uint8Array; expected: Record<string, unknown> }[] = [
  {
    name: 'generic interface counters',
    spec: 'struct if_counters, format 1 (ifStatus bit 0 admin, bit 1 oper)',
    record: envelope(
      0,
      1,
      hex(
        '00000003 00000006', // ifIndex 3, ifType 6 ethernetCsmacd
        '0000005d 21dba000', // ifSpeed 400 Gb/s
        '00000001 00000003', // full duplex; admin up, oper up
        '00000001 00000002', // ifInOctets 2^32 + 2
        '0000000a 0000000b 0000000c 0000000d 0000000e 0000000f', // in ucast, mcast, bcast, discards, errors, unknown protos
        '00000000 00002000', // ifOutOctets 8192
        '00000014 00000015 00000016 00000017 00000018', // out ucast, mcast, bcast, discards, errors
        '00000001', // promiscuous
      ),
    ),
    expected: {
      kind: 'genericInterface', ifIndex: 3, ifType: 6, ifSpeed: 400_000_000_000, ifDirection: 1, ifAdminStatus: 1, ifOperStatus: 1,
      ifInOctets: 4294967298, ifInUcastPkts: 10, ifInMulticastPkts: 11, ifInBroadcastPkts: 12, ifInDiscards: 13, ifInErrors: 14,
      ifInUnknownProtos: 15, ifOutOctets: 8192, ifOutUcastPkts: 20, ifOutMulticastPkts: 21, ifOutBroadcastPkts: 22, ifOutDiscards: 23,
      ifOutErrors: 24, ifPromiscuousMode: 1,
    },
  },
  {
    name: 'Ethernet interface counters',
    spec: 'struct ethernet_counters, format 2 (dot3StatsTable)',
    record: envelope(0, 2, hex('00000001 00000002 00000003 00000004 00000005 00000006 00000007 00000008 00000009 0000000a 0000000b 0000000c 0000000d')),
    expected: {
      kind: 'ethernetInterface', dot3StatsAlignmentErrors: 1, dot3StatsFCSErrors: 2, dot3StatsSingleCollisionFrames: 3,
      dot3StatsMultipleCollisionFrames: 4, dot3StatsSQETestErrors: 5, dot3StatsDeferredTransmissions: 6, dot3StatsLateCollisions: 7,
      dot3StatsExcessiveCollisions: 8, dot3StatsInternalMacTransmitErrors: 9, dot3StatsCarrierSenseErrors: 10,
      dot3StatsFrameTooLongs: 11, dot3StatsInternalMacReceiveErrors: 12, dot3StatsSymbolErrors: 13,
    },
  },
  {
    name: 'VLAN counters',
    spec: 'struct vlan_counters, format 5',
    record: envelope(0, 5, hex('00000064', '00000000 00100000', '00000001 00000002 00000003 00000004')),
    expected: { kind: 'vlan', vlanId: 100, octets: 1048576, ucastPkts: 1, multicastPkts: 2, broadcastPkts: 3, discards: 4 },
  },
  {
    name: 'processor information',
    spec: 'struct processor, format 1001 (percentage: 100 = 1%)',
    record: envelope(0, 1001, hex('00000064 000000c8 0000012c', '00000002 00000000', '00000000 80000000')),
    expected: { kind: 'processor', cpu5s: 100, cpu1m: 200, cpu5m: 300, totalMemory: 8589934592, freeMemory: 2147483648 },
  },
  {
    name: 'an unknown counter record (host sFlow 2003, not decoded) is kept as opaque bytes and counted',
    spec: 'data_format: enterprise << 12 | format; skipped by its length',
    record: envelope(0, 2003, hex('00000001 00000002 00000003')),
    expected: { kind: 'unknown', enterprise: 0, format: 2003, dataLength: 12 },
  },
];

describe('sFlow v5 counter records, one per format', () => {
  for (const c of cases) {
    it(`${c.name} (${c.spec})`, () => {
      const after = envelope(0, 5, hex('00000007', '00000000 00000001', '00000000 00000000 00000000 00000000'));
      const dg = decodeDatagram(datagramV4(counterSample(c.record, after)));
      assert.deepStrictEqual(dg.errors, []);
      const sample = dg.samples[0] as CounterSample;
      assert.equal(sample.records.length, 2);
      assertFields(sample.records[0], c.expected);
      assertFields(sample.records[1], { kind: 'vlan', vlanId: 7, octets: 1 });
    });
  }
});
