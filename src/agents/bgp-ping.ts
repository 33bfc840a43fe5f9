/**
 * bgp-ping: measures how long a BGP UPDATE takes to cross the network and come back. The prober
 * announces its probe prefix with an optional transitive attribute carrying a probe; routers pass
 * the unknown attribute on; responders announce it back with their name filled in; the prober
 * computes the round-trip time from a monotonic clock and exports it (NDJSON events, Prometheus,
 * and Cloudprober's external-probe server protocol with -c).
 *
 *   prober:    node dist/agents/bgp-ping.js -id host-2 -nlri 100.64.0.1 -laddr 203.0.113.2 -raddr 203.0.113.3 -las 65004 -ras 65001
 *   responder: node dist/agents/bgp-ping.js -id host-1 -nlri 100.64.0.0 -laddr 203.0.113.0 -raddr 203.0.113.1 -las 65003 -ras 65000 -p
 */
import type { Server } from 'node:http';
import { isIPv4 } from 'node:net';
import { DEFAULT_PROBE_ATTRIBUTE_TYPE, isKnownAttribute } from '../protocols/bgp';
import { serveCloudprober } from './bgpPing/cloudproberServer';
import { BgpPingMetrics } from './bgpPing/metrics';
import { BgpPingSpeaker } from './bgpPing/speaker';
import type { EventBody } from '../shared/events';
import { EventWriter } from './runtime/eventWriter';
import { FlagError, helpText, parseChoice, parseDuration, parseFlags, parseHostPort, parseInteger } from './runtime/flags';
import { runAgent, type Lifecycle } from './runtime/lifecycle';
import { serveMetrics } from './runtime/metrics';

const flags = {
  id: { type: 'string', value: 'NAME', description: 'this speaker\'s name in probes: printable text, up to 255 UTF-8 octets (15 ASCII characters in the book layout)' },
  nlri: { type: 'string', value: 'ADDR', description: 'probe prefix announced as ADDR/32 (only in BGP, never sent traffic)' },
  laddr: { type: 'string', value: 'ADDR', description: 'local address: the session\'s source and the NEXT_HOP' },
  raddr: { type: 'string', value: 'ADDR', description: 'the router\'s address' },
  las: { type: 'string', value: 'AS', description: 'local AS' },
  ras: { type: 'string', value: 'AS', description: 'the router\'s AS' },
  p: { type: 'boolean', description: 'passive: only answer probes, send none, and wait for the router to open the session' },
  c: { type: 'boolean', description: 'Cloudprober external probe, server mode: probe on each request on stdin' },
  i: { type: 'string', default: '10s', value: 'DURATION', description: 'probe interval' },
  timeout: { type: 'string', default: '5s', value: 'DURATION', description: 'a probe not answered by then is lost' },
  'attr-type': { type: 'string', default: String(DEFAULT_PROBE_ATTRIBUTE_TYPE), value: 'N', description: 'path attribute type code of the probe (255: RFC 2042\'s development code)' },
  wire: { type: 'string', default: 'v1', value: 'v1|book', description: 'probe layout sent (both are read): v1 has a ns timestamp and a sequence' },
  'withdraw-after': { type: 'string', default: '7s', value: 'DURATION', description: 'withdraw an announcement after this long' },
  port: { type: 'string', default: '179', value: 'PORT', description: 'the router\'s BGP port (and the port listened on)' },
  metrics: { type: 'string', value: 'ADDR:PORT', description: 'serve Prometheus metrics on /metrics' },
  format: { type: 'string', default: 'text', value: 'text|json', description: 'text: a line per RTT; json: NDJSON events' },
} as const;

const help = helpText('bgp-ping -id NAME -nlri ADDR -laddr ADDR -raddr ADDR -las AS -ras AS [-p | -c] [options]', 'Measures BGP UPDATE round-trip time through real routers.', flags);

function required(name: string, v: string | undefined): string {
  if (v === undefined || v === '') throw new FlagError(`-${name} is required`);
  return v;
}
function ipv4(name: string, v: string | undefined): string {
  const s = required(name, v);
  if (!isIPv4(s)) throw new FlagError(`-${name} "${s}": expected an IPv4 address`);
  return s;
}

/** labtel's v1 probe layout gives an id one length octet. */
const MAX_V1_ID_OCTETS = 255;

async function main(lifecycle: Lifecycle): Promise<void> {
  const { values, help: wantHelp, positionals } = parseFlags(flags, process.argv.slice(2));
  if (wantHelp) { process.stdout.write(`${help}\n`); return; }
  if (positionals.length) throw new FlagError(`unexpected argument "${positionals[0]}"`);
  const id = required('id', values.id);
  const wire = parseChoice('wire', values.wire, ['v1', 'book'] as const);
  // An id is the speaker's name on the wire, shown as text wherever it arrives: any printable text, no
  // control character (the primer's id holds one, so it is no one's); the book layout has 15 ASCII octets.
  if (!/^[^\p{Cc}]+$/u.test(id)) throw new FlagError(`-id ${JSON.stringify(id)}: printable characters only, no control characters`);
  if (wire === 'book' && !/^[\x20-\x7e]{1,15}$/.test(id)) throw new FlagError(`-id "${id}": the book's probe layout (--wire book) holds 1 to 15 printable ASCII characters`);
  if (Buffer.byteLength(id) > MAX_V1_ID_OCTETS) throw new FlagError(`-id "${id}": at most ${MAX_V1_ID_OCTETS} octets (UTF-8)`);
  if (values.p && values.c) throw new FlagError('-p (respond only) and -c (probe on request) exclude each other');
  const opts = {
    id,
    nlri: ipv4('nlri', values.nlri),
    localAddress: ipv4('laddr', values.laddr),
    peerAddress: ipv4('raddr', values.raddr),
    localAs: parseInteger('las', required('las', values.las), 1, 4294967295),
    peerAs: parseInteger('ras', required('ras', values.ras), 1, 4294967295),
    attributeType: parseInteger('attr-type', values['attr-type'], 1, 255),
    wire,
    timeoutMs: parseDuration('timeout', values.timeout),
    withdrawAfterMs: parseDuration('withdraw-after', values['withdraw-after']),
    peerPort: parseInteger('port', values.port, 1, 65535),
    listenPort: parseInteger('port', values.port, 1, 65535),
    mode: values.p ? ('passive' as const) : ('both' as const),
  };
  // A type the codec decodes never reaches the speaker as an unknown attribute: no probe would be read.
  if (isKnownAttribute(opts.attributeType)) throw new FlagError(`-attr-type ${opts.attributeType}: labtel decodes that attribute itself; a probe needs a type it does not know (the book's 42, or 255, reserved for development by RFC 2042)`);
  const intervalMs = parseDuration('i', values.i);
  const format = parseChoice('format', values.format, ['text', 'json'] as const);
  const metricsAt = values.metrics === undefined ? undefined : parseHostPort('metrics', values.metrics, '127.0.0.1');

  // In Cloudprober mode stdout carries the protocol: events and logs go to stderr.
  const eventsOut = values.c ? process.stderr : process.stdout;
  const events = new EventWriter('bgp-ping', eventsOut);
  const say = (body: EventBody, text: string) => (format === 'json' ? events.emit(body) : process.stderr.write(`${text}\n`));
  const metrics = new BgpPingMetrics();
  if (metricsAt) {
    const server: Server = await serveMetrics(metrics.registry, metricsAt.host, metricsAt.port);
    lifecycle.defer(() => new Promise<void>((r) => server.close(() => r())));
  }

  const speaker = new BgpPingSpeaker(opts);
  const waiters = new Set<() => void>();
  speaker.on('state', (state, reason) => {
    metrics.setState(opts.peerAddress, state);
    say({ type: 'session', peer: opts.peerAddress, state, ...(reason ? { reason } : {}) }, `session ${opts.peerAddress}: ${state}${reason ? ` (${reason})` : ''}`);
  });
  speaker.on('rtt', (a) => {
    metrics.rtt.observe({ responder: a.responder }, a.rttMs / 1000);
    metrics.answered.inc({ responder: a.responder });
    say({ type: 'rtt', responder: a.responder, seq: a.seq, rttMs: a.rttMs, partial: a.partial }, values.c ? `rtt ${a.responder} ${a.rttMs.toFixed(3)} ms` : `bgp_ping_rtt_ms{device=${a.responder}} ${a.rttMs.toFixed(3)}`);
    for (const w of waiters) w();
  });
  speaker.on('replied', (to, turnaroundNs) => {
    metrics.replies.inc({ prober: to.source });
    metrics.turnaround.observe(Number(turnaroundNs) / 1e9);
    const turnaroundUs = Number(turnaroundNs) / 1000;
    const seq = to.layout === 'v1' ? Number(to.sequence) : undefined;
    say({ type: 'reply', prober: to.source, ...(seq === undefined ? {} : { seq }), turnaroundUs }, `reply to ${to.source}${seq === undefined ? '' : ` probe ${seq}`} after ${turnaroundUs.toFixed(0)} µs`);
  });
  speaker.on('expired', (p) => {
    if (!p.unanswered && p.missing.length === 0) return;
    // Per responder that missed it; '' when nobody was known to answer.
    const lost = p.missing.length ? p.missing : [''];
    for (const r of lost) metrics.lost.inc({ responder: r });
    say({ type: 'lost', seq: p.seq, responders: p.missing }, `probe ${p.seq} lost${p.missing.length ? ` for ${p.missing.join(', ')}` : ' (no reply)'}`);
  });
  speaker.on('malformed', (e) => say({ type: 'log', level: 'warn', message: `malformed probe attribute: ${e.message}` }, `malformed probe attribute: ${e.message}`));
  lifecycle.defer(() => speaker.stop());
  speaker.prime();
  await speaker.start();

  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => { done = resolve; });
  lifecycle.onStop(() => done());

  if (values.c) {
    void serveCloudprober(process.stdin, process.stdout, async (request) => {
      const limit = Math.max(50, (request.timeLimit > 0 ? request.timeLimit : opts.timeoutMs) - 50);
      const started = Date.now();
      // A request that comes while the session is still coming up waits for it, within its time limit.
      if (!speaker.established) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, limit);
          speaker.session.once('established', () => { clearTimeout(timer); setTimeout(resolve, 50); });
        });
      }
      const seq = speaker.probe();
      if (seq === undefined) return { rtts: [], error: `BGP session to ${opts.peerAddress} is ${speaker.session.state}` };
      metrics.sent.inc();
      const rtts: Array<{ responder: string; rttMs: number }> = [];
      const onRtt = (a: { responder: string; seq: number; rttMs: number }) => { if (a.seq === seq) rtts.push(a); };
      speaker.on('rtt', onRtt);
      // Reply when every known responder has answered, or just before the request's time limit.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(finish, Math.max(0, Math.min(limit - (Date.now() - started), opts.timeoutMs)));
        function finish() { clearTimeout(timer); waiters.delete(check); resolve(); }
        function check() { if (speaker.tracker.complete(seq!)) finish(); }
        waiters.add(check);
      });
      speaker.off('rtt', onRtt);
      return { rtts };
    }, (line) => process.stderr.write(`${line}\n`)).then(() => done());
  } else if (!values.p) {
    const timer = setInterval(() => { if (speaker.probe() !== undefined) metrics.sent.inc(); }, intervalMs);
    lifecycle.defer(() => clearInterval(timer));
    // The first probe as soon as the session is up, not an interval later.
    speaker.session.once('established', () => setTimeout(() => { if (speaker.probe() !== undefined) metrics.sent.inc(); }, 200));
  }
  process.stderr.write(`bgp-ping ${id}: ${values.c ? 'Cloudprober server mode' : values.p ? 'responder' : `prober every ${intervalMs} ms`}, session ${opts.localAddress} AS${opts.localAs} → ${opts.peerAddress} AS${opts.peerAs}\n`);
  await finished;
  await events.flush();
}

if (require.main === module) {
  void runAgent(help, main).then((code) => process.exit(code));
}
