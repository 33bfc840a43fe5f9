import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BgpPingSummary } from '../../../../src/agents/client/bgpPingSummary';
import type { AgentEvent } from '../../../../src/shared/events';

const base = { v: 1 as const, ts: 0 };
const rtt = (responder: string, seq: number, rttMs: number): AgentEvent => ({ ...base, agent: 'bgp-ping', type: 'rtt', responder, seq, rttMs });

test('bgp-ping summary: RTT last/min/avg/max and counts per responder, lost probes counted per responder', () => {
  const s = new BgpPingSummary('host-2');
  for (const e of [rtt('host-1', 1, 200), rtt('host-3', 1, 210), rtt('host-1', 2, 100), { ...base, agent: 'bgp-ping', type: 'lost', seq: 3, responders: ['host-3', 'host-4'] } as AgentEvent]) s.fromProber(e);
  const rows = s.responders();
  assert.deepEqual(rows.map((r) => [r.responder, r.last, r.min, r.max, r.sum / r.answered, r.answered, r.lost]), [
    ['host-1', 100, 100, 200, 150, 2, 0],
    ['host-3', 210, 210, 210, 210, 1, 1],
    ['host-4', 0, Infinity, 0, NaN, 0, 1],
  ]);
  assert.equal(s.probes, 3);
});

test('bgp-ping summary: a responder\'s held time counts only for replies to this prober', () => {
  const s = new BgpPingSummary('host-2');
  s.fromProber(rtt('host-1', 1, 5));
  s.fromResponder('host-1', { ...base, agent: 'bgp-ping', type: 'reply', prober: 'host-2', turnaroundUs: 25 });
  s.fromResponder('host-1', { ...base, agent: 'bgp-ping', type: 'reply', prober: 'host-9', turnaroundUs: 999 });
  s.fromResponder('host-5', { ...base, agent: 'bgp-ping', type: 'reply', prober: 'host-2', turnaroundUs: 7 });
  assert.deepEqual(s.responders().map((r) => [r.responder, r.heldUs]), [['host-1', 25]], 'host-5 has no RTT yet, so no row');
});
