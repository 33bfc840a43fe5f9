import { createSocket, type Socket } from 'node:dgram';
import { readdirSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { endianness } from 'node:os';
import { parseIpv4Words, parseIpv6Words } from '../../flows/addressWords';

/** Called with each datagram at buf[start, end). The bytes are only valid during the call: the buffer is reused. */
export type UdpDatagramHandler = (buf: Buffer, start: number, end: number) => void;

/** Datagrams read in one batch at most, so that timers and signals still get their turn under any load. */
const MAX_BATCH = 64;
/** Room for the largest UDP payload (65,507 bytes over IPv4, 65,527 over IPv6). */
const READ_BUFFER_BYTES = 65_536;

/**
 * Receives sFlow datagrams on a UDP socket (the collector's side, as goflow2 does). The receive
 * buffer is enlarged so that bursts from many agents are absorbed by the kernel while a datagram
 * is being decoded; what the kernel still drops (a full buffer) is read back from /proc/net/udp
 * (kernelDrops), not counted per datagram.
 *
 * Reading in batches: Node delivers each datagram as a 'message' event, and that path (a new
 * buffer, a new sender-address object, a call from C++ into JS) costs about as much as decoding
 * the datagram. So when a 'message' arrives, the datagrams queued behind it are read right there,
 * synchronously, with read(2) on the socket's descriptor into one reused buffer, until the queue
 * is empty (EAGAIN: the socket is non-blocking) or MAX_BATCH were read. Under load the queue is
 * long and most datagrams take the cheap path; at a trickle each one is a 'message' as before.
 * The descriptor is found through /proc (the inode of the socket bound to our address), so this
 * needs Linux; anywhere else, or if a read fails otherwise than EAGAIN, only events are used.
 */
export class UdpSource {
  private socket: Socket | undefined;
  private family: 'udp4' | 'udp6' = 'udp4';
  /** The socket's descriptor for batched reads, -1 when reading only by events. */
  private fd = -1;
  private readonly readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  datagrams = 0;
  /** Of those, datagrams read in batches behind a 'message' event. */
  batched = 0;

  private constructor(private readonly onDatagram: UdpDatagramHandler) {}

  static async listen(host: string, port: number, onDatagram: UdpDatagramHandler, recvBufferBytes = 8 * 1024 * 1024): Promise<UdpSource> {
    const source = new UdpSource(onDatagram);
    source.family = isIPv6(host) ? 'udp6' : 'udp4';
    const socket = createSocket({ type: source.family, reuseAddr: false });
    socket.on('message', (msg) => {
      source.datagrams++;
      onDatagram(msg, 0, msg.length);
      if (source.fd >= 0) source.readQueued();
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (err) => reject(new Error(`cannot listen on UDP ${host}:${port}: ${err.message}`)));
      socket.bind(port, host, () => resolve());
    });
    try {
      socket.setRecvBufferSize(recvBufferBytes);
    } catch {
      // Capped by net.core.rmem_max; the default buffer still works, with less headroom for bursts.
    }
    source.socket = socket;
    source.fd = source.findDescriptor();
    return source;
  }

  get address(): { address: string; port: number } {
    if (!this.socket) throw new Error('UDP source is closed');
    return this.socket.address();
  }

  get recvBufferBytes(): number {
    return this.socket?.getRecvBufferSize() ?? 0;
  }

  /** True when queued datagrams are read in batches (see the class comment). */
  get readsInBatches(): boolean {
    return this.fd >= 0;
  }

  /**
   * Datagrams the kernel dropped for this socket so far (its receive buffer was full), from
   * /proc/net/udp or udp6; undefined when that cannot be read (not Linux, or the socket is closed).
   * Reads a file of one line per UDP socket: call it at an interval, not per datagram.
   */
  kernelDrops(): number | undefined {
    const line = this.procNetLine();
    return line ? line.drops : undefined;
  }

  close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    // The descriptor number is free for reuse once the socket closes: never read it again.
    this.fd = -1;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => s.close(() => resolve()));
  }

  private readQueued(): void {
    const buf = this.readBuffer;
    for (let k = 0; k < MAX_BATCH; k++) {
      let n: number;
      try {
        n = readSync(this.fd, buf, 0, READ_BUFFER_BYTES, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // EAGAIN: the queue is empty. Anything else: stop reading this way, events still work.
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') this.fd = -1;
        return;
      }
      this.datagrams++;
      this.batched++;
      this.onDatagram(buf, 0, n);
      if (this.fd < 0) return; // closed by the handler
    }
  }

  /** This socket's line of /proc/net/udp{,6}: its inode and drop count, or undefined. */
  private procNetLine(): ProcNetUdpSocket | undefined {
    if (!this.socket) return undefined;
    const { address, port } = this.socket.address();
    let table: string;
    try {
      table = readFileSync(this.family === 'udp6' ? '/proc/net/udp6' : '/proc/net/udp', 'latin1');
    } catch {
      return undefined;
    }
    return procNetUdpSocket(table, procNetAddress(address, port, endianness()));
  }

  /** The socket's file descriptor: the entry of /proc/self/fd that links to its inode; -1 when not found. */
  private findDescriptor(): number {
    const line = this.procNetLine();
    if (!line || line.inode === 0) return -1;
    const target = `socket:[${line.inode}]`;
    let names: string[];
    try {
      names = readdirSync('/proc/self/fd');
    } catch {
      return -1;
    }
    for (const name of names) {
      try {
        if (readlinkSync(`/proc/self/fd/${name}`) === target) return Number(name);
      } catch {
        // Closed since the listing (e.g. the directory's own descriptor): not ours.
      }
    }
    return -1;
  }
}

/** What a line of /proc/net/udp{,6} says about one socket. */
export interface ProcNetUdpSocket {
  inode: number;
  /** Datagrams dropped because the receive buffer was full (among other reasons the kernel counts there). */
  drops: number;
}

/**
 * A local address as /proc/net/udp{,6} prints it (Linux net/ipv4/udp.c udp4_format_sock,
 * net/ipv6/datagram.c __ip6_dgram_sock_seq_show): the address as 32-bit words, each printed "%08X"
 * in the host's byte order, then ":" and the port "%04X".
 */
export function procNetAddress(address: string, port: number, byteOrder: 'BE' | 'LE'): string {
  const words = new Uint16Array(8);
  const n = isIPv6(address) ? parseIpv6Words(address, words, 0) : parseIpv4Words(address, words, 0);
  if (n < 0) throw new RangeError(`not an IP address: "${address}"`);
  const bytes = [...words.subarray(0, n)].flatMap((w) => [w >> 8, w & 255]);
  let hex = '';
  for (let w = 0; w < bytes.length; w += 4) {
    const word = byteOrder === 'LE' ? [bytes[w + 3]!, bytes[w + 2]!, bytes[w + 1]!, bytes[w]!] : bytes.slice(w, w + 4);
    for (const b of word) hex += b.toString(16).toUpperCase().padStart(2, '0');
  }
  return `${hex}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The socket bound to `local` (as procNetAddress prints it) in the text of /proc/net/udp or udp6,
 * or undefined. Fields of a line: sl, local_address, rem_address, st, tx_queue:rx_queue,
 * tr:tm->when, retrnsmt, uid, timeout, inode, ref, pointer, drops.
 */
export function procNetUdpSocket(table: string, local: string): ProcNetUdpSocket | undefined {
  for (const line of table.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] !== local || fields.length < 13) continue;
    const inode = Number(fields[9]);
    const drops = Number(fields[12]);
    if (Number.isInteger(inode) && Number.isInteger(drops)) return { inode, drops };
  }
  return undefined;
}
