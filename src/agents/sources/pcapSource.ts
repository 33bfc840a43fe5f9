import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

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
 * cap's read loop does not return to the event loop while packets keep arriving, and it cannot run
 * in a worker thread (it polls on the main loop). Under sustained load that would starve the
 * agent's signals, timers and /metrics, so when one read loop has run for `maxBusyMs` the
 * handle is closed, which ends cap's loop, and reopened on the next turn; frames that arrive in
 * between are lost, as they would be to an overloaded reader anyway, and each such yield is counted.
 *
 * `cap` is loaded lazily: it is a native addon built for the system's Node, present where agents run.
 */
export class PcapSource {
  private cap: CapInstance | undefined;
  private readonly capModule: CapModule;
  private readonly buffer: Buffer;
  private readonly bufferBytes: number;
  private readonly maxBusyMs: number;
  /** When cap's current read loop began handing frames over (undefined between loops). */
  private loopStart: number | undefined;
  private closed = false;
  readonly linkType: number;
  frames = 0;
  /** Times the handle was closed and reopened to let the event loop turn. */
  reopens = 0;
  /**
   * Closed Cap objects are kept alive: cap stops its uv_poll handle on close but never uv_close()s
   * it, so freeing the object would leave a dangling handle in the event loop (a crash, seen here).
   */
  private readonly retired: CapInstance[] = [];

  constructor(readonly device: string, readonly filter: string, private readonly onFrame: (frame: WireFrame) => void, options: { snaplen?: number; bufferBytes?: number; maxBusyMs?: number } = {}) {
    const cap = loadCap();
    const names = cap.Cap.deviceList().map((d) => d.name);
    if (!names.includes(device)) {
      throw new CaptureOpenError(`interface "${device}" not found; this node has: ${names.filter((n) => !/^(any|nflog|nfqueue|dbus|bluetooth)/.test(n)).join(', ') || 'none'}`);
    }
    this.buffer = Buffer.alloc(options.snaplen ?? 65535);
    this.bufferBytes = options.bufferBytes ?? 16 * 1024 * 1024;
    this.maxBusyMs = options.maxBusyMs ?? 100;
    this.capModule = cap;
    const c = new cap.Cap();
    const linkName = this.openOn(c);
    this.linkType = LINK_TYPES[linkName] ?? -1;
    if (this.linkType < 0) {
      c.close();
      throw new CaptureOpenError(`interface "${device}" has link type ${linkName}, which labtel does not decode`);
    }
    this.cap = c;
  }

  private openOn(c: CapInstance): string {
    let linkName: string;
    try {
      linkName = c.open(this.device, this.filter, this.bufferBytes, this.buffer);
    } catch (err) {
      throw new CaptureOpenError(`filter "${this.filter}" on ${this.device}: ${(err as Error).message}`);
    }
    c.removeAllListeners('packet');
    c.on('packet', (nbytes, truncated) => this.packet(c, nbytes, truncated));
    return linkName;
  }

  private packet(c: CapInstance, nbytes: number, truncated: boolean): void {
    this.frames++;
    // The first frame of a read loop marks its start; setImmediate runs only once cap's loop has
    // returned to the event loop, so it marks the end. Time in between is time nothing else ran.
    if (this.loopStart === undefined) {
      this.loopStart = performance.now();
      setImmediate(() => { this.loopStart = undefined; });
    }
    const data = this.buffer.subarray(0, Math.min(nbytes, this.buffer.length));
    this.onFrame({ data, length: nbytes, truncated, linkType: this.linkType, timestampNs: wallClockNs() });
    if ((this.frames & 15) === 0 && performance.now() - this.loopStart > this.maxBusyMs) {
      this.reopens++;
      c.removeAllListeners('packet');
      c.close(); // ends cap's read loop once this callback returns; a closed Cap cannot be reopened
      this.retired.push(c);
      setImmediate(() => {
        if (this.closed) return;
        const next = new this.capModule.Cap();
        this.openOn(next);
        this.cap = next;
      });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.cap) {
      this.cap.removeAllListeners('packet');
      this.cap.close();
      this.retired.push(this.cap);
      this.cap = undefined;
    }
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
