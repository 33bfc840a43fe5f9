// A hand-driven BGP peer for session tests: a plain TCP socket that sends exactly the bytes a test
// gives it and collects what the session sends back, decoded.
import net from 'node:net';
import { once } from 'node:events';
import { decodeMessage, encodeKeepalive, encodeOpen, type BgpMessage, type Capability } from '../../../src/protocols/bgp';
import { MessageStream } from '../../../src/bgp/messageStream';
import type { Session } from '../../../src/bgp/session';
import type { SessionState } from '../../../src/bgp/plugin';

export class RawPeer {
  readonly received: BgpMessage[] = [];
  private readonly stream = new MessageStream();
  private waiters: (() => void)[] = [];
  ended = false;
  private readonly endedPromise: Promise<void>;

  constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      const { messages } = this.stream.push(chunk);
      for (const m of messages) this.received.push(decodeMessage(m, 0, { fourOctetAs: true }));
      this.wake();
    });
    socket.on('error', () => undefined);
    this.endedPromise = new Promise((resolve) => socket.once('close', () => { this.ended = true; this.wake(); resolve(); }));
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawPeer> {
    const socket = net.connect({ port, host });
    await once(socket, 'connect');
    return new RawPeer(socket);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Resolves with the first received message of `kind` (already received or still to come); rejects after `ms`. */
  async next<K extends BgpMessage['kind']>(kind: K, ms = 3000): Promise<Extract<BgpMessage, { kind: K }>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.received.findIndex((m) => m.kind === kind);
      if (i >= 0) return this.received.splice(i, 1)[0] as Extract<BgpMessage, { kind: K }>;
      if (this.ended) throw new Error(`connection closed before a ${kind} arrived (got ${this.received.map((m) => m.kind).join(', ') || 'nothing'})`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${kind} within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  /** Sends OPEN and KEEPALIVE, waits for the session's OPEN and KEEPALIVE: the session is then Established. */
  async establish(o: { asn: number; bgpId: string; holdTime?: number; fourOctetAs?: boolean; capabilities?: Capability[] }): Promise<void> {
    const caps: Capability[] = [...(o.capabilities ?? [{ kind: 'multiprotocol', afi: 1, safi: 1 }])];
    if (o.fourOctetAs !== false) caps.push({ kind: 'four-octet-as', asn: o.asn });
    this.send(encodeOpen({ myAs: o.asn > 0xffff ? 23456 : o.asn, holdTime: o.holdTime ?? 90, bgpId: o.bgpId, capabilities: caps }));
    await this.next('open');
    this.send(encodeKeepalive());
    await this.next('keepalive');
  }

  closed(): Promise<void> {
    return this.endedPromise;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Resolves when `session` reports `state` (at once if it already is in it). */
export function waitForState(session: Session, state: SessionState, ms = 5000): Promise<void> {
  if (session.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { session.off('state', f); reject(new Error(`session did not reach ${state} within ${ms} ms (is ${session.state})`)); }, ms);
    const f = (s: SessionState): void => {
      if (s === state) { clearTimeout(t); session.off('state', f); resolve(); }
    };
    session.on('state', f);
  });
}
