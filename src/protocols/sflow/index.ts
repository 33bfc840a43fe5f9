/** sFlow v5: decodeDatagram() and the types of what it returns. */
export { decodeDatagram, SflowDatagram, SFLOW_PORT, SFLOW_VERSION_5 } from './datagram';
export { FlowSample } from './flowSample';
export { CounterSample } from './counterSample';
export { DiscardedPacketSample } from './discardedPacketSample';
export {
  RawHeaderRecord,
  SampledEthernetRecord,
  SampledIpRecord,
  ExtendedSwitchRecord,
  HEADER_PROTOCOL_ETHERNET,
  HEADER_PROTOCOL_IPV4,
  HEADER_PROTOCOL_IPV6,
} from './flowRecords';
export type {
  FlowRecord,
  ExtendedRouterRecord,
  ExtendedGatewayRecord,
  ExtendedUserRecord,
  ExtendedUrlRecord,
  ExtendedMplsRecord,
  ExtendedNatRecord,
  UnknownRecord,
  AsPathSegment,
} from './flowRecords';
export type {
  CounterRecord,
  GenericInterfaceCounters,
  EthernetInterfaceCounters,
  VgInterfaceCounters,
  VlanCounters,
  ProcessorCounters,
} from './counterRecords';
export type { SflowSample, UnknownSample, DecodeSink } from './types';
