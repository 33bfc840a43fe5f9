/**
 * The normalised flow record: what goflow2 makes of one sFlow flow sample (its FlowMessage fields
 * TimeReceived, SamplerAddress, SequenceNum, SamplingRate, InIf, OutIf, SrcAddr, DstAddr,
 * SrcPort, DstPort, Proto, Etype, Bytes, Packets), with one difference: goflow2 leaves Bytes and
 * Packets unscaled (one sampled frame) and lets consumers multiply; here they are already
 * estimates of the traffic the sample stands for (× the sampling rate).
 */
export interface FlowRecord {
  /**
   * When the datagram was received, in ns since the Unix epoch. A number, not a bigint, so that it
   * goes into JSON events as is; at today's epoch a double resolves about 0.25 µs.
   */
  timeReceivedNs: number;
  /** The sFlow agent's address (the datagram's agent_address, not the UDP source). */
  samplerAddress: string;
  /** The sFlow datagram's sequence number (goflow2's SequenceNum is the datagram's, not the sample's). */
  sequenceNum: number;
  /** 1 in N frames sampled. */
  samplingRate: number;
  /** Input interface ifIndex (sFlow v5 §5.1 interface format: 0 unknown; expanded samples carry it whole). */
  inIf: number;
  /** Output interface ifIndex. */
  outIf: number;
  /** Source address text ("" when the sample has no IP layer, e.g. ARP). */
  srcAddr: string;
  dstAddr: string;
  /** Transport ports; 0 for protocols without ports (ICMP, GRE, ...) and for non-first fragments. */
  srcPort: number;
  dstPort: number;
  /** IP protocol number; 0 without an IP layer. */
  proto: number;
  /** Ethertype of the sampled frame's network layer (0x0800, 0x86dd, 0x0806, ...), after VLAN tags. */
  etype: number;
  /** Estimated bytes: frame length (or IP length for sampled IPv4/IPv6 records) × sampling rate. */
  bytes: number;
  /** Estimated packets: the sampling rate (one sample stands for that many frames). */
  packets: number;
}
