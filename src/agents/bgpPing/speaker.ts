import { EventEmitter } from 'node:events';
import { MessageStream, Session, Timer, type SessionState, type UpdateWriter } from '../../bgp';
import {
  AttrFlag, attributeValueEnd, attributeValueStart, decodeMessage, decodeProbe, encodeKeepalive, encodeUpdate, findAttribute,
  type DecodedUpdate, type Probe, type ProbeLayout,
} from '../../protocols/bgp';
import { DecodeError } from '../../protocols/decodeError';
import { ProbeTracker, type ExpiredProbe, type ProbeAnswer } from './probeTracker';
import { ProbeUpdates } from './probeUpdates';
import { replyTo } from './reply';

/** How long after a probe's timeout the expiry timer looks: its time has run out by then, whatever the clock's steps. */
const EXPIRY_SLACK_MS = 5;

/**
 * The source id of the probes `prime` makes up: it holds a control character, which no -id may, so it is
 * no one's (and it fits the book layout: 13 NUL-free ASCII octets).
 */
const PRIMER_ID = 'labtel\u0001primer';

export interface SpeakerOptions {
  id: string;
  /** This speaker's probe prefix, announced with the probe (prober) or the reply (responder). */
  nlri: string;
  localAddress: string;
  peerAddress: string;
  localAs: number;
  peerAs: number;
  attributeType: number;
  wire: ProbeLayout;
  /** How long a probe may wait for its replies before it counts as lost. */
  timeoutMs: number;
  /** How long an announcement stays before it is withdrawn (the book: 7 s). */
  withdrawAfterMs: number;
  /** Test hooks: the peer's port and the port to listen on (both 179 in a lab). */
  peerPort?: number;
  listenPort?: number;
  holdTime?: number;
  /** TCP side: a responder waits for its router to connect (corebgp's passive peer); a prober does both. */
  mode?: 'passive' | 'both';
}

export interface SpeakerEvents {
  state: [state: SessionState, reason?: string];
  /** `partial`: the attribute arrived with its Partial bit set (RFC 4271 §4.3: a router passed it on without knowing it). */
  rtt: [answer: ProbeAnswer & { partial: boolean }];
  expired: [probe: ExpiredProbe];
  /** `turnaroundNs`: from the probe's bytes read off the socket to the reply's write. */
  replied: [to: Probe, turnaroundNs: bigint];
  malformed: [error: DecodeError];
}

/**
 * One bgp-ping speaker: a BGP session to its router, announcing probes (prober) and answering
 * other speakers' probes (every speaker answers; `-p` only stops it from probing). The session
 * knows nothing of probes; this is its plugin.
 */
export class BgpPingSpeaker extends EventEmitter<SpeakerEvents> {
  readonly tracker: ProbeTracker;
  readonly session: Session;
  private writer: UpdateWriter | undefined;
  private updates: ProbeUpdates | undefined;
  private readonly withdraw = new Timer(() => {
    if (this.writer?.open) this.writer.send({ withdrawn: [`${this.o.nlri}/32`], nlri: [], attributes: {} });
  });
  /**
   * Expires the probes whose time ran out when no probe() comes to do it (the last probe, a prober probing
   * every few seconds or on request). No polling: a process that wakes while a round trip is under way
   * delays it (on one machine, its peer too).
   */
  private readonly expiry = new Timer(() => this.expireDue());
  sent = 0;
  /** Probe attributes read (requests and replies, ours or not). */
  probesRead = 0;
  /** Requests answered from their UPDATE's bytes, before it was decoded (`answerEarly`). */
  answeredEarly = 0;
  /**
   * The request `answerEarly` answered from the message's bytes — its value's buffer and offset there —
   * so that `onUpdate`, given the same message decoded, passes over it.
   */
  private earlyBuffer: ArrayBufferLike | undefined;
  private earlyAt = -1;
  private earlyLength = 0;
  /** The whole UPDATE `answerEarly` answered and how long the probe was held, until `repliedEarly` reports it. */
  private earlyMessage: Uint8Array | undefined;
  private earlyTurnaroundNs: bigint | undefined;

  constructor(private readonly o: SpeakerOptions) {
    super();
    this.tracker = new ProbeTracker(o.id, o.wire, o.timeoutMs);
    this.session = new Session({
      localAs: o.localAs, peerAs: o.peerAs, routerId: o.localAddress, localAddress: o.localAddress, peerAddress: o.peerAddress,
      peerPort: o.peerPort, listenPort: o.listenPort, mode: o.mode ?? 'both', holdTime: o.holdTime ?? 9, backoff: { initialMs: 500, maxMs: 5000 },
      plugin: {
        onEstablished: (writer) => { this.writer = writer; this.updates = new ProbeUpdates((u) => writer.encode(u), o); },
        onUpdateMessage: (message, receivedNs) => this.answerEarly(message, receivedNs),
        onUpdate: (u, _peer, receivedNs) => { this.onUpdate(u, receivedNs); return undefined; },
        onClose: () => { this.repliedEarly(); this.writer = undefined; this.updates = undefined; this.withdraw.stop(); },
      },
    });
    this.session.on('state', (state) => this.emit('state', state));
    this.session.on('closed', (reason) => this.emit('state', this.session.state, reason.message));
  }

  get established(): boolean {
    return this.writer?.open === true;
  }

  /**
   * Before the session starts: runs the path a probe takes through this speaker — UPDATE bytes cut from
   * the stream, a request answered from its bytes (or decoded and answered, the first time), the UPDATE
   * decoded, a reply to it read — `rounds` times with no I/O. Returns the probes it read.
   *
   * Why: a probe comes every few seconds, so V8 would run this path in its interpreter for a long time,
   * and every RTT would carry a few hundred microseconds of the agents' own interpreted work (measured
   * with `npm run bench -- bgp`). A few tens of milliseconds at start get it compiled — and compiled for
   * what a session brings, or V8 throws the code away at the first real probe
   * (test/unit/agents/bgpPing/speakerPrimeCompiled.test.ts). Nothing is sent (there is no session yet)
   * and the tracker learns nothing: the probes come from an id no one has.
   */
  prime(rounds = 2000): number {
    if (this.writer) throw new Error('prime() runs before the session is up');
    const newUpdates = (): ProbeUpdates => new ProbeUpdates((u) => encodeUpdate(u, { fourOctetAs: true }), this.o);
    let updates = newUpdates();
    const stream = new MessageStream();
    const keepalive = encodeKeepalive();
    const before = this.probesRead;
    const read = (bytes: Uint8Array): Uint8Array | undefined => {
      let value: Uint8Array | undefined;
      for (const m of stream.push(bytes).messages) {
        // As answerEarly does, the kernel taking each reply whole.
        const reply = this.replyBytes(m);
        if (reply) updates.reuse(reply);
        const decoded = decodeMessage(m, 0, { fourOctetAs: true, strict: false });
        if (decoded.kind !== 'update') continue;
        value = decoded.update.attributes.unknown?.[0]?.value;
        this.onUpdate(decoded.update, process.hrtime.bigint());
      }
      return value;
    };
    for (let i = 0; i < rounds; i++) {
      // What a session brings, so that what V8 compiles here still holds for it: a new ProbeUpdates per
      // session (whose first request finds no template), KEEPALIVEs, and now and then two messages in
      // one read or one message in two. `updates` is stored and cleared, so V8 compiles for a field that
      // holds either.
      if (i % 250 === 0) this.updates = updates = newUpdates();
      const request: Probe = { layout: this.o.wire, source: PRIMER_ID, destination: '', timestampNs: BigInt(i) * 1_000_000_000n, sequence: BigInt(i) };
      const announced = updates.announce(request);
      let requestValue: Uint8Array | undefined;
      if (i % 16 === 1) requestValue = read(Buffer.concat([keepalive, announced]));
      else if (i % 16 === 9) { read(announced.subarray(0, 30)); requestValue = read(announced.subarray(30)); }
      else requestValue = read(announced);
      read(updates.announce(replyTo(request, this.o.id)!, requestValue));
      if (i % 8 === 0) read(keepalive);
    }
    this.updates = undefined;
    this.earlyBuffer = undefined;
    return this.probesRead - before;
  }

  async start(): Promise<void> {
    await this.session.start();
  }

  async stop(): Promise<void> {
    this.expiry.stop();
    this.withdraw.stop();
    await this.session.stop();
  }

  /**
   * Announces a new probe and returns its sequence; when the session is not Established nothing can be
   * sent, the probe is lost at once ('expired') and the result is undefined.
   */
  probe(): number | undefined {
    // Before the write, not after: what a prober does after it is in the round trip's way.
    this.expireDue();
    if (!this.established) {
      this.emit('expired', this.tracker.skip());
      return undefined;
    }
    const p = this.tracker.next();
    this.announce(p, p.seq);
    this.sent++;
    // A restart only moves the due time (Timer): no timer work per probe.
    this.expiry.start(this.o.timeoutMs + EXPIRY_SLACK_MS);
    return p.seq;
  }

  /** Emits 'expired' for every probe whose time ran out, and waits for the next one's. */
  private expireDue(): void {
    for (const p of this.tracker.expire()) this.emit('expired', p);
    if (this.expiry.running) return;
    const next = this.tracker.nextExpiryMs();
    if (next !== undefined) this.expiry.start(next + EXPIRY_SLACK_MS);
  }

  /**
   * Announces `probe`; for our own probe (`seq`), its round trip starts just before the write. Returns
   * that time (process.hrtime.bigint()), or undefined when the session is down.
   */
  private announce(probe: Probe, seq?: number, stampedLike?: Uint8Array): bigint | undefined {
    const w = this.writer;
    if (!w?.open || !this.updates) return undefined;
    const bytes = this.updates.announce(probe, stampedLike);
    const writeAt = process.hrtime.bigint();
    if (seq !== undefined) this.tracker.sent(seq, writeAt);
    w.sendRaw(bytes);
    // The book withdraws its prefix 7 s after announcing it; a new announcement restarts the count.
    this.withdraw.start(this.o.withdrawAfterMs);
    return writeAt;
  }

  /**
   * A request from a prober answered before its UPDATE is decoded (the session's `onUpdateMessage`): the
   * reply is written first; the rest — the probe decoded for the event, the withdrawal restarted, the
   * session's decoding of the UPDATE — waits in `onUpdate` until this process has slept once (returning
   * true asks the session for that). The responder's turnaround is part of every RTT it answers, and on an
   * idle machine each step between the read and the write costs tens of microseconds more than when warm
   * (measured with `npm run bench -- bgp`), so the fewer, the better; and a prober on the same CPU reads
   * the reply only once the responder sleeps, so the steps after the write count as much.
   * The UPDATE's framing is checked before (`findAttribute`); its attributes' contents after, by the
   * session, as for any UPDATE.
   */
  private answerEarly(message: Uint8Array, receivedNs: bigint): boolean {
    const w = this.writer;
    if (!w?.open) return false;
    const reply = this.replyBytes(message);
    if (!reply) return false;
    const writeAt = process.hrtime.bigint();
    w.sendRaw(reply);
    if (w.queued === 0) this.updates?.reuse(reply);
    this.answeredEarly++;
    this.earlyTurnaroundNs = writeAt - receivedNs;
    this.earlyMessage = message;
    return true;
  }

  /** The event and the bookkeeping of the request `answerEarly` answered, once the session hands its UPDATE on (or closes). */
  private repliedEarly(): void {
    const message = this.earlyMessage;
    const turnaroundNs = this.earlyTurnaroundNs;
    this.earlyMessage = undefined;
    this.earlyTurnaroundNs = undefined;
    if (!message || turnaroundNs === undefined) return;
    // The book withdraws its prefix 7 s after announcing it; a new announcement restarts the count.
    if (this.writer?.open) this.withdraw.start(this.o.withdrawAfterMs);
    const v = this.earlyAt - message.byteOffset;
    const probe = decodeProbe(message, v, v + this.earlyLength);
    this.emit('replied', replyTo(probe, this.o.id)!, turnaroundNs);
  }

  /**
   * The reply to the probe request in the whole UPDATE `message`, made from its bytes, when this speaker
   * has answered that prober before (its reply's template is made). Undefined for anything else — no
   * request, our own coming back, a prober's first request, a malformed value — which `onUpdate` handles
   * from the decoded UPDATE. Marks what it answered for `onUpdate`.
   */
  private replyBytes(message: Uint8Array): Uint8Array | undefined {
    const updates = this.updates;
    if (!updates) return undefined;
    const at = findAttribute(message, this.o.attributeType);
    if (at < 0) return undefined;
    const v = attributeValueStart(message, at);
    const end = attributeValueEnd(message, at);
    const reply = updates.reply(this.o.id, message, v, end);
    if (reply) {
      this.earlyBuffer = message.buffer;
      this.earlyAt = message.byteOffset + v;
      this.earlyLength = end - v;
    }
    return reply;
  }

  private onUpdate(u: DecodedUpdate, receivedNs: bigint): void {
    for (const a of u.attributes.unknown ?? []) {
      if (a.type !== this.o.attributeType) continue;
      if (a.value.buffer === this.earlyBuffer && a.value.byteOffset === this.earlyAt) {
        // Answered from its bytes already (`answerEarly`).
        this.earlyBuffer = undefined;
        this.probesRead++;
        this.repliedEarly();
        continue;
      }
      let probe: Probe;
      try {
        probe = decodeProbe(a.value, 0, a.value.length);
      } catch (err) {
        if (err instanceof DecodeError) { this.emit('malformed', err); continue; }
        throw err;
      }
      this.probesRead++;
      const answer = this.tracker.answer(probe, receivedNs);
      if (answer) { this.emit('rtt', { ...answer, partial: (a.flags & AttrFlag.Partial) !== 0 }); continue; }
      const reply = replyTo(probe, this.o.id);
      if (reply) {
        // Up to the write, not after it: on loopback the write runs the peer's receive path and may let
        // it run first, which is the peer's time, not ours.
        const writeAt = this.announce(reply, undefined, a.value);
        if (writeAt !== undefined) this.emit('replied', reply, writeAt - receivedNs);
      }
    }
  }
}
