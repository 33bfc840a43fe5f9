// `npm run bench -- hosts`: a lab host over SSH (issue 18), against the test harness's real sshd in a
// network namespace (test/helpers/sshLabHost.ts, 198.51.100.50). Side by side in one run:
//   - exec round trip (`true` on the host): labtel's shared master connection vs a new SSH connection
//     per exec (what a tool without multiplexing pays), with a local spawn as the floor;
//   - deploy of lab/netgo.clab.yml: over SSH (labtel --host's HostBackend: copies checked, labtel's core
//     on the host) vs the same NetnsBackend deploy run here; first run over SSH also copies the bundles;
//   - event latency: a writer in node host-2 on the host prints its monotonic clock per line through
//     exec (the path agents' NDJSON events take) and the local reader subtracts it from its own clock
//     (same kernel, same CLOCK_MONOTONIC), vs the same writer spawned locally.
// Deploys netgo: run it under the lab lock (flock /tmp/labtel-lab.lock npm run bench -- hosts). Needs root.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { HostBackend } from '../src/lab/host/hostBackend';
import { LabHost } from '../src/lab/host/labHost';
import { loadLabHostsFile } from '../src/lab/host/labHosts';
import { SshTransport } from '../src/lab/host/sshTransport';
import { NetnsBackend } from '../src/lab/netnsBackend';
import { loadTopology } from '../src/lab/topology';
import { startSshLabHost } from '../test/helpers/sshLabHost';

const root = path.resolve(__dirname, '..');
const execRuns = Number(process.env.LABTEL_BENCH_EXEC_RUNS ?? 200);
const newConnectionRuns = Number(process.env.LABTEL_BENCH_CONNECT_RUNS ?? 30);
const deployRuns = Number(process.env.LABTEL_BENCH_RUNS ?? 3);
const eventLines = Number(process.env.LABTEL_BENCH_EVENTS ?? 200);
const eventIntervalMs = 20;

function quantiles(ms: number[]): { p50: number; p99: number; min: number; max: number; n: number } {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { p50: r(q(0.5)), p99: r(q(0.99)), min: r(s[0]!), max: r(s.at(-1)!), n: s.length };
}

function median(xs: number[]): number {
  return quantiles(xs).p50;
}

function waitExit(child: ReturnType<typeof spawn>): Promise<number> {
  return new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
}

/** Writes `n` lines, each its process.hrtime.bigint() when written, every `ms` milliseconds. */
const writerScript = (n: number, ms: number) =>
  `let i=0;const t=setInterval(()=>{process.stdout.write(process.hrtime.bigint()+'\\n');if(++i>=${n}){clearInterval(t)}},${ms})`;

async function readLatencies(child: ReturnType<typeof spawn>): Promise<number[]> {
  const out: number[] = [];
  const rl = createInterface({ input: child.stdout! });
  rl.on('line', (line) => {
    const now = process.hrtime.bigint();
    if (/^\d+$/.test(line)) out.push(Number(now - BigInt(line)) / 1e6);
  });
  await waitExit(child);
  return out.slice(5); // the first lines meet a cold JIT on both sides
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench hosts needs root (namespaces, sshd)');
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  const host = await startSshLabHost('labhost');
  const config = loadLabHostsFile(host.hostsFile)[0]!;
  const labHost = LabHost.ssh(config, { controlDir: host.controlDir });
  try {
    // ---- exec round trip
    const transport = new SshTransport({ destination: 'labhost', configFile: host.configFile, runDir: path.join(host.workDir, 'run'), controlDir: host.controlDir });
    await transport.connect();
    for (let i = 0; i < 10; i++) await transport.run(['true']);
    const mux: number[] = [];
    for (let i = 0; i < execRuns; i++) {
      const t = performance.now();
      await transport.run(['true']);
      mux.push(performance.now() - t);
    }
    // The same master with plain ssh and no labtel script: what the OpenSSH client and sshd cost alone.
    const bare: number[] = [];
    for (let i = 0; i < newConnectionRuns; i++) {
      const t = performance.now();
      const r = spawnSync('ssh', ['-F', host.configFile, '-o', 'BatchMode=yes', '-o', 'ControlMaster=no', '-o', `ControlPath=${transport.target.controlPath}`, '-T', 'labhost', 'true'], { timeout: 30_000 });
      if (r.status !== 0) throw new Error(`ssh over the master failed: ${String(r.stderr)}`);
      bare.push(performance.now() - t);
    }
    const direct: number[] = [];
    for (let i = 0; i < newConnectionRuns; i++) {
      const t = performance.now();
      const r = spawnSync('ssh', ['-F', host.configFile, '-o', 'BatchMode=yes', '-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-T', 'labhost', 'true'], { timeout: 30_000 });
      if (r.status !== 0) throw new Error(`ssh without multiplexing failed: ${String(r.stderr)}`);
      direct.push(performance.now() - t);
    }
    const local: number[] = [];
    for (let i = 0; i < execRuns; i++) {
      const t = performance.now();
      await waitExit(spawn('true', [], { stdio: 'ignore' }));
      local.push(performance.now() - t);
    }
    console.log(`exec round trip p50: shared connection ${median(mux)} ms (plain ssh on it ${median(bare)} ms), new connection ${median(direct)} ms, local spawn ${median(local)} ms`);

    // ---- deploy: over SSH vs here
    const topology = loadTopology(path.join(root, 'lab', 'netgo.clab.yml'));
    const remote = labHost.backend(topology) as HostBackend;
    const localLab = new NetnsBackend(topology);
    const sshDeploy: number[] = [];
    const sshDestroy: number[] = [];
    const localDeploy: number[] = [];
    const localDestroy: number[] = [];
    let firstWithCopies = 0;
    for (let i = 0; i < deployRuns; i++) {
      let t = performance.now();
      await remote.deploy();
      const s = (performance.now() - t) / 1000;
      if (i === 0) firstWithCopies = s; else sshDeploy.push(s);
      t = performance.now();
      await remote.destroy();
      sshDestroy.push((performance.now() - t) / 1000);
      t = performance.now();
      await localLab.deploy();
      localDeploy.push((performance.now() - t) / 1000);
      t = performance.now();
      await localLab.destroy();
      localDestroy.push((performance.now() - t) / 1000);
    }
    if (sshDeploy.length === 0) sshDeploy.push(firstWithCopies);
    console.log(`deploy netgo: over SSH ${median(sshDeploy)} s (first, copying the bundles: ${firstWithCopies.toFixed(3)} s), here ${median(localDeploy)} s`);

    // ---- event latency: a writer in host-2 on the host, read here
    await remote.deploy();
    const overSsh = await readLatencies(remote.exec('host-2', [config.node, '-e', writerScript(eventLines, eventIntervalMs)], { stdio: ['ignore', 'pipe', 'pipe'] }));
    await remote.destroy();
    const here = await readLatencies(spawn(process.execPath, ['-e', writerScript(eventLines, eventIntervalMs)], { stdio: ['ignore', 'pipe', 'pipe'] }));
    console.log(`event latency p50: over SSH ${median(overSsh)} ms, local pipe ${median(here)} ms`);

    const out = {
      benchmark: 'hosts',
      date: new Date().toISOString(),
      command: 'flock /tmp/labtel-lab.lock npm run bench -- hosts',
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.split(' ').slice(0, 2).join(' '), memoryGiB: Math.round(os.totalmem() / 2 ** 30), kernel: os.release(), node: process.version, loadAverage1m: os.loadavg()[0], openssh: String(spawnSync('ssh', ['-V'], { encoding: 'utf8' }).stderr).trim() },
      measured: 'A lab host over SSH: Debian\'s sshd in a network namespace of this machine (198.51.100.50 over a veth pair), so the network adds nearly nothing and what is measured is OpenSSH, the shells and labtel. ' +
        'Exec round trip: transport.run(["true"]) over labtel\'s shared master connection (a channel on an open connection, the login shell runs labtel\'s script with a pid file on the host) vs plain `ssh labhost true` over the same master (OpenSSH alone) vs `ssh -o ControlPath=none labhost true` (a TCP connection, key exchange and authentication per exec) vs spawning `true` here. ' +
        'Deploy: HostBackend.deploy() of lab/netgo.clab.yml (checks that the lab\'s files and labtel\'s bundle are on the host, runs `node cli.js backend deploy` there) vs NetnsBackend.deploy() of the same file here; both until deploy returns (not until BGP converges), alternating runs; the first SSH run also copies the bundles (shown apart). ' +
        'Event latency: lines written every 20 ms by node in host-2 (through HostBackend.exec, the path agents\' NDJSON takes) stamped with the writer\'s CLOCK_MONOTONIC and compared to the reader\'s on arrival, vs the same writer spawned here.',
      targets: { execRoundTripP50Ms: 20, deployOverSshExtraSeconds: 2 },
      results: {
        execRoundTripMs: { sharedConnection: quantiles(mux), plainSshOverSharedConnection: quantiles(bare), newConnectionPerExec: quantiles(direct), localSpawn: quantiles(local) },
        newConnectionOverShared: Math.round((median(direct) / median(mux)) * 100) / 100,
        deployNetgoSeconds: {
          overSsh: quantiles(sshDeploy), overSshFirstWithCopies: Math.round(firstWithCopies * 1000) / 1000, local: quantiles(localDeploy),
          extraOverSsh: Math.round((median(sshDeploy) - median(localDeploy)) * 1000) / 1000,
          destroyOverSsh: quantiles(sshDestroy), destroyLocal: quantiles(localDestroy),
        },
        eventLatencyMs: { overSsh: quantiles(overSsh), localPipe: quantiles(here) },
      },
    };
    mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(path.join(root, 'bench', 'results', 'hosts.json'), `${JSON.stringify(out, null, 2)}\n`);
    console.log('wrote bench/results/hosts.json');
  } finally {
    await labHost.backend(loadTopology(path.join(root, 'lab', 'netgo.clab.yml'))).destroy().catch(() => undefined);
    await labHost.close().catch(() => undefined);
    await host.stop();
  }
}

main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
