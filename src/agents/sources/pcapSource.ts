import { createRequire } from 'node:module';

/** A frame as libpcap handed it over: `data` is only valid during the callback (the buffer is reused). */
export interface WireFrame {
  data: Buffer;
  /** Bytes on the wire; larger than data.length when the snapshot cut the frame. */
  length: number;
  truncated: boolean;
  linkType: number;
  timestampNs: bigint;
}

interface CapInstance {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): void;
  on(event: 'packet', fn: (nbytes: number, truncated: boolean) => void): void;
  removeAllListeners(event?: string): void;
}
interface CapModule {
  Cap: { new (): CapInstance; deviceList(): Array<{ name: string }> };
}

// cap's link-type names → pcap LINKTYPE_* numbers (tcpdump.org/linktypes.html).
const LINK_TYPES: Record<string, number> = { ETHERNET: 1, NULL: 0, RAW: 101, IEEE802_11: 105, LINUX_SLL: 113, LINUX_SLL2: 276 };

/** The filter or interface was refused by libpcap; the message quotes what was given. */
export class CaptureOpenError extends Error {
  override readonly name = 'CaptureOpenError';
}

/**
 * Reads frames off an interface with libpcap (the npm package `cap`). libpcap copies each frame
 * out of the kernel ring, so reading here never consumes or delays the packets other sockets see:
 * a collector on the same host receives every datagram whether or not this runs.
 *
 * `cap` is loaded lazily: it is a native addon built for the system's Node, present where agents run.
 */
export class PcapSource {
  private cap: CapInstance | undefined;
  private readonly buffer: Buffer;
  readonly linkType: number;
  frames = 0;

  constructor(readonly device: string, readonly filter: string, onFrame: (frame: WireFrame) => void, options: { snaplen?: number; bufferBytes?: number } = {}) {
    const cap = loadCap();
    const names = cap.Cap.deviceList().map((d) => d.name);
    if (!names.includes(device)) {
      throw new CaptureOpenError(`interface "${device}" not found; this node has: ${names.filter((n) => !/^(any|nflog|nfqueue|dbus|bluetooth)/.test(n)).join(', ') || 'none'}`);
    }
    this.buffer = Buffer.alloc(options.snaplen ?? 65535);
    const c = new cap.Cap();
    let linkName: string;
    try {
      linkName = c.open(device, filter, options.bufferBytes ?? 16 * 1024 * 1024, this.buffer);
    } catch (err) {
      throw new CaptureOpenError(`filter "${filter}" on ${device}: ${(err as Error).message}`);
    }
    this.cap = c;
    this.linkType = LINK_TYPES[linkName] ?? -1;
    if (this.linkType < 0) {
      c.close();
      throw new CaptureOpenError(`interface "${device}" has link type ${linkName}, which labtel does not decode`);
    }
    c.on('packet', (nbytes, truncated) => {
      this.frames++;
      const data = this.buffer.subarray(0, Math.min(nbytes, this.buffer.length));
      onFrame({ data, length: nbytes, truncated, linkType: this.linkType, timestampNs: wallClockNs() });
    });
  }

  close(): void {
    if (!this.cap) return;
    this.cap.removeAllListeners('packet');
    this.cap.close();
    this.cap = undefined;
  }
}

// cap does not pass libpcap's timestamp through; the receive time is taken when the frame arrives.
const origin = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
export function wallClockNs(): bigint {
  return origin + process.hrtime.bigint();
}

function loadCap(): CapModule {
  try {
    return createRequire(__filename)('cap') as CapModule;
  } catch (err) {
    throw new CaptureOpenError(`the native module "cap" could not be loaded (${(err as Error).message.split('\n')[0]}); run npm ci where the agent runs`);
  }
}
