import { EventEmitter } from 'node:events';
import net from 'node:net';
import {
  Afi, AS_TRANS, BgpError, capabilityCode, decodeMessage, describeNotification, encodeKeepalive, encodeNotification,
  encodeOpen, encodeUpdate, MessageType, peerAs as openPeerAs, Safi, type BgpMessage, type Capability, type DecodedUpdate,
  type OpenMessage, type UpdateMessage,
} from '../protocols/bgp';
import { DecodeError } from '../protocols/decodeError';
import { Backoff } from './backoff';
import { Connection, type Direction } from './connection';
import type { CloseReason, NotificationInit, PeerInfo, SessionPlugin, SessionState, UpdateWriter } from './plugin';
import { jitter, Timer } from './timer';

export interface SessionOptions {
  localAs: number;
  peerAs: number;
  /** Local BGP Identifier, dotted quad. */
  routerId: string;
  peerAddress: string;
  /** Default 179. */
  peerPort?: number;
  /** Address outgoing connections bind to and the listener listens on. */
  localAddress?: string;
  /** Port the listener takes in passive mode; default 179, 0 for any (tests). */
  listenPort?: number;
  /** active: only connects; passive: only accepts; both (default): RFC 4271's usual, with collision detection. */
  mode?: 'active' | 'passive' | 'both';
  /** Proposed Hold Time, seconds (RFC 4271 §10 suggests 90); 0 for none, else ≥ 3. */
  holdTime?: number;
  /** ConnectRetryTime, seconds (RFC 4271 §10: 120): how long one TCP connection attempt may take. */
  connectRetryTime?: number;
  /** Hold Time while waiting for the peer's OPEN, seconds (RFC 4271 §8.2.2 suggests 4 minutes). */
  openHoldTime?: number;
  /** Reconnection delay after a reset or a failed attempt: doubling from initialMs to maxMs. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** 'rfc7606' (default): revised UPDATE error handling; 'rfc4271': every UPDATE error resets the session. */
  errorHandling?: 'rfc7606' | 'rfc4271';
  /** Capability codes the peer must offer; without them its OPEN is refused with Unsupported Capability (RFC 5492 §5). */
  requiredCapabilities?: number[];
  /** Offer RFC 6793's 4-octet AS capability (default true; needed for an AS above 65535). */
  fourOctetAs?: boolean;
  plugin?: SessionPlugin;
}

export interface NotificationEvent {
  direction: 'sent' | 'received';
  code: number;
  subcode: number;
  data: Uint8Array;
  description: string;
}

/** The events a Session emits (typed `on`/`emit` below). */
export interface SessionEvents {
  /** Every change of the RFC 4271 §8.2.2 state. */
  state: [state: SessionState, previous: SessionState];
  established: [peer: PeerInfo];
  /** The session left Established or an establishing connection ended. */
  closed: [reason: CloseReason];
  notification: [n: NotificationEvent];
  /** RFC 7606 errors handled without a reset (treat-as-withdraw, attribute-discard). */
  'update-error': [errors: BgpError[], update: DecodedUpdate];
  /** A TCP connection attempt failed; the session retries after `retryInMs`. */
  'connect-error': [error: Error, retryInMs: number];
}

const ipv4Number = (text: string): number => text.split('.').reduce((n, o) => n * 256 + Number(o), 0);

/**
 * A BGP session with one peer, RFC 4271 §8: the FSM (Idle, Connect, Active, OpenSent, OpenConfirm,
 * Established), its timers, connection collision detection (§6.8), a NOTIFICATION for every error the
 * RFC names, and reconnection with backoff. It knows nothing of what the routes mean: that is the plugin's.
 *
 *   const session = new Session({
 *     localAs: 65004, peerAs: 65001, routerId: '203.0.113.2', localAddress: '203.0.113.2', peerAddress: '203.0.113.3',
 *     plugin: {
 *       onEstablished: (writer) => writer.send({ withdrawn: [], nlri: ['100.64.0.1/32'], attributes: {
 *         origin: Origin.Incomplete, asPath: [{ type: SegmentType.AsSequence, asns: [65004] }], nextHop: writer.localAddress,
 *         unknown: [{ flags: PROBE_ATTRIBUTE_FLAGS, type: 42, value: encodeProbe(probe) }] } }),
 *       onUpdate: (update) => { ...; return undefined; },   // or a NotificationInit to reset the session
 *       onClose: (reason) => { ... },
 *     },
 *   });
 *   session.on('state', (state) => ...);   // Idle / Connect / Active / OpenSent / OpenConfirm / Established
 *   await session.start();                 // ... await session.stop() sends Cease / Administrative Shutdown
 */
export class Session extends EventEmitter {
  private current: SessionState = 'Idle';
  /** Idle, Connect or Active: the state when no connection has got as far as OpenSent. */
  private base: SessionState = 'Idle';
  private readonly connections = new Set<Connection>();
  private server: net.Server | undefined;
  private outbound: net.Socket | undefined;
  private running = false;
  private readonly backoff: Backoff;
  private readonly connectRetry = new Timer(() => this.connectRetryExpired());
  private readonly idleHold = new Timer(() => this.attempt());
  private writer: (UpdateWriter & { close(): void }) | undefined;
  private readonly opts: Required<Omit<SessionOptions, 'plugin' | 'localAddress' | 'backoff'>> & SessionOptions;

  constructor(options: SessionOptions) {
    super();
    this.opts = {
      peerPort: 179, listenPort: 179, mode: 'both', holdTime: 90, connectRetryTime: 120, openHoldTime: 240,
      errorHandling: 'rfc7606', requiredCapabilities: [], fourOctetAs: true, ...options,
    };
    const h = this.opts.holdTime;
    if (h !== 0 && h < 3) throw new RangeError(`hold time ${h}: must be 0 or at least 3 seconds (RFC 4271 §4.2)`);
    if (this.opts.localAs > 0xffff && !this.opts.fourOctetAs) throw new RangeError(`AS ${this.opts.localAs} needs the 4-octet AS capability`);
    this.backoff = new Backoff(options.backoff?.initialMs ?? 1000, options.backoff?.maxMs ?? 60_000);
  }

  override on<K extends keyof SessionEvents>(event: K, listener: (...args: SessionEvents[K]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  override once<K extends keyof SessionEvents>(event: K, listener: (...args: SessionEvents[K]) => void): this {
    return super.once(event, listener as (...args: unknown[]) => void);
  }

  override emit<K extends keyof SessionEvents>(event: K, ...args: SessionEvents[K]): boolean {
    return super.emit(event, ...args);
  }

  get state(): SessionState {
    return this.current;
  }

  /** The listener's address once started in passive or both mode (its port when listenPort was 0). */
  listening(): net.AddressInfo | undefined {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a : undefined;
  }

  /** The peer's OPEN on the Established connection. */
  get peerOpen(): OpenMessage | undefined {
    for (const c of this.connections) if (c.state === 'Established') return c.peerOpen;
    return undefined;
  }

  /** RFC 4271 §8.1.2 ManualStart: listens (passive/both) and starts connecting (active/both). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.opts.mode !== 'active') {
      const server = net.createServer((socket) => this.accept(socket));
      this.server = server;
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ host: this.opts.localAddress, port: this.opts.listenPort }, () => {
            server.off('error', reject);
            resolve();
          });
        });
      } catch (e) {
        // The port is taken or the address absent: the session stays stopped and says why.
        this.running = false;
        this.server = undefined;
        throw e;
      }
      server.on('error', (e) => this.emit('connect-error', e, 0));
    }
    this.attempt();
  }

  /** RFC 4271 §8.1.2 ManualStop: Cease / Administrative Shutdown to the peer, everything closed, Idle. */
  async stop(): Promise<void> {
    this.running = false;
    this.idleHold.stop();
    this.connectRetry.stop();
    this.outbound?.destroy();
    this.outbound = undefined;
    const closing = [...this.connections].map((c) => this.closeWith(c, { code: 6, subcode: 2 }, 'stopped'));
    await Promise.all(closing);
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.base = 'Idle';
    this.updateState();
  }

  /** Hands the session a TCP connection accepted elsewhere (a shared listener); checked as the session's own would be. */
  accept(socket: net.Socket): void {
    const remote = socket.remoteAddress?.replace(/^::ffff:/, '');
    // RFC 4271 §8.2.2: Idle refuses connections; and only the configured peer may connect.
    if (!this.running || this.base === 'Idle' || remote !== this.opts.peerAddress) {
      socket.destroy();
      return;
    }
    if ([...this.connections].some((c) => c.state === 'Established')) {
      // §6.8: a collision with an Established connection closes the new one.
      socket.write(encodeNotification({ code: 6, subcode: 7 }));
      socket.end();
      return;
    }
    this.connectionUp(socket, 'inbound');
  }

  private peerInfo(c?: Connection): PeerInfo {
    return {
      localAs: this.opts.localAs,
      peerAs: this.opts.peerAs,
      routerId: this.opts.routerId,
      peerAddress: this.opts.peerAddress,
      localAddress: c?.socket.localAddress?.replace(/^::ffff:/, ''),
      localPort: c?.socket.localPort,
      remoteAddress: c?.socket.remoteAddress?.replace(/^::ffff:/, ''),
      remotePort: c?.socket.remotePort,
    };
  }

  private setBase(state: SessionState): void {
    this.base = state;
    this.updateState();
  }

  /** The reported state: the furthest any connection got, else Idle/Connect/Active. */
  private updateState(): void {
    let next = this.base;
    const rank: Record<SessionState, number> = { Idle: 0, Connect: 1, Active: 1, OpenSent: 2, OpenConfirm: 3, Established: 4 };
    for (const c of this.connections) if (rank[c.state] > rank[next]) next = c.state;
    if (next !== this.current) {
      const previous = this.current;
      this.current = next;
      this.emit('state', next, previous);
    }
  }

  /** Idle → Connect (initiating) or Active (only listening). */
  private attempt(): void {
    if (!this.running) return;
    if (this.opts.mode === 'passive') {
      this.setBase('Active');
      return;
    }
    if (this.connections.size > 0 || this.outbound) return;
    this.setBase('Connect');
    this.connectRetry.start(jitter(this.opts.connectRetryTime * 1000));
    const socket = net.connect({ host: this.opts.peerAddress, port: this.opts.peerPort, localAddress: this.opts.localAddress });
    this.outbound = socket;
    const failed = (e: Error): void => {
      if (this.outbound !== socket) return;
      this.outbound = undefined;
      socket.destroy();
      this.connectRetry.stop();
      this.retryLater(e);
    };
    socket.once('error', failed);
    socket.once('connect', () => {
      socket.off('error', failed);
      if (this.outbound !== socket) return socket.destroy();
      this.outbound = undefined;
      this.connectRetry.stop();
      this.connectionUp(socket, 'outbound');
    });
  }

  /** §8.2.2 Connect: ConnectRetryTimer_Expires drops the attempt and starts another. */
  private connectRetryExpired(): void {
    if (!this.outbound) return;
    this.outbound.destroy();
    this.outbound = undefined;
    this.attempt();
  }

  /** After a failure: Idle for the backoff delay (IdleHoldTimer), then start again — unless a connection is still up. */
  private retryLater(error?: Error): void {
    if (!this.running || this.connections.size > 0 || this.outbound) return;
    const delay = jitter(this.backoff.next());
    // Passive sessions keep listening (Active); others wait in Idle as §8.1.1's damping says.
    this.setBase(this.opts.mode === 'passive' ? 'Active' : 'Idle');
    if (error) this.emit('connect-error', error, delay);
    this.idleHold.start(delay);
  }

  private offeredCapabilities(): Capability[] {
    const own: Capability[] = [{ kind: 'multiprotocol', afi: Afi.Ipv4, safi: Safi.Unicast }];
    if (this.opts.fourOctetAs) own.push({ kind: 'four-octet-as', asn: this.opts.localAs });
    const extra = this.opts.plugin?.capabilities?.(this.peerInfo()) ?? [];
    const key = (c: Capability): string => (c.kind === 'multiprotocol' ? `mp:${c.afi}/${c.safi}` : `code:${capabilityCode(c)}`);
    const seen = new Set(own.map(key));
    for (const c of extra) if (!seen.has(key(c))) { own.push(c); seen.add(key(c)); }
    return own;
  }

  /** TCP is up: send OPEN, go to OpenSent (§8.2.2 Connect/Active, Event 16/17). */
  private connectionUp(socket: net.Socket, direction: Direction): void {
    socket.setNoDelay(true);
    const c: Connection = new Connection(socket, direction, () => this.holdExpired(c), () => this.sendKeepalive(c));
    this.connections.add(c);
    this.idleHold.stop();
    socket.on('data', (chunk: Buffer) => this.onData(c, chunk));
    socket.on('error', () => undefined); // 'close' follows and carries the handling
    socket.on('close', () => this.lost(c));
    c.send(encodeOpen({
      myAs: this.opts.localAs > 0xffff ? AS_TRANS : this.opts.localAs,
      holdTime: this.opts.holdTime,
      bgpId: this.opts.routerId,
      capabilities: this.offeredCapabilities(),
    }));
    c.hold.start(this.opts.openHoldTime * 1000);
    this.updateState();
  }

  private onData(c: Connection, chunk: Buffer): void {
    // Taken before any decoding, so that a plugin timing a round trip (bgp-ping) measures the network, not us.
    const receivedNs = process.hrtime.bigint();
    if (c.closed) return;
    const { messages, error } = c.stream.push(chunk);
    if (c.inbox.waiting) {
      // Behind messages the session let wait (a plugin yielded): these wait too, in order.
      c.inbox.add(messages, receivedNs, error);
      return;
    }
    this.receive(c, messages, 0, receivedNs, error);
  }

  /**
   * Handles `messages` from `from` on, read at `receivedNs`, then the stream's header error if one came
   * after them. When the plugin's onUpdateMessage answers an UPDATE with a write that a peer waits for and
   * says so, the rest — that UPDATE's decoding included — waits in the connection's inbox until this process
   * has given the CPU up once (`drain`, a timer away): a peer on the same CPU is woken by that write but
   * runs only when this process sleeps, so every step taken before sleeping would be the peer's delay.
   */
  private receive(c: Connection, messages: Uint8Array[], from: number, receivedNs: bigint, error: BgpError | undefined, answered = false): void {
    const early = this.opts.plugin?.onUpdateMessage;
    for (let i = from; i < messages.length; i++) {
      const m = messages[i]!;
      if (c.closed) return;
      if (early && !answered && c.state === 'Established' && m[18] === MessageType.Update && early.call(this.opts.plugin, m, receivedNs) === true) {
        c.inbox.defer(messages, i, receivedNs, error, () => this.drain(c));
        return;
      }
      answered = false;
      let message: BgpMessage;
      try {
        message = decodeMessage(m, 0, { fourOctetAs: c.fourOctetAs, strict: this.opts.errorHandling === 'rfc4271' });
      } catch (e) {
        if (e instanceof BgpError) {
          void this.closeWith(c, { code: e.code, subcode: e.subcode, data: e.data }, 'notification-sent', e.message);
          return;
        }
        if (e instanceof DecodeError) {
          // Every wire error is a BgpError; any other DecodeError still must not take the process down.
          void this.closeWith(c, { code: 1, subcode: 2 }, 'notification-sent', e.message);
          return;
        }
        throw e;
      }
      this.handle(c, message, receivedNs);
    }
    if (error && !c.closed) void this.closeWith(c, { code: error.code, subcode: error.subcode, data: error.data }, 'notification-sent', error.message);
  }

  /** What waited in the inbox, in order; the first of it was answered by the plugin already. */
  private drain(c: Connection): void {
    let answered = true;
    for (let batch = c.inbox.take(); batch && !c.closed; batch = c.inbox.take()) {
      this.receive(c, batch.messages, batch.from, batch.receivedNs, batch.error, answered);
      answered = false;
      // The plugin yielded again: the rest of the inbox waits behind that.
      if (c.inbox.drainDue) return;
    }
  }

  /** The FSM's response to one message on one connection (§8.2.2, the OpenSent/OpenConfirm/Established rows). */
  private handle(c: Connection, m: BgpMessage, receivedNs: bigint): void {
    if (m.kind === 'notification') {
      const n = m.notification;
      this.emit('notification', { direction: 'received', code: n.code, subcode: n.subcode, data: n.data, description: describeNotification(n.code, n.subcode) });
      this.drop(c, { kind: 'notification-received', message: `peer sent ${describeNotification(n.code, n.subcode)}`, notification: { code: n.code, subcode: n.subcode, data: n.data } });
      return;
    }
    // RFC 6608: a message the state does not expect is an FSM error naming the state.
    const fsmError = (): void => {
      const subcode = c.state === 'OpenSent' ? 1 : c.state === 'OpenConfirm' ? 2 : 3;
      void this.closeWith(c, { code: 5, subcode }, 'notification-sent', `${m.kind} in ${c.state}`);
    };
    switch (c.state) {
      case 'OpenSent':
        if (m.kind === 'open') this.receiveOpen(c, m.open);
        else fsmError();
        return;
      case 'OpenConfirm':
        if (m.kind === 'keepalive') this.establish(c);
        else fsmError();
        return;
      case 'Established':
        if (m.kind === 'keepalive') c.hold.start(c.holdMs);
        else if (m.kind === 'update') this.receiveUpdate(c, m.update, receivedNs);
        else if (m.kind === 'route-refresh') c.hold.start(c.holdMs);
        else fsmError();
        return;
    }
  }

  /** §6.2 checks that need configuration, the plugin's say, negotiation, then collision detection (§6.8). */
  private receiveOpen(c: Connection, open: OpenMessage): void {
    const asn = openPeerAs(open);
    if (asn !== this.opts.peerAs) {
      void this.closeWith(c, { code: 2, subcode: 2 }, 'notification-sent', `peer AS ${asn}, expected ${this.opts.peerAs}`);
      return;
    }
    // RFC 6286 §2.2: within one AS the identifiers must differ (between ASes they may be equal).
    if (open.bgpId === this.opts.routerId && this.opts.peerAs === this.opts.localAs) {
      void this.closeWith(c, { code: 2, subcode: 3 }, 'notification-sent', `peer BGP Identifier ${open.bgpId} is our own`);
      return;
    }
    const offered = new Set(open.capabilities.map(capabilityCode));
    const missing = this.opts.requiredCapabilities.filter((code) => !offered.has(code));
    if (missing.length) {
      // RFC 5492 §5: the data lists the capabilities wanted, each as code, length 0.
      const data = Uint8Array.from(missing.flatMap((code) => [code, 0]));
      void this.closeWith(c, { code: 2, subcode: 7, data }, 'notification-sent', `peer lacks required capabilities ${missing.join(', ')}`);
      return;
    }
    const refusal = this.opts.plugin?.onOpen?.(open, this.peerInfo(c));
    if (refusal) {
      void this.closeWith(c, refusal, 'notification-sent', `plugin refused the OPEN: ${describeNotification(refusal.code, refusal.subcode)}`);
      return;
    }
    c.peerOpen = open;
    c.fourOctetAs = this.opts.fourOctetAs && offered.has(65);
    // §4.2 / §10: Hold Time is the smaller of both; 0 means neither hold nor keepalive timer.
    const hold = Math.min(this.opts.holdTime, open.holdTime);
    c.holdMs = hold * 1000;

    if (this.resolveCollision(c, open)) return;
    c.send(encodeKeepalive());
    c.state = 'OpenConfirm';
    c.hold.start(c.holdMs);
    if (hold > 0) c.keepalive.start(jitter((hold * 1000) / 3));
    this.updateState();
  }

  /**
   * §6.8: when this connection and another one to the same peer both got an OPEN, the one initiated by
   * the side with the higher BGP Identifier survives; the other is closed with Cease / Connection
   * Collision Resolution. Returns true when `c` itself was closed.
   */
  private resolveCollision(c: Connection, open: OpenMessage): boolean {
    for (const other of this.connections) {
      if (other === c || other.closed) continue;
      if (other.state === 'Established') {
        void this.closeWith(c, { code: 6, subcode: 7 }, 'collision', 'collision with the Established connection');
        return true;
      }
      // Only OpenConfirm connections: §6.8 allows looking at OpenSent ones only when the peer's
      // identifier is known from outside the protocol, which it is not here.
      if (other.state !== 'OpenConfirm') continue;
      const localId = ipv4Number(this.opts.routerId);
      const remoteId = ipv4Number(open.bgpId);
      // RFC 6286 §2.3: equal identifiers (allowed between ASes) are broken by the larger AS number.
      const localWins = localId === remoteId ? this.opts.localAs > this.opts.peerAs : localId > remoteId;
      // The survivor is the connection the winner initiated: ours is outbound, the peer's inbound.
      const keep: Direction = localWins ? 'outbound' : 'inbound';
      const loser = c.direction === keep ? other : c;
      void this.closeWith(loser, { code: 6, subcode: 7 }, 'collision', 'connection collision resolution');
      if (loser === c) return true;
    }
    return false;
  }

  private establish(c: Connection): void {
    c.state = 'Established';
    c.hold.start(c.holdMs);
    this.backoff.reset();
    for (const other of this.connections) {
      if (other !== c) void this.closeWith(other, { code: 6, subcode: 7 }, 'collision', 'another connection reached Established');
    }
    this.updateState();
    const info = this.peerInfo(c);
    c.info = info; // the addresses do not change for the connection's life: one object for every UPDATE
    const peerOpen = c.peerOpen!;
    let open = true;
    const writer = {
      send: (update: UpdateMessage): void => {
        writer.sendRaw(writer.encode(update));
      },
      encode: (update: UpdateMessage): Uint8Array => encodeUpdate(update, { fourOctetAs: c.fourOctetAs }),
      sendRaw: (message: Uint8Array): void => {
        if (!open) throw new Error('the BGP session this writer belongs to is down');
        c.send(message);
        // §10: any message sent counts as a keepalive; the next KEEPALIVE is due a third of the hold time later.
        if (c.holdMs > 0) c.keepalive.start(jitter(c.holdMs / 3));
      },
      get open(): boolean { return open; },
      get queued(): number { return c.socket.writableLength; },
      fourOctetAs: c.fourOctetAs,
      localAddress: info.localAddress ?? '',
      remoteAddress: info.remoteAddress ?? '',
      peerOpen,
      close: (): void => { open = false; },
    };
    this.writer = writer;
    this.emit('established', info);
    this.opts.plugin?.onEstablished?.(writer, info);
  }

  private receiveUpdate(c: Connection, update: DecodedUpdate, receivedNs: bigint): void {
    c.hold.start(c.holdMs);
    if (update.errors.length) this.emit('update-error', update.errors, update);
    const refusal = this.opts.plugin?.onUpdate?.(update, c.info ?? this.peerInfo(c), receivedNs);
    if (refusal) void this.closeWith(c, refusal, 'notification-sent', `plugin refused an UPDATE: ${describeNotification(refusal.code, refusal.subcode)}`);
  }

  private holdExpired(c: Connection): void {
    // §6.5: Hold Timer Expired, no subcode.
    void this.closeWith(c, { code: 4, subcode: 0 }, 'hold-timer-expired', 'hold timer expired');
  }

  private sendKeepalive(c: Connection): void {
    if (c.closed) return;
    c.send(encodeKeepalive());
    c.keepalive.start(jitter(c.holdMs / 3));
  }

  /** Sends a NOTIFICATION on `c`, then closes it (§6: every error closes the connection after its NOTIFICATION). */
  private closeWith(c: Connection, n: NotificationInit, kind: CloseReason['kind'], why?: string): Promise<void> {
    if (c.closed) return Promise.resolve();
    const data = n.data ?? new Uint8Array(0);
    const description = describeNotification(n.code, n.subcode);
    this.emit('notification', { direction: 'sent', code: n.code, subcode: n.subcode, data, description });
    const done = new Promise<void>((resolve) => {
      c.socket.once('close', () => resolve());
      c.socket.end(encodeNotification({ code: n.code, subcode: n.subcode, data }));
      // A peer that never closes its side must not keep the connection half-open.
      setTimeout(() => { c.socket.destroy(); resolve(); }, 1000).unref();
    });
    this.drop(c, { kind, message: why ? `${why} — sent ${description}` : `sent ${description}`, notification: { code: n.code, subcode: n.subcode, data } });
    return done;
  }

  private lost(c: Connection): void {
    this.drop(c, { kind: 'connection-lost', message: 'TCP connection closed by the peer or the network' });
  }

  /** Releases a connection (§8.2.2: timers stopped, resources released) and decides what comes next. */
  private drop(c: Connection, reason: CloseReason): void {
    if (c.closed) return;
    c.closed = true;
    c.inbox.clear();
    c.hold.stop();
    c.keepalive.stop();
    if (reason.kind === 'notification-received' || reason.kind === 'connection-lost') c.socket.destroy();
    this.connections.delete(c);
    const wasEstablished = c.state === 'Established';
    if (wasEstablished && this.writer) {
      this.writer.close();
      this.writer = undefined;
    }
    // With no connection left, the session is Idle (or still Active, listening, when passive) until it retries.
    if (this.connections.size === 0 && !this.outbound) this.base = this.running && this.opts.mode === 'passive' ? 'Active' : 'Idle';
    this.updateState();
    // A connection that lost a collision is not the session going down.
    if (reason.kind !== 'collision' || wasEstablished) {
      this.emit('closed', reason);
      if (wasEstablished || c.state === 'OpenConfirm') this.opts.plugin?.onClose?.(reason);
    }
    if (this.connections.size === 0 && this.running) this.retryLater();
  }
}
