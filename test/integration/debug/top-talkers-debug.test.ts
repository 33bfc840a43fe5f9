// Acceptance of the debug adapter (issue 14) with top-talkers: the embedded netgo lab, real sFlow from
// r3 while the traffic profile runs, the agent launched in host-2 under the inspector by the
// standalone adapter (node dist/debugAdapter.js) driven over DAP by @vscode/debugadapter-testsupport.
// Run it holding the lab lock: flock /tmp/labtel-lab.lock node --import tsx --test <this file>
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
import { loadTrafficProfile, startTraffic, stopTraffic } from '../../../src/lab/traffic';
import { repoRoot } from '../../helpers/corpus';
import { eventually, launchWithBreakpoints, lineOf, processesInNamespace, startDebugClient } from '../../helpers/debugClient';
import { have } from '../../helpers/tools';

const lab = new NetnsBackend(loadTopology(path.join(repoRoot, 'lab', 'netgo.clab.yml')));
const profile = loadTrafficProfile(lab);
// Where readFlowSample has filled the flow record `out` from one flow sample, before top-talkers counts it.
const normalise = path.join(repoRoot, 'src', 'flows', 'normaliseSflow.ts');
const recordLine = lineOf(normalise, 'export function readFlowSample(', 'return seen;');
// The profile's endpoints (host-1's and host-3's addresses): what the flow records must carry.
const profileAddresses = new Set(profile.flows.flatMap((f) => [f.to]).concat(['203.0.113.0']));

let dc: DebugClient | undefined;

async function topFrame(client: DebugClient): Promise<DebugProtocol.StackFrame> {
  const st = await client.stackTraceRequest({ threadId: 1, startFrame: 0, levels: 20 });
  return st.body.stackFrames[0]!;
}

async function localsOf(client: DebugClient, frameId: number): Promise<Map<string, DebugProtocol.Variable>> {
  const scopes = await client.scopesRequest({ frameId });
  const local = scopes.body.scopes.find((s) => s.presentationHint === 'locals');
  assert.ok(local, `a Local scope among ${scopes.body.scopes.map((s) => s.name).join(', ')}`);
  const vars = await client.variablesRequest({ variablesReference: local.variablesReference });
  return new Map(vars.body.variables.map((v) => [v.name, v]));
}

async function childrenOf(client: DebugClient, v: DebugProtocol.Variable): Promise<Map<string, DebugProtocol.Variable>> {
  assert.ok(v.variablesReference > 0, `${v.name} can be expanded`);
  const r = await client.variablesRequest({ variablesReference: v.variablesReference });
  return new Map(r.body.variables.map((c) => [c.name, c]));
}

describe('debugging top-talkers in host-2 of the netgo lab', () => {
  before(async () => {
    assert.equal(process.getuid?.(), 0, 'these tests run as root (namespaces, FRR)');
    assert.deepEqual(['ip', 'vtysh', 'pmacctd', 'iperf3'].filter((t) => !have(t)), [], 'tools the lab needs (scripts/setup.sh installs them)');
    assert.equal(readLabState(lab.stateDir), undefined, `a netgo lab is already up (${lab.stateDir}): "labtel lab down" it first`);
    await lab.deploy();
    await waitForRouterSessions(lab, 30_000);
    await startTraffic(lab, profile, { duration: 90 });
  });

  after(async () => {
    await dc?.stop().catch(() => undefined);
    await stopTraffic(lab).catch(() => false);
    if (existsSync(lab.stateDir)) await lab.destroy();
  });

  test('stops on the flow-record line at the first sample, shows the TypeScript frame and the record, steps, evaluates, stops conditionally, terminates clean', async () => {
    dc = await startDebugClient();
    const client = dc;
    const output: string[] = [];
    client.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));

    const firstStop = client.waitForEvent('stopped', 40_000);
    const { set } = await launchWithBreakpoints(client, { agent: 'top-talkers', node: 'host-2', args: ['--listen', '203.0.113.2:6343', '--format', 'json'] }, [
      { path: normalise, breakpoints: [{ line: recordLine }] },
    ]);
    assert.deepEqual(set[0]!.body.breakpoints.map((b) => ({ verified: b.verified, line: b.line })), [{ verified: true, line: recordLine }]);

    // The first flow sample stops the agent on the line, in the TypeScript source.
    const stopped = await firstStop as DebugProtocol.StoppedEvent;
    assert.equal(stopped.body.reason, 'breakpoint');
    const frame = await topFrame(client);
    assert.equal(frame.source?.path, normalise);
    assert.equal(frame.line, recordLine);
    assert.equal(frame.name, 'readFlowSample');

    // The locals: the sample and the flow record read from it, its addresses those of the lab's traffic.
    const locals = await localsOf(client, frame.id);
    assert.ok(locals.has('sample') && locals.has('out') && locals.has('seen'), `locals: ${[...locals.keys()].join(', ')}`);
    assert.equal(locals.get('seen')!.value, 'true');
    const record = await childrenOf(client, locals.get('out')!);
    const src = JSON.parse(record.get('srcAddr')!.value) as string;
    const dst = JSON.parse(record.get('dstAddr')!.value) as string;
    assert.ok(profileAddresses.has(src) || profileAddresses.has(dst), `flow ${src} → ${dst} is one of the profile's (${[...profileAddresses].join(', ')})`);
    assert.match(src, /^203\.0\.113\.\d+$/);
    assert.match(dst, /^203\.0\.113\.\d+$/);
    assert.equal(record.get('proto')!.value, '17', 'the profile is UDP (iperf3 -u)');
    // The sampled header bytes, as hex: the IPv4 source address is there, at srcAt.
    const buf = record.get('addressBuf')!;
    assert.match(buf.value, /^(Buffer|Uint8Array)\(\d+\) \[[0-9a-f]{2}( [0-9a-f]{2})*/);
    const srcAt = Number(record.get('srcAt')!.value);
    const rows = await childrenOf(client, buf);
    const hex = [...rows.values()].filter((r) => r.name !== '…').map((r) => r.value).join(' ').split(' ');
    assert.equal(hex.slice(srcAt, srcAt + 4).map((h) => parseInt(h, 16)).join('.'), src, 'the record\'s source address is the bytes at srcAt');

    // Evaluate in the frame: the same address, and an expression over two locals.
    const evaluated = await client.evaluateRequest({ expression: 'out.srcAddr', frameId: frame.id, context: 'watch' });
    assert.equal(evaluated.body.result, JSON.stringify(src));
    const sum = await client.evaluateRequest({ expression: 'out.srcPort + out.dstPort', frameId: frame.id, context: 'repl' });
    assert.equal(Number(sum.body.result), Number(record.get('srcPort')!.value) + Number(record.get('dstPort')!.value));

    // Step over: the function returns to its caller, the agent's countDatagram.
    const step = client.waitForEvent('stopped', 10_000);
    await client.nextRequest({ threadId: 1 });
    const stepped = await step as DebugProtocol.StoppedEvent;
    assert.equal(stepped.body.reason, 'step');
    const after = await topFrame(client);
    assert.ok(after.source?.path !== normalise || after.line !== recordLine, `moved on from ${recordLine}: ${after.source?.path}:${after.line}`);
    assert.match(after.source?.path ?? '', /\.ts$/, 'still in TypeScript');

    // A conditional breakpoint that stops only for one of host-3's addresses.
    const cond = await client.setBreakpointsRequest({ source: { path: normalise }, breakpoints: [{ line: recordLine, condition: "out.dstAddr === '203.0.113.252' || out.srcAddr === '203.0.113.252'" }] });
    assert.equal(cond.body.breakpoints[0]!.verified, true);
    for (let k = 0; k < 3; k++) {
      const next = client.waitForEvent('stopped', 20_000);
      await client.continueRequest({ threadId: 1 });
      const hit = await next as DebugProtocol.StoppedEvent;
      assert.equal(hit.body.reason, 'breakpoint');
      const f = await topFrame(client);
      assert.equal(f.line, recordLine);
      const d = await client.evaluateRequest({ expression: '[out.srcAddr, out.dstAddr]', frameId: f.id, context: 'watch' });
      const pair = await client.variablesRequest({ variablesReference: d.body.variablesReference });
      const addrs = pair.body.variables.filter((v) => /^\d+$/.test(v.name)).map((v) => JSON.parse(v.value) as string);
      assert.ok(addrs.includes('203.0.113.252'), `stopped only for .252: ${addrs.join(' → ')}`);
    }

    // Terminate: the agent and the relay are gone from host-2's namespace.
    const terminated = client.waitForEvent('terminated', 10_000);
    await client.terminateRequest({});
    await terminated;
    const left = await eventually(() => processesInNamespace('clab-netgo-host-2').filter((p) => /top-talkers\.js|labtel relay/.test(p.cmdline)), (l) => l.length === 0, 5_000);
    assert.deepEqual(left, [], 'no agent or relay left in host-2');
    assert.ok(!output.some((o) => o.startsWith('Debugger listening')), 'the inspector\'s own lines stay out of the Debug Console');
  });

  const failing: Array<{ what: string; args: string[]; message: RegExp }> = [
    { what: 'a flag it refuses', args: ['--bogus'], message: /^the agent in node host-2 exited with code 2 at start-up: Unknown option '--bogus'/ },
    { what: 'an address the node does not have', args: ['--listen', '192.0.2.1:6343'], message: /^the agent in node host-2 exited with code \d+ at start-up: .*EADDRNOTAVAIL/ },
  ];
  for (const f of failing) {
    test(`an agent that fails at start-up (${f.what}) ends the launch with its own error, fast, and leaves nothing`, async () => {
      const client = await startDebugClient();
      try {
        const started = Date.now();
        const terminated = client.waitForEvent('terminated', 10_000);
        await assert.rejects(launchWithBreakpoints(client, { agent: 'top-talkers', node: 'host-2', args: f.args }), (err: Error) => { assert.match(err.message, f.message); return true; });
        await terminated;
        // The agent's own exit ends the launch, not a timeout of the adapter's (the machine's load sets how soon).
        assert.ok(Date.now() - started < 20_000, `failed after ${Date.now() - started} ms`);
        const left = await eventually(() => processesInNamespace('clab-netgo-host-2').filter((p) => /top-talkers\.js|labtel relay/.test(p.cmdline)), (l) => l.length === 0, 5_000);
        assert.deepEqual(left, []);
      } finally {
        await client.stop().catch(() => undefined);
      }
    });
  }
});
