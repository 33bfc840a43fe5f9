/**
 * The classic libpcap file format (draft-ietf-opsawg-pcap, "PCAP Capture File Format"): a 24-byte file
 * header, then per packet a 16-byte record header and the captured bytes. Written in the writer's byte
 * order, which the magic number reveals; 0xA1B2C3D4 means microsecond timestamps, 0xA1B23C4D nanosecond.
 */
import { u16, u16le, u32, u32le } from './bytes';
import { DecodeError } from './decodeError';

export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOSECONDS = 0xa1b23c4d;
export const PCAP_HEADER_LENGTH = 24;
export const PCAP_RECORD_HEADER_LENGTH = 16;
/** A record longer than this is taken as corruption rather than a packet (Wireshark allows 256 KiB for most link types). */
export const PCAP_MAX_RECORD_LENGTH = 0x4000000;

export interface PcapHeader {
  littleEndian: boolean;
  nanosecond: boolean;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  /** The link type (draft section 4, LinkType field: the low 26 bits; the top bits describe the FCS). */
  linkType: number;
}

/** True when the 4 bytes at `offset` are a pcap magic number in either byte order. */
export function isPcapMagic(buf: Uint8Array, offset: number): boolean {
  const be = u32(buf, offset);
  const le = u32le(buf, offset);
  return be === PCAP_MAGIC_MICROSECONDS || be === PCAP_MAGIC_NANOSECONDS || le === PCAP_MAGIC_MICROSECONDS || le === PCAP_MAGIC_NANOSECONDS;
}

/** Reads the 24-byte file header at `offset` (caller checks the length); `fileOffset` locates errors in the file. */
export function parsePcapHeader(buf: Uint8Array, offset: number, fileOffset: number): PcapHeader {
  const be = u32(buf, offset);
  const littleEndian = !(be === PCAP_MAGIC_MICROSECONDS || be === PCAP_MAGIC_NANOSECONDS);
  const magic = littleEndian ? u32le(buf, offset) : be;
  if (magic !== PCAP_MAGIC_MICROSECONDS && magic !== PCAP_MAGIC_NANOSECONDS) {
    throw new DecodeError('pcap', fileOffset, `magic 0x${be.toString(16)} is not a pcap magic number`);
  }
  const r16 = littleEndian ? u16le : u16;
  const r32 = littleEndian ? u32le : u32;
  const versionMajor = r16(buf, offset + 4);
  if (versionMajor !== 2) throw new DecodeError('pcap', fileOffset + 4, `version ${versionMajor}.${r16(buf, offset + 6)}, expected 2.x`);
  return {
    littleEndian,
    nanosecond: magic === PCAP_MAGIC_NANOSECONDS,
    versionMajor,
    versionMinor: r16(buf, offset + 6),
    snaplen: r32(buf, offset + 16),
    linkType: r32(buf, offset + 20) & 0x03ffffff,
  };
}

export interface PcapHeaderOptions {
  linkType: number;
  nanosecond?: boolean;
  snaplen?: number;
  /** Write little-endian (the default, as on x86 and ARM hosts) or big-endian. */
  littleEndian?: boolean;
}

/** The 24-byte file header, version 2.4. */
export function encodePcapHeader(options: PcapHeaderOptions): Uint8Array {
  const out = new Uint8Array(PCAP_HEADER_LENGTH);
  const view = new DataView(out.buffer);
  const le = options.littleEndian ?? true;
  view.setUint32(0, options.nanosecond ? PCAP_MAGIC_NANOSECONDS : PCAP_MAGIC_MICROSECONDS, le);
  view.setUint16(4, 2, le);
  view.setUint16(6, 4, le);
  view.setUint32(16, options.snaplen ?? 262144, le);
  view.setUint32(20, options.linkType, le);
  return out;
}

/**
 * Writes a 16-byte record header into `out` at `offset`: seconds, then micro- or nanoseconds, captured and
 * original length.
 */
export function writePcapRecordHeader(
  view: DataView,
  offset: number,
  timestampNs: bigint,
  nanosecond: boolean,
  capturedLength: number,
  originalLength: number,
  littleEndian: boolean,
): void {
  const seconds = timestampNs / 1_000_000_000n;
  const fraction = timestampNs - seconds * 1_000_000_000n;
  view.setUint32(offset, Number(seconds), littleEndian);
  view.setUint32(offset + 4, nanosecond ? Number(fraction) : Number(fraction / 1000n), littleEndian);
  view.setUint32(offset + 8, capturedLength, littleEndian);
  view.setUint32(offset + 12, originalLength, littleEndian);
}
