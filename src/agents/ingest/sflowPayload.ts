import { decodeFrame } from '../../protocols/packet';

/** Where an sFlow datagram sits inside a captured frame, and who sent it. */
export interface SflowPayload {
  start: number;
  end: number;
  /** The exporter's IP address (the frame's source). */
  exporter: string;
}

/**
 * The UDP payload of a frame addressed to the sFlow port, or undefined for any other frame (a BPF
 * filter such as the book's `ip and udp` lets more through than sFlow). A frame whose headers
 * contradict themselves throws DecodeError like any decoder; the caller counts it as malformed.
 */
export function sflowPayload(frame: Uint8Array, linkType: number, port: number, end = frame.length): SflowPayload | undefined {
  const pkt = decodeFrame(frame, linkType, 0, end);
  if (pkt.protocol !== 17 || pkt.dstPort !== port || pkt.truncated) return undefined;
  return { start: pkt.payloadStart, end: pkt.payloadEnd, exporter: pkt.src ?? '' };
}
