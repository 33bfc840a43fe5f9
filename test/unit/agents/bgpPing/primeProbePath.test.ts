import { test } from 'node:test';
import assert from 'node:assert/strict';
import { primeProbePath } from '../../../../src/agents/bgpPing/primeProbePath';

for (const wire of ['v1', 'seed'] as const) {
  test(`primeProbePath: every primed ${wire} probe and reply goes through encode and decode and back out whole`, () => {
    const shape = { id: 'host-1', nlri: '100.64.0.0', localAddress: '203.0.113.0', localAs: 65003, attributeType: 42, wire };
    assert.equal(primeProbePath(shape, 50), 100);
  });
}
