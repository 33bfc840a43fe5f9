import type net from 'node:net';
import type { OpenMessage } from '../protocols/bgp';
import type { PeerInfo } from './plugin';
import { Inbox } from './inbox';
import { MessageStream } from './messageStream';
import { Timer } from './timer';

/** Who opened the TCP connection: the peer (inbound) or this side (outbound) — what §6.8 collision resolution compares. */
export type Direction = 'inbound' | 'outbound';

/** One TCP connection and its part of the FSM (OpenSent, OpenConfirm, Established). */
export class Connection {
  state: 'OpenSent' | 'OpenConfirm' | 'Established' = 'OpenSent';
  readonly stream = new MessageStream();
  /** What was read but waits while the process yields the CPU (a plugin asked for it). */
  readonly inbox = new Inbox();
  peerOpen: OpenMessage | undefined;
  /** What the plugin is told about this connection, fixed once it is Established. */
  info: PeerInfo | undefined;
  fourOctetAs = false;
  holdMs = 0;
  closed = false;
  readonly hold: Timer;
  readonly keepalive: Timer;

  constructor(
    readonly socket: net.Socket,
    readonly direction: Direction,
    onHoldExpired: () => void,
    onKeepalive: () => void,
  ) {
    this.hold = new Timer(onHoldExpired);
    this.keepalive = new Timer(onKeepalive);
  }

  send(bytes: Uint8Array): void {
    if (!this.closed && !this.socket.destroyed) this.socket.write(bytes);
  }
}
