// A plugin's onUpdateMessage that returns true (it wrote what a peer waits for, as bgp-ping's responder
// does) makes the session let the loop sleep before it goes on: that UPDATE's decoding and everything
// read after it wait in the connection's inbox, and are then handled in the order they were read.
import { afterEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../../src/bgp/session';
import { encodeUpdate } from '../../../src/protocols/bgp';
import { RawPeer, waitForState } from './rawPeer';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  mock.timers.reset();
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** An UPDATE announcing 100.64.0.N/32 (4-octet AS session); its prefix names it in the record. */
const update = (n: number): Uint8Array => encodeUpdate({
  withdrawn: [], nlri: [`100.64.0.${n}/32`], attributes: { origin: 2, asPath: [{ type: 2, asns: [65001] }], nextHop: '192.0.2.2' },
}, { fourOctetAs: true });
const prefixOf = (message: Uint8Array): number => message[message.length - 1]!;

/**
 * A passive session whose plugin records each hook by the UPDATE's last prefix octet and yields on the
 * UPDATEs in `yieldOn`, with a raw peer Established to it.
 */
async function yieldingSession(yieldOn: number[]): Promise<{ session: Session; peer: RawPeer; seen: string[] }> {
  const seen: string[] = [];
  const session = new Session({
    localAs: 65000, peerAs: 65001, routerId: '192.0.2.1', peerAddress: '127.0.0.1', localAddress: '127.0.0.1',
    listenPort: 0, mode: 'passive', holdTime: 30,
    plugin: {
      onUpdateMessage: (message) => {
        const n = prefixOf(message);
        seen.push(`message ${n}`);
        if (!yieldOn.includes(n)) return false;
        // An immediate runs before the loop could sleep: it must come before this UPDATE's onUpdate.
        setImmediate(() => seen.push('immediate'));
        return true;
      },
      onUpdate: (u) => { seen.push(`update ${u.nlri.toArray()[0]!.split('.')[3]!.split('/')[0]}`); return undefined; },
    },
  });
  cleanups.push(() => session.stop());
  await session.start();
  const peer = await RawPeer.connect(session.listening()!.port);
  cleanups.push(() => peer.close());
  await peer.establish({ asn: 65001, bgpId: '192.0.2.2', holdTime: 30 });
  await waitForState(session, 'Established');
  return { session, peer, seen };
}

/** Turns of the event loop (immediates, so no timer is needed) until `done` or `ms` pass. */
async function spin(ms: number, done: () => boolean = () => false): Promise<void> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await new Promise((r) => setImmediate(r));
}

const inOneRead: Array<{ name: string; yieldOn: number[]; want: string[] }> = [
  {
    name: 'no yield: each UPDATE decoded right after its bytes were seen',
    yieldOn: [],
    want: ['message 1', 'update 1', 'message 2', 'update 2', 'message 3', 'update 3'],
  },
  {
    name: 'a yield on the first: its decoding and the two after it wait until the loop slept, then go in order',
    yieldOn: [1],
    want: ['message 1', 'immediate', 'update 1', 'message 2', 'update 2', 'message 3', 'update 3'],
  },
  {
    name: 'yields on the first and the last: the wait comes again at the last, behind the first',
    yieldOn: [1, 3],
    want: ['message 1', 'immediate', 'update 1', 'message 2', 'update 2', 'message 3', 'immediate', 'update 3'],
  },
];

for (const c of inOneRead) {
  test(`three UPDATEs in one read, ${c.name}`, async () => {
    const { peer, seen } = await yieldingSession(c.yieldOn);
    peer.send(Buffer.concat([update(1), update(2), update(3)]));
    await spin(3000, () => seen.filter((s) => s.startsWith('update')).length === 3);
    await spin(20);
    assert.deepEqual(seen, c.want);
  });
}

test('what a later read brings while the session waits goes behind what waits, hooks included, until the drain\'s timer', async () => {
  const { peer, seen } = await yieldingSession([1]);
  mock.timers.enable({ apis: ['setTimeout'] });
  peer.send(update(1));
  await spin(3000, () => seen.includes('message 1'));
  peer.send(update(2));
  // Loopback delivers within these 100 ms; the session reads it, but only into the inbox.
  await spin(100);
  assert.deepEqual(seen, ['message 1', 'immediate']);
  mock.timers.tick(1);
  assert.deepEqual(seen, ['message 1', 'immediate', 'update 1', 'message 2', 'update 2']);
});

test('a connection that closes while messages wait: none of them is handled afterwards', async () => {
  const { session, peer, seen } = await yieldingSession([1]);
  mock.timers.enable({ apis: ['setTimeout'] });
  peer.send(Buffer.concat([update(1), update(2)]));
  await spin(3000, () => seen.includes('message 1'));
  mock.timers.reset();
  await session.stop();
  await spin(50);
  assert.deepEqual(seen, ['message 1', 'immediate']);
});

test('a header error read behind a yield: the UPDATEs before it are handled first, then the NOTIFICATION (1/1) goes out', async () => {
  const { peer, seen } = await yieldingSession([1]);
  const badMarker = Uint8Array.from(update(3));
  badMarker[0] = 0;
  mock.timers.enable({ apis: ['setTimeout'] });
  peer.send(Buffer.concat([update(1), update(2), badMarker]));
  await spin(3000, () => seen.includes('message 1'));
  await spin(50);
  assert.equal(peer.received.some((m) => m.kind === 'notification'), false, 'no NOTIFICATION while the UPDATEs before the error wait');
  mock.timers.tick(1);
  mock.timers.reset();
  const n = await peer.next('notification');
  assert.deepEqual([n.notification.code, n.notification.subcode], [1, 1]);
  assert.deepEqual(seen, ['message 1', 'immediate', 'update 1', 'message 2', 'update 2']);
});
