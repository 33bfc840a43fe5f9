// Acceptance of the debug adapter (issue 14) with bgp-ping: the netgo lab's routers, bgp-ping's book
// roles (src/cli/commands/demo.ts: host-2 probes every 2 s, host-1 and host-3 answer), host-1's
// responder launched under the debugger by the standalone adapter, stopped when host-2's first probe
// request reaches it. Run it holding the lab lock: flock /tmp/labtel-lab.lock node --import tsx --test <this file>
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { waitForRouterSessions } from '../../../src/lab/bgpStatus';
import { readLabState } from '../../../src/lab/labState';
import { NetnsBackend } from '../../../src/lab/netnsBackend';
import { loadTopology } from '../../../src/lab/topology';
import { AgentProcess, agentBundle } from '../../helpers/agentProcess';
import { repoRoot } from '../../helpers/corpus';
import { eventually, launchWithBreakpoints, lineOf, processesInNamespace, startDebugClient } from '../../helpers/debugClient';
import { have } from '../../helpers/tools';

const lab = new NetnsBackend(loadTopology(path.join(repoRoot, 'lab', 'netgo.clab.yml')));
// The book's roles, as the demo runs them.
const responderHost1 = ['-id', 'host-1', '-nlri', '100.64.0.0', '-laddr', '203.0.113.0', '-raddr', '203.0.113.1', '-las', '65003', '-ras', '65000', '-p'];
const responderHost3 = ['-id', 'host-3', '-nlri', '100.64.0.2', '-laddr', '203.0.113.254', '-raddr', '203.0.113.129', '-las', '65005', '-ras', '65002', '-p'];
const proberHost2 = ['-id', 'host-2', '-nlri', '100.64.0.1', '-laddr', '203.0.113.2', '-raddr', '203.0.113.3', '-las', '65004', '-ras', '65001', '-i', '2s'];
// In the responder's onUpdate: a probe request decoded from a prober's UPDATE, about to be answered.
const speaker = path.join(repoRoot, 'src', 'agents', 'bgpPing', 'speaker.ts');
const requestLine = lineOf(speaker, 'private onUpdate(u: DecodedUpdate', 'const reply = replyTo(probe, this.o.id);');

const others: AgentProcess[] = [];
let dc: DebugClient | undefined;

describe('debugging bgp-ping\'s responder in host-1 of the netgo lab', () => {
  before(async () => {
    assert.equal(process.getuid?.(), 0, 'these tests run as root (namespaces, FRR)');
    assert.deepEqual(['ip', 'vtysh'].filter((t) => !have(t)), [], 'tools the lab needs (scripts/setup.sh installs them)');
    assert.equal(readLabState(lab.stateDir), undefined, `a netgo lab is already up (${lab.stateDir}): "labtel lab down" it first`);
    await lab.deploy();
    await waitForRouterSessions(lab, 30_000);
  });

  after(async () => {
    await dc?.stop().catch(() => undefined);
    for (const a of others) await a.stop();
    if (existsSync(lab.stateDir)) await lab.destroy();
  });

  test('stops in the responder when host-2\'s probe arrives and reads the probe\'s source id; terminate leaves nothing', async (t) => {
    dc = await startDebugClient();
    const client = dc;
    const output: string[] = [];
    client.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    await launchWithBreakpoints(client, { agent: 'bgp-ping', node: 'host-1', args: responderHost1 });
    // The breakpoint goes in once the responder is up, as a user sets one in a running agent: the
    // speaker primes its reply path at start-up with thousands of probes of its own making.
    await eventually(() => output.join(''), (o) => o.includes('bgp-ping host-1: responder'), 20_000);
    const set = await client.setBreakpointsRequest({ source: { path: speaker }, breakpoints: [{ line: requestLine, condition: "probe.source === 'host-2' && probe.destination === ''" }] });
    assert.equal(set.body.breakpoints[0]!.verified, true);
    const node = process.execPath;
    others.push(new AgentProcess(lab.exec('host-3', [node, agentBundle('bgp-ping'), ...responderHost3, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] })));
    others.push(new AgentProcess(lab.exec('host-2', [node, agentBundle('bgp-ping'), ...proberHost2, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] })));

    const stopped = await client.waitForEvent('stopped', 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; host-1's output: ${output.join('').slice(-1500)}; host-2's: ${others[1]!.stderr.slice(-1000)} ${JSON.stringify(others[1]!.events.slice(-3))}`);
    }) as DebugProtocol.StoppedEvent;
    assert.equal(stopped.body.reason, 'breakpoint');
    const st = await client.stackTraceRequest({ threadId: 1 });
    const top = st.body.stackFrames[0]!;
    assert.equal(top.source?.path, speaker);
    assert.equal(top.line, requestLine);
    assert.match(top.name, /onUpdate/);

    // `probe` is declared in the loop's body: a Block scope, shown before the function's Local one.
    const scopes = (await client.scopesRequest({ frameId: top.id })).body.scopes;
    assert.match(scopes[0]!.name, /^Block\b/);
    assert.ok(scopes.some((s) => s.presentationHint === 'locals'));
    const block = await client.variablesRequest({ variablesReference: scopes[0]!.variablesReference });
    const probe = block.body.variables.find((v) => v.name === 'probe');
    assert.ok(probe, `block scope: ${block.body.variables.map((v) => v.name).join(', ')}`);
    const fields = new Map((await client.variablesRequest({ variablesReference: probe.variablesReference })).body.variables.map((v) => [v.name, v.value]));
    t.diagnostic(`probe: ${[...fields].map(([k, v]) => `${k}=${v}`).join(' ')}`);
    assert.equal(fields.get('source'), '"host-2"', 'the prober\'s id');
    assert.equal(fields.get('destination'), '""', 'a request, not a reply');
    assert.match(fields.get('timestampNs') ?? '', /^\d+n$/, 'a bigint, shown as one');
    // The probe's stamp is the prober's clock, the same host's: within a minute of now.
    const stamp = await client.evaluateRequest({ expression: 'Number(probe.timestampNs / 1000000n)', frameId: top.id, context: 'watch' });
    assert.ok(Math.abs(Number(stamp.body.result) - Date.now()) < 60_000, `stamp ${stamp.body.result} vs now ${Date.now()}`);
    const id = await client.evaluateRequest({ expression: 'probe.source', frameId: top.id, context: 'hover' });
    assert.equal(id.body.result, '"host-2"');

    const terminated = client.waitForEvent('terminated', 10_000);
    await client.terminateRequest({});
    await terminated;
    const left = await eventually(() => processesInNamespace('clab-netgo-host-1').filter((p) => /bgp-ping\.js|labtel relay/.test(p.cmdline)), (l) => l.length === 0, 5_000);
    assert.deepEqual(left, [], 'no agent or relay left in host-1');
  });
});
