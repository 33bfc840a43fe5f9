/** sFlow datagrams of a corpus capture: each packet's UDP payload, as decodeDatagram gets it. */
import { readFileSync } from 'node:fs';
import { parseCapture } from '../../../../src/protocols/capture';
import { decodeFrame } from '../../../../src/protocols/packet';

export interface CorpusDatagram {
  /** 1-based frame number, as tshark counts. */
  frame: number;
  data: Uint8Array;
  start: number;
  end: number;
}

export function corpusDatagrams(file: string): CorpusDatagram[] {
  const out: CorpusDatagram[] = [];
  let frame = 0;
  for (const p of parseCapture(readFileSync(file))) {
    frame++;
    const pkt = decodeFrame(p.data, p.linkType);
    out.push({ frame, data: p.data, start: pkt.payloadStart, end: pkt.payloadEnd });
  }
  return out;
}
