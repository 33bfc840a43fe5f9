// A prober and a responder speaker over loopback BGP: every probe is answered once, the first request
// from a prober through the decoded UPDATE (which makes the reply's template), the rest from the
// request's bytes before the UPDATE is decoded — with the same events either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BgpPingSpeaker, type SpeakerOptions } from '../../../../src/agents/bgpPing/speaker';
import type { ProbeAnswer } from '../../../../src/agents/bgpPing/probeTracker';
import type { Probe } from '../../../../src/protocols/bgp';

const common = { attributeType: 42, wire: 'v1' as const, timeoutMs: 5000, withdrawAfterMs: 7000, holdTime: 9 } satisfies Partial<SpeakerOptions>;

test('speakers over loopback: 40 probes, each answered once, 39 of them from the request\'s bytes, with reply events in probe order', async () => {
  const responder = new BgpPingSpeaker({ ...common, id: 'host-1', nlri: '100.64.0.0', localAddress: '127.0.0.1', peerAddress: '127.0.0.2', localAs: 65003, peerAs: 65004, listenPort: 0, mode: 'passive' });
  const replied: Array<{ to: Probe; turnaroundNs: bigint }> = [];
  responder.on('replied', (to, turnaroundNs) => replied.push({ to, turnaroundNs }));
  await responder.start();
  const prober = new BgpPingSpeaker({ ...common, id: 'host-2', nlri: '100.64.0.1', localAddress: '127.0.0.2', peerAddress: '127.0.0.1', localAs: 65004, peerAs: 65003, peerPort: responder.session.listening()!.port, listenPort: 0 });
  const answers: ProbeAnswer[] = [];
  try {
    const all = new Promise<void>((resolve) => {
      prober.on('rtt', (a) => {
        answers.push(a);
        if (answers.length === 40) resolve();
        else prober.probe();
      });
    });
    prober.session.on('established', () => setImmediate(() => prober.probe()));
    await prober.start();
    await Promise.race([all, new Promise((_, reject) => setTimeout(() => reject(new Error(`${answers.length} of 40 answers in 10 s`)), 10_000))]);
    await new Promise((r) => setTimeout(r, 50)); // a duplicate reply would show by now
  } finally {
    await prober.stop();
    await responder.stop();
  }
  const first = answers[0]!.seq;
  assert.deepEqual(answers.map((a) => a.seq), Array.from({ length: 40 }, (_, i) => first + i));
  assert.ok(answers.every((a) => a.responder === 'host-1' && a.rttMs > 0));
  assert.equal(responder.probesRead, 40);
  assert.equal(responder.answeredEarly, 39);
  assert.deepEqual(replied.map((r) => [r.to.source, r.to.destination, Number(r.to.sequence)]), Array.from({ length: 40 }, (_, i) => ['host-2', 'host-1', first + i]));
  assert.ok(replied.every((r) => r.turnaroundNs > 0n));
  assert.equal(prober.answeredEarly, 0, 'replies are not requests: the prober answers none');
});

test('speakers over loopback, the book\'s layout: probes a second apart, each answered once, all but the first from the request\'s bytes', async () => {
  const book = { ...common, wire: 'book' as const };
  const responder = new BgpPingSpeaker({ ...book, id: 'host-1', nlri: '100.64.0.0', localAddress: '127.0.0.1', peerAddress: '127.0.0.2', localAs: 65003, peerAs: 65004, listenPort: 0, mode: 'passive' });
  const replied: Probe[] = [];
  responder.on('replied', (to) => replied.push(to));
  await responder.start();
  const prober = new BgpPingSpeaker({ ...book, id: 'host-2', nlri: '100.64.0.1', localAddress: '127.0.0.2', peerAddress: '127.0.0.1', localAs: 65004, peerAs: 65003, peerPort: responder.session.listening()!.port, listenPort: 0 });
  const answers: ProbeAnswer[] = [];
  try {
    // The book's stamp is whole seconds, all a reply is matched on: one probe per second.
    const all = new Promise<void>((resolve) => {
      prober.on('rtt', (a) => {
        answers.push(a);
        if (answers.length === 3) resolve();
        else setTimeout(() => prober.probe(), 1000);
      });
    });
    prober.session.on('established', () => setImmediate(() => prober.probe()));
    await prober.start();
    await Promise.race([all, new Promise((_, reject) => setTimeout(() => reject(new Error(`${answers.length} of 3 answers in 10 s`)), 10_000))]);
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    await prober.stop();
    await responder.stop();
  }
  assert.equal(answers.length, 3);
  assert.ok(answers.every((a) => a.responder === 'host-1'));
  assert.equal(responder.probesRead, 3);
  assert.equal(responder.answeredEarly, 2);
  assert.deepEqual(replied.map((p) => [p.layout, p.source, p.destination]), [['book', 'host-2', 'host-1'], ['book', 'host-2', 'host-1'], ['book', 'host-2', 'host-1']]);
});

test('a probe nobody answers is reported lost at its timeout, without a later probe to notice it', async () => {
  // The responder knows another attribute type: it passes the probe by, and no reply comes.
  const responder = new BgpPingSpeaker({ ...common, attributeType: 255, id: 'host-1', nlri: '100.64.0.0', localAddress: '127.0.0.1', peerAddress: '127.0.0.2', localAs: 65003, peerAs: 65004, listenPort: 0, mode: 'passive' });
  await responder.start();
  const prober = new BgpPingSpeaker({ ...common, timeoutMs: 300, id: 'host-2', nlri: '100.64.0.1', localAddress: '127.0.0.2', peerAddress: '127.0.0.1', localAs: 65004, peerAs: 65003, peerPort: responder.session.listening()!.port, listenPort: 0 });
  try {
    const established = new Promise<void>((resolve) => prober.session.once('established', () => resolve()));
    await prober.start();
    await established;
    const expired = new Promise<{ seq: number; unanswered: boolean; afterMs: number }>((resolve) => {
      const sentAt = Date.now();
      prober.once('expired', (p) => resolve({ seq: p.seq, unanswered: p.unanswered, afterMs: Date.now() - sentAt }));
    });
    const seq = prober.probe();
    const lost = await Promise.race([expired, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no expired event in 3 s')), 3000))]);
    assert.equal(lost.seq, seq);
    assert.equal(lost.unanswered, true);
    assert.ok(lost.afterMs >= 300 && lost.afterMs < 1000, `lost after ${lost.afterMs} ms (timeout 300 ms)`);
  } finally {
    await prober.stop();
    await responder.stop();
  }
});
