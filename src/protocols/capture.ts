/**
 * Reading capture files, pcap or pcapng, told apart by their first 4 bytes: as a stream from a file
 * (readCapture: a file handle and a buffer that grows only to the largest record, never the whole file) or
 * from bytes in memory (parseCapture). Both run the same incremental parser. Packet bytes are views into
 * the read buffer, never copies; a refill allocates a fresh buffer, so packets already handed out stay valid
 * (a packet kept for long keeps its 1 MiB read buffer alive: copy `data` to keep a few packets among many).
 */
import { open } from 'node:fs/promises';
import { u16, u16le, u32, u32le } from './bytes';
import { DecodeError } from './decodeError';
import {
  PCAP_HEADER_LENGTH,
  PCAP_MAX_RECORD_LENGTH,
  PCAP_RECORD_HEADER_LENGTH,
  PcapHeader,
  isPcapMagic,
  parsePcapHeader,
} from './pcap';
import {
  PCAPNG_ENHANCED_PACKET,
  PCAPNG_INTERFACE_DESCRIPTION,
  PCAPNG_MAX_BLOCK_LENGTH,
  PCAPNG_OBSOLETE_PACKET,
  PCAPNG_SECTION_HEADER,
  PCAPNG_SIMPLE_PACKET,
  PcapngInterface,
  parseInterfaceDescription,
  pcapngLittleEndian,
  pcapngTimestampNs,
} from './pcapng';

export interface CapturedPacket {
  /** Capture time in nanoseconds since the Unix epoch. */
  timestampNs: bigint;
  /** The captured bytes (a view into the reader's buffer). */
  data: Uint8Array;
  /** Length of the packet on the wire (≥ data.length when the capture was cut by a snap length). */
  originalLength: number;
  /** pcap/pcapng link type (1 Ethernet, 101 raw IP, 113/276 Linux cooked …), for decodeFrame(). */
  linkType: number;
  /** pcapng interface id within its section; 0 for pcap. */
  interfaceId: number;
  /** Where `data` starts in the file (or the bytes parsed): a viewer reads the packet again from here. */
  fileOffset: number;
}

export type CaptureFormat = 'pcap' | 'pcapng';

const NEED_MORE = 0;
/** Where a packet's bytes start in its block: type and length words, then the EPB's 20 bytes of fields (section 4.3). */
const PCAPNG_EPB_DATA_OFFSET = 28;
/** … and in a Simple Packet Block: type and length, then the original length (section 4.4). */
const PCAPNG_SPB_DATA_OFFSET = 12;

/**
 * Incremental parser: step() parses one unit (file header, record or block) from buf[offset, end) and returns
 * the bytes it consumed, or 0 when it needs `needed` bytes from `offset` first. After a unit that was a packet,
 * `packet` holds it (else undefined).
 */
export class CaptureParser {
  format: CaptureFormat | undefined = undefined;
  packet: CapturedPacket | undefined = undefined;
  needed = 0;
  private pcap: PcapHeader | undefined = undefined;
  private littleEndian = false;
  private interfaces: PcapngInterface[] = [];

  step(buf: Uint8Array, offset: number, end: number, fileOffset: number): number {
    this.packet = undefined;
    const available = end - offset;
    if (this.format === undefined) {
      if (available < 4) return this.more(4);
      if (isPcapMagic(buf, offset)) {
        if (available < PCAP_HEADER_LENGTH) return this.more(PCAP_HEADER_LENGTH);
        this.pcap = parsePcapHeader(buf, offset, fileOffset);
        this.format = 'pcap';
        this.littleEndian = this.pcap.littleEndian;
        return PCAP_HEADER_LENGTH;
      }
      if (u32(buf, offset) !== PCAPNG_SECTION_HEADER) {
        throw new DecodeError('capture', fileOffset, `magic 0x${u32(buf, offset).toString(16).padStart(8, '0')} is neither pcap nor pcapng`);
      }
      this.format = 'pcapng';
    }
    return this.format === 'pcap' ? this.pcapRecord(buf, offset, available, fileOffset) : this.pcapngBlock(buf, offset, available, fileOffset);
  }

  private more(n: number): number {
    this.needed = n;
    return NEED_MORE;
  }

  /** A record: seconds, micro/nanoseconds, captured length, original length, then the bytes (draft section 5). */
  private pcapRecord(buf: Uint8Array, offset: number, available: number, fileOffset: number): number {
    if (available < PCAP_RECORD_HEADER_LENGTH) return this.more(PCAP_RECORD_HEADER_LENGTH);
    const header = this.pcap!;
    const r32 = header.littleEndian ? u32le : u32;
    const capturedLength = r32(buf, offset + 8);
    if (capturedLength > PCAP_MAX_RECORD_LENGTH) {
      throw new DecodeError('pcap', fileOffset + 8, `record of ${capturedLength} bytes is larger than any packet (${PCAP_MAX_RECORD_LENGTH})`);
    }
    const length = PCAP_RECORD_HEADER_LENGTH + capturedLength;
    if (available < length) return this.more(length);
    const seconds = r32(buf, offset);
    const fraction = r32(buf, offset + 4);
    const data = buf.subarray(offset + PCAP_RECORD_HEADER_LENGTH, offset + length);
    this.packet = {
      timestampNs: BigInt(seconds) * 1_000_000_000n + BigInt(header.nanosecond ? fraction : fraction * 1000),
      data,
      originalLength: r32(buf, offset + 12),
      linkType: header.linkType,
      interfaceId: 0,
      fileOffset: fileOffset + PCAP_RECORD_HEADER_LENGTH,
    };
    return length;
  }

  /** One block: type, total length, body, total length again (draft section 3.1). */
  private pcapngBlock(buf: Uint8Array, offset: number, available: number, fileOffset: number): number {
    if (available < 12) return this.more(12);
    const type = u32(buf, offset); // the SHB type reads the same in both byte orders
    if (type === PCAPNG_SECTION_HEADER) {
      this.littleEndian = pcapngLittleEndian(buf, offset, fileOffset);
      this.interfaces = [];
    }
    const r32 = this.littleEndian ? u32le : u32;
    const blockType = r32(buf, offset);
    const length = r32(buf, offset + 4);
    if (length < 12 || length % 4 !== 0 || length > PCAPNG_MAX_BLOCK_LENGTH) {
      throw new DecodeError('pcapng', fileOffset + 4, `block of type 0x${blockType.toString(16)} has total length ${length}`);
    }
    if (available < length) return this.more(length);
    if (r32(buf, offset + length - 4) !== length) {
      throw new DecodeError(
        'pcapng',
        fileOffset + length - 4,
        `block of type 0x${blockType.toString(16)}: trailing length ${r32(buf, offset + length - 4)} differs from leading length ${length}`,
      );
    }
    const body = offset + 8;
    const bodyEnd = offset + length - 4;
    switch (blockType) {
      case PCAPNG_SECTION_HEADER: {
        if (length < 28) throw new DecodeError('pcapng.shb', fileOffset + 4, `total length ${length}, at least 28 expected`);
        const major = (this.littleEndian ? u16le : u16)(buf, offset + 12);
        if (major !== 1) throw new DecodeError('pcapng.shb', fileOffset + 12, `version ${major}, expected 1`);
        break;
      }
      case PCAPNG_INTERFACE_DESCRIPTION:
        this.interfaces.push(parseInterfaceDescription(buf, body, bodyEnd, this.littleEndian, fileOffset));
        break;
      case PCAPNG_ENHANCED_PACKET:
      case PCAPNG_OBSOLETE_PACKET: {
        // EPB: interface id (32), timestamp high, low, captured length, original length, data (section 4.3).
        // Obsolete Packet Block: interface id (16), drops count (16), then the same.
        if (bodyEnd - body < 20) throw new DecodeError('pcapng.epb', fileOffset + 4, `total length ${length} is too short for a packet block`);
        const interfaceId = blockType === PCAPNG_ENHANCED_PACKET ? r32(buf, body) : (this.littleEndian ? u16le : u16)(buf, body);
        const iface = this.interfaces[interfaceId];
        if (iface === undefined) {
          throw new DecodeError('pcapng.epb', fileOffset + 8, `interface ${interfaceId} is not described (${this.interfaces.length} interface(s) in this section)`);
        }
        const capturedLength = r32(buf, body + 12);
        if (capturedLength > bodyEnd - body - 20) {
          throw new DecodeError('pcapng.epb', fileOffset + 20, `captured length ${capturedLength} runs past the block of ${length} bytes`);
        }
        this.packet = {
          timestampNs: pcapngTimestampNs(iface, r32(buf, body + 4), r32(buf, body + 8)),
          data: buf.subarray(body + 20, body + 20 + capturedLength),
          originalLength: r32(buf, body + 16),
          linkType: iface.linkType,
          interfaceId,
          fileOffset: fileOffset + PCAPNG_EPB_DATA_OFFSET,
        };
        break;
      }
      case PCAPNG_SIMPLE_PACKET: {
        // SPB (section 4.4): original length, then the data; interface 0, captured length
        // min(original length, interface 0's snaplen, what the block holds); no timestamp.
        const iface = this.interfaces[0];
        if (iface === undefined) throw new DecodeError('pcapng.spb', fileOffset, 'simple packet block before any interface description');
        const originalLength = r32(buf, body);
        let capturedLength = Math.min(originalLength, bodyEnd - body - 4);
        if (iface.snaplen !== 0 && iface.snaplen < capturedLength) capturedLength = iface.snaplen;
        this.packet = {
          timestampNs: 0n,
          data: buf.subarray(body + 4, body + 4 + capturedLength),
          originalLength,
          linkType: iface.linkType,
          interfaceId: 0,
          fileOffset: fileOffset + PCAPNG_SPB_DATA_OFFSET,
        };
        break;
      }
      default:
        // Name resolution, statistics, decryption secrets, custom blocks …: skipped by their length.
        break;
    }
    return length;
  }
}

/** Reads every packet of an in-memory capture (pcap or pcapng). Throws DecodeError with the file offset. */
export function* parseCapture(buf: Uint8Array): Generator<CapturedPacket> {
  const parser = new CaptureParser();
  let offset = 0;
  if (buf.length === 0) throw new DecodeError('capture', 0, 'empty file');
  while (offset < buf.length) {
    const n = parser.step(buf, offset, buf.length, offset);
    if (n === NEED_MORE) {
      throw new DecodeError(parser.format ?? 'capture', offset, `file ends inside a ${parser.format === 'pcapng' ? 'block' : 'record'}: ${buf.length - offset} of ${parser.needed} bytes`);
    }
    offset += n;
    if (parser.packet !== undefined) yield parser.packet;
  }
}

/** The size of each read; a record larger than this grows the next buffer to fit it. */
const READ_CHUNK = 1 << 20;

/**
 * Streams the packets of a capture file (pcap or pcapng) without reading it whole. Throws DecodeError with
 * the file offset for a malformed file (after yielding every packet before the fault).
 */
export async function* readCapture(path: string): AsyncGenerator<CapturedPacket> {
  const file = await open(path, 'r');
  try {
    const parser = new CaptureParser();
    let buf = new Uint8Array(0);
    let start = 0;
    let end = 0;
    let fileOffset = 0; // file offset of buf[start]
    let eof = false;
    for (;;) {
      const n = start < end ? parser.step(buf, start, end, fileOffset) : NEED_MORE;
      if (n !== NEED_MORE) {
        start += n;
        fileOffset += n;
        if (parser.packet !== undefined) yield parser.packet;
        continue;
      }
      if (eof) {
        if (start === end && fileOffset > 0) return;
        if (fileOffset === 0 && end === 0) throw new DecodeError('capture', 0, 'empty file');
        throw new DecodeError(
          parser.format ?? 'capture',
          fileOffset,
          `file ends inside a ${parser.format === 'pcapng' ? 'block' : 'record'}: ${end - start} of ${Math.max(parser.needed, end - start + 1)} bytes`,
        );
      }
      // Refill into a new buffer (handed-out packets keep viewing the old one), keeping the unparsed tail.
      const kept = end - start;
      const size = Math.max(READ_CHUNK, start < end ? parser.needed : 0, kept * 2);
      const next = new Uint8Array(size);
      next.set(buf.subarray(start, end));
      let filled = kept;
      while (filled < size) {
        const { bytesRead } = await file.read(next, filled, size - filled, null);
        if (bytesRead === 0) {
          eof = true;
          break;
        }
        filled += bytesRead;
      }
      buf = next;
      start = 0;
      end = filled;
    }
  } finally {
    await file.close();
  }
}
