// bgp-ping as Cloudprober's external probe in SERVER mode, driven by a harness that speaks
// Cloudprober's framing byte for byte (test/fixtures/cloudprober/harness.ts, protobufjs on its side),
// with a responder at the other end of the BGP session over loopback.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePayload } from '../../../src/protocols/cloudprober';
import { AgentProcess, agentBundle } from '../../helpers/agentProcess';
import { frameRequest, runHarness } from '../../fixtures/cloudprober/harness';

const PORT = 11000 + (process.pid % 5000);
let responder: AgentProcess;

before(() => {
  responder = AgentProcess.start([process.execPath, agentBundle('bgp-ping'), '-id', 'host-1', '-nlri', '100.64.0.0', '-laddr', '127.0.0.3', '-raddr', '127.0.0.2',
    '-las', '65003', '-ras', '65004', '-p', '--port', String(PORT), '--format', 'json']);
});
after(() => responder.stop());

test('Cloudprober server mode: 100 requests get 100 replies, ids matching and in order, each payload an RTT line', async () => {
  const requests = Buffer.concat(Array.from({ length: 100 }, (_, i) => frameRequest({ requestId: i + 1, timeLimit: 3000 })));
  const result = await runHarness([process.execPath, agentBundle('bgp-ping'), '-id', 'host-2', '-nlri', '100.64.0.1', '-laddr', '127.0.0.2', '-raddr', '127.0.0.3',
    '-las', '65004', '-ras', '65003', '-c', '--port', String(PORT), '--format', 'json'], requests, { expectReplies: 100, timeoutMs: 20_000, chunkSizes: () => 1 + Math.floor(Math.random() * 200) });
  assert.deepEqual(result.replies.map((r) => r.requestId), Array.from({ length: 100 }, (_, i) => i + 1), responder.stderr);
  for (const r of result.replies) {
    assert.equal(r.errorMessage, undefined, `request ${r.requestId}: ${r.errorMessage}`);
    const metrics = parsePayload(r.payload ?? '');
    assert.equal(metrics.length, 1, `request ${r.requestId}: ${r.payload}`);
    assert.equal(metrics[0]!.name, 'bgp_ping_rtt_ms');
    assert.deepEqual(metrics[0]!.labels, [['device', 'host-1']]);
    assert.ok(Number(metrics[0]!.value) > 0 && Number(metrics[0]!.value) < 3000, String(metrics[0]!.value));
  }
  // stdout carried only the protocol: events went to stderr.
  assert.match(result.stderr, /"type":"rtt"/);
  assert.equal(result.exitCode, 0, 'stdin closed: the agent exits');
});
