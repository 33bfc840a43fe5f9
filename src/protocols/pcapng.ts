/**
 * The pcapng file format (draft-ietf-opsawg-pcapng): a sequence of blocks, each `type, total length, body,
 * total length` padded to 32 bits, in the byte order announced by the Section Header Block that starts
 * each section. Blocks read here: SHB (section 4.1), IDB (4.2, with if_tsresol and if_tsoffset), EPB (4.3),
 * SPB (4.4) and the obsolete Packet Block (appendix); every other block is skipped by its length.
 */
import { u16, u16le, u32, u32le } from './bytes';
import { DecodeError } from './decodeError';

export const PCAPNG_SECTION_HEADER = 0x0a0d0d0a;
export const PCAPNG_INTERFACE_DESCRIPTION = 0x00000001;
export const PCAPNG_OBSOLETE_PACKET = 0x00000002;
export const PCAPNG_SIMPLE_PACKET = 0x00000003;
export const PCAPNG_ENHANCED_PACKET = 0x00000006;
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Larger blocks are taken as corruption (Wireshark's limit is 16 MiB). */
export const PCAPNG_MAX_BLOCK_LENGTH = 0x4000000;

const OPTION_END = 0;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

/** An interface of the current section, from its IDB. */
export interface PcapngInterface {
  linkType: number;
  snaplen: number;
  /** Timestamp units to nanoseconds: ns = ticks × nsMultiplier / nsDivisor (+ offsetNs). */
  nsMultiplier: bigint;
  nsDivisor: bigint;
  /** if_tsoffset in nanoseconds. */
  offsetNs: bigint;
}

/** Byte order of a pcapng section, read from its SHB's byte-order magic (section 4.1). */
export function pcapngLittleEndian(buf: Uint8Array, shbOffset: number, fileOffset: number): boolean {
  const magic = u32(buf, shbOffset + 8);
  if (magic === PCAPNG_BYTE_ORDER_MAGIC) return false;
  if (u32le(buf, shbOffset + 8) === PCAPNG_BYTE_ORDER_MAGIC) return true;
  throw new DecodeError('pcapng', fileOffset + 8, `byte-order magic 0x${magic.toString(16)} is not 0x1a2b3c4d`);
}

/**
 * Reads an IDB body (link type, reserved, snaplen, options) at [offset, bodyEnd). if_tsresol: high bit
 * clear, units of 10^-n s; set, 2^-n s; default 10^-6 (section 4.2). if_tsoffset: seconds to add.
 */
export function parseInterfaceDescription(
  buf: Uint8Array,
  offset: number,
  bodyEnd: number,
  littleEndian: boolean,
  fileOffset: number,
): PcapngInterface {
  const r16 = littleEndian ? u16le : u16;
  const r32 = littleEndian ? u32le : u32;
  if (bodyEnd - offset < 8) throw new DecodeError('pcapng.idb', fileOffset, `body of ${bodyEnd - offset} bytes, at least 8 expected`);
  const iface: PcapngInterface = {
    linkType: r16(buf, offset),
    snaplen: r32(buf, offset + 4),
    nsMultiplier: 1000n,
    nsDivisor: 1n,
    offsetNs: 0n,
  };
  let o = offset + 8;
  while (bodyEnd - o >= 4) {
    const code = r16(buf, o);
    const length = r16(buf, o + 2);
    if (code === OPTION_END) break;
    const value = o + 4;
    if (value + length > bodyEnd) {
      throw new DecodeError('pcapng.idb', fileOffset + (o - offset) + 8, `option ${code} of length ${length} runs past the block`);
    }
    if (code === IF_TSRESOL && length >= 1) {
      const resolution = buf[value];
      const exponent = resolution & 0x7f;
      if (resolution & 0x80) {
        if (exponent > 63) throw new DecodeError('pcapng.idb', fileOffset + (value - offset) + 8, `if_tsresol 2^-${exponent} is out of range`);
        iface.nsMultiplier = 1_000_000_000n;
        iface.nsDivisor = 1n << BigInt(exponent);
      } else {
        if (exponent > 18) throw new DecodeError('pcapng.idb', fileOffset + (value - offset) + 8, `if_tsresol 10^-${exponent} is out of range`);
        iface.nsMultiplier = exponent <= 9 ? 10n ** BigInt(9 - exponent) : 1n;
        iface.nsDivisor = exponent <= 9 ? 1n : 10n ** BigInt(exponent - 9);
      }
    } else if (code === IF_TSOFFSET && length >= 8) {
      const high = r32(buf, littleEndian ? value + 4 : value);
      const low = r32(buf, littleEndian ? value : value + 4);
      iface.offsetNs = BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(low)) * 1_000_000_000n;
    }
    o = value + ((length + 3) & ~3);
  }
  return iface;
}

/** A 64-bit pcapng timestamp (high word, low word) in the interface's units, to nanoseconds since the epoch. */
export function pcapngTimestampNs(iface: PcapngInterface, high: number, low: number): bigint {
  const ticks = (BigInt(high) << 32n) | BigInt(low);
  return (ticks * iface.nsMultiplier) / iface.nsDivisor + iface.offsetNs;
}

// ---- writing (little-endian; readers take either byte order) ----

function option(view: DataView, offset: number, code: number, value: Uint8Array): number {
  view.setUint16(offset, code, true);
  view.setUint16(offset + 2, value.length, true);
  new Uint8Array(view.buffer, view.byteOffset + offset + 4, value.length).set(value);
  return offset + 4 + ((value.length + 3) & ~3);
}

/** A Section Header Block, version 1.0, section length unknown (-1), with an shb_userappl option. */
export function encodeSectionHeader(application = 'labtel'): Uint8Array {
  const app = new TextEncoder().encode(application);
  const length = 28 + 4 + ((app.length + 3) & ~3) + 4;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  view.setUint32(0, PCAPNG_SECTION_HEADER, true);
  view.setUint32(4, length, true);
  view.setUint32(8, PCAPNG_BYTE_ORDER_MAGIC, true);
  view.setUint16(12, 1, true);
  view.setUint16(14, 0, true);
  view.setInt32(16, -1, true);
  view.setInt32(20, -1, true);
  let o = option(view, 24, 4 /* shb_userappl */, app);
  o += 4; // opt_endofopt
  view.setUint32(o, length, true);
  return out;
}

/** An Interface Description Block; nanosecond interfaces get if_tsresol 9, others keep the default (microseconds). */
export function encodeInterfaceDescription(linkType: number, snaplen: number, nanosecond: boolean, name?: string): Uint8Array {
  const nameBytes = name === undefined ? undefined : new TextEncoder().encode(name);
  let optionsLength = 0;
  if (nameBytes) optionsLength += 4 + ((nameBytes.length + 3) & ~3);
  if (nanosecond) optionsLength += 8;
  if (optionsLength) optionsLength += 4;
  const length = 20 + optionsLength;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  view.setUint32(0, PCAPNG_INTERFACE_DESCRIPTION, true);
  view.setUint32(4, length, true);
  view.setUint16(8, linkType, true);
  view.setUint32(12, snaplen, true);
  let o = 16;
  if (nameBytes) o = option(view, o, 2 /* if_name */, nameBytes);
  if (nanosecond) o = option(view, o, IF_TSRESOL, Uint8Array.of(9));
  if (optionsLength) o += 4;
  view.setUint32(o, length, true);
  return out;
}

/** Length of the Enhanced Packet Block for `capturedLength` bytes of packet (no options). */
export function enhancedPacketLength(capturedLength: number): number {
  return 32 + ((capturedLength + 3) & ~3);
}

/** Writes an Enhanced Packet Block at `offset` of `out` (which must have enhancedPacketLength() bytes there). */
export function writeEnhancedPacket(
  out: Uint8Array,
  view: DataView,
  offset: number,
  interfaceId: number,
  ticks: bigint,
  data: Uint8Array,
  originalLength: number,
): number {
  const length = enhancedPacketLength(data.length);
  view.setUint32(offset, PCAPNG_ENHANCED_PACKET, true);
  view.setUint32(offset + 4, length, true);
  view.setUint32(offset + 8, interfaceId, true);
  view.setUint32(offset + 12, Number(ticks >> 32n), true);
  view.setUint32(offset + 16, Number(ticks & 0xffffffffn), true);
  view.setUint32(offset + 20, data.length, true);
  view.setUint32(offset + 24, originalLength, true);
  out.set(data, offset + 28);
  out.fill(0, offset + 28 + data.length, offset + length - 4);
  view.setUint32(offset + length - 4, length, true);
  return offset + length;
}
