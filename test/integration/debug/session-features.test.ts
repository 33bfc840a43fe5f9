// The debug adapter's other requests (issue 14), each against top-talkers in host-2 of the real netgo lab
// with the traffic profile running, driven over DAP by @vscode/debugadapter-testsupport:
//   logpoints (a message per flow record in the Debug Console, the agent never paused), setVariable (a
//   local and a property of the flow record), restart (a new agent process, the breakpoints kept), and
//   attach to an agent started without the debugger (SIGUSR1 through the node's exec; the pick list
//   shows it; disconnect leaves it running).
// Run it holding the lab lock: flock /tmp/labtel-lab.lock node --import tsx --test <this file>
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { runningAgents } from '../../../src/debug/runtime/nodeAgents';
import { waitForRouterSessions } from '../../../src/lab/bgpStatus';
import { readLabState } from '../../../src/lab/labState';
import { NetnsBackend } from '../../../src/lab/netnsBackend';
import { loadTopology } from '../../../src/lab/topology';
import { loadTrafficProfile, startTraffic, stopTraffic } from '../../../src/lab/traffic';
import { DEBUG_TYPE } from '../../../src/shared/debugLaunch';
import { AgentProcess, agentBundle } from '../../helpers/agentProcess';
import { repoRoot } from '../../helpers/corpus';
import { eventually, launchWithBreakpoints, lineOf, processesInNamespace, startDebugClient } from '../../helpers/debugClient';
import { have } from '../../helpers/tools';

const lab = new NetnsBackend(loadTopology(path.join(repoRoot, 'lab', 'netgo.clab.yml')));
const normalise = path.join(repoRoot, 'src', 'flows', 'normaliseSflow.ts');
const recordLine = lineOf(normalise, 'export function readFlowSample(', 'return seen;');
const listen = ['--listen', '203.0.113.2:6343', '--format', 'json'];
/**
 * An address of the lab: r3 samples its link to r2, so the hosts' traffic (203.0.113.0/24) and the routers'
 * own BGP sessions over the link (192.0.2.0/24, loopbacks in 198.51.100.0/24) are both in the records.
 */
const ADDRESS = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/;

const agentsInHost2 = () => processesInNamespace('clab-netgo-host-2').filter((p) => /top-talkers\.js/.test(p.cmdline));
const relaysInHost2 = () => processesInNamespace('clab-netgo-host-2').filter((p) => /labtel relay/.test(p.cmdline));

async function topFrame(client: DebugClient): Promise<DebugProtocol.StackFrame> {
  return (await client.stackTraceRequest({ threadId: 1, startFrame: 0, levels: 20 })).body.stackFrames[0]!;
}

async function locals(client: DebugClient, frameId: number): Promise<{ ref: number; vars: Map<string, DebugProtocol.Variable> }> {
  const scopes = await client.scopesRequest({ frameId });
  const local = scopes.body.scopes.find((s) => s.presentationHint === 'locals')!;
  const vars = await client.variablesRequest({ variablesReference: local.variablesReference });
  return { ref: local.variablesReference, vars: new Map(vars.body.variables.map((v) => [v.name, v])) };
}

async function evaluate(client: DebugClient, frameId: number, expression: string): Promise<string> {
  return (await client.evaluateRequest({ expression, frameId, context: 'watch' })).body.result;
}

/** Ends the session and checks host-2 has neither the launched agent nor a relay left. */
async function terminateClean(client: DebugClient): Promise<void> {
  const terminated = client.waitForEvent('terminated', 15_000);
  await client.terminateRequest({});
  await terminated;
  const left = await eventually(() => [...agentsInHost2(), ...relaysInHost2()], (l) => l.length === 0, 10_000);
  assert.deepEqual(left, [], 'no agent or relay left in host-2');
}

describe('logpoints, setVariable, restart and attach on top-talkers in host-2', () => {
  let dc: DebugClient | undefined;
  let loose: AgentProcess | undefined;

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'these tests run as root (namespaces, FRR)');
    assert.deepEqual(['ip', 'vtysh', 'pmacctd', 'iperf3'].filter((t) => !have(t)), [], 'tools the lab needs (scripts/setup.sh installs them)');
    assert.equal(readLabState(lab.stateDir), undefined, `a netgo lab is already up (${lab.stateDir}): "labtel lab down" it first`);
    agentBundle('top-talkers');
    await lab.deploy();
    await waitForRouterSessions(lab, 30_000);
    await startTraffic(lab, loadTrafficProfile(lab), { duration: 240 });
  });

  after(async () => {
    await dc?.stop().catch(() => undefined);
    loose?.child.kill('SIGKILL');
    await stopTraffic(lab).catch(() => false);
    if (existsSync(lab.stateDir)) await lab.destroy();
  });

  // A test that failed half-way leaves its session: end it, so the next one's agent can bind the port.
  afterEach(async () => {
    if (!dc) return;
    await dc.terminateRequest({}).catch(() => undefined);
    await dc.stop().catch(() => undefined);
    dc = undefined;
    await eventually(() => [...agentsInHost2(), ...relaysInHost2()], (l) => l.length === 0, 10_000).catch(() => undefined);
  });

  test('a logpoint writes its message for each flow record to the Debug Console, at the .ts line, and never pauses', async () => {
    dc = await startDebugClient();
    const client = dc;
    const logged: DebugProtocol.OutputEvent[] = [];
    let stops = 0;
    client.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'console') logged.push(e); });
    client.on('stopped', () => { stops++; });
    await launchWithBreakpoints(client, { agent: 'top-talkers', node: 'host-2', args: listen }, [
      { path: normalise, breakpoints: [{ line: recordLine, logMessage: 'flow {out.srcAddr} > {out.dstAddr} proto {out.proto} seen {seen}' }] },
    ]);
    const lines = await eventually(() => logged, (l) => l.length >= 5, 30_000);
    assert.ok(lines.length >= 5, `logpoint messages: ${lines.length}`);
    for (const e of lines.slice(0, 5)) {
      // Whatever r3 sampled: the profile's UDP flows, iperf3's TCP control connections, the routers' BGP, ICMP.
      const m = /^flow (\S+) > (\S+) proto (\d+) seen true\n$/.exec(e.body.output);
      assert.ok(m, `a flow record's message: ${JSON.stringify(e.body.output)}`);
      assert.ok(Number(m[3]) > 0 && Number(m[3]) < 256, `an IP protocol number: ${m[3]}`);
      assert.match(m[1]!, ADDRESS);
      assert.match(m[2]!, ADDRESS);
      assert.equal(e.body.source?.path, normalise);
      assert.equal(e.body.line, recordLine);
    }
    assert.equal(stops, 0, 'a logpoint does not pause the agent');
    await terminateClean(client);
    await client.stop();
    dc = undefined;
  });

  test('setVariable changes a local and a property of the flow record; the agent sees the new values', async () => {
    dc = await startDebugClient();
    const client = dc;
    const stop = client.waitForEvent('stopped', 40_000);
    await launchWithBreakpoints(client, { agent: 'top-talkers', node: 'host-2', args: listen }, [{ path: normalise, breakpoints: [{ line: recordLine }] }]);
    await stop;
    const frame = await topFrame(client);
    const { ref, vars } = await locals(client, frame.id);
    assert.equal(vars.get('seen')!.value, 'true');

    const set = await client.setVariableRequest({ variablesReference: ref, name: 'seen', value: '1 === 2' });
    assert.equal(set.body.value, 'false');
    assert.equal(await evaluate(client, frame.id, 'seen'), 'false', 'the local itself changed in the agent');

    const out = await client.variablesRequest({ variablesReference: vars.get('out')!.variablesReference });
    const before = out.body.variables.find((v) => v.name === 'srcPort')!.value;
    const setPort = await client.setVariableRequest({ variablesReference: vars.get('out')!.variablesReference, name: 'srcPort', value: '40000 + 2' });
    assert.equal(setPort.body.value, '40002');
    assert.equal(await evaluate(client, frame.id, 'out.srcPort'), '40002', `out.srcPort was ${before}`);
    // A value that does not evaluate: the request fails with the agent's own error, nothing changes.
    await assert.rejects(client.setVariableRequest({ variablesReference: ref, name: 'seen', value: 'no_such_name' }), /no_such_name is not defined/);
    assert.equal(await evaluate(client, frame.id, 'seen'), 'false');
    await terminateClean(client);
    await client.stop();
    dc = undefined;
  });

  test('restart starts a new agent process and its breakpoint hits again', async () => {
    dc = await startDebugClient();
    const client = dc;
    const first = client.waitForEvent('stopped', 40_000);
    await launchWithBreakpoints(client, { agent: 'top-talkers', node: 'host-2', args: listen }, [{ path: normalise, breakpoints: [{ line: recordLine }] }]);
    await first;
    const before = agentsInHost2().map((p) => p.pid);
    assert.equal(before.length, 1, 'one agent in host-2');

    const again = client.waitForEvent('stopped', 40_000);
    await client.restartRequest({});
    const hit = await again as DebugProtocol.StoppedEvent;
    assert.equal(hit.body.reason, 'breakpoint');
    const frame = await topFrame(client);
    assert.deepEqual([frame.source?.path, frame.line], [normalise, recordLine]);
    const after = agentsInHost2().map((p) => p.pid);
    assert.equal(after.length, 1, `one agent after the restart: ${after.join(', ')}`);
    assert.notEqual(after[0], before[0], 'a new process');
    assert.equal(relaysInHost2().length, 1, 'one relay, not one per start');
    await terminateClean(client);
    await client.stop();
    dc = undefined;
  });

  test('attach: the pick list shows an agent started without the debugger; attaching by its pid stops at the breakpoint; disconnect leaves it running', async () => {
    loose = new AgentProcess(lab.exec('host-2', [process.execPath, agentBundle('top-talkers'), ...listen], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const pid = loose.child.pid!;
    const listed = await eventually(() => agentsInHost2(), (l) => l.length === 1, 5_000);
    assert.equal(listed.length, 1);
    const picks = await runningAgents(lab, 'host-2');
    const mine = picks.find((a) => a.pid === pid);
    assert.ok(mine, `the pick list has pid ${pid}: ${JSON.stringify(picks)}`);
    assert.match(mine.script, /dist\/agents\/top-talkers\.js$/);
    assert.deepEqual(mine.args, listen);

    dc = await startDebugClient();
    const client = dc;
    await client.initializeRequest({ adapterID: DEBUG_TYPE, linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const initialized = client.waitForEvent('initialized', 20_000);
    const attached = client.attachRequest({ node: 'host-2', pid, cwd: repoRoot } as DebugProtocol.AttachRequestArguments);
    await initialized;
    const stop = client.waitForEvent('stopped', 40_000);
    const set = await client.setBreakpointsRequest({ source: { path: normalise }, breakpoints: [{ line: recordLine }] });
    assert.equal(set.body.breakpoints[0]!.verified, true);
    await client.configurationDoneRequest();
    await attached;
    await stop;
    const frame = await topFrame(client);
    assert.deepEqual([frame.source?.path, frame.line, frame.name], [normalise, recordLine, 'readFlowSample']);
    assert.match(JSON.parse(await evaluate(client, frame.id, 'out.dstAddr')) as string, ADDRESS);
    assert.equal(Number(await evaluate(client, frame.id, 'process.pid')), pid, 'the agent attached to is the one started');

    await client.disconnectRequest({});
    await client.stop();
    dc = undefined;
    assert.deepEqual(await eventually(relaysInHost2, (l) => l.length === 0, 10_000), [], 'the relay is gone');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(loose.child.exitCode, null, 'the agent runs on after the debugger left');
    assert.deepEqual(agentsInHost2().map((p) => p.pid), [pid]);
    loose.child.kill('SIGTERM');
  });
});
