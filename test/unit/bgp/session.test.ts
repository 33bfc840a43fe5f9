// The session FSM (RFC 4271 §8) over loopback TCP: two labtel sessions with each other, and a raw
// peer for the cases that need exact bytes.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { Session, type SessionOptions } from '../../../src/bgp/session';
import type { CloseReason, SessionState, UpdateWriter } from '../../../src/bgp/plugin';
import { encodeKeepalive, encodeOpen, type DecodedUpdate } from '../../../src/protocols/bgp';
import { RawPeer, waitForState } from './rawPeer';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function session(o: Partial<SessionOptions> & Pick<SessionOptions, 'localAs' | 'peerAs' | 'routerId'>): Session {
  const s = new Session({ peerAddress: '127.0.0.1', localAddress: '127.0.0.1', listenPort: 0, backoff: { initialMs: 50, maxMs: 400 }, ...o });
  cleanups.push(() => s.stop());
  return s;
}

function states(s: Session): SessionState[] {
  const seen: SessionState[] = [s.state];
  s.on('state', (st) => seen.push(st));
  return seen;
}

async function listener(): Promise<{ server: net.Server; port: number; accepted: Promise<net.Socket> }> {
  const server = net.createServer();
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { server, port: (server.address() as net.AddressInfo).port, accepted };
}

test('an active and a passive session reach Established through Connect/Active, OpenSent and OpenConfirm (RFC 4271 §8.2.2)', async () => {
  const passive = session({ localAs: 65001, peerAs: 65002, routerId: '192.0.2.1', mode: 'passive' });
  const passiveStates = states(passive);
  await passive.start();
  const active = session({ localAs: 65002, peerAs: 65001, routerId: '192.0.2.2', mode: 'active', peerPort: passive.listening()!.port });
  const activeStates = states(active);
  await active.start();
  await waitForState(active, 'Established');
  await waitForState(passive, 'Established');
  assert.deepEqual(activeStates, ['Idle', 'Connect', 'OpenSent', 'OpenConfirm', 'Established']);
  assert.deepEqual(passiveStates, ['Idle', 'Active', 'OpenSent', 'OpenConfirm', 'Established']);
});

test('UPDATEs sent through the writer reach the peer plugin, 4-octet AS and unknown attributes intact', async () => {
  const got: DecodedUpdate[] = [];
  const passive = session({ localAs: 65001, peerAs: 4200000000, routerId: '192.0.2.1', mode: 'passive', plugin: { onUpdate: (u) => { got.push(u); return undefined; } } });
  await passive.start();
  let writer: UpdateWriter | undefined;
  const active = session({ localAs: 4200000000, peerAs: 65001, routerId: '192.0.2.2', mode: 'active', peerPort: passive.listening()!.port, plugin: { onEstablished: (w) => { writer = w; } } });
  await active.start();
  await waitForState(active, 'Established');
  assert.ok(writer?.open);
  assert.equal(writer.fourOctetAs, true);
  assert.equal(writer.peerOpen.myAs, 65001);
  writer.send({ withdrawn: [], nlri: ['100.64.0.1/32'], attributes: { origin: 2, asPath: [{ type: 2, asns: [4200000000] }], nextHop: '192.0.2.2', unknown: [{ flags: 0xc0, type: 42, value: Uint8Array.of(1, 2, 3) }] } });
  for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(got.length, 1);
  assert.deepEqual(got[0]!.nlri.toArray(), ['100.64.0.1/32']);
  assert.deepEqual(got[0]!.attributes.asPath, [{ type: 2, asns: [4200000000] }]);
  assert.deepEqual([...got[0]!.attributes.unknown![0]!.value], [1, 2, 3]);
});

test('writer.encode gives the bytes send writes, nothing stays queued, and onUpdate hears when they were read, before decoding', async () => {
  const got: Array<{ update: DecodedUpdate; receivedNs: bigint; handledNs: bigint }> = [];
  const passive = session({ localAs: 65001, peerAs: 65002, routerId: '192.0.2.1', mode: 'passive', plugin: { onUpdate: (update, _peer, receivedNs) => { got.push({ update, receivedNs, handledNs: process.hrtime.bigint() }); return undefined; } } });
  await passive.start();
  let writer: UpdateWriter | undefined;
  const active = session({ localAs: 65002, peerAs: 65001, routerId: '192.0.2.2', mode: 'active', peerPort: passive.listening()!.port, plugin: { onEstablished: (w) => { writer = w; } } });
  await active.start();
  await waitForState(active, 'Established');
  const update = { withdrawn: [], nlri: ['100.64.0.2/32'], attributes: { origin: 2, asPath: [{ type: 2, asns: [65002] }], nextHop: '192.0.2.2' } };
  const bytes = writer!.encode(update);
  const before = process.hrtime.bigint();
  writer!.sendRaw(bytes);
  assert.equal(writer!.queued, 0, 'an idle socket\'s kernel buffer takes a small message whole, at once');
  for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(got.length, 1);
  assert.deepEqual(got[0]!.update.nlri.toArray(), ['100.64.0.2/32']);
  assert.equal(got[0]!.update.attributes.nextHop, '192.0.2.2');
  assert.ok(got[0]!.receivedNs > before, 'read after it was sent');
  assert.ok(got[0]!.receivedNs <= got[0]!.handledNs, 'read before the plugin ran');
});

test('onUpdateMessage gets each UPDATE whole, as sent, with its read time, just before onUpdate gets it decoded; nothing else reaches it', async () => {
  const seen: Array<{ hook: 'message' | 'update'; bytes?: Uint8Array; receivedNs: bigint; nlri?: string[] }> = [];
  const passive = session({
    localAs: 65001, peerAs: 65002, routerId: '192.0.2.1', mode: 'passive', holdTime: 3,
    plugin: {
      onUpdateMessage: (message, receivedNs) => { seen.push({ hook: 'message', bytes: Uint8Array.from(message), receivedNs }); },
      onUpdate: (update, _peer, receivedNs) => { seen.push({ hook: 'update', receivedNs, nlri: update.nlri.toArray() }); return undefined; },
    },
  });
  await passive.start();
  let writer: UpdateWriter | undefined;
  const active = session({ localAs: 65002, peerAs: 65001, routerId: '192.0.2.2', mode: 'active', holdTime: 3, peerPort: passive.listening()!.port, plugin: { onEstablished: (w) => { writer = w; } } });
  await active.start();
  await waitForState(active, 'Established');
  const sent = ['100.64.0.2/32', '100.64.0.3/32'].map((p) => writer!.encode({ withdrawn: [], nlri: [p], attributes: { origin: 2, asPath: [{ type: 2, asns: [65002] }], nextHop: '192.0.2.2' } }));
  writer!.sendRaw(sent[0]!);
  writer!.sendRaw(sent[1]!);
  // Keepalives flow both ways meanwhile (hold time 3 s, one a second): they must not reach the hook.
  await new Promise((r) => setTimeout(r, 1300));
  assert.deepEqual(seen.map((s) => s.hook), ['message', 'update', 'message', 'update']);
  assert.deepEqual(seen[0]!.bytes, sent[0]);
  assert.deepEqual(seen[2]!.bytes, sent[1]);
  assert.deepEqual(seen[1]!.nlri, ['100.64.0.2/32']);
  assert.equal(seen[0]!.receivedNs, seen[1]!.receivedNs, 'the same read time for both hooks');
});

test('the Hold Time is the smaller of both; keepalives at a third of it keep a 3 s session up (RFC 4271 §4.2, §10)', async () => {
  const passive = session({ localAs: 65001, peerAs: 65002, routerId: '192.0.2.1', mode: 'passive', holdTime: 3 });
  await passive.start();
  const active = session({ localAs: 65002, peerAs: 65001, routerId: '192.0.2.2', mode: 'active', holdTime: 90, peerPort: passive.listening()!.port });
  const closed: CloseReason[] = [];
  active.on('closed', (r) => closed.push(r));
  passive.on('closed', (r) => closed.push(r));
  await active.start();
  await waitForState(active, 'Established');
  await new Promise((r) => setTimeout(r, 4500));
  assert.equal(active.state, 'Established');
  assert.equal(passive.state, 'Established');
  assert.deepEqual(closed, []);
});

test('a peer that goes silent gets Hold Timer Expired (4/0) after the negotiated 3 s (RFC 4271 §6.5)', async () => {
  const s = session({ localAs: 65000, peerAs: 65001, routerId: '192.0.2.1', mode: 'passive', holdTime: 3 });
  const reasons: CloseReason[] = [];
  s.on('closed', (r) => reasons.push(r));
  await s.start();
  const peer = await RawPeer.connect(s.listening()!.port);
  cleanups.push(() => peer.close());
  const t0 = Date.now();
  await peer.establish({ asn: 65001, bgpId: '192.0.2.2', holdTime: 3 });
  const n = await peer.next('notification', 6000);
  const waited = Date.now() - t0;
  assert.deepEqual([n.notification.code, n.notification.subcode], [4, 0]);
  assert.ok(waited >= 2900 && waited < 5000, `hold expired after ${waited} ms`);
  assert.equal(reasons[0]?.kind, 'hold-timer-expired');
});

test('the plugin offers capabilities, may refuse an OPEN with its NOTIFICATION, and hears onClose', async () => {
  const closes: CloseReason[] = [];
  const s = session({
    localAs: 65000, peerAs: 65001, routerId: '192.0.2.1', mode: 'passive',
    plugin: {
      capabilities: () => [{ kind: 'route-refresh' }, { kind: 'unknown', code: 73, value: Uint8Array.of(1) }],
      onOpen: (open) => (open.bgpId === '192.0.2.66' ? { code: 6, subcode: 5 } : undefined),
      onClose: (r) => closes.push(r),
    },
  });
  await s.start();
  const port = s.listening()!.port;
  const refused = await RawPeer.connect(port);
  cleanups.push(() => refused.close());
  refused.send(encodeOpen({ myAs: 65001, holdTime: 90, bgpId: '192.0.2.66', capabilities: [] }));
  const offered = await refused.next('open');
  assert.deepEqual(offered.open.capabilities.map((c) => c.kind), ['multiprotocol', 'four-octet-as', 'route-refresh', 'unknown']);
  const n = await refused.next('notification');
  assert.deepEqual([n.notification.code, n.notification.subcode], [6, 5]);
  await waitForState(s, 'Active');
  const accepted = await RawPeer.connect(port);
  await accepted.establish({ asn: 65001, bgpId: '192.0.2.2' });
  accepted.close();
  await waitForState(s, 'Active');
  assert.deepEqual(closes.map((c) => c.kind), ['connection-lost']);
});

test('a peer without a required capability gets Unsupported Capability (2/7) listing it (RFC 5492 §5)', async () => {
  const s = session({ localAs: 65000, peerAs: 65001, routerId: '192.0.2.1', mode: 'passive', requiredCapabilities: [2] });
  await s.start();
  const peer = await RawPeer.connect(s.listening()!.port);
  cleanups.push(() => peer.close());
  peer.send(encodeOpen({ myAs: 65001, holdTime: 90, bgpId: '192.0.2.2', capabilities: [{ kind: 'four-octet-as', asn: 65001 }] }));
  const n = await peer.next('notification');
  assert.deepEqual([n.notification.code, n.notification.subcode, [...n.notification.data]], [2, 7, [2, 0]]);
});

const fsmErrors = [
  { name: 'KEEPALIVE in OpenSent', rfc: 'RFC 6608 §4', setup: 'none', send: encodeKeepalive(), subcode: 1 },
  { name: 'OPEN in Established', rfc: 'RFC 6608 §4', setup: 'established', send: encodeOpen({ myAs: 65001, holdTime: 90, bgpId: '192.0.2.2', capabilities: [] }), subcode: 3 },
] as const;
for (const f of fsmErrors) {
  test(`${f.name} is a Finite State Machine Error 5/${f.subcode} (${f.rfc})`, async () => {
    const s = session({ localAs: 65000, peerAs: 65001, routerId: '192.0.2.1', mode: 'passive' });
    await s.start();
    const peer = await RawPeer.connect(s.listening()!.port);
    cleanups.push(() => peer.close());
    if (f.setup === 'established') await peer.establish({ asn: 65001, bgpId: '192.0.2.2' });
    peer.send(f.send);
    const n = await peer.next('notification');
    assert.deepEqual([n.notification.code, n.notification.subcode], [5, f.subcode]);
  });
}

test('OPEN in OpenConfirm on the same connection is an FSM error 5/2 (RFC 6608 §4)', async () => {
  const s = session({ localAs: 65000, peerAs: 65001, routerId: '192.0.2.1', mode: 'passive' });
  await s.start();
  const peer = await RawPeer.connect(s.listening()!.port);
  cleanups.push(() => peer.close());
  const open = encodeOpen({ myAs: 65001, holdTime: 90, bgpId: '192.0.2.2', capabilities: [] });
  peer.send(open);
  await peer.next('keepalive');
  peer.send(open);
  const n = await peer.next('notification');
  assert.deepEqual([n.notification.code, n.notification.subcode], [5, 2]);
});

// §6.8: with connections both ways, the one initiated by the higher BGP Identifier survives.
// RFC 6286 §2.3: with equal identifiers the larger AS number wins.
for (const { peerId, peerWins, loserDirection } of [
  { peerId: '192.0.2.0', peerWins: false, loserDirection: 'the connection the peer initiated' },
  { peerId: '192.0.2.200', peerWins: true, loserDirection: 'the connection the session initiated' },
  { peerId: '192.0.2.100', peerWins: true, loserDirection: 'the connection the session initiated (equal ids, peer AS larger)' },
]) {
  test(`connection collision with peer id ${peerId} closes ${loserDirection} with Cease 6/7 (RFC 4271 §6.8, RFC 6286 §2.3)`, async () => {
    const { port, accepted } = await listener();
    const s = session({ localAs: 65000, peerAs: 65001, routerId: '192.0.2.100', mode: 'both', peerPort: port });
    await s.start();
    const outboundOfSession = new RawPeer(await accepted);
    const inboundToSession = await RawPeer.connect(s.listening()!.port);
    cleanups.push(() => { outboundOfSession.close(); inboundToSession.close(); });
    await outboundOfSession.next('open');
    await inboundToSession.next('open');
    const open = encodeOpen({ myAs: 65001, holdTime: 90, bgpId: peerId, capabilities: [] });
    outboundOfSession.send(open);
    await outboundOfSession.next('keepalive');
    inboundToSession.send(open);
    const loser = peerWins ? outboundOfSession : inboundToSession;
    const survivor = peerWins ? inboundToSession : outboundOfSession;
    const n = await loser.next('notification');
    assert.deepEqual([n.notification.code, n.notification.subcode], [6, 7]);
    if (peerWins) await survivor.next('keepalive');
    survivor.send(encodeKeepalive());
    await waitForState(s, 'Established');
    assert.equal(survivor.received.filter((m) => m.kind === 'notification').length, 0);
  });
}

test('after a reset the session reconnects with backoff, then re-establishes when the peer returns (RFC 4271 §8.1.1)', async () => {
  const first = new Session({ localAs: 65001, peerAs: 65002, routerId: '192.0.2.1', peerAddress: '127.0.0.1', localAddress: '127.0.0.1', listenPort: 0, mode: 'passive' });
  await first.start();
  const port = first.listening()!.port;
  const active = session({ localAs: 65002, peerAs: 65001, routerId: '192.0.2.2', mode: 'active', peerPort: port, backoff: { initialMs: 100, maxMs: 800 } });
  const closes: CloseReason[] = [];
  const retries: number[] = [];
  active.on('closed', (r) => closes.push(r));
  active.on('connect-error', (_e, ms) => retries.push(ms));
  await active.start();
  await waitForState(active, 'Established');
  await first.stop();
  await new Promise((r) => setTimeout(r, 1600));
  assert.equal(closes[0]?.kind, 'notification-received');
  assert.deepEqual(closes[0]?.notification && [closes[0].notification.code, closes[0].notification.subcode], [6, 2]);
  assert.ok(retries.length >= 3, `retried ${retries.length} times`);
  // Jittered (×0.75..1) doubling from 100 ms up to 800 ms.
  retries.slice(0, 4).forEach((ms, i) => {
    const nominal = Math.min(800, 100 * 2 ** (i + 1));
    assert.ok(ms >= nominal * 0.75 - 1 && ms <= nominal, `retry ${i}: ${ms} ms, nominal ${nominal}`);
  });
  const again = session({ localAs: 65001, peerAs: 65002, routerId: '192.0.2.1', mode: 'passive', listenPort: port });
  await again.start();
  await waitForState(active, 'Established', 3000);
});

test('stop() sends Cease / Administrative Shutdown (6/2) and ends in Idle (RFC 4486 §4)', async () => {
  const s = new Session({ localAs: 65000, peerAs: 65001, routerId: '192.0.2.1', peerAddress: '127.0.0.1', localAddress: '127.0.0.1', listenPort: 0, mode: 'passive' });
  await s.start();
  const peer = await RawPeer.connect(s.listening()!.port);
  cleanups.push(() => peer.close());
  await peer.establish({ asn: 65001, bgpId: '192.0.2.2' });
  await s.stop();
  const n = await peer.next('notification');
  assert.deepEqual([n.notification.code, n.notification.subcode], [6, 2]);
  assert.equal(s.state, 'Idle');
});

test('a connection from an address other than the peer\'s is refused', async () => {
  const s = session({ localAs: 65000, peerAs: 65001, routerId: '192.0.2.1', mode: 'passive', localAddress: undefined, peerAddress: '192.0.2.77' });
  await s.start();
  const peer = await RawPeer.connect(s.listening()!.port);
  await peer.closed();
  assert.equal(peer.received.length, 0);
});

test('hold time 1 or 2 is refused at configuration (RFC 4271 §4.2)', () => {
  assert.throws(() => new Session({ localAs: 1, peerAs: 2, routerId: '192.0.2.1', peerAddress: '127.0.0.1', holdTime: 2 }), RangeError);
});

test('start() on a port already taken rejects and leaves the session Idle', async () => {
  const { port } = await listener();
  const s = session({ localAs: 65000, peerAs: 65001, routerId: '192.0.2.1', mode: 'passive', listenPort: port });
  await assert.rejects(s.start(), /EADDRINUSE/);
  assert.equal(s.state, 'Idle');
});
