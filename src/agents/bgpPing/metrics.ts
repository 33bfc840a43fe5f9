import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SessionState } from '../../bgp';

const STATES: SessionState[] = ['Idle', 'Connect', 'Active', 'OpenSent', 'OpenConfirm', 'Established'];

/** bgp-ping's Prometheus metrics, in a registry of its own. */
export class BgpPingMetrics {
  readonly registry = new Registry();
  readonly rtt: Histogram<'responder'>;
  readonly sent: Counter;
  readonly answered: Counter<'responder'>;
  readonly lost: Counter<'responder'>;
  readonly state: Gauge<'peer'>;
  readonly replies: Counter<'prober'>;
  readonly turnaround: Histogram;

  constructor() {
    // 100 µs to 30 s: loopback agents answer in well under a millisecond, a loaded lab in seconds.
    const buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    this.rtt = new Histogram({ name: 'bgp_ping_rtt_seconds', help: 'BGP UPDATE round-trip time to a responder', labelNames: ['responder'], buckets, registers: [this.registry] });
    this.sent = new Counter({ name: 'bgp_ping_probes_sent_total', help: 'probes announced', registers: [this.registry] });
    this.answered = new Counter({ name: 'bgp_ping_probes_answered_total', help: 'replies matched to a probe', labelNames: ['responder'], registers: [this.registry] });
    this.lost = new Counter({ name: 'bgp_ping_probes_lost_total', help: 'probes a known responder did not answer in time ("" when nobody answered)', labelNames: ['responder'], registers: [this.registry] });
    this.replies = new Counter({ name: 'bgp_ping_replies_sent_total', help: 'probes answered by this speaker, by the prober that sent them', labelNames: ['prober'], registers: [this.registry] });
    // This speaker's own part of every RTT it answers: from the probe's bytes read to the reply's write.
    this.turnaround = new Histogram({ name: 'bgp_ping_reply_turnaround_seconds', help: 'time from reading a probe to handing its reply to the socket', buckets: [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1], registers: [this.registry] });
    this.state = new Gauge({ name: 'bgp_ping_session_state', help: 'RFC 4271 state of the session: 0 Idle … 5 Established', labelNames: ['peer'], registers: [this.registry] });
  }

  setState(peer: string, state: SessionState): void {
    this.state.set({ peer }, STATES.indexOf(state));
  }
}
