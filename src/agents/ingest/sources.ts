import { readCapture, type CapturedPacket } from '../../protocols/capture';
import { DecodeError } from '../../protocols/decodeError';
import { PcapSource } from '../sources/pcapSource';
import type { SflowIngest } from './sflowIngest';
import { sflowPayload } from './sflowPayload';

/** One sFlow datagram at buf[start, end), received at `timeNs` (wall clock, or the capture's clock offline). */
export interface DatagramArrival {
  buf: Uint8Array;
  start: number;
  end: number;
  timeNs: bigint;
  exporter: string;
  /** The whole frame it came in, when it was read off the wire or a file (for --write). */
  frame?: { data: Uint8Array; length: number; linkType: number };
}

export type DatagramHandler = (d: DatagramArrival) => void;

/** Frames that are not sFlow (another port) are ignored and counted; frames that contradict themselves are malformed. */
function frameToDatagram(data: Uint8Array, length: number, linkType: number, timeNs: bigint, port: number, ingest: SflowIngest, onDatagram: DatagramHandler): void {
  let p;
  try {
    p = sflowPayload(data, linkType, port);
  } catch (err) {
    if (err instanceof DecodeError) { ingest.malformed('frame', err); return; }
    throw err;
  }
  if (!p) { ingest.ignore(); return; }
  onDatagram({ buf: data, start: p.start, end: p.end, timeNs, exporter: p.exporter, frame: { data, length, linkType } });
}

/** Reads sFlow off an interface with libpcap and a BPF filter (beside whatever collector is there). */
export function tapInterface(intf: string, filter: string, port: number, ingest: SflowIngest, onDatagram: DatagramHandler): PcapSource {
  return new PcapSource(intf, filter, (f) => frameToDatagram(f.data, f.length, f.linkType, f.timestampNs, port, ingest, onDatagram));
}

/**
 * Reads sFlow out of a pcap or pcapng file, as fast as it can; resolves at the end of the file or when `stopped()`
 * says so. `accept`, when given, is the capture filter: frames it refuses are skipped, as libpcap would on the wire.
 */
export async function readFile(
  file: string, port: number, ingest: SflowIngest, onDatagram: DatagramHandler, stopped: () => boolean, accept?: (pkt: CapturedPacket) => boolean,
): Promise<void> {
  for await (const pkt of readCapture(file)) {
    if (stopped()) return;
    if (accept && !accept(pkt)) continue;
    frameToDatagram(pkt.data, pkt.originalLength, pkt.linkType, pkt.timestampNs, port, ingest, onDatagram);
  }
}
