/**
 * Writing capture files: pcap (micro- or nanosecond) or pcapng (one IDB per interface, declared before the
 * interface's first packet; nanosecond interfaces carry if_tsresol 9). Packets are encoded into a 1 MiB
 * buffer that is handed to the file when full, so writing is streamed; close() flushes and closes.
 */
import { close as closeFd, openSync, write as writeFd } from 'node:fs';
import { encodePcapHeader, PCAP_RECORD_HEADER_LENGTH, writePcapRecordHeader } from './pcap';
import { encodeInterfaceDescription, encodeSectionHeader, enhancedPacketLength, writeEnhancedPacket } from './pcapng';

export interface CaptureWriterOptions {
  format: 'pcap' | 'pcapng';
  /** Link type of the pcap file, and of pcapng interfaces whose packets give none. Default 1 (Ethernet). */
  linkType?: number;
  /** Nanosecond timestamps (pcap magic 0xA1B23C4D; pcapng if_tsresol 9). Default microseconds. */
  nanosecond?: boolean;
  /** Snap length written in the headers. Default 262144. */
  snaplen?: number;
  /** pcap only: byte order of the file. Default little-endian. */
  littleEndian?: boolean;
  /**
   * pcapng only: the interfaces, declared up front; a packet's interfaceId indexes this list (so ids are kept
   * as they are). Without it, each distinct (interfaceId, linkType) of the packets gets the next id, in order of
   * first appearance.
   */
  interfaces?: Array<{ linkType: number; name?: string }>;
}

/** What a writer needs of a packet: a CapturedPacket, or just a timestamp and bytes. */
export interface PacketToWrite {
  timestampNs: bigint;
  data: Uint8Array;
  /** Defaults to data.length. */
  originalLength?: number;
  /** pcapng: the packet's link type (default: the writer's); pcap: must match the writer's when given. */
  linkType?: number;
  /** pcapng: the interface the packet came in on (default 0); see CaptureWriterOptions.interfaces. */
  interfaceId?: number;
}

const BATCH = 1 << 20;

/**
 * Encodes packets into capture-file bytes, in chunks: the in-memory core of CaptureWriter (also used to
 * build captures in tests and benchmarks).
 */
export class CaptureEncoder {
  private chunk: Uint8Array;
  private view: DataView;
  private used = 0;
  private readonly interfaces = new Map<number, number>();
  private readonly linkType: number;
  private readonly nanosecond: boolean;
  private readonly snaplen: number;
  private readonly littleEndian: boolean;

  constructor(
    readonly options: CaptureWriterOptions,
    /** Receives each full chunk (ownership passes: the encoder never touches it again). */
    private readonly emit: (chunk: Uint8Array) => void,
  ) {
    this.linkType = options.linkType ?? 1;
    this.nanosecond = options.nanosecond ?? false;
    this.snaplen = options.snaplen ?? 262144;
    this.littleEndian = options.littleEndian ?? true;
    this.chunk = new Uint8Array(BATCH);
    this.view = new DataView(this.chunk.buffer);
    this.append(
      options.format === 'pcap'
        ? encodePcapHeader({ linkType: this.linkType, nanosecond: this.nanosecond, snaplen: this.snaplen, littleEndian: this.littleEndian })
        : encodeSectionHeader(),
    );
    if (options.format === 'pcapng' && options.interfaces) {
      for (const i of options.interfaces) this.append(encodeInterfaceDescription(i.linkType, this.snaplen, this.nanosecond, i.name));
    }
  }

  write(packet: PacketToWrite): void {
    if (packet.timestampNs < 0n) throw new RangeError(`timestamp ${packet.timestampNs} ns is before 1970`);
    const originalLength = packet.originalLength ?? packet.data.length;
    if (this.options.format === 'pcap') {
      if (packet.linkType !== undefined && packet.linkType !== this.linkType) {
        throw new RangeError(`packet of link type ${packet.linkType} in a pcap file of link type ${this.linkType}: write pcapng for mixed link types`);
      }
      this.reserve(PCAP_RECORD_HEADER_LENGTH + packet.data.length);
      writePcapRecordHeader(this.view, this.used, packet.timestampNs, this.nanosecond, packet.data.length, originalLength, this.littleEndian);
      this.chunk.set(packet.data, this.used + PCAP_RECORD_HEADER_LENGTH);
      this.used += PCAP_RECORD_HEADER_LENGTH + packet.data.length;
      return;
    }
    const sourceId = packet.interfaceId ?? 0;
    const interfaceId = this.interfaceFor(sourceId, packet.linkType ?? this.options.interfaces?.[sourceId]?.linkType ?? this.linkType);
    const ticks = this.nanosecond ? packet.timestampNs : packet.timestampNs / 1000n;
    this.reserve(enhancedPacketLength(packet.data.length));
    this.used = writeEnhancedPacket(this.chunk, this.view, this.used, interfaceId, ticks, packet.data, originalLength);
  }

  /** Hands over what is buffered. */
  flush(): void {
    if (this.used === 0) return;
    const full = this.chunk.subarray(0, this.used);
    this.chunk = new Uint8Array(BATCH);
    this.view = new DataView(this.chunk.buffer);
    this.used = 0;
    this.emit(full);
  }

  /** The file's interface id for a packet's (interface, link type); writes its IDB the first time. */
  private interfaceFor(sourceId: number, linkType: number): number {
    const declared = this.options.interfaces;
    if (declared) {
      const iface = declared[sourceId];
      if (iface === undefined) throw new RangeError(`packet on interface ${sourceId}, but ${declared.length} interface(s) were declared`);
      if (iface.linkType !== linkType) throw new RangeError(`packet of link type ${linkType} on interface ${sourceId} of link type ${iface.linkType}`);
      return sourceId;
    }
    const key = sourceId * 0x100000000 + linkType;
    let id = this.interfaces.get(key);
    if (id === undefined) {
      id = this.interfaces.size;
      this.interfaces.set(key, id);
      this.append(encodeInterfaceDescription(linkType, this.snaplen, this.nanosecond));
    }
    return id;
  }

  private append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.chunk.set(bytes, this.used);
    this.used += bytes.length;
  }

  private reserve(n: number): void {
    if (this.used + n <= this.chunk.length) return;
    this.flush();
    if (n > this.chunk.length) {
      this.chunk = new Uint8Array(n);
      this.view = new DataView(this.chunk.buffer);
    }
  }
}

/** Encodes packets into a whole capture file in memory. */
export function encodeCapture(packets: Iterable<PacketToWrite>, options: CaptureWriterOptions): Uint8Array {
  const chunks: Uint8Array[] = [];
  const encoder = new CaptureEncoder(options, (c) => chunks.push(c));
  for (const p of packets) encoder.write(p);
  encoder.flush();
  return Buffer.concat(chunks);
}

/** Writes a capture file, streamed: `write()` buffers, full buffers go to the file in the background, `close()` flushes. */
export class CaptureWriter {
  private readonly fd: number;
  private readonly encoder: CaptureEncoder;
  private pending: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private closed = false;

  constructor(
    readonly path: string,
    options: CaptureWriterOptions,
  ) {
    this.fd = openSync(path, 'w');
    this.encoder = new CaptureEncoder(options, (chunk) => {
      this.pending = this.pending.then(() => this.writeAll(chunk));
    });
  }

  write(packet: PacketToWrite): void {
    if (this.closed) throw new Error(`capture ${this.path} is closed`);
    if (this.failure) throw this.failure;
    this.encoder.write(packet);
  }

  /** Flushes everything written so far to the file. */
  async flush(): Promise<void> {
    this.encoder.flush();
    await this.pending;
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      await new Promise<void>((resolve, reject) => closeFd(this.fd, (err) => (err ? reject(err) : resolve())));
    }
  }

  private async writeAll(chunk: Uint8Array): Promise<void> {
    if (this.failure) return;
    let done = 0;
    while (done < chunk.length) {
      try {
        done += await new Promise<number>((resolve, reject) =>
          writeFd(this.fd, chunk, done, chunk.length - done, null, (err, n) => (err ? reject(err) : resolve(n))),
        );
      } catch (err) {
        this.failure = err as Error;
        return;
      }
    }
  }
}
