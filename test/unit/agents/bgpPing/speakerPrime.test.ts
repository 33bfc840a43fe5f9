import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BgpPingSpeaker } from '../../../../src/agents/bgpPing/speaker';

for (const wire of ['v1', 'book'] as const) {
  test(`prime: a ${wire} speaker reads every primed probe and reply, sends nothing, emits nothing and learns no responder`, async () => {
    const speaker = new BgpPingSpeaker({
      id: 'host-1', nlri: '100.64.0.0', localAddress: '203.0.113.0', peerAddress: '203.0.113.1', localAs: 65003, peerAs: 65000,
      attributeType: 42, wire, timeoutMs: 5000, withdrawAfterMs: 7000, mode: 'passive',
    });
    const events: string[] = [];
    for (const e of ['rtt', 'replied', 'malformed', 'expired', 'state'] as const) speaker.on(e, () => events.push(e));
    assert.equal(speaker.prime(50), 100);
    assert.deepEqual(events, []);
    assert.equal(speaker.tracker.responders.size, 0);
    assert.equal(speaker.sent, 0);
    await speaker.stop();
  });
}
