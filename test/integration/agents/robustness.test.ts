import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { AgentProcess, agentBundle, captureDatagrams } from '../../helpers/agentProcess';
import { capturePath } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';

// Both agents on loopback, fed a stream of the lab's recorded datagrams (test/fixtures/captures) with malformed ones mixed in at a high
// rate: they keep running, count the bad ones and keep ranking the good ones. Then SIGTERM under load.

function freeUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.bind(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Deterministic mutations of a datagram: flipped bits, a cut, an inflated length word. */
function mutate(d: Buffer, seed: number): Buffer {
  let x = seed * 2654435761 >>> 0;
  const rnd = (n: number) => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % n; };
  const m = Buffer.from(d);
  switch (seed % 4) {
    case 0: for (let i = 0; i < 8; i++) m[rnd(m.length)]! ^= 1 << rnd(8); return m;
    case 1: return m.subarray(0, rnd(m.length));
    case 2: { const at = 28 + 4 * rnd(Math.max(1, (m.length - 32) >> 2)); m.writeUInt32BE(0xfffffff0, Math.min(at, m.length - 4)); return m; }
    default: m.writeUInt32BE(4 + rnd(3), 0); return m; // a version that is not 5
  }
}

async function blast(socket: Socket, port: number, good: Buffer[], count: number, stopped: () => boolean = () => false): Promise<number> {
  let sent = 0;
  for (let i = 0; i < count && !stopped(); i++) {
    const d = i % 2 === 0 ? good[i % good.length]! : mutate(good[i % good.length]!, i);
    await new Promise<void>((resolve) => socket.send(d, port, '127.0.0.1', () => resolve()));
    sent++;
    if (i % 200 === 199) await new Promise((r) => setImmediate(r));
  }
  return sent;
}

/** Resolves once `count()` has not changed for `stillMs`, or after `maxMs`. */
async function quiet(count: () => number, stillMs: number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = count();
  let since = Date.now();
  while (Date.now() - since < stillMs && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    const now = count();
    if (now !== last) { last = now; since = Date.now(); }
  }
}

let good: Buffer[];
let sender: Socket;

before(() => {
  good = captureDatagrams(capturePath('lab-sflow.pcap'));
  sender = createSocket('udp4');
});
after(() => sender.close());

test('top-talkers and capture survive malformed datagrams at a high rate, count them, and keep ranking the valid ones', async (t) => {
  if (!requirePrereqs(t, { root: true })) return; // capture on lo needs CAP_NET_RAW
  const port = await freeUdpPort();
  const talkers = AgentProcess.start([process.execPath, agentBundle('top-talkers'), '--listen', `127.0.0.1:${port}`, '--format', 'json', '--interval', '250ms', '--window', '30']);
  const capture = AgentProcess.start([process.execPath, agentBundle('capture'), '--intf', 'lo', '--filter', `udp dst port ${port}`, '--sflow-port', String(port), '--format', 'json']);
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const sent = await blast(sender, port, good, 20_000);
    assert.equal(sent, 20_000);
    const stats = await talkers.waitFor('stats', (s) => s.malformed > 1000 && s.datagrams > 5000, 15_000);
    assert.ok(stats.samples > 0);
    // A ranking of the whole stream: the first rankings, of its first few datagrams, can lead with anything
    // (on a loaded machine, once, BGP's 192.0.2.2:179).
    const ranking = await talkers.waitFor('talkers', (e) => e.rows.length > 0 && e.ts >= stats.ts, 5000);
    // The recording's heaviest conversation (its README): iperf3 TCP from host-1 to host-3's port 5302.
    assert.match(`${ranking.rows[0]!.a} ${ranking.rows[0]!.b} ${ranking.rows[0]!.protocol}`, /^203\.0\.113\.0:\d+ 203\.0\.113\.254:5302 6$/);
    assert.equal(talkers.child.exitCode, null, `top-talkers exited: ${talkers.stderr}`);
    assert.equal(capture.child.exitCode, null, `capture exited: ${capture.stderr}`);
    assert.ok(capture.of('flow').length > 500, `capture reported ${capture.of('flow').length} flow records`);
    // The capture drops what its tap still queues when it is stopped (a stop is not a drain): let it finish
    // the frames it has before stopping it, so its counts cover what its tap delivered, however slow the machine.
    await quiet(() => capture.of('flow').length, 1000, 15_000);
  } finally {
    await talkers.stop();
    await capture.stop();
  }
  const captureStats = capture.of('stats').at(-1);
  t.diagnostic(`capture: ${JSON.stringify(captureStats)}; top-talkers: ${JSON.stringify(talkers.of('stats').at(-1))}`);
  // Half the stream is mutated (a few mutations still decode); under overload the tap sees a share of it.
  assert.ok(captureStats && captureStats.datagrams > 500 && captureStats.malformed >= captureStats.datagrams * 0.2, `capture counted malformed: ${JSON.stringify(captureStats)}`);
  assert.match(talkers.stderr + capture.stderr, /received SIGTERM/);
});

test('SIGTERM under full load: both agents exit within 1 s and leave nothing bound', async (t) => {
  if (!requirePrereqs(t, { root: true })) return;
  const port = await freeUdpPort();
  const talkers = AgentProcess.start([process.execPath, agentBundle('top-talkers'), '--listen', `127.0.0.1:${port}`, '--format', 'json', '--interval', '100ms']);
  const capture = AgentProcess.start([process.execPath, agentBundle('capture'), '--intf', 'lo', '--filter', `udp dst port ${port}`, '--sflow-port', String(port), '--format', 'json']);
  await new Promise((r) => setTimeout(r, 800));
  let stop = false;
  const load = blast(sender, port, good, 10_000_000, () => stop);
  await talkers.waitFor('stats', (s) => s.datagrams > 2000, 10_000);
  await capture.waitFor('flow', () => true, 10_000);
  const t0 = Date.now();
  talkers.child.kill('SIGTERM');
  capture.child.kill('SIGTERM');
  const [exit, captureExit] = await Promise.all([talkers.exited, capture.exited]);
  const took = Date.now() - t0;
  stop = true;
  await load;
  assert.equal(exit.code, 0, talkers.stderr);
  assert.equal(captureExit.code, 0, capture.stderr);
  assert.ok(took < 1000, `exit took ${took} ms`);
  assert.ok(capture.of('stats').length === 1, 'capture reported its final counts before exiting');
  // Nothing left bound: the same port binds again at once.
  const again = createSocket('udp4');
  await new Promise<void>((resolve, reject) => { again.once('error', reject); again.bind(port, '127.0.0.1', () => resolve()); });
  again.close();
});

test('capture beside the collector takes nothing from it: both count every one of 1,500 datagrams', async (t) => {
  if (!requirePrereqs(t, { root: true })) return;
  const port = await freeUdpPort();
  const talkers = AgentProcess.start([process.execPath, agentBundle('top-talkers'), '--listen', `127.0.0.1:${port}`, '--format', 'json', '--interval', '200ms']);
  const capture = AgentProcess.start([process.execPath, agentBundle('capture'), '--intf', 'lo', '--filter', `udp dst port ${port}`, '--sflow-port', String(port), '--format', 'json']);
  try {
    await new Promise((r) => setTimeout(r, 1000));
    // Paced well below either agent's limit: any difference is taken, not dropped under load.
    // About 300 datagrams/s (each with ~6 samples the capture turns into JSON events): the lab's
    // exporter sends a few a second.
    for (let i = 0; i < 1500; i++) {
      await new Promise<void>((resolve) => sender.send(good[i % good.length]!, port, '127.0.0.1', () => resolve()));
      if (i % 5 === 4) await new Promise((r) => setTimeout(r, 15));
    }
    await talkers.waitFor('stats', (s) => s.datagrams >= 1500, 10_000);
    // The capture reports at exit: let it finish what libpcap has queued first (no new flow event for 2 s: on a
    // loaded machine the agent can be off the CPU for longer than a shorter wait).
    for (let last = -1; capture.of('flow').length !== last;) {
      last = capture.of('flow').length;
      await new Promise((r) => setTimeout(r, 2000));
    }
  } finally {
    await talkers.stop();
    await capture.stop();
  }
  const collected = talkers.of('stats').at(-1)!;
  const captured = capture.of('stats').at(-1)!;
  assert.equal(collected.datagrams, 1500, `collector: ${JSON.stringify(collected)}`);
  assert.equal(captured.datagrams, 1500, `capture: ${JSON.stringify(captured)} ${capture.stderr}`);
  // The same datagrams, decoded alike on both sides.
  assert.deepEqual([captured.samples, captured.records], [collected.samples, collected.records]);
});
