import { EventEmitter } from 'node:events';
import { Session, type SessionState, type UpdateWriter } from '../../bgp';
import { AttrFlag, decodeProbe, encodeProbe, Origin, PROBE_ATTRIBUTE_FLAGS, SegmentType, type DecodedUpdate, type Probe, type ProbeLayout } from '../../protocols/bgp';
import { DecodeError } from '../../protocols/decodeError';
import { ProbeTracker, type ExpiredProbe, type ProbeAnswer } from './probeTracker';
import { replyTo } from './reply';

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
  /** How long an announcement stays before it is withdrawn (the seed: 7 s). */
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
  replied: [to: Probe];
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
  private withdrawTimer: NodeJS.Timeout | undefined;
  private readonly expiry: NodeJS.Timeout;
  sent = 0;

  constructor(private readonly o: SpeakerOptions) {
    super();
    this.tracker = new ProbeTracker(o.id, o.wire, o.timeoutMs);
    this.session = new Session({
      localAs: o.localAs, peerAs: o.peerAs, routerId: o.localAddress, localAddress: o.localAddress, peerAddress: o.peerAddress,
      peerPort: o.peerPort, listenPort: o.listenPort, mode: o.mode ?? 'both', holdTime: o.holdTime ?? 9, backoff: { initialMs: 500, maxMs: 5000 },
      plugin: {
        onEstablished: (writer) => { this.writer = writer; },
        onUpdate: (u, _peer, receivedNs) => { this.onUpdate(u, receivedNs); return undefined; },
        onClose: () => { this.writer = undefined; },
      },
    });
    this.session.on('state', (state) => this.emit('state', state));
    this.session.on('closed', (reason) => this.emit('state', this.session.state, reason.message));
    this.expiry = setInterval(() => { for (const p of this.tracker.expire()) this.emit('expired', p); }, 100);
    this.expiry.unref();
  }

  get established(): boolean {
    return this.writer?.open === true;
  }

  async start(): Promise<void> {
    await this.session.start();
  }

  async stop(): Promise<void> {
    clearInterval(this.expiry);
    clearTimeout(this.withdrawTimer);
    await this.session.stop();
  }

  /**
   * Announces a new probe and returns its sequence; when the session is not Established nothing can be
   * sent, the probe is lost at once ('expired') and the result is undefined.
   */
  probe(): number | undefined {
    if (!this.established) {
      this.emit('expired', this.tracker.skip());
      return undefined;
    }
    const p = this.tracker.next();
    this.announce(p, p.seq);
    this.sent++;
    return p.seq;
  }

  /** Announces `probe`; for our own probe (`seq`), its round trip starts just before the write. */
  private announce(probe: Probe, seq?: number): void {
    const w = this.writer;
    if (!w?.open) return;
    const bytes = w.encode({
      withdrawn: [],
      nlri: [`${this.o.nlri}/32`],
      attributes: {
        origin: Origin.Incomplete,
        asPath: [{ type: SegmentType.AsSequence, asns: [this.o.localAs] }],
        nextHop: this.o.localAddress,
        unknown: [{ flags: PROBE_ATTRIBUTE_FLAGS, type: this.o.attributeType, value: encodeProbe(probe) }],
      },
    });
    if (seq !== undefined) this.tracker.sent(seq);
    w.sendRaw(bytes);
    // The seed withdraws its prefix 7 s after announcing it; a new announcement restarts the count.
    clearTimeout(this.withdrawTimer);
    this.withdrawTimer = setTimeout(() => {
      if (this.writer?.open) this.writer.send({ withdrawn: [`${this.o.nlri}/32`], nlri: [], attributes: {} });
    }, this.o.withdrawAfterMs);
    this.withdrawTimer.unref();
  }

  private onUpdate(u: DecodedUpdate, receivedNs: bigint): void {
    for (const a of u.attributes.unknown ?? []) {
      if (a.type !== this.o.attributeType) continue;
      let probe: Probe;
      try {
        probe = decodeProbe(a.value, 0, a.value.length);
      } catch (err) {
        if (err instanceof DecodeError) { this.emit('malformed', err); continue; }
        throw err;
      }
      const answer = this.tracker.answer(probe, receivedNs);
      if (answer) { this.emit('rtt', { ...answer, partial: (a.flags & AttrFlag.Partial) !== 0 }); continue; }
      const reply = replyTo(probe, this.o.id);
      if (reply) {
        this.announce(reply);
        this.emit('replied', reply);
      }
    }
  }
}
