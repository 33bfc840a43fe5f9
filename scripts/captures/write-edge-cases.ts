// Writes the edge-case captures of test/fixtures/captures/ (see the README there) with labtel's own capture
// writer (src/protocols/captureWriter.ts), from the sFlow datagrams of the lab recording lab-sflow.pcap:
//
//   node --import tsx scripts/captures/write-edge-cases.ts
//
// Deterministic: the same lab-sflow.pcap gives the same bytes. Each file's frames and what is wrong with
// them are listed in edge-cases.json beside them, which the tests read.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCapture } from '../../src/protocols/capture';
import { encodeCapture, type CaptureWriterOptions, type PacketToWrite } from '../../src/protocols/captureWriter';
import { PCAP_HEADER_LENGTH, PCAP_RECORD_HEADER_LENGTH } from '../../src/protocols/pcap';

const dir = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'captures');
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_LINUX_SLL = 113;
const ETHERNET_HEADER = 14;
const IPV4_HEADER = 20;
const UDP_HEADER = 8;
/** Where an sFlow v5 datagram with an IPv4 agent address starts its first sample (sFlow v5 §5: 7 words). */
const FIRST_SAMPLE = 28;
/** A record length no pcap reader accepts (libpcap's limit is 256 KiB; labtel's 64 MiB). */
const CORRUPT_RECORD_LENGTH = 0x7fffffff;

const lab = [...parseCapture(readFileSync(path.join(dir, 'lab-sflow.pcap')))].map((p): PacketToWrite => ({
  timestampNs: p.timestampNs, data: Uint8Array.from(p.data), originalLength: p.originalLength,
}));
if (lab.length < 40) throw new Error(`lab-sflow.pcap has ${lab.length} frames; record it again (scripts/captures/record-lab.ts)`);
for (const p of lab) {
  if (p.data[12] !== 0x08 || p.data[13] !== 0x00 || (p.data[ETHERNET_HEADER]! & 0x0f) !== 5) throw new Error('lab-sflow.pcap: expected Ethernet + IPv4 without options');
}

/** What the tests know about each file. */
const manifest: Record<string, { what: string; frames?: number; readable?: number; cutAtByte?: number; badRecordAtByte?: number; malformed?: Array<{ frame: number; what: string }> }> = {};

function write(name: string, packets: PacketToWrite[], options: CaptureWriterOptions): Uint8Array {
  const bytes = encodeCapture(packets, options);
  writeFileSync(path.join(dir, name), bytes);
  return bytes;
}

function sflowOf(frame: Uint8Array): Uint8Array {
  return frame.subarray(ETHERNET_HEADER + IPV4_HEADER + UDP_HEADER);
}

/** The frame with another UDP payload: IPv4 total length, header checksum and UDP length fixed, UDP checksum 0 (none, RFC 768). */
function withPayload(frame: Uint8Array, payload: Uint8Array): Uint8Array {
  const head = frame.slice(0, ETHERNET_HEADER + IPV4_HEADER + UDP_HEADER);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  const v = new DataView(out.buffer);
  v.setUint16(ETHERNET_HEADER + 2, IPV4_HEADER + UDP_HEADER + payload.length);
  v.setUint16(ETHERNET_HEADER + 10, 0);
  let sum = 0;
  for (let i = 0; i < IPV4_HEADER; i += 2) sum += v.getUint16(ETHERNET_HEADER + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  v.setUint16(ETHERNET_HEADER + 10, ~sum & 0xffff);
  v.setUint16(ETHERNET_HEADER + IPV4_HEADER + 4, UDP_HEADER + payload.length);
  v.setUint16(ETHERNET_HEADER + IPV4_HEADER + 6, 0);
  return out;
}

function edited(frame: Uint8Array, edit: (sflow: DataView, length: number) => Uint8Array | void): Uint8Array {
  const sflow = Uint8Array.from(sflowOf(frame));
  const replaced = edit(new DataView(sflow.buffer), sflow.length);
  return withPayload(frame, replaced ?? sflow);
}

// 1. Nanosecond pcap, and big-endian pcap: the first 20 datagrams, timestamps to the nanosecond.
const first = lab.slice(0, 20).map((p, i) => ({ ...p, timestampNs: p.timestampNs + BigInt(i * 7 + 1) }));
write('edge-nanosecond.pcap', first, { format: 'pcap', nanosecond: true });
manifest['edge-nanosecond.pcap'] = { what: 'pcap with nanosecond timestamps (magic a1b23c4d)', frames: first.length };
write('edge-big-endian.pcap', lab.slice(0, 20), { format: 'pcap', littleEndian: false });
manifest['edge-big-endian.pcap'] = { what: 'big-endian pcap (magic a1b2c3d4 written most significant byte first)', frames: 20 };

// 2. pcapng, three interfaces of three link types, datagrams dealt round-robin.
const sll = (frame: Uint8Array): Uint8Array => {
  // Linux cooked v1 (LINKTYPE_LINUX_SLL): packet type 0 (to us), ARPHRD_ETHER, address length 6, the source MAC, then the ethertype.
  const out = new Uint8Array(16 + frame.length - ETHERNET_HEADER);
  const v = new DataView(out.buffer);
  v.setUint16(0, 0); v.setUint16(2, 1); v.setUint16(4, 6);
  out.set(frame.subarray(6, 12), 6);
  out.set(frame.subarray(12, 14), 14);
  out.set(frame.subarray(ETHERNET_HEADER), 16);
  return out;
};
const multi = lab.slice(0, 30).map((p, i): PacketToWrite => {
  const iface = i % 3;
  const data = iface === 0 ? p.data : iface === 1 ? sll(p.data) : p.data.slice(ETHERNET_HEADER);
  return { timestampNs: p.timestampNs, data, interfaceId: iface };
});
write('edge-multi-interface.pcapng', multi, {
  format: 'pcapng', nanosecond: true,
  interfaces: [{ linkType: LINKTYPE_ETHERNET, name: 'eth1' }, { linkType: LINKTYPE_LINUX_SLL, name: 'any' }, { linkType: LINKTYPE_RAW, name: 'tun0' }],
});
manifest['edge-multi-interface.pcapng'] = { what: 'pcapng with three interfaces: Ethernet, Linux cooked (SLL) and raw IPv4, nanosecond resolution', frames: multi.length };

// 3. A file cut inside its 21st record's bytes.
const whole = encodeCapture(lab.slice(0, 21), { format: 'pcap' });
const cut = whole.length - Math.floor(lab[20]!.data.length / 2);
writeFileSync(path.join(dir, 'edge-truncated.pcap'), whole.subarray(0, cut));
const twentiethEnd = PCAP_HEADER_LENGTH + lab.slice(0, 20).reduce((n, p) => n + PCAP_RECORD_HEADER_LENGTH + p.data.length, 0);
manifest['edge-truncated.pcap'] = { what: 'pcap cut inside its 21st record: 20 readable records, then a partial one', readable: 20, cutAtByte: twentiethEnd };

// 4. A record whose captured length no reader accepts, after 5 good ones.
const corrupt = Uint8Array.from(encodeCapture(lab.slice(0, 10), { format: 'pcap' }));
const sixth = PCAP_HEADER_LENGTH + lab.slice(0, 5).reduce((n, p) => n + PCAP_RECORD_HEADER_LENGTH + p.data.length, 0);
new DataView(corrupt.buffer).setUint32(sixth + 8, CORRUPT_RECORD_LENGTH, true);
writeFileSync(path.join(dir, 'edge-corrupt-record.pcap'), corrupt);
manifest['edge-corrupt-record.pcap'] = { what: `pcap whose 6th record header says ${CORRUPT_RECORD_LENGTH} captured bytes: 5 readable records`, readable: 5, badRecordAtByte: sixth + 8 };

// 5. Malformed sFlow datagrams among good ones: each bad one must be counted and skipped.
const netflowV5 = new Uint8Array(24 + 48);
{
  const v = new DataView(netflowV5.buffer);
  v.setUint16(0, 5); v.setUint16(2, 1); v.setUint32(4, 123456); v.setUint32(8, 1_765_000_000);
  netflowV5.set([203, 0, 113, 0], 24); netflowV5.set([203, 0, 113, 254], 28);
}
const bad: Array<[what: string, frame: Uint8Array]> = [
  ['sFlow version 4 in the header (only v5 is decoded)', edited(lab[21]!.data, (v) => { v.setUint32(0, 4); })],
  ['agent address type 3 (neither IPv4 nor IPv6)', edited(lab[22]!.data, (v) => { v.setUint32(4, 3); })],
  ['datagram cut in the middle of its first sample', edited(lab[23]!.data, (_v, n) => sflowOf(lab[23]!.data).slice(0, FIRST_SAMPLE + Math.floor((n - FIRST_SAMPLE) / 2)))],
  ['first sample\'s length field is 65535, past the datagram\'s end', edited(lab[24]!.data, (v) => { v.setUint32(FIRST_SAMPLE + 4, 0xffff); })],
  ['sample count 1000, more than the datagram holds', edited(lab[25]!.data, (v) => { v.setUint32(24, 1000); })],
  ['the first flow record\'s length runs past its sample', edited(lab[26]!.data, (v) => {
    if (v.getUint32(FIRST_SAMPLE) !== 1) throw new Error('lab-sflow.pcap frame 27: expected a flow sample first');
    v.setUint32(FIRST_SAMPLE + 8 + 32 + 4, 0xfff0);
  })],
  ['empty UDP payload to port 6343', withPayload(lab[27]!.data, new Uint8Array(0))],
  ['a NetFlow v5 packet (one record) sent to the sFlow port', withPayload(lab[28]!.data, netflowV5)],
  ['3 bytes: shorter than the version word and header', withPayload(lab[29]!.data, Uint8Array.of(0, 0, 0))],
];
const mixed: PacketToWrite[] = [];
const malformed: Array<{ frame: number; what: string }> = [];
for (let i = 0; i < bad.length; i++) {
  mixed.push(lab[30 + i]!);
  const [what, data] = bad[i]!;
  mixed.push({ timestampNs: lab[30 + i]!.timestampNs + 1000n, data });
  malformed.push({ frame: mixed.length, what });
}
mixed.push(lab[30 + bad.length]!);
write('edge-malformed-sflow.pcap', mixed, { format: 'pcap' });
manifest['edge-malformed-sflow.pcap'] = { what: `${bad.length} malformed sFlow datagrams, each after a good one, a good one last`, frames: mixed.length, malformed };

writeFileSync(path.join(dir, 'edge-cases.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`wrote ${Object.keys(manifest).length} edge-case captures and edge-cases.json in ${dir}`);
