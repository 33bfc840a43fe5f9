/**
 * sFlow v5 counter records (sflow.org "sFlow Version 5", section "Counter Data", enterprise 0): generic
 * interface (1), Ethernet interface (2), 100BaseVG interface (4), VLAN (5), processor (1001). Each has a
 * fixed size; a record whose length says otherwise is a DecodeError at its length word. 64-bit counters are
 * numbers (exact up to 2^53). Another format is kept as opaque bytes.
 */
import { DecodeError } from '../decodeError';
import type { UnknownRecord } from './flowRecords';
import { u32, u64 } from './xdr';

interface CounterRecordBase {
  enterprise: number;
  format: number;
  /** Offset of the data_format word. */
  start: number;
  /** End of the record's padded data. */
  end: number;
  /** The record's opaque length (data only). */
  dataLength: number;
}

/** struct if_counters (format 1, spec "Generic Interface Counters", RFC 2233 ifTable / ifXTable). */
export interface GenericInterfaceCounters extends CounterRecordBase {
  kind: 'genericInterface';
  ifIndex: number;
  ifType: number;
  ifSpeed: number;
  /** 0 unknown, 1 full-duplex, 2 half-duplex, 3 in, 4 out. */
  ifDirection: number;
  /** ifStatus bit 0: ifAdminStatus up; bit 1: ifOperStatus up. */
  ifAdminStatus: number;
  ifOperStatus: number;
  ifInOctets: number;
  ifInUcastPkts: number;
  ifInMulticastPkts: number;
  ifInBroadcastPkts: number;
  ifInDiscards: number;
  ifInErrors: number;
  ifInUnknownProtos: number;
  ifOutOctets: number;
  ifOutUcastPkts: number;
  ifOutMulticastPkts: number;
  ifOutBroadcastPkts: number;
  ifOutDiscards: number;
  ifOutErrors: number;
  ifPromiscuousMode: number;
}

/** struct ethernet_counters (format 2, spec "Ethernet Interface Counters", RFC 2358 dot3StatsTable). */
export interface EthernetInterfaceCounters extends CounterRecordBase {
  kind: 'ethernetInterface';
  dot3StatsAlignmentErrors: number;
  dot3StatsFCSErrors: number;
  dot3StatsSingleCollisionFrames: number;
  dot3StatsMultipleCollisionFrames: number;
  dot3StatsSQETestErrors: number;
  dot3StatsDeferredTransmissions: number;
  dot3StatsLateCollisions: number;
  dot3StatsExcessiveCollisions: number;
  dot3StatsInternalMacTransmitErrors: number;
  dot3StatsCarrierSenseErrors: number;
  dot3StatsFrameTooLongs: number;
  dot3StatsInternalMacReceiveErrors: number;
  dot3StatsSymbolErrors: number;
}

/** struct vg_counters (format 4, spec "100 BaseVG Interface Counters", RFC 2020). */
export interface VgInterfaceCounters extends CounterRecordBase {
  kind: 'vgInterface';
  dot12InHighPriorityFrames: number;
  dot12InHighPriorityOctets: number;
  dot12InNormPriorityFrames: number;
  dot12InNormPriorityOctets: number;
  dot12InIPMErrors: number;
  dot12InOversizeFrameErrors: number;
  dot12InDataErrors: number;
  dot12InNullAddressedFrames: number;
  dot12OutHighPriorityFrames: number;
  dot12OutHighPriorityOctets: number;
  dot12TransitionIntoTrainings: number;
  dot12HCInHighPriorityOctets: number;
  dot12HCInNormPriorityOctets: number;
  dot12HCOutHighPriorityOctets: number;
}

/** struct vlan_counters (format 5, spec "VLAN Counters"). */
export interface VlanCounters extends CounterRecordBase {
  kind: 'vlan';
  vlanId: number;
  octets: number;
  ucastPkts: number;
  multicastPkts: number;
  broadcastPkts: number;
  discards: number;
}

/** struct processor (format 1001, spec "Processor Information"): CPU load in hundredths of a percent, memory in bytes. */
export interface ProcessorCounters extends CounterRecordBase {
  kind: 'processor';
  cpu5s: number;
  cpu1m: number;
  cpu5m: number;
  totalMemory: number;
  freeMemory: number;
}

export type CounterRecord = GenericInterfaceCounters | EthernetInterfaceCounters | VgInterfaceCounters | VlanCounters | ProcessorCounters | UnknownRecord;

function expectLength(what: string, start: number, length: number, expected: number): void {
  if (length !== expected) throw new DecodeError(what, start + 4, `record length ${length}, but its contents take ${expected} bytes`);
}

/**
 * Decodes the counter record whose data_format word is at `start` (data at start + 8, `length` bytes, already
 * checked to lie within its sample; `end` is the end of the padded data).
 */
export function decodeCounterRecord(b: Uint8Array, type: number, start: number, length: number, end: number): CounterRecord {
  const d = start + 8;
  switch (type) {
    case 1: {
      expectLength('sflow.generic_interface_counters', start, length, 88);
      const status = u32(b, d + 20);
      return {
        kind: 'genericInterface', enterprise: 0, format: 1, start, end, dataLength: length,
        ifIndex: u32(b, d),
        ifType: u32(b, d + 4),
        ifSpeed: u64(b, d + 8),
        ifDirection: u32(b, d + 16),
        ifAdminStatus: status & 1,
        ifOperStatus: (status >>> 1) & 1,
        ifInOctets: u64(b, d + 24),
        ifInUcastPkts: u32(b, d + 32),
        ifInMulticastPkts: u32(b, d + 36),
        ifInBroadcastPkts: u32(b, d + 40),
        ifInDiscards: u32(b, d + 44),
        ifInErrors: u32(b, d + 48),
        ifInUnknownProtos: u32(b, d + 52),
        ifOutOctets: u64(b, d + 56),
        ifOutUcastPkts: u32(b, d + 64),
        ifOutMulticastPkts: u32(b, d + 68),
        ifOutBroadcastPkts: u32(b, d + 72),
        ifOutDiscards: u32(b, d + 76),
        ifOutErrors: u32(b, d + 80),
        ifPromiscuousMode: u32(b, d + 84),
      };
    }
    case 2:
      expectLength('sflow.ethernet_interface_counters', start, length, 52);
      return {
        kind: 'ethernetInterface', enterprise: 0, format: 2, start, end, dataLength: length,
        dot3StatsAlignmentErrors: u32(b, d),
        dot3StatsFCSErrors: u32(b, d + 4),
        dot3StatsSingleCollisionFrames: u32(b, d + 8),
        dot3StatsMultipleCollisionFrames: u32(b, d + 12),
        dot3StatsSQETestErrors: u32(b, d + 16),
        dot3StatsDeferredTransmissions: u32(b, d + 20),
        dot3StatsLateCollisions: u32(b, d + 24),
        dot3StatsExcessiveCollisions: u32(b, d + 28),
        dot3StatsInternalMacTransmitErrors: u32(b, d + 32),
        dot3StatsCarrierSenseErrors: u32(b, d + 36),
        dot3StatsFrameTooLongs: u32(b, d + 40),
        dot3StatsInternalMacReceiveErrors: u32(b, d + 44),
        dot3StatsSymbolErrors: u32(b, d + 48),
      };
    case 4:
      expectLength('sflow.vg_interface_counters', start, length, 80);
      return {
        kind: 'vgInterface', enterprise: 0, format: 4, start, end, dataLength: length,
        dot12InHighPriorityFrames: u32(b, d),
        dot12InHighPriorityOctets: u64(b, d + 4),
        dot12InNormPriorityFrames: u32(b, d + 12),
        dot12InNormPriorityOctets: u64(b, d + 16),
        dot12InIPMErrors: u32(b, d + 24),
        dot12InOversizeFrameErrors: u32(b, d + 28),
        dot12InDataErrors: u32(b, d + 32),
        dot12InNullAddressedFrames: u32(b, d + 36),
        dot12OutHighPriorityFrames: u32(b, d + 40),
        dot12OutHighPriorityOctets: u64(b, d + 44),
        dot12TransitionIntoTrainings: u32(b, d + 52),
        dot12HCInHighPriorityOctets: u64(b, d + 56),
        dot12HCInNormPriorityOctets: u64(b, d + 64),
        dot12HCOutHighPriorityOctets: u64(b, d + 72),
      };
    case 5:
      expectLength('sflow.vlan_counters', start, length, 28);
      return {
        kind: 'vlan', enterprise: 0, format: 5, start, end, dataLength: length,
        vlanId: u32(b, d),
        octets: u64(b, d + 4),
        ucastPkts: u32(b, d + 12),
        multicastPkts: u32(b, d + 16),
        broadcastPkts: u32(b, d + 20),
        discards: u32(b, d + 24),
      };
    case 1001:
      expectLength('sflow.processor', start, length, 28);
      return {
        kind: 'processor', enterprise: 0, format: 1001, start, end, dataLength: length,
        cpu5s: u32(b, d),
        cpu1m: u32(b, d + 4),
        cpu5m: u32(b, d + 8),
        totalMemory: u64(b, d + 12),
        freeMemory: u64(b, d + 20),
      };
    default:
      return { kind: 'unknown', enterprise: type >>> 12, format: type & 0xfff, start, end, dataLength: length, dataStart: d, dataEnd: d + length };
  }
}
