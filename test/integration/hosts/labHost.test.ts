// Lab hosts over SSH (issue 18), against a real OpenSSH server: test/helpers/sshLabHost.ts runs Debian's
// sshd as the lab host `labhost` at 198.51.100.50 in a network namespace (and a mount namespace with its
// own /run) made here, with keys, known_hosts and an ssh_config of the test's own. Everything below goes
// over SSH only: the CLI as a user runs it (bin/labtel.js --host labhost …), and the transport itself.
//
// It deploys lab/netgo.clab.yml on the host. The host's /run/netns and /run/labtel are its own, but the
// host's daemons are processes of this machine whose command lines name /run/labtel/netgo, which other
// tests' before/after snapshots of the netgo lab look for: run it under the lab lock,
//   flock /tmp/labtel-lab.lock node --import tsx --test test/integration/hosts/labHost.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TalkersEvent } from '../../../src/shared/events';
import { quoteArgv } from '../../../src/lab/host/posixQuote';
import { SshTransport } from '../../../src/lab/host/sshTransport';
import { agentBundle } from '../../helpers/agentProcess';
import { repoRoot } from '../../helpers/corpus';
import { startSshLabHost, type SshLabHost } from '../../helpers/sshLabHost';
import { requirePrereqs } from '../../helpers/tools';
import { hostileArguments, hostileProgramName } from '../../unit/lab/host/hostileArguments';

const tools = ['sshd', 'ssh', 'ssh-keygen', 'ip', 'nsenter', 'unshare', 'vtysh', 'pmacctd', 'iperf3'];
let host: SshLabHost | undefined;

interface CliResult { code: number; stdout: string; stderr: string }

function labtel(args: readonly string[], options: { timeoutMs?: number; onSpawn?: (pid: number) => void } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'labtel.js'), '--host', 'labhost', '--hosts-file', host!.hostsFile, ...args], {
      cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LABTEL_SSH_CONTROL_DIR: host!.controlDir },
    });
    options.onSpawn?.(child.pid!);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += String(b); });
    child.stderr.on('data', (b: Buffer) => { stderr += String(b); });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code: code ?? 1, stdout, stderr }); });
  });
}

/** The host's namespaces for lab netgo, seen in its own /run/netns. */
function hostNamespaces(): string[] {
  return host!.inHost(['ls', '/run/netns']).split('\n').filter((n) => n.startsWith('clab-netgo-')).sort();
}

/** Net namespace inodes of the host's lab, while it is up. */
function hostNamespaceInodes(): Set<string> {
  const names = hostNamespaces();
  if (names.length === 0) return new Set();
  return new Set(host!.inHost(['stat', '-c', '%i', ...names.map((n) => `/run/netns/${n}`)]).split('\n').filter(Boolean));
}

/** Processes (not zombies) in one of these namespaces, or whose command line names the host's working folder (labtel's core, agents). */
function hostLabProcesses(inodes: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      const net = /\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/net`))?.[1] ?? '';
      if (inodes.has(net) || cmdline.includes(host!.workDir)) found.push(`${pid} ${cmdline}`);
    } catch { /* exited */ }
  }
  return found;
}

/** Every file under a folder, relative to it. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? [e, ...tree(p).map((f) => path.join(e, f))] : [e];
  });
}

/** The PID of the master connection labtel holds to a host (ssh -O check says "Master running (pid=N)"). */
function masterPid(destination: string): number | undefined {
  const r = spawnSync('ssh', ['-F', host!.configFile, '-o', `ControlPath=${controlPath(destination)}`, '-O', 'check', destination], { encoding: 'utf8' });
  return Number(/pid=(\d+)/.exec(r.stderr)?.[1]) || undefined;
}

/** The host's pid files once its background removals are done (the host removes one after the command's answer has gone). */
async function pidFilesLeft(): Promise<string[]> {
  const dir = path.join(host!.workDir, 'run');
  const deadline = Date.now() + 5000;
  while (readdirSync(dir).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return readdirSync(dir);
}

function controlPath(destination: string): string {
  return new SshTransport({ destination, configFile: host!.configFile, runDir: 'run', controlDir: host!.controlDir }).target.controlPath;
}

describe('a lab host over SSH', () => {
  before(async () => {
    if (process.getuid?.() !== 0) return;
    agentBundle('top-talkers'); // builds dist/ (the CLI, the agents) when it is not built yet
    host = await startSshLabHost('labhost');
  });
  after(async () => {
    if (!host) return;
    await labtel(['lab', 'down']).catch(() => undefined);
    await labtel(['host', 'disconnect', 'labhost']).catch(() => undefined);
    await host.stop();
  });

  test('each hostile argument reaches a program on the host unchanged, through sshd and the login shell', async (t) => {
    if (!requirePrereqs(t, { root: true, tools })) return;
    const transport = new SshTransport({ destination: 'labhost', configFile: host!.configFile, runDir: path.join(host!.workDir, 'run'), controlDir: host!.controlDir });
    await transport.connect();
    const pwned = '/tmp/labtel-quote-pwned';
    for (const [what, word] of hostileArguments) {
      const r = await transport.run(['printf', '%s\\0', word]);
      assert.deepEqual(r.stdout.split('\0').slice(0, -1), [word], what);
    }
    const words = hostileArguments.map(([, w]) => w);
    const all = await transport.run(['printf', '%s\\0', ...words]);
    assert.deepEqual(all.stdout.split('\0').slice(0, -1), words, 'all of them in one command line');
    // argv[0] too: a program on the host whose name is as hostile as the arguments.
    const program = path.join(host!.dir, hostileProgramName);
    symlinkSync('/usr/bin/printf', program);
    const named = await transport.run([program, '%s\\0', "it's", '$(id)']);
    assert.deepEqual(named.stdout.split('\0').slice(0, -1), ["it's", '$(id)']);
    assert.equal(existsSync(pwned), false, 'no argument ran a command on the host');
    assert.ok(quoteArgv(words).length > 0);
  });

  test('every command shares one SSH connection to the host, and kill() stops the command on the host', async (t) => {
    if (!requirePrereqs(t, { root: true, tools })) return;
    const transport = new SshTransport({ destination: 'labhost', configFile: host!.configFile, runDir: path.join(host!.workDir, 'run'), controlDir: host!.controlDir });
    await transport.connect();
    await Promise.all(Array.from({ length: 8 }, (_, i) => transport.run(['echo', String(i)])));
    const sleeper = transport.spawn(['sleep', '300'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise((r) => setTimeout(r, 500));
    const connections = execFileSync('ip', ['netns', 'exec', host!.netns, 'ss', '-Htn', 'state', 'established', 'sport', '= :22'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    assert.equal(connections.length, 1, `one connection from this machine: ${connections.join(' | ')}`);
    const sleeping = () => execFileSync('pgrep', ['-f', '-x', 'sleep 300'], { encoding: 'utf8' }).split('\n').filter(Boolean).length;
    assert.equal(sleeping(), 1, 'the command runs on the host');
    sleeper.kill('SIGTERM');
    const code = await new Promise((r) => sleeper.on('exit', (c) => r(c)));
    assert.equal(code, 128 + 15, 'the command itself was killed by SIGTERM');
    assert.throws(() => sleeping(), 'no sleep left on the host');
    assert.deepEqual(await pidFilesLeft(), [], 'no pid file left');
  });

  test('lab up, traffic and top-talkers in host-2, lab down: all over SSH, nothing left on the host', async (t) => {
    if (!requirePrereqs(t, { root: true, tools })) return;
    const runBefore = host!.inHost(['ls', '-A', '/run']).split('\n').filter(Boolean);
    const up = await labtel(['lab', 'up']);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /lab netgo deployed \(netns\)/);
    assert.match(up.stdout, /6 BGP sessions between routers Established/);
    assert.deepEqual(hostNamespaces(), ['host-1', 'host-2', 'host-3', 'r1', 'r2', 'r3'].map((n) => `clab-netgo-${n}`));
    const inodes = hostNamespaceInodes();
    const state = host!.inHost(['cat', '/run/labtel/netgo/state.json']);
    assert.equal(JSON.parse(state).phase, 'up', 'the lab state lives on the host');

    const status = await labtel(['lab', 'status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    const info = JSON.parse(status.stdout) as { nodes: { name: string; state: string }[]; bgp: { state: string; betweenRouters: boolean }[] };
    assert.ok(info.nodes.every((n) => n.state === 'running'));
    const exec = await labtel(['lab', 'exec', 'host-3', '--', 'ip', '-br', 'addr', 'show', 'dev', 'eth1']);
    assert.match(exec.stdout, /203\.0\.113\.251\/25/);

    const traffic = await labtel(['traffic', 'start', '--duration', '40']);
    assert.equal(traffic.code, 0, traffic.stderr);
    const agent = await labtel(['agent', 'top-talkers', '--node', 'host-2', '--listen', '203.0.113.2:6343', '--format', 'json', '--interval', '2s', '--duration', '14s']);
    assert.equal(agent.code, 0, agent.stderr);
    const events = agent.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as TalkersEvent).filter((e) => e.type === 'talkers');
    const last = events.at(-1)!;
    const udp = last.rows.filter((r) => r.protocol === 17).map((r) => r.b.split(':')[0]);
    assert.deepEqual(udp.slice(0, 3), ['203.0.113.253', '203.0.113.252', '203.0.113.251'], JSON.stringify(last.rows));

    const logsWhileUp = [host!.sshdLog(), ...readdirSync(host!.controlDir).filter((f) => f.endsWith('.log')).map((f) => readFileSync(path.join(host!.controlDir, f), 'utf8')), state, readFileSync(host!.hostsFile, 'utf8')];
    const privateKey = readFileSync(host!.identity, 'utf8');
    const keyBody = privateKey.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
    for (const text of logsWhileUp) {
      assert.equal(text.includes('PRIVATE KEY'), false);
      assert.equal(text.replaceAll('\n', '').includes(keyBody.slice(20, 60)), false, 'no part of the private key');
    }

    const down = await labtel(['lab', 'down']);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(hostNamespaces(), [], 'no namespace left on the host');
    assert.deepEqual(hostLabProcesses(inodes), [], 'no process of the lab left on the host');
    const runAfter = host!.inHost(['ls', '-A', '/run']).split('\n').filter(Boolean);
    // FRR makes its compiled-in runtime folder /run/frr (empty; every socket and pid file is under the
    // lab's state) when its first daemon starts; a host with FRR installed has it anyway.
    assert.deepEqual(runAfter.filter((e) => !runBefore.includes(e) && e !== 'frr'), [], 'nothing new in the host\'s /run');
    assert.equal(host!.inHost(['sh', '-c', 'ls -A /run/labtel 2>/dev/null | wc -l']).trim(), '0');
    assert.deepEqual(tree(path.join(host!.dir, 'home')), [], 'nothing in the login\'s home');
    assert.deepEqual(readdirSync(host!.workDir).sort(), ['bundles', 'labs', 'run'], 'the working folder holds the copies and nothing else');
    assert.deepEqual(await pidFilesLeft(), []);
  });

  test('the connection drops in the middle of a deploy: a clear error, and a later lab down removes everything it made', async (t) => {
    if (!requirePrereqs(t, { root: true, tools })) return;
    // The master connection labtel shares (opened by the check), killed as soon as labtel's core on the
    // host has made the lab's namespaces: that is early in the deploy, before links, daemons and routes.
    assert.equal((await labtel(['host', 'check', 'labhost'])).code, 0);
    const master = masterPid('labhost');
    assert.ok(master !== undefined, 'labtel holds a master connection to the host');
    const hostNetns = `/proc/${host!.sshdPid()}/root/run/netns`;
    let killed = false;
    const watch = setInterval(() => {
      if (killed || !readdirSync(hostNetns).some((n) => n.startsWith('clab-netgo-'))) return;
      killed = true;
      process.kill(master!, 'SIGKILL');
    }, 5);
    const up = await labtel(['lab', 'up']);
    clearInterval(watch);
    const inodes = hostNamespaceInodes();
    const made = hostNamespaces();
    const down = await labtel(['lab', 'down']);
    assert.ok(killed, 'the master connection was killed while the deploy ran on the host');
    assert.ok(made.length > 0, 'the deploy had made namespaces on the host');
    assert.equal(up.code, 1, up.stdout);
    assert.match(up.stderr, /deploy of lab netgo on labhost did not finish: the connection to labhost was lost/);
    assert.match(up.stderr, /"labtel --host labhost lab down" removes all of it/);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(hostNamespaces(), []);
    assert.deepEqual(hostLabProcesses(inodes), []);
    assert.equal(host!.inHost(['sh', '-c', 'ls -A /run/labtel 2>/dev/null | wc -l']).trim(), '0');
  });

  test('the host lacks a package: the health check names it and what needs it', async (t) => {
    if (!requirePrereqs(t, { root: true, tools })) return;
    await host!.addVariant('labhost-bare', { without: ['iperf3', 'pmacctd'] });
    const check = await labtel(['host', 'check', 'labhost-bare', '--json']);
    assert.equal(check.code, 1, 'missing packages fail the check');
    const health = JSON.parse(check.stdout) as { reachable: boolean; items: { name: string; ok: boolean; neededFor: string[] }[] };
    assert.equal(health.reachable, true);
    const missing = health.items.filter((i) => !i.ok).map((i) => i.name);
    assert.ok(missing.includes('iperf3') && missing.includes('pmacctd'), missing.join(', '));
    assert.ok(!missing.includes('node') && !missing.includes('frr') && !missing.includes('root'));
    const text = await labtel(['host', 'check', 'labhost-bare']);
    assert.match(text.stdout, /MISSING\s+pmacctd\s+not found: install pmacct/);
    assert.match(text.stdout, /missing for the netns backend: pmacctd \(netns\), iperf3 \(traffic\)/);
    const full = await labtel(['host', 'check', 'labhost']);
    assert.equal(full.code, 0, full.stdout);
  });

  test('a refused key and a changed or unknown host key are one clear error each, and nothing runs on the host', async (t) => {
    if (!requirePrereqs(t, { root: true, tools })) return;
    const other = path.join(host!.dir, 'id_other');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const config = readFileSync(host!.configFile, 'utf8').split('\n\n')[0]!;
    const variant = (name: string, text: string): string => {
      const file = path.join(host!.dir, `ssh_config-${name}`);
      writeFileSync(file, text);
      return file;
    };
    const wrongKey = variant('key', config.replace(host!.identity, other));
    const changed = path.join(host!.dir, 'known_hosts-changed');
    writeFileSync(changed, `198.51.100.50 ${readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
    const changedKey = variant('changed', config.replace(host!.knownHosts, changed));
    const unknown = path.join(host!.dir, 'known_hosts-empty');
    writeFileSync(unknown, '');
    const unknownKey = variant('unknown', config.replace(host!.knownHosts, unknown));
    const cases: [string, string, RegExp][] = [
      ['refused key', wrongKey, /labhost refused the login \(publickey\).*never asks for or stores a password/s],
      ['changed host key', changedKey, /labhost: its host key is not the one recorded in known_hosts .*known_hosts-changed.*labtel does not connect/s],
      ['unknown host key', unknownKey, /labhost: its host key is not in known_hosts\. Connect once with "ssh labhost"/],
    ];
    const sessionsBefore = (host!.sshdLog().match(/Starting session/g) ?? []).length;
    for (const [what, file, message] of cases) {
      const up = await new Promise<CliResult>((resolve) => {
        const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'labtel.js'), '--host', 'labhost', '--ssh-config', file, 'lab', 'up'], {
          cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LABTEL_SSH_CONTROL_DIR: path.join(host!.dir, `control-${what.replaceAll(' ', '-')}`) },
        });
        let stdout = ''; let stderr = '';
        child.stdout.on('data', (b: Buffer) => { stdout += String(b); });
        child.stderr.on('data', (b: Buffer) => { stderr += String(b); });
        child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
      });
      assert.equal(up.code, 1, what);
      assert.match(up.stderr, message, what);
      assert.equal(up.stderr.trim().split('\n').length, 1, `${what}: one line: ${up.stderr}`);
    }
    assert.deepEqual(hostNamespaces(), []);
    assert.equal((host!.sshdLog().match(/Starting session/g) ?? []).length, sessionsBefore, 'no session was opened on the host');
  });
});
