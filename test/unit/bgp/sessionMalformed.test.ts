// The malformed-message table against a live session over loopback TCP: a raw peer sends the bad bytes
// and must get the NOTIFICATION with the RFC's code and subcode — or, under RFC 7606, no NOTIFICATION
// but the error reported and the session kept — while the session goes on accepting the next peer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Session, type NotificationEvent } from '../../../src/bgp/session';
import type { BgpError } from '../../../src/protocols/bgp';
import { hex, malformedCases } from '../protocols/bgp/malformedCases';
import { RawPeer, waitForState } from './rawPeer';

const PEER = { asn: 65001, bgpId: '192.0.2.2' };

for (const errorHandling of ['rfc4271', 'rfc7606'] as const) {
  describe(`a live session (${errorHandling} UPDATE error handling) answering malformed messages`, () => {
    let session: Session;
    let port = 0;
    const sent: NotificationEvent[] = [];
    const updateErrors: BgpError[] = [];

    before(async () => {
      session = new Session({
        localAs: 65000, peerAs: PEER.asn, routerId: '192.0.2.1', peerAddress: '127.0.0.1', localAddress: '127.0.0.1',
        listenPort: 0, mode: 'passive', holdTime: 30, errorHandling, backoff: { initialMs: 10, maxMs: 50 },
      });
      session.on('notification', (n) => { if (n.direction === 'sent') sent.push(n); });
      session.on('update-error', (errors) => updateErrors.push(...errors));
      await session.start();
      port = session.listening()!.port;
    });
    after(async () => {
      await session.stop();
    });

    for (const c of malformedCases) {
      const resets = errorHandling === 'rfc4271' || c.action === 'session-reset';
      const expectation = resets ? `NOTIFICATION ${c.code}/${c.subcode}` : `no NOTIFICATION, ${c.code}/${c.subcode} handled as ${c.action}`;
      test(`"${c.name}" (${c.phase}) → ${expectation} (${c.rfc})`, async () => {
        await waitForState(session, 'Active');
        sent.length = 0;
        updateErrors.length = 0;
        const peer = await RawPeer.connect(port);
        try {
          if (c.phase === 'established') {
            await peer.establish({ ...PEER, fourOctetAs: c.fourOctetAs });
            assert.equal(session.state, 'Established');
          }
          peer.send(hex(c.bytes));
          if (resets) {
            const n = await peer.next('notification');
            assert.deepEqual([n.notification.code, n.notification.subcode], [c.code, c.subcode], 'code/subcode on the wire');
            if (c.data !== undefined) assert.equal(Buffer.from(n.notification.data).toString('hex'), c.data, 'data on the wire');
            await peer.closed();
            assert.deepEqual(sent.map((s) => [s.code, s.subcode]), [[c.code, c.subcode]], 'the session reports what it sent');
          } else {
            await new Promise<void>((resolve, reject) => {
              const t = setTimeout(() => reject(new Error('no update-error event')), 3000);
              const check = (): void => { if (updateErrors.length) { clearTimeout(t); resolve(); } else setTimeout(check, 5); };
              check();
            });
            const e = updateErrors[0]!;
            assert.deepEqual([e.code, e.subcode, e.action], [c.code, c.subcode, c.action]);
            // The session stays up: a KEEPALIVE goes through, and nothing was sent back.
            peer.send(hex('ffffffffffffffffffffffffffffffff 0013 04'));
            await new Promise((r) => setTimeout(r, 100));
            assert.equal(session.state, 'Established');
            assert.equal(peer.received.filter((m) => m.kind === 'notification').length, 0);
            assert.equal(sent.length, 0);
          }
        } finally {
          peer.close();
        }
      });
    }

    test('after the whole table the session still establishes with a well-behaved peer', async () => {
      await waitForState(session, 'Active');
      const peer = await RawPeer.connect(port);
      await peer.establish(PEER);
      assert.equal(session.state, 'Established');
      peer.close();
      await waitForState(session, 'Active');
    });
  });
}
