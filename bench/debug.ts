// `npm run bench -- debug`: labtel's debug adapter on top-talkers in host-2 of the netgo lab (real sFlow
// from r3 while the traffic profile runs), 20 runs, beside the raw inspector round trip over the same
// relay. Per run: (1) launch — from the DAP launch request until the agent, running under the debugger,
// writes its "collecting sFlow" line (the same moment for the peer, from its exec); (2) breakpoint to
// variables — from the `stopped` event at readFlowSample's return line until the stackTrace, scopes and
// Local-scope variables responses are in (the peer: from Debugger.paused to Runtime.getProperties of the
// local scope). Writes bench/results/debug.json. Needs root, FRR, pmacct, iperf3; hold /tmp/labtel-lab.lock.
//
// The peer: VS Code's JavaScript debugger (js-debug) cannot be driven standalone from what is here —
// code-server's built-in ms-vscode.js-debug ships only src/extension.js, which needs the `vscode`
// module; its standalone DAP server (dapDebugServer.js) comes only in js-debug's GitHub release
// archive, which this machine cannot fetch. So the peer is the raw inspector: a CDP client over the same
// relay doing the least a debugger must (connect, enable, set the breakpoint, run; read one scope).
import os from 'node:os';
import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CdpClient } from '../src/debug/cdp/cdpClient';
import { RelayClient } from '../src/debug/relay/relayClient';
import { RELAY_SCRIPT } from '../src/debug/relay/relayScript';
import { findInspectorUrl } from '../src/debug/runtime/inspectorOutput';
import { PathMapper } from '../src/debug/sourceMaps/pathMapper';
import { scriptUrlRegex, SourceMapIndex } from '../src/debug/sourceMaps/sourceMapIndex';
import { waitForRouterSessions } from '../src/lab/bgpStatus';
import { NetnsBackend } from '../src/lab/netnsBackend';
import { loadTopology } from '../src/lab/topology';
import { loadTrafficProfile, startTraffic, stopTraffic } from '../src/lab/traffic';
import { agentBundle } from '../test/helpers/agentProcess';
import { launchWithBreakpoints, lineOf, startDebugClient } from '../test/helpers/debugClient';

const root = path.resolve(__dirname, '..');
const RUNS = Number(process.env.LABTEL_BENCH_DEBUG_RUNS ?? 20);
const NODE = 'host-2';
const ARGS = ['--listen', '203.0.113.2:6343', '--format', 'json'];
const RUNNING_LINE = 'top-talkers: collecting sFlow';
const AIM = { launchMs: 2000, breakpointToVariablesP95Ms: 50 };
const lab = new NetnsBackend(loadTopology(path.join(root, 'lab', 'netgo.clab.yml')));
const normalise = path.join(root, 'src', 'flows', 'normaliseSflow.ts');
const line = lineOf(normalise, 'export function readFlowSample(', 'return seen;');

function quantiles(xs: number[]): { n: number; p50: number; p95: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, p50: r(q(0.5)), p95: r(q(0.95)), min: r(s[0] ?? NaN), max: r(s.at(-1) ?? NaN) };
}

/** One run through labtel's standalone adapter over DAP, as an editor drives it. */
async function labtelRun(): Promise<{ launchMs: number; launchResponseMs: number; variablesMs: number }> {
  const dc = await startDebugClient(30_000);
  try {
    let runningAt = 0;
    const running = new Promise<void>((resolve) => dc.on('output', (e: DebugProtocol.OutputEvent) => {
      if (!runningAt && e.body.output.startsWith(RUNNING_LINE)) { runningAt = performance.now(); resolve(); }
    }));
    const t0 = performance.now();
    const stopped = dc.waitForEvent('stopped', 60_000).then(() => performance.now());
    await launchWithBreakpoints(dc, { agent: 'top-talkers', node: NODE, args: ARGS, cwd: root }, [{ path: normalise, breakpoints: [{ line }] }]);
    const launchResponseMs = performance.now() - t0;
    await running;
    const hitAt = await stopped;
    const st = await dc.stackTraceRequest({ threadId: 1, startFrame: 0, levels: 20 });
    const scopes = await dc.scopesRequest({ frameId: st.body.stackFrames[0]!.id });
    const vars = await dc.variablesRequest({ variablesReference: scopes.body.scopes.find((s) => s.presentationHint === 'locals')!.variablesReference });
    const variablesMs = performance.now() - hitAt;
    if (!vars.body.variables.some((v) => v.name === 'out')) throw new Error('no `out` among the locals');
    await dc.terminateRequest({});
    return { launchMs: runningAt - t0, launchResponseMs, variablesMs };
  } finally {
    await dc.stop().catch(() => undefined);
  }
}

/** One run of the raw inspector over the same relay: the least a debugger must do for the same two moments. */
async function rawRun(map: SourceMapIndex): Promise<{ launchMs: number; variablesMs: number }> {
  const t0 = performance.now();
  const child = lab.exec(NODE, ['node', '--inspect-brk=127.0.0.1:0', '--enable-source-maps', agentBundle('top-talkers'), ...ARGS], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let runningAt = 0;
  child.stderr!.setEncoding('utf8');
  const address = await new Promise<{ url: string; port: number }>((resolve) => child.stderr!.on('data', (c: string) => {
    stderr += c;
    const a = findInspectorUrl(stderr);
    if (a) resolve(a);
    if (!runningAt && stderr.includes(RUNNING_LINE)) runningAt = performance.now();
  }));
  const relay = new RelayClient(lab.exec(NODE, ['node', '-e', RELAY_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] }), NODE);
  const cdp = await CdpClient.connect(address.url, () => relay.open(address.port), 5000);
  let entered = false;
  let hit: ((frames: { at: number; scope: string }) => void) | undefined;
  const hitP = new Promise<{ at: number; scope: string }>((r) => { hit = r; });
  cdp.on('Debugger.paused', (e) => {
    if (!entered) { entered = true; void cdp.send('Debugger.resume', {}); return; }
    hit!({ at: performance.now(), scope: e.callFrames[0]!.scopeChain[0]!.object.objectId! });
  });
  await cdp.send('Runtime.enable');
  await cdp.send('Debugger.enable', {});
  const g = map.generatedFor(normalise, line)!.locations[0]!;
  await cdp.send('Debugger.setBreakpointByUrl', { urlRegex: scriptUrlRegex(g.script), lineNumber: g.line0, columnNumber: g.column0 });
  await cdp.send('Runtime.runIfWaitingForDebugger');
  while (!runningAt) await new Promise((r) => setTimeout(r, 5));
  const h = await hitP;
  const props = await cdp.send('Runtime.getProperties', { objectId: h.scope, ownProperties: true });
  const variablesMs = performance.now() - h.at;
  if (!props.result.some((p) => p.name === 'out')) throw new Error('no `out` in the raw scope');
  cdp.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  await relay.close();
  return { launchMs: runningAt - t0, variablesMs };
}

async function main(): Promise<void> {
  const bundle = agentBundle('top-talkers');
  const map = new SourceMapIndex(new PathMapper());
  map.add(bundle, readFileSync(`${bundle}.map`, 'utf8'), `${bundle}.map`);
  await lab.deploy();
  try {
    await waitForRouterSessions(lab, 30_000);
    await startTraffic(lab, loadTrafficProfile(lab), { duration: 3600 });
    const ours: Array<Awaited<ReturnType<typeof labtelRun>>> = [];
    const raw: Array<Awaited<ReturnType<typeof rawRun>>> = [];
    // Interleaved, so both see the same machine load; the first run of each warms the file cache.
    await labtelRun();
    await rawRun(map);
    for (let k = 0; k < RUNS; k++) {
      ours.push(await labtelRun());
      raw.push(await rawRun(map));
      process.stdout.write(`run ${k + 1}/${RUNS}: labtel launch ${ours.at(-1)!.launchMs.toFixed(0)} ms, vars ${ours.at(-1)!.variablesMs.toFixed(1)} ms; raw launch ${raw.at(-1)!.launchMs.toFixed(0)} ms, vars ${raw.at(-1)!.variablesMs.toFixed(1)} ms\n`);
    }
    const result = {
      benchmark: 'debug',
      date: new Date().toISOString(),
      command: 'npm run bench -- debug',
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, kernel: os.release(), loadAverageAtEnd: os.loadavg().map((x) => +x.toFixed(1)) },
      measured: `top-talkers in ${NODE} of the netgo lab with the default traffic profile; a breakpoint on src/flows/normaliseSflow.ts:${line} (readFlowSample's return). launchMs: from the DAP launch request (labtel: standalone adapter over stdio, DebugClient) or the exec (raw) until the agent's "${RUNNING_LINE}" line. breakpointToVariablesMs: from the stopped event (labtel) or Debugger.paused (raw) until the stackTrace, scopes and Local variables responses are in (labtel) or Runtime.getProperties of the local scope answered (raw). launchResponseMs: until the launch response, which waits 300 ms after the agent's first line for a start-up failure.`,
      peer: 'the raw inspector over the same relay (connect, Runtime/Debugger.enable, one setBreakpointByUrl, runIfWaitingForDebugger; one getProperties). VS Code\'s js-debug could not be driven standalone here: code-server\'s built-in ms-vscode.js-debug 1.100.1 ships src/extension.js only (it requires the vscode module); the standalone DAP server (dapDebugServer.js) is only in js-debug\'s GitHub release archive, out of this machine\'s reach.',
      aim: AIM,
      runs: RUNS,
      results: {
        labtel: { launchMs: quantiles(ours.map((r) => r.launchMs)), launchResponseMs: quantiles(ours.map((r) => r.launchResponseMs)), breakpointToVariablesMs: quantiles(ours.map((r) => r.variablesMs)) },
        raw: { launchMs: quantiles(raw.map((r) => r.launchMs)), breakpointToVariablesMs: quantiles(raw.map((r) => r.variablesMs)) },
      },
      ratio: {} as Record<string, number>,
      aimHeld: {} as Record<string, boolean>,
    };
    const L = result.results.labtel;
    const R = result.results.raw;
    result.ratio = { launchP50: +(L.launchMs.p50 / R.launchMs.p50).toFixed(2), breakpointToVariablesP95: +(L.breakpointToVariablesMs.p95 / R.breakpointToVariablesMs.p95).toFixed(2) };
    result.aimHeld = { launchP95Under2s: L.launchMs.p95 < AIM.launchMs, breakpointToVariablesP95Under50ms: L.breakpointToVariablesMs.p95 < AIM.breakpointToVariablesP95Ms };
    writeFileSync(path.join(root, 'bench', 'results', 'debug.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result.results, null, 2));
    console.log(`ratios labtel/raw: ${JSON.stringify(result.ratio)}; aims: ${JSON.stringify(result.aimHeld)}`);
  } finally {
    await stopTraffic(lab).catch(() => false);
    await lab.destroy();
  }
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
