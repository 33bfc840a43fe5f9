import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';

/**
 * Receives sFlow datagrams on a UDP socket (the collector's side, as goflow2 does). The receive
 * buffer is enlarged so that bursts from many agents are absorbed by the kernel while a datagram
 * is being decoded; what the kernel still drops shows as loss in the benchmark, not here.
 */
export class UdpSource {
  private socket: Socket | undefined;
  datagrams = 0;

  private constructor() {}

  static async listen(host: string, port: number, onDatagram: (data: Buffer, from: RemoteInfo) => void, recvBufferBytes = 8 * 1024 * 1024): Promise<UdpSource> {
    const source = new UdpSource();
    const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false });
    socket.on('message', (msg, rinfo) => {
      source.datagrams++;
      onDatagram(msg, rinfo);
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
    return source;
  }

  get address(): { address: string; port: number } {
    if (!this.socket) throw new Error('UDP source is closed');
    return this.socket.address();
  }

  get recvBufferBytes(): number {
    return this.socket?.getRecvBufferSize() ?? 0;
  }

  close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => s.close(() => resolve()));
  }
}
