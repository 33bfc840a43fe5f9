/**
 * What a decoded sFlow v5 datagram is made of, for callers that only need the types. The classes and
 * decoders live beside this file: datagram.ts, flowSample.ts, counterSample.ts, discardedPacketSample.ts,
 * flowRecords.ts, counterRecords.ts.
 */
import type { CounterSample } from './counterSample';
import type { DiscardedPacketSample } from './discardedPacketSample';
import type { FlowSample } from './flowSample';

/** A sample of a format labtel does not decode (another enterprise, or an unknown format): opaque bytes. */
export interface UnknownSample {
  kind: 'unknownSample';
  enterprise: number;
  format: number;
  /** Offset of the data_format word; end of the padded data. */
  start: number;
  end: number;
  dataLength: number;
  dataStart: number;
  dataEnd: number;
}

export type SflowSample = FlowSample | CounterSample | DiscardedPacketSample | UnknownSample;

export type { FlowSample } from './flowSample';
export type { CounterSample } from './counterSample';
export type { DiscardedPacketSample } from './discardedPacketSample';
export type { FlowRecord } from './flowRecords';
export type { CounterRecord } from './counterRecords';
export type { DecodeSink } from './decodeSink';
