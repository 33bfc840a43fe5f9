// The bgp-ping agent, as a process, against a peer that sends malformed messages: each gets the
// NOTIFICATION with the code and subcode its RFC names (or, for UPDATE attribute errors, RFC 7606's
// handling without a reset), and the agent keeps running and accepts the next connection.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentProcess, agentBundle } from '../../helpers/agentProcess';
import { hex, malformedCases } from '../../unit/protocols/bgp/malformedCases';
import { RawPeer } from '../../unit/bgp/rawPeer';

const PORT = 21000 + (process.pid % 5000);
const AGENT = '127.0.0.4';
let agent: AgentProcess;

before(async () => {
  // The cases are written for a peer in AS 65001 with BGP Identifier 192.0.2.2.
  agent = AgentProcess.start([process.execPath, agentBundle('bgp-ping'), '-id', 'host-1', '-nlri', '100.64.0.0', '-laddr', AGENT, '-raddr', '127.0.0.1',
    '-las', '65003', '-ras', '65001', '-p', '--port', String(PORT), '--format', 'json']);
  await agent.waitFor('session', (e) => e.state === 'Active' || e.state === 'Idle' || e.state === 'Connect', 10_000).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 500));
});
after(() => agent.stop());

async function connect(): Promise<RawPeer> {
  // After a reset the agent may still be closing the last connection: retry briefly.
  for (let i = 0; ; i++) {
    try {
      return await RawPeer.connect(PORT, AGENT);
    } catch (err) {
      if (i > 40) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

test(`a table of ${malformedCases.length} malformed messages: each handled as its RFC says, the agent keeps running`, async (t) => {
  assert.ok(malformedCases.length >= 15);
  for (const c of malformedCases) {
    const peer = await connect();
    try {
      if (c.phase === 'established') {
        try {
          await peer.establish({ asn: 65001, bgpId: '192.0.2.2', fourOctetAs: c.fourOctetAs });
        } catch (err) {
          const n = peer.received.find((m) => m.kind === 'notification');
          throw new Error(`${c.name}: could not establish (${(err as Error).message}; ${n && n.kind === 'notification' ? JSON.stringify([n.notification.code, n.notification.subcode]) : ''})`);
        }
      }
      peer.send(hex(c.bytes));
      if (c.action === 'session-reset') {
        const n = await peer.next('notification', 5000);
        assert.deepEqual([n.notification.code, n.notification.subcode], [c.code, c.subcode], `${c.name} (${c.rfc})`);
      } else {
        // RFC 7606 treat-as-withdraw / attribute-discard: no NOTIFICATION, the session stays up.
        peer.send(hex('ffffffffffffffffffffffffffffffff 0013 04'));
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(peer.received.filter((m) => m.kind === 'notification').length, 0, `${c.name}: no reset under RFC 7606`);
        assert.equal(peer.ended, false, `${c.name}: the session stays up`);
      }
    } finally {
      peer.close();
      // The next connection must not collide with this one (RFC 4271 §6.8): wait until the agent let it go.
      for (let i = 0; i < 60 && ['OpenSent', 'OpenConfirm', 'Established'].includes(agent.of('session').at(-1)?.state ?? ''); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    assert.equal(agent.child.exitCode, null, `the agent exited after "${c.name}": ${agent.stderr.slice(-1000)}`);
  }
  // Still a working BGP speaker: a clean peer gets to Established.
  const clean = await connect();
  await clean.establish({ asn: 65001, bgpId: '192.0.2.2' });
  clean.close();
  t.diagnostic(`${malformedCases.length} cases; the agent reported ${agent.of('session').length} session changes and is still running`);
});
