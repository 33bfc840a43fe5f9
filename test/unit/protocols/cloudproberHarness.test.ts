import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot } from '../../helpers/corpus';
import { frameRequest, runHarness } from '../../fixtures/cloudprober/harness';
import { parsePayload } from '../../../src/protocols/cloudprober/payload';

const server = [process.execPath, '--import', 'tsx', path.join(repoRoot, 'test/fixtures/cloudprober/echoServer.ts')];
const responders = ['host-1', 'host-3', 'host1'];

test('harness: 100 requests, 100 replies with matching ids in order, payloads Cloudprober can parse', async () => {
  const stream = Buffer.concat(Array.from({ length: 100 }, (_, i) =>
    frameRequest({ requestId: i + 1, timeLimit: 2000, options: [{ name: 'device', value: responders[i % 3]! }] })));
  let seed = 3;
  const chunkSizes = (): number => 1 + ((seed = (Math.imul(seed, 48271) + 7) >>> 0) % 97); // split and coalesced frames
  const { replies, exitCode, stderr } = await runHarness(server, stream, { expectReplies: 100, timeoutMs: 20_000, chunkSizes, cwd: repoRoot });
  assert.equal(replies.length, 100);
  assert.deepEqual(replies.map((r) => r.requestId), Array.from({ length: 100 }, (_, i) => i + 1));
  for (const [i, r] of replies.entries()) {
    assert.equal(r.errorMessage, undefined);
    const metrics = parsePayload(r.payload ?? '');
    assert.equal(metrics.length, 1);
    assert.equal(metrics[0]!.name, 'bgp_ping_rtt_ms');
    assert.deepEqual(metrics[0]!.labels, [['device', responders[i % 3]!]]);
    assert.equal(Number(metrics[0]!.value), (i + 1) / 4);
  }
  assert.equal(exitCode, 0, stderr);
});

test('harness: past its time limit a request gets no reply, garbage is skipped, the next request is answered', async () => {
  const stream = Buffer.concat([
    frameRequest({ requestId: 1, timeLimit: 50, options: [{ name: 'delay_ms', value: '300' }] }),
    Buffer.from('this line is not a frame\n'),
    frameRequest({ requestId: 2, timeLimit: 1000, options: [{ name: 'fail', value: 'no route to responder' }] }),
    frameRequest({ requestId: 3, timeLimit: 1000, options: [{ name: 'device', value: 'host-3' }, { name: 'delay_ms', value: '20' }] }),
  ]);
  const { replies, stderr } = await runHarness(server, stream, { expectReplies: 2, timeoutMs: 20_000, cwd: repoRoot });
  // runHarness returns once the server has exited, which it does after request 1's deadline.
  assert.deepEqual(replies, [
    { requestId: 2, errorMessage: 'no route to responder' },
    { requestId: 3, payload: 'bgp_ping_rtt_ms{device="host-3"} 0.75' },
  ]);
  assert.match(stderr, /Timeout for request 1/);
  assert.match(stderr, /skipped garbage \(1 so far\)/);
});
