// The debug adapter with the lab on a lab host (issues 14 and 18): Debian's sshd in a namespace of the
// test's own stands for the host `labhost` at 198.51.100.50 (test/helpers/sshLabHost.ts, its own keys and
// ssh_config). The netgo lab is deployed there over SSH; the standalone adapter, given `labHost` and the
// labtel.labHosts entries, runs top-talkers, its inspector and the relay in host-2 *on the host*, through
// the host's SSH connection. A breakpoint on the workspace's TypeScript hits; the top frame is the local
// .ts file although the agent runs the host's copy of the bundle; nothing listens outside 127.0.0.1.
// Run it holding the lab lock: flock /tmp/labtel-lab.lock node --import tsx --test <this file>
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { waitForRouterSessions } from '../../../src/lab/bgpStatus';
import { HostBackend } from '../../../src/lab/host/hostBackend';
import { LabHost } from '../../../src/lab/host/labHost';
import { loadLabHostsFile } from '../../../src/lab/host/labHosts';
import { loadTopology } from '../../../src/lab/topology';
import type { LabAgentLaunchArguments, LabHostEntry } from '../../../src/shared/debugLaunch';
import { agentBundle } from '../../helpers/agentProcess';
import { repoRoot } from '../../helpers/corpus';
import { eventually, launchWithBreakpoints, lineOf, startDebugClient } from '../../helpers/debugClient';
import { processesInHostNamespace, tcpListeners } from '../../helpers/labHostProcesses';
import { startSshLabHost, type SshLabHost } from '../../helpers/sshLabHost';
import { have } from '../../helpers/tools';

const normalise = path.join(repoRoot, 'src', 'flows', 'normaliseSflow.ts');
const recordLine = lineOf(normalise, 'export function readFlowSample(', 'return seen;');
const tools = ['sshd', 'ssh', 'ssh-keygen', 'ip', 'nsenter', 'unshare', 'vtysh', 'pmacctd', 'iperf3'];

let host: SshLabHost | undefined;
let labHost: LabHost | undefined;
let backend: HostBackend | undefined;
let dc: DebugClient | undefined;

/** The launch as the extension makes it for a configuration with "labHost": "labhost". */
function launchArgs(extra: Partial<LabAgentLaunchArguments> = {}): LabAgentLaunchArguments {
  const entries = JSON.parse(readFileSync(host!.hostsFile, 'utf8')) as LabHostEntry[];
  return { agent: 'top-talkers', node: 'host-2', labHost: 'labhost', labHosts: entries.filter((e) => e.name === 'labhost'), args: ['--listen', '203.0.113.2:6343', '--format', 'json'], ...extra };
}

const inHost2 = () => processesInHostNamespace(host!, 'clab-netgo-host-2');
const debugProcesses = () => inHost2().filter((p) => /top-talkers\.js|labtel relay/.test(p.cmdline));

describe('debugging top-talkers in host-2 of a lab on a lab host, over SSH', () => {
  before(async () => {
    assert.equal(process.getuid?.(), 0, 'these tests run as root (namespaces, sshd, FRR)');
    assert.deepEqual(tools.filter((t) => !have(t)), [], 'tools the lab host needs (scripts/setup.sh installs them)');
    agentBundle('top-talkers'); // builds dist/ (the adapter, the CLI, the agents)
    host = await startSshLabHost('labhost');
    const config = loadLabHostsFile(host.hostsFile).find((h) => h.name === 'labhost')!;
    labHost = LabHost.ssh(config, { controlDir: host.controlDir });
    backend = new HostBackend(labHost, loadTopology(path.join(repoRoot, 'lab', 'netgo.clab.yml')));
  });

  after(async () => {
    await dc?.stop().catch(() => undefined);
    if (backend) {
      await backend.stopTraffic().catch(() => false);
      await backend.destroy().catch(() => undefined);
    }
    await labHost?.close().catch(() => undefined);
    await host?.stop();
  });

  test('before the lab is up on labhost, a launch there ends at once with one error naming the host', async () => {
    const client = await startDebugClient(30_000, { LABTEL_SSH_CONTROL_DIR: host!.controlDir });
    try {
      const terminated = client.waitForEvent('terminated', 30_000);
      await assert.rejects(launchWithBreakpoints(client, launchArgs()), (err: Error) => {
        assert.equal(err.message, 'lab netgo is not deployed on labhost (no namespace clab-netgo-host-2): run "labtel --host labhost lab up" first');
        return true;
      });
      await terminated;
    } finally {
      await client.stop().catch(() => undefined);
    }
  });

  test('a breakpoint in the workspace\'s TypeScript hits in the agent on labhost; the inspector stays on the node\'s loopback; terminate leaves nothing', async () => {
    await backend!.deploy();
    await waitForRouterSessions(backend!, 60_000);
    await backend!.startTraffic('default', 120);

    dc = await startDebugClient(30_000, { LABTEL_SSH_CONTROL_DIR: host!.controlDir });
    const client = dc;
    const firstStop = client.waitForEvent('stopped', 60_000);
    const { set } = await launchWithBreakpoints(client, launchArgs(), [{ path: normalise, breakpoints: [{ line: recordLine }] }]);
    assert.deepEqual(set[0]!.body.breakpoints.map((b) => ({ verified: b.verified, line: b.line })), [{ verified: true, line: recordLine }]);

    const stopped = await firstStop as DebugProtocol.StoppedEvent;
    assert.equal(stopped.body.reason, 'breakpoint');
    const threads = await client.threadsRequest();
    assert.equal(threads.body.threads[0]!.name, 'top-talkers in host-2 on labhost');
    const st = await client.stackTraceRequest({ threadId: 1, startFrame: 0, levels: 20 });
    const frame = st.body.stackFrames[0]!;
    assert.equal(frame.source?.path, normalise, 'the top frame is the local TypeScript file');
    assert.equal(frame.line, recordLine);
    assert.equal(frame.name, 'readFlowSample');

    // The agent runs the host's copy of the build, from labtel's folder there, with the host's node.
    const script = await client.evaluateRequest({ expression: 'process.argv[1]', frameId: frame.id, context: 'watch' });
    const remoteScript = JSON.parse(script.body.result) as string;
    assert.ok(remoteScript.startsWith(path.join(host!.workDir, 'bundles') + '/'), `the script is the host's copy: ${remoteScript}`);
    assert.match(remoteScript, /\/dist\/agents\/top-talkers\.js$/);
    const addr = await client.evaluateRequest({ expression: 'out.srcAddr', frameId: frame.id, context: 'watch' });
    assert.match(JSON.parse(addr.body.result) as string, /^203\.0\.113\.\d+$/, 'a flow of the lab\'s traffic');

    // In host-2 on the host: the agent under --inspect-brk on 127.0.0.1, and the relay; the only TCP
    // listener there is the inspector on loopback, and the host's own namespace listens for sshd only.
    const procs = inHost2();
    assert.ok(procs.some((p) => p.cmdline.includes('--inspect-brk=127.0.0.1:0') && p.cmdline.includes(remoteScript)), `the agent in host-2: ${procs.map((p) => p.cmdline).join(' | ')}`);
    assert.ok(procs.some((p) => p.cmdline.includes('labtel relay')), 'the relay in host-2');
    const inNode = tcpListeners(host!, { node: 'clab-netgo-host-2' });
    assert.ok(inNode.length >= 1, 'the inspector listens in host-2');
    assert.deepEqual(inNode.filter((a) => !a.startsWith('127.0.0.1:')), [], `every TCP listener in host-2 is on loopback: ${inNode.join(', ')}`);
    assert.deepEqual(tcpListeners(host!, { host: host!.netns }), [`${host!.address}:22`], 'on the host\'s outside, sshd alone');

    // Step over and continue to the next hit: the session works through the relay like a local one.
    const step = client.waitForEvent('stopped', 20_000);
    await client.nextRequest({ threadId: 1 });
    assert.equal((await step as DebugProtocol.StoppedEvent).body.reason, 'step');
    const again = client.waitForEvent('stopped', 30_000);
    await client.continueRequest({ threadId: 1 });
    assert.equal((await again as DebugProtocol.StoppedEvent).body.reason, 'breakpoint');

    const terminated = client.waitForEvent('terminated', 20_000);
    await client.terminateRequest({});
    await terminated;
    const left = await eventually(debugProcesses, (l) => l.length === 0, 10_000);
    assert.deepEqual(left, [], 'no agent or relay left in host-2 on the host');
  });
});
