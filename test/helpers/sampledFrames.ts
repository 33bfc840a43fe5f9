import { readFileSync } from 'node:fs';
import { parseCapture } from '../../src/protocols/capture';
import { encodeCapture } from '../../src/protocols/captureWriter';
import { decodeDatagram } from '../../src/protocols/sflow';
import { sflowCaptures } from './corpus';

/**
 * Frames sampled inside sFlow datagrams (Ethernet raw headers) as a capture file of their own: those of the
 * project's lab recording, then the corpus's when it is there.
 */
export function sampledFramesCapture(limit = 400): Uint8Array {
  const sflowFiles = sflowCaptures(['lab-sflow.pcap']);
  const frames: Array<{ timestampNs: bigint; data: Uint8Array; originalLength: number }> = [];
  for (const file of sflowFiles) {
    for (const p of parseCapture(readFileSync(file))) {
      const udpPayload = 42; // Ethernet + IPv4 + UDP; datagrams over IPv6 are skipped by the version check below
      if (p.data.length <= udpPayload) continue;
      let dg;
      try { dg = decodeDatagram(p.data, udpPayload); } catch { continue; }
      for (const s of dg.samples) {
        if (s.kind !== 'flowSample') continue;
        for (const r of s.records) {
          if (r.kind === 'rawHeader' && r.headerProtocol === 1 && frames.length < limit) {
            frames.push({ timestampNs: p.timestampNs + BigInt(frames.length), data: p.data.slice(r.headerStart, r.headerEnd), originalLength: r.frameLength });
          }
        }
      }
    }
  }
  return encodeCapture(frames, { format: 'pcap', linkType: 1 });
}

